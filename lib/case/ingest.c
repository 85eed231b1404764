/*
 * fx_case_ingest: a large add on both cores. A reading thread reads the
 * input, hashes it, parses, checks and encodes each record
 * (fx_case_prepare_record); the calling thread, which owns the database,
 * stores the prepared records a chunk at a time (fx_case_store_records)
 * and commits a change per batch. Chunks go from one to the other through
 * a bounded queue, in input order, and come back to be reused, so memory
 * stays the same whatever the input's size and the hot path allocates
 * nothing but what jansson needs to parse a line.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "case_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_banned.h"

/*
 * Records are handed over FX_CASE_STORE_MANY at a time, or fewer when
 * they hold CHUNK_BYTES already; 16 chunks absorb the store's pauses at
 * commits. A record's buffer that grew past KEEP_BYTES is let go once
 * stored. Memory between the threads is thus bounded whatever the input.
 */
#define CHUNK_RECORDS FX_CASE_STORE_MANY
#define CHUNK_BYTES (1u << 20)
#define CHUNKS 16
#define KEEP_BYTES (64u << 10)

struct chunk {
	struct fx_case_prep recs[CHUNK_RECORDS];
	unsigned long lines[CHUNK_RECORDS]; /* the line of each record */
	size_t n, bytes;
	unsigned long first; /* the first line of the batch the records belong to */
	/* when end is set, the batch ends with this chunk: commit it */
	int end;
	unsigned long last;
	char sha256[FX_SHA256_HEX];      /* of the batch's bytes */
	char file_sha256[FX_SHA256_HEX]; /* of the whole input, on its last batch; else "" */
	struct chunk *next;
};

struct queue {
	struct chunk *head, *tail;
};

struct ingest {
	struct fx_case *c;
	struct fx_reader r;
	unsigned long batch;
	struct fx_hash *batch_hash, *file_hash;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct queue full, empty; /* under mu */
	int reading;              /* the reading thread has more to hand over; under mu */
	int stop;                 /* the storing side failed: stop reading; under mu */

	/* the reading thread's own */
	struct chunk *cur;
	unsigned long first, count; /* the batch being read: its first line, lines in it */
	uint64_t rejected;
};

static void push(struct queue *q, struct chunk *ch)
{
	ch->next = NULL;
	if (q->tail)
		q->tail->next = ch;
	else
		q->head = ch;
	q->tail = ch;
}

static struct chunk *pop(struct queue *q)
{
	struct chunk *ch = q->head;

	if (ch) {
		q->head = ch->next;
		if (!q->head)
			q->tail = NULL;
	}
	return ch;
}

/* ---- the reading thread ---- */

/* An empty chunk to fill, waiting for one if need be; NULL when told to stop. */
static struct chunk *take_empty(struct ingest *g)
{
	struct chunk *ch;

	pthread_mutex_lock(&g->mu);
	while (!g->stop && !g->empty.head)
		pthread_cond_wait(&g->cv, &g->mu);
	ch = g->stop ? NULL : pop(&g->empty);
	pthread_mutex_unlock(&g->mu);
	if (ch) {
		ch->n = ch->bytes = 0;
		ch->end = 0;
		ch->first = g->first;
	}
	return ch;
}

