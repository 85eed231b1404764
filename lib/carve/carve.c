/*
 * fx-carve's passes over one database (lib/fx_carve.h), and case mode:
 * the databases named by `file` records, carved from the case's objects.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carve_int.h"
#include "fx_err.h"
#include "fx_record.h"
#include "fx_store.h"
#include "fx_banned.h"

void fx_carve_out_init(struct fx_carve_out *o, FILE *fp, enum fx_carve_format format)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->format = format;
}

char *fx_carve_sibling(const char *db_path, const char *suffix)
{
	char *p = fx_xasprintf("%s%s", db_path, suffix);
	struct stat st;

	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		return p;
	free(p);
	return NULL;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The header fields that change with every transaction, from the current page 1. */
static void current_header(struct cv_db *db)
{
	const uint8_t *p;

	if (!db->cur_frame || !db->cur_frame[1])
		return;
	p = cv_page(db, 1, db->buf[0]);
	if (!p || memcmp(p, "SQLite format 3", 16) != 0)
		return;
	db->free_head = be32(p + 32);
	db->free_count = be32(p + 36);
	db->autovacuum = be32(p + 52) != 0;
	db->schema_format = (int)be32(p + 44);
}

/* ---- the database's pages, in two threads ---- */

struct worker {
	struct cv_db *db;
	uint32_t first, last;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	cv_carve_pages(w->db, w->first, w->last);
	return NULL;
}

/* Appends the second half's records after the first's, but those already reported. */
static void merge(struct cv_db *db, struct cv_side *sd)
{
	char buf[65536];
	size_t i;
	long left;
	size_t n;

	for (i = 0; i < sd->n && !db->out_failed; i++) {
		if (sd->r[i].key && !cv_set_add(&db->emitted, sd->r[i].key))
			continue;
		if (fseek(sd->fp, sd->r[i].off, SEEK_SET) != 0) {
			fx_error_errno("cannot read back the records kept aside");
			db->out_failed = 1;
			break;
		}
		for (left = sd->r[i].len; left > 0; left -= (long)n) {
			n = fread(buf, 1, left < (long)sizeof(buf) ? (size_t)left : sizeof(buf),
				  sd->fp);
			if (!n || fwrite(buf, 1, n, db->out->fp) != n) {
				fx_error_errno("cannot write the output");
				db->out_failed = 1;
				break;
			}
		}
		db->out->records++;
	}
}

void cv_carve_db(struct cv_db *db)
{
	uint32_t n = db->file_pages, mid = n / 2, i;
	struct cv_side side = {NULL, NULL, 0, 0};
	struct fx_carve_out bo;
	struct worker w;
	struct cv_db b;
	pthread_t th;

	/* Small databases, or no temporary file: one thread does it all. */
	if (n < 4096 || !(side.fp = tmpfile())) {
		cv_carve_pages(db, 1, n);
		return;
	}
	/* The second half: everything read-only shared, scratch and output its own. */
	b = *db;
	for (i = 0; i < 4; i++)
		b.buf[i] = fx_xmalloc(db->page_size);
	memset(&b.line, 0, sizeof(b.line));
	memset(&b.emitted, 0, sizeof(b.emitted));
	b.icache = NULL;
	b.icache_pg = NULL;
	b.side = &side;
	b.failed = b.out_failed = 0;
	bo = *db->out;
	bo.fp = side.fp;
	bo.records = 0;
	bo.header_done = 1;
	b.out = &bo;
	w.db = &b;
	w.first = mid + 1;
	w.last = n;
	if (pthread_create(&th, NULL, work, &w) != 0) {
		work(&w);
		cv_carve_pages(db, 1, mid);
	} else {
		cv_carve_pages(db, 1, mid);
		pthread_join(th, NULL);
	}
	fflush(side.fp);
	if (b.out_failed)
		db->out_failed = 1;
	if (!db->out_failed)
		merge(db, &side);
	db->failed |= b.failed;
	for (i = 0; i < 4; i++)
		free(b.buf[i]);
	fx_buf_release(&b.line);
	cv_set_release(&b.emitted);
	free(b.icache);
	free(b.icache_pg);
	free(side.r);
	fclose(side.fp);
}

static void db_free(struct cv_db *db)
{
	int i;

	for (i = 0; i < 3; i++)
		cv_file_close(&db->f[i]);
	for (i = 0; i < db->nsch; i++)
		cv_schema_free(db->sch[i]);
	for (i = 0; i < 4; i++)
		free(db->buf[i]);
	free(db->sch);
	free(db->state);
	free(db->owner);
	free(db->visited);
	free(db->frames);
	free(db->cur_frame);
	cv_keys_release(&db->live);
	free(db->icache);
	free(db->icache_pg);
	cv_set_release(&db->emitted);
	fx_buf_release(&db->line);
	free(db);
}

int fx_carve_run(const struct fx_carve_input *in, struct fx_carve_out *o)
{
	struct cv_db *db = fx_xcalloc(1, sizeof(*db));
	uint64_t before = o->records;
	uint32_t i;
	int ret;

	db->out = o;
	db->like = in->like;
	cv_csv_header(o);
	db->f[CV_WAL].fd = db->f[CV_JOURNAL].fd = -1;
	if (cv_file_open(&db->f[CV_DB], &in->db, CV_DB) < 0) {
		db_free(db);
		return 1;
	}
	/* A companion that cannot be read is reported; the database is still carved. */
	if (cv_file_open(&db->f[CV_WAL], &in->wal, CV_WAL) < 0)
		db->failed = 1;
	if (cv_file_open(&db->f[CV_JOURNAL], &in->journal, CV_JOURNAL) < 0)
		db->failed = 1;
	for (i = 0; i < 3; i++)
		cv_file_hash_start(&db->f[i]);
	if (cv_header(db) < 0)
		goto done;
	for (i = 0; i < 4; i++)
		db->buf[i] = fx_xmalloc(db->page_size);
	if (cv_wal_read(db) < 0) {
		/* Not a WAL of this database: carved without it. */
		cv_file_hash_wait(&db->f[CV_WAL]);
		cv_file_close(&db->f[CV_WAL]);
		free(db->frames);
		db->frames = NULL;
		db->nframes = 0;
	}
	db->state = fx_xcalloc((size_t)db->npages + 1, 1);
	db->owner = fx_xmalloc(((size_t)db->npages + 1) * sizeof(*db->owner));
	for (i = 0; i <= db->npages; i++)
		db->owner[i] = -1;
	db->visited = fx_xcalloc((size_t)db->npages / 8 + 1, 1);
	current_header(db);
	cv_schema_add(db, cv_schema_master());
	cv_walk_live(db);
	cv_keys_sort(&db->live);
	cv_mark_special(db);
	cv_walk_freelist(db);
	cv_harvest_schemas(db);
	cv_harvest_wal(db);
	cv_harvest_journal(db);
	cv_walk_old_trees(db);
	/* Nothing is reported about bytes before their hash is known. */
	if (cv_file_hash_wait(&db->f[CV_DB]) < 0) {
		db->failed = 1;
		goto done;
	}
	for (i = 1; i < 3; i++)
		if (db->f[i].fd >= 0 && cv_file_hash_wait(&db->f[i]) < 0)
			db->failed = 1;
	cv_carve_db(db);
	if (!db->out_failed)
		cv_carve_wal(db);
	if (!db->out_failed)
		cv_carve_journal(db);
	o->databases++;
done:
	if (!o->quiet && !db->out_failed)
		fprintf(stderr, "%s: '%s': %llu records carved\n", fx_progname(), db->f[CV_DB].name,
			(unsigned long long)(o->records - before));
	ret = db->out_failed ? -1 : db->failed ? 1 : 0;
	db_free(db);
	return ret;
}

/* ---- case mode ---- */

struct entry {
	char *path;
	char sha[FX_SHA256_HEX];
	json_t *rec;
};