static void hand_over(struct ingest *g, struct chunk *ch)
{
	pthread_mutex_lock(&g->mu);
	push(&g->full, ch);
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

/*
 * Ends the batch being read at line last (the reader's digests have seen
 * exactly its lines) and hands it over. Returns 0, or -1 when told to stop.
 */
static int end_batch(struct ingest *g, unsigned long last, int at_end)
{
	struct chunk *ch = g->cur ? g->cur : take_empty(g);
	uint8_t md[32];

	g->cur = NULL;
	if (!ch)
		return -1;
	ch->end = 1;
	ch->last = last;
	fx_hash_final(g->batch_hash, md);
	fx_hex(md, 32, ch->sha256);
	ch->file_sha256[0] = '\0';
	if (at_end) {
		fx_hash_final(g->file_hash, md);
		fx_hex(md, 32, ch->file_sha256);
	}
	hand_over(g, ch);
	g->first = last + 1;
	g->count = 0;
	return 0;
}

/* "name:line" into where, cheaper than snprintf, which shows at a million lines. */
static void set_where(char *where, size_t size, const char *name, unsigned long line)
{
	char digits[24], *p = digits + sizeof(digits);
	size_t n = strlen(name), k;

	do {
		*--p = (char)('0' + line % 10);
		line /= 10;
	} while (line);
	k = (size_t)(digits + sizeof(digits) - p);
	if (n + 1 + k + 1 > size)
		n = size - k - 2;
	memcpy(where, name, n);
	where[n] = ':';
	memcpy(where + n + 1, p, k);
	where[n + 1 + k] = '\0';
}

static void *read_input(void *arg)
{
	struct ingest *g = arg;
	char where[512];
	json_t *rec;
	int n;

	g->first = 1;
	for (;;) {
		n = fx_reader_next_raw(&g->r, &rec);
		if (n == 0)
			break;
		/*
		 * A full batch ends just before the line that would overflow it,
		 * so that blank lines after its last record, and at the end of
		 * the input, belong to it.
		 */
		if (g->count == g->batch && end_batch(g, g->r.line - 1, 0) < 0) {
			if (n > 0)
				json_decref(rec);
			break;
		}
		g->count++;
		if (n < 0) {
			g->rejected++;
			continue;
		}
		if (!g->cur && !(g->cur = take_empty(g))) {
			json_decref(rec);
			break;
		}
		set_where(where, sizeof(where), g->r.name, g->r.line);
		if (fx_case_prepare_record(g->c, rec, where, &g->cur->recs[g->cur->n]) < 0) {
			g->rejected++;
		} else {
			g->cur->bytes += g->cur->recs[g->cur->n].buf.len;
			g->cur->lines[g->cur->n++] = g->r.line;
			if (g->cur->n == CHUNK_RECORDS || g->cur->bytes >= CHUNK_BYTES) {
				hand_over(g, g->cur);
				g->cur = NULL;
			}
		}
		json_decref(rec);
	}
	/* An input with no line but blank ones changes nothing: no batch. */
	if (n == 0 && g->count)
		end_batch(g, g->r.line, 1);
	pthread_mutex_lock(&g->mu);
	if (g->cur)
		push(&g->empty, g->cur);
	g->cur = NULL;
	g->reading = 0;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/* ---- the storing side ---- */

/* The next chunk to store, waiting for it; NULL when the reading is done. */
static struct chunk *take_full(struct ingest *g)
{
	struct chunk *ch;

	pthread_mutex_lock(&g->mu);
	while (!g->full.head && g->reading)
		pthread_cond_wait(&g->cv, &g->mu);
	ch = pop(&g->full);
	pthread_mutex_unlock(&g->mu);
	return ch;
}

static void give_back(struct ingest *g, struct chunk *ch, int stop)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (ch->recs[i].buf.cap > KEEP_BYTES)
			fx_case_prep_release(&ch->recs[i]);
	pthread_mutex_lock(&g->mu);
	push(&g->empty, ch);
	if (stop)
		g->stop = 1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static int commit_batch(struct ingest *g, const struct chunk *ch, struct fx_case_ingest *in)
{
	char range[64];
	json_t *input;
	uint64_t added = fx_case_added(g->c), dups = fx_case_duplicates(g->c);

	snprintf(range, sizeof(range), "%lu-%lu", ch->first, ch->last);
	input = json_pack("{s:s,s:s,s:s}", "path", g->r.name, "lines", range, "sha256",
			  ch->sha256);
	if (ch->file_sha256[0])
		json_object_set_new(input, "file_sha256", json_string(ch->file_sha256));
	fx_case_note_input(g->c, input);
	json_decref(input);
	if (fx_case_commit(g->c, NULL, NULL) < 0)
		return fx_error("%s: lines %s were not stored", g->r.name, range);
	in->added += added;
	in->duplicates += dups;
	return 0;
}

/* Stores a chunk, and commits when it ends a batch. Returns 0 or -1 (reported). */
static int store_chunk(struct ingest *g, const struct chunk *ch, struct fx_case_ingest *in)
{
	if (!g->c->in_change && fx_case_begin(g->c, "add") < 0)
		return fx_error("%s: lines from %lu on were not stored", g->r.name, ch->first);
	if (fx_case_store_records(g->c, ch->recs, ch->n) < 0) {
		fx_case_rollback(g->c);
		return fx_error("%s: lines %lu-%lu were not stored", g->r.name, ch->first,
				ch->n ? ch->lines[ch->n - 1] : ch->first);
	}
	return ch->end ? commit_batch(g, ch, in) : 0;
}

int fx_case_ingest(struct fx_case *c, const char *path, struct fx_case_ingest *in)
{
	struct ingest g;
	struct chunk *chunks, *ch;
	struct fx_progress prog;
	pthread_t th;
	int i, ret = 0, err;

	if (c->in_change)
		return fx_error("internal: a change to '%s' is already open", c->dir);
	memset(&g, 0, sizeof(g));
	if (fx_reader_open(&g.r, path) < 0)
		return 1;
	g.c = c;
	g.batch = in->batch ? in->batch : FX_CASE_BATCH;
	g.batch_hash = fx_hash_new(FX_HASH_SHA256);
	g.file_hash = fx_hash_new(FX_HASH_SHA256);
	g.r.hash[0] = g.file_hash;
	g.r.hash[1] = g.batch_hash;
	chunks = fx_xcalloc(CHUNKS, sizeof(*chunks));
	for (i = 0; i < CHUNKS; i++) {
		struct fx_case_prep init = FX_CASE_PREP_INIT;
		size_t k;

		for (k = 0; k < CHUNK_RECORDS; k++)
			chunks[i].recs[k] = init;
		push(&g.empty, &chunks[i]);
	}
	pthread_mutex_init(&g.mu, NULL);
	pthread_cond_init(&g.cv, NULL);
	g.reading = 1;
	fx_progress_init(&prog, in->quiet);
	err = pthread_create(&th, NULL, read_input, &g);
	if (err) {
		fx_error("cannot start a thread: %s", strerror(err));
		ret = -1;
	} else {
		while ((ch = take_full(&g))) {
			if (ret == 0 && store_chunk(&g, ch, in) < 0)
				ret = -1;
			if (ret == 0 && ch->end)
				fx_progress(&prog, "%s: %lu lines", g.r.name, ch->last);
			give_back(&g, ch, ret < 0);
		}
		pthread_join(th, NULL);
	}
	/* A change left open (the reading stopped mid-batch) stores nothing. */
	fx_case_rollback(c);
	fx_progress_done(&prog);
	in->rejected += g.rejected;
	if (ret == 0 && g.rejected)
		ret = 1;
	for (i = 0; i < CHUNKS; i++) {
		size_t k;

		for (k = 0; k < CHUNK_RECORDS; k++)
			fx_case_prep_release(&chunks[i].recs[k]);
	}
	free(chunks);
	pthread_mutex_destroy(&g.mu);
	pthread_cond_destroy(&g.cv);
	fx_hash_free(g.batch_hash);
	fx_hash_free(g.file_hash);
	fx_reader_close(&g.r);
	return ret;
}