static const struct entry *by_path(const struct entry *e, size_t n, const char *path)
{
	size_t i;

	/* The last one of that path: a later acquisition of the same file. */
	for (i = n; i-- > 0;)
		if (strcmp(e[i].path, path) == 0)
			return &e[i];
	return NULL;
}

static int is_sqlite(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char head[16];
	int ok;

	if (!fp)
		return 0;
	ok = fread(head, 1, 16, fp) == 16 && memcmp(head, "SQLite format 3", 16) == 0;
	fclose(fp);
	return ok;
}

int fx_carve_case(const char *case_dir, const char *path, struct fx_carve_out *o)
{
	struct fx_store *store = fx_store_open(case_dir, 0);
	struct fx_reader r;
	struct entry *e = NULL;
	size_t n = 0, cap = 0, i;
	json_t *rec;
	int rc, ret = 0, k;

	if (!store)
		return -1;
	if (fx_reader_open(&r, path) < 0) {
		fx_store_free(store);
		return -1;
	}
	while ((rc = fx_reader_next(&r, &rec)) != 0) {
		const json_t *d;
		const char *t, *p, *sha;

		if (rc < 0) {
			ret = 1;
			continue;
		}
		/* Every record goes on, unchanged: fx-carve only adds. */
		if (o->format == FX_CARVE_JSONL &&
		    (fwrite(r.buf, 1, r.len, o->fp) != r.len || fputc('\n', o->fp) == EOF)) {
			json_decref(rec);
			ret = fx_error_errno("cannot write the output");
			break;
		}
		t = json_string_value(json_object_get(rec, FX_KEY_TYPE));
		d = json_object_get(rec, FX_KEY_DATA);
		p = json_string_value(json_object_get(d, "path"));
		sha = json_string_value(json_object_get(d, "sha256"));
		if (!t || strcmp(t, "file") != 0 || !p || !sha || !fx_is_sha256_hex(sha)) {
			json_decref(rec);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			e = fx_xrealloc(e, cap * sizeof(*e));
		}
		e[n].path = fx_xstrdup(p);
		memcpy(e[n].sha, sha, FX_SHA256_HEX);
		e[n].rec = rec;
		n++;
	}
	fx_reader_close(&r);
	for (i = 0; i < n && ret >= 0; i++) {
		struct fx_carve_input in;
		const struct entry *w, *j;
		char *obj, *wobj = NULL, *jobj = NULL, *sp;

		if (!fx_store_has(store, e[i].sha)) {
			fx_error("'%s': object %s is not in the case", e[i].path, e[i].sha);
			ret = 1;
			continue;
		}
		obj = fx_store_path(store, e[i].sha);
		if (!is_sqlite(obj)) {
			free(obj);
			continue;
		}
		memset(&in, 0, sizeof(in));
		in.db.path = obj;
		in.db.name = e[i].path;
		in.db.sha256 = e[i].sha;
		in.like = e[i].rec;
		sp = fx_xasprintf("%s-wal", e[i].path);
		w = by_path(e, n, sp);
		free(sp);
		sp = fx_xasprintf("%s-journal", e[i].path);
		j = by_path(e, n, sp);
		free(sp);
		if (w && fx_store_has(store, w->sha)) {
			wobj = fx_store_path(store, w->sha);
			in.wal.path = wobj;
			in.wal.name = w->path;
			in.wal.sha256 = w->sha;
		}
		if (j && fx_store_has(store, j->sha)) {
			jobj = fx_store_path(store, j->sha);
			in.journal.path = jobj;
			in.journal.name = j->path;
			in.journal.sha256 = j->sha;
		}
		k = fx_carve_run(&in, o);
		if (k < 0)
			ret = -1;
		else if (k > 0)
			ret = 1;
		free(obj);
		free(wobj);
		free(jobj);
	}
	for (i = 0; i < n; i++) {
		free(e[i].path);
		json_decref(e[i].rec);
	}
	free(e);
	fx_store_free(store);
	return ret;
}
