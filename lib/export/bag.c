/*
 * bag.c - fx_export_bag(): the case written as a BagIt 1.0 bag into a
 * folder, a tar or a zip, every payload byte hashed (SHA-256 and SHA-512)
 * while it is written, in one pass over each object.
 */
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "export_int.h"
#include "fx_err.h"
#include "fx_export.h"
#include "fx_hash.h"
#include "fx_io.h"
#include "fx_merkle.h"
#include "fx_record.h"
#include "fx_store.h"
#include "fx_time.h"
#include "fx_banned.h"

#define BLOCK (1u << 20)

char *fx_export_safe(const char *s)
{
	char *out = fx_xstrdup(s && *s ? s : "_"), *p;

	for (p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	if (out[0] == '.')
		out[0] = '_';
	return out;
}

/* ---- where the bag goes: a folder, or a tar or zip written as a stream ---- */

struct sink {
	enum fx_export_format format;
	char *root;            /* dir: the bag folder; archive: the top folder's name */
	struct archive *a;
	int fd;                /* the archive file, or the open payload file of a dir */
	struct fx_hash *whole; /* the archive's own SHA-256 */
	time_t mtime;
	char *path;            /* current file (dir) */
	locale_t loc;          /* UTF-8, for libarchive's names whatever the caller's */
	int failed;
};

static la_ssize_t arch_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	struct sink *s = ctx;

	if (fx_write_all(s->fd, buf, n) < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	fx_hash_update(s->whole, buf, n);
	return (la_ssize_t)n;
}

static int sink_open(struct sink *s, const char *out, const char *root)
{
	if (s->format == FX_EXPORT_DIR) {
		s->root = fx_xstrdup(out);
		if (mkdir(out, 0755) < 0)
			return fx_error_errno("cannot make '%s'", out);
		return 0;
	}
	s->root = fx_xstrdup(root);
	s->fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (s->fd < 0)
		return fx_error_errno("cannot write '%s'", out);
	s->whole = fx_hash_new(FX_HASH_SHA256);
	/*
	 * libarchive converts names through the locale; in "C" a name that is
	 * not ASCII cannot be written at all. Names in a case are UTF-8.
	 */
	s->loc = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
	if (!s->loc)
		s->loc = newlocale(LC_ALL_MASK, "C.utf8", (locale_t)0);
	s->a = archive_write_new();
	if (s->format == FX_EXPORT_TAR)
		archive_write_set_format_pax_restricted(s->a);
	else
		archive_write_set_format_zip(s->a);
	archive_write_add_filter_none(s->a);
	archive_write_set_bytes_per_block(s->a, 64 * 1024);
	if (archive_write_open2(s->a, s, NULL, arch_write, NULL, NULL) != ARCHIVE_OK)
		return fx_error("cannot write '%s': %s", out, archive_error_string(s->a));
	return 0;
}

static int sink_begin(struct sink *s, const char *rel, uint64_t size)
{
	struct archive_entry *e;
	char *p, *slash;
	locale_t old;
	int ret = 0;

	if (s->format == FX_EXPORT_DIR) {
		free(s->path);
		s->path = fx_path_join(s->root, rel);
		slash = strrchr(s->path, '/');
		*slash = '\0';
		if (fx_mkdirs(s->path, 0755) < 0)
			return -1;
		*slash = '/';
		s->fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		return s->fd < 0 ? fx_error_errno("cannot write '%s'", s->path) : 0;
	}
	p = fx_xasprintf("%s/%s", s->root, rel);
	old = s->loc ? uselocale(s->loc) : (locale_t)0;
	e = archive_entry_new();
	archive_entry_set_pathname(e, p);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, s->mtime, 0);
	if (archive_write_header(s->a, e) != ARCHIVE_OK)
		ret = fx_error("cannot write '%s' to the package: %s", p, archive_error_string(s->a));
	archive_entry_free(e);
	if (s->loc)
		uselocale(old);
	free(p);
	return ret;
}

static int sink_write(struct sink *s, const void *buf, size_t n)
{
	if (s->format == FX_EXPORT_DIR)
		return fx_write_all(s->fd, buf, n) < 0 ? fx_error_errno("cannot write '%s'", s->path)
						       : 0;
	if (archive_write_data(s->a, buf, n) != (la_ssize_t)n)
		return fx_error("cannot write to the package: %s", archive_error_string(s->a));
	return 0;
}

static int sink_end(struct sink *s)
{
	if (s->format == FX_EXPORT_DIR) {
		int r = close(s->fd);

		s->fd = -1;
		return r < 0 ? fx_error_errno("cannot write '%s'", s->path) : 0;
	}
	return archive_write_finish_entry(s->a) == ARCHIVE_OK
		       ? 0
		       : fx_error("cannot write to the package: %s", archive_error_string(s->a));
}

static int sink_close(struct sink *s, char whole[FX_SHA256_HEX])
{
	uint8_t md[32];
	int ret = 0;

	whole[0] = '\0';
	if (s->a) {
		if (archive_write_close(s->a) != ARCHIVE_OK)
			ret = fx_error("cannot finish the package: %s", archive_error_string(s->a));
		archive_write_free(s->a);
		s->a = NULL;
		if (fsync(s->fd) < 0 || close(s->fd) < 0)
			ret = fx_error_errno("cannot write the package");
		fx_hash_final(s->whole, md);
		fx_hex(md, 32, whole);
	} else if (s->root) {
		int fd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0) {
			syncfs(fd);
			close(fd);
		}
	}
	fx_hash_free(s->whole);
	if (s->loc)
		freelocale(s->loc);
	s->loc = (locale_t)0;
	free(s->root);
	free(s->path);
	return ret;
}

/*
 * SHA-512 of the payload in a second thread: SHA-256 (with the CPU's SHA
 * instructions), the archive's own SHA-256 and the writing take one core,
 * SHA-512 (which has none) the other, block by block.
 */
struct hasher {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct fx_hash *h;
	const void *buf;
	size_t n;
	int busy, quit, started;
};

static void *hasher_main(void *arg)
{
	struct hasher *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->busy && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		pthread_mutex_unlock(&w->mu);
		fx_hash_update(w->h, w->buf, w->n);
		pthread_mutex_lock(&w->mu);
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void hasher_wait(struct hasher *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Hashes buf in the other thread (or here, when there is none); buf must stay until hasher_wait(). */
static void hasher_give(struct hasher *w, const void *buf, size_t n)
{
	if (!w->started) {
		fx_hash_update(w->h, buf, n);
		return;
	}
	hasher_wait(w);
	pthread_mutex_lock(&w->mu);
	w->buf = buf;
	w->n = n;
	w->busy = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void hasher_start(struct hasher *w, struct fx_hash *h)
{
	w->h = h;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->started = pthread_create(&w->th, NULL, hasher_main, w) == 0;
}

static void hasher_stop(struct hasher *w)
{
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

/* ---- the bag being written ---- */

struct bag {
	struct fx_case *c;
	struct sink sink;
	json_t *manifest;      /* [[path, sha256, sha512], …] of the payload */
	struct fx_hash *h256, *h512;
	struct hasher h512w;   /* h512, in its own thread */
	uint64_t bytes, files;
	char *buf[2];
	/* the layout */
	json_t *place;         /* sha256 -> path in the bag */
	json_t *taken;         /* paths used */
	json_t *src_device;    /* sha256 -> device of the records read from it */
	json_t *files_seen;    /* [{sha, path, device}] of file records */
	json_t *report_files;  /* [{sha, path}] */
	json_t *withdrawn;     /* lines of withdrawn.jsonl */
	json_t *checkpoint;    /* the newest checkpoint record */
	FILE *records;         /* records.jsonl, spooled */
	char *records_path;
	uint64_t nrecords;
	const char *only_device;
};

/* Writes one payload or tag file from memory. */
static int put_mem(struct bag *b, const char *rel, const void *data, size_t len, int payload)
{
	uint8_t m256[32], m512[64];
	char x256[65], x512[129];

	if (sink_begin(&b->sink, rel, len) < 0 || (len && sink_write(&b->sink, data, len) < 0) ||
	    sink_end(&b->sink) < 0)
		return -1;
	if (payload) {
		fx_hash_update(b->h256, data, len);
		fx_hash_update(b->h512, data, len);
		fx_hash_final(b->h256, m256);
		fx_hash_final(b->h512, m512);
		json_array_append_new(b->manifest, json_pack("[s,s,s]", rel, fx_hex(m256, 32, x256),
							     fx_hex(m512, 64, x512)));
		b->bytes += len;
		b->files++;
	}
	return 0;
}

/* Writes a payload file from a file on disk, hashing it as it goes. */
static int put_file(struct bag *b, const char *rel, const char *path, char got256[FX_SHA256_HEX])
{
	uint8_t m256[32], m512[64];
	char x512[129];
	struct stat st;
	ssize_t n;
	uint64_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0, cur = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = fx_error_errno("cannot read '%s'", path);
		if (fd >= 0)
			close(fd);
		return ret;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (sink_begin(&b->sink, rel, (uint64_t)st.st_size) < 0) {
		close(fd);
		return -1;
	}
	while (done < (uint64_t)st.st_size) {
		/* Two buffers: one read into while the other thread hashes the last. */
		char *buf = b->buf[cur];

		n = read(fd, buf, BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? fx_error_errno("cannot read '%s'", path)
				    : fx_error("'%s' shrank while it was read", path);
			break;
		}
		if ((uint64_t)n > (uint64_t)st.st_size - done)
			n = (ssize_t)((uint64_t)st.st_size - done);
		hasher_give(&b->h512w, buf, (size_t)n);
		fx_hash_update(b->h256, buf, (size_t)n);
		if (sink_write(&b->sink, buf, (size_t)n) < 0) {
			ret = -1;
			break;
		}
		done += (uint64_t)n;
		cur ^= 1;
	}
	hasher_wait(&b->h512w);
	close(fd);
	fx_hash_final(b->h256, m256);
	fx_hash_final(b->h512, m512);
	if (ret == 0)
		ret = sink_end(&b->sink);
	fx_hex(m256, 32, got256);
	json_array_append_new(b->manifest, json_pack("[s,s,s]", rel, got256, fx_hex(m512, 64, x512)));
	b->bytes += done;
	b->files++;
	return ret;
}

/* A path in the bag nobody has taken yet: rel, else rel~SHA8. Caller frees. */
static char *unique(struct bag *b, const char *rel, const char *sha)
{
	char *p = fx_xstrdup(rel);

	if (json_object_get(b->taken, p)) {
		free(p);
		p = fx_xasprintf("%s~%.8s", rel, sha);
	}
	json_object_set_new(b->taken, p, json_true());
	return p;
}

/* ---- the first pass: records spooled, the layout learnt ---- */

static int on_record(const char *line, int64_t entry, int64_t withdrawn, void *ctx)
{
	struct bag *b = ctx;
	json_t *rec, *data, *src, *f;
	const char *type, *sha, *dev;
	size_t i;

	(void)entry;
	if (fputs(line, b->records) == EOF || fputc('\n', b->records) == EOF)
		return fx_error_errno("cannot spool the records");
	b->nrecords++;
	rec = json_loads(line, JSON_ALLOW_NUL, NULL);
	if (!rec)
		return fx_error("a stored record cannot be read (run fx-case verify)");
	type = json_string_value(json_object_get(rec, FX_KEY_TYPE));
	data = json_object_get(rec, FX_KEY_DATA);
	src = json_object_get(rec, FX_KEY_SRC);
	dev = json_string_value(json_object_get(rec, FX_KEY_DEVICE));
	if (withdrawn >= 0)
		json_array_append_new(b->withdrawn,
				      json_pack("{s:O,s:I}", "id", json_object_get(rec, FX_KEY_ID),
						"entry", (json_int_t)withdrawn));
	sha = json_string_value(json_object_get(src, FX_SRC_SHA256));
	if (sha && dev && !json_object_get(b->src_device, sha))
		json_object_set_new(b->src_device, sha, json_string(dev));
	if (type && strcmp(type, "file") == 0 && json_is_string(json_object_get(data, "sha256"))) {
		const json_t *path = json_object_get(data, "path");

		json_array_append_new(b->files_seen,
				      json_pack("{s:O,s:s,s:o}", "sha", json_object_get(data, "sha256"),
						"path", json_is_string(path) ? json_string_value(path) : "",
						"device", dev ? json_string(dev) : json_null()));
	} else if (type && strcmp(type, "report") == 0) {
		json_array_foreach(json_object_get(data, "files"), i, f) {
			char *p = fx_xasprintf("%s/%s",
					       json_string_value(json_object_get(data, "dir")),
					       json_string_value(json_object_get(f, "path")));

			json_array_append_new(b->report_files,
					      json_pack("{s:O,s:s}", "sha", json_object_get(f, "sha256"),
							"path", p));
			free(p);
		}
	} else if (type && strcmp(type, "checkpoint") == 0 && withdrawn < 0) {
		json_decref(b->checkpoint);
		b->checkpoint = json_incref(rec);
	}
	json_decref(rec);
	return 0;
}

/* A relative path made safe for the bag: no empty, '.' or '..' parts. Caller frees. */
static char *clean_path(const char *p)
{
	struct fx_buf out = FX_BUF_INIT;
	const char *s = p, *e;
	size_t n;

	while (*s) {
		e = s + strcspn(s, "/");
		n = (size_t)(e - s);
		if (n && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.')) {
			if (out.len)
				fx_buf_add(&out, "/", 1);
			fx_buf_add(&out, s, n);
		}
		s = *e ? e + 1 : e;
	}
	if (!out.len)
		fx_buf_add(&out, "unnamed", 7);
	return out.data;
}

/* Decides where each object goes: evidence by device and path, reports, the rest by hash. */
static void layout(struct bag *b, const json_t *devices)
{
	const char *single = json_array_size(devices) == 1
				     ? json_string_value(json_object_get(json_array_get(devices, 0),
									 "key"))
				     : NULL;
	const char *sha, *dev;
	json_t *f;
	char *safe, *rel, *path, *u;
	size_t i;

	json_array_foreach(b->files_seen, i, f) {
		sha = json_string_value(json_object_get(f, "sha"));
		if (json_object_get(b->place, sha))
			continue;
		dev = json_string_value(json_object_get(f, "device"));
		if (!dev)
			dev = json_string_value(json_object_get(b->src_device, sha));
		if (!dev)
			dev = single ? single : "unknown-device";
		safe = fx_export_safe(dev);
		path = clean_path(json_string_value(json_object_get(f, "path")));
		rel = fx_xasprintf("data/evidence/%s/%s", safe, path);
		u = unique(b, rel, sha);
		json_object_set_new(b->place, sha, json_string(u));
		free(u);
		free(rel);
		free(path);
		free(safe);
	}
	json_array_foreach(b->report_files, i, f) {
		sha = json_string_value(json_object_get(f, "sha"));
		if (!sha || json_object_get(b->place, sha))
			continue;
		path = clean_path(json_string_value(json_object_get(f, "path")));
		rel = fx_xasprintf("data/reports/%s", path);
		u = unique(b, rel, sha);
		json_object_set_new(b->place, sha, json_string(u));
		free(u);
		free(rel);
		free(path);
	}
}

/* ---- custody: the log, the objects, the proofs ---- */

struct logw {
	struct fx_buf *out;
};

static int log_line(const json_t *entry, void *ctx)
{
	struct logw *l = ctx;
	char *s = fx_json_dump(entry);

	if (!s)
		return fx_error("a custody entry cannot be encoded");
	fx_buf_add(l->out, s, strlen(s));
	fx_buf_add(l->out, "\n", 1);
	free(s);
	return 0;
}

static json_t *hash_list(const fx_mhash *h, size_t n)
{
	json_t *a = json_array();
	char hex[FX_SHA256_HEX];
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(fx_hex(h[i], 32, hex)));
	return a;
}

static json_t *proofs(struct bag *b)
{
	uint64_t n = 0, i, cp = 0;
	fx_mhash *leaves = fx_case_leaves(b->c, &n), root, proof[FX_MERKLE_MAX_PROOF];
	json_t *p, *incl = json_array(), *d;
	char hex[FX_SHA256_HEX];
	size_t len;

	fx_merkle_root(leaves, n, root);
	for (i = 0; i < n; i++) {
		fx_merkle_inclusion_proof(leaves, n, i, proof, &len);
		json_array_append_new(incl, hash_list(proof, len));
	}
	p = json_pack("{s:s,s:I,s:s,s:o}", "algorithm", "RFC 9162 Merkle tree, SHA-256", "size",
		      (json_int_t)n, "root", fx_hex(root, 32, hex), "inclusion", incl);
	if (b->checkpoint) {
		d = json_object_get(b->checkpoint, FX_KEY_DATA);
		json_object_set(p, "checkpoint", b->checkpoint);
		if (json_is_integer(json_object_get(d, "size")))
			cp = (uint64_t)json_integer_value(json_object_get(d, "size"));
		else if (json_is_integer(json_object_get(d, "tree_size")))
			cp = (uint64_t)json_integer_value(json_object_get(d, "tree_size"));
		if (cp > 0 && cp <= n &&
		    fx_merkle_consistency_proof(leaves, cp, n, proof, &len) == 0)
			json_object_set_new(p, "consistency", json_pack("{s:I,s:I,s:o}", "from",
					    (json_int_t)cp, "to", (json_int_t)n, "proof",
					    hash_list(proof, len)));
	}
	free(leaves);
	return p;
}

struct objw {
	struct bag *b;
	struct fx_buf out;
	int ret;
};

static int object_line(const char *hex, uint64_t size, int64_t entry, void *ctx)
{
	struct objw *w = ctx;
	json_t *o = json_pack("{s:s,s:I,s:I,s:O}", "sha256", hex, "size", (json_int_t)size,
			      "entry", (json_int_t)entry, "path",
			      json_object_get(w->b->place, hex));
	char *s = fx_json_dump(o);

	fx_buf_add(&w->out, s, strlen(s));
	fx_buf_add(&w->out, "\n", 1);
	free(s);
	json_decref(o);
	return 0;
}

/* The objects not placed yet go under data/objects/. */
static int place_rest(const char *hex, uint64_t size, int64_t entry, void *ctx)
{
	struct bag *b = ctx;
	char *rel;

	(void)size;
	(void)entry;
	if (!json_object_get(b->place, hex)) {
		rel = fx_xasprintf("data/objects/%s", hex);
		json_object_set_new(b->place, hex, json_string(rel));
		free(rel);
	}
	return 0;
}

struct copyw {
	struct bag *b;
	struct fx_progress prog;
	json_t *done;
};

static int copy_object(const char *hex, uint64_t size, int64_t entry, void *ctx)
{
	struct copyw *w = ctx;
	const char *rel = json_string_value(json_object_get(w->b->place, hex));
	char *path, got[FX_SHA256_HEX];
	int ret;

	(void)size;
	(void)entry;
	if (json_object_get(w->done, hex))
		return 0;
	json_object_set_new(w->done, hex, json_true());
	path = fx_store_path(fx_case_store(w->b->c), hex);
	ret = put_file(w->b, rel, path, got);
	free(path);
	if (ret == 0 && strcmp(got, hex) != 0)
		ret = fx_error("object %s was changed in the case: its bytes hash to %s"
			       " (run fx-case verify)", hex, got);
	fx_progress(&w->prog, "%llu files, %llu MB", (unsigned long long)w->b->files,
		    (unsigned long long)(w->b->bytes >> 20));
	return ret;
}

/* ---- tag files ---- */

static int cmp_manifest(const void *a, const void *b)
{
	return strcmp(json_string_value(json_array_get(*(json_t *const *)a, 0)),
		      json_string_value(json_array_get(*(json_t *const *)b, 0)));
}

static void manifest_text(json_t *manifest, int col, struct fx_buf *out)
{
	size_t n = json_array_size(manifest), i;
	json_t **v = fx_xcalloc(n ? n : 1, sizeof(*v));
	const char *h, *p;

	for (i = 0; i < n; i++)
		v[i] = json_array_get(manifest, i);
	qsort(v, n, sizeof(*v), cmp_manifest);
	fx_buf_add(out, "", 0);
	for (i = 0; i < n; i++) {
		h = json_string_value(json_array_get(v[i], (size_t)col));
		p = json_string_value(json_array_get(v[i], 0));
		/* Two spaces: the form sha256sum -c and sha512sum -c read. */
		fx_buf_add(out, h, strlen(h));
		fx_buf_add(out, "  ", 2);
		fx_buf_add(out, p, strlen(p));
		fx_buf_add(out, "\n", 1);
	}
	free(v);
}

static void tag_line(struct fx_buf *tm, const char *name, const void *data, size_t len)
{
	uint8_t md[32];
	char hex[FX_SHA256_HEX];

	fx_sha256(data, len, md);
	fx_hex(md, 32, hex);
	fx_buf_add(tm, hex, 64);
	fx_buf_add(tm, "  ", 2);
	fx_buf_add(tm, name, strlen(name));
	fx_buf_add(tm, "\n", 1);
}

static const char readme[] =
	"This is a BagIt 1.0 bag (RFC 8493) made by fx-export from an fx case.\n"
	"It can be checked by hand, without fx, in this folder:\n"
	"\n"
	"1. The tag files: every line of tagmanifest-sha256.txt must say OK:\n"
	"     sha256sum -c tagmanifest-sha256.txt\n"
	"2. The payload: every file under data/ is listed, with its hash, in\n"
	"   manifest-sha256.txt and manifest-sha512.txt; both must say OK:\n"
	"     sha256sum -c manifest-sha256.txt\n"
	"     sha512sum -c manifest-sha512.txt\n"
	"   and nothing may be under data/ that they do not list:\n"
	"     find data -type f | sort | diff - <(cut -c67- manifest-sha256.txt | sort)\n"
	"   Payload-Oxum in bag-info.txt is the payload's bytes.files.\n"
	"3. The signature over the tag manifest, when there is one (CMS, DER):\n"
	"     openssl cms -verify -binary -inform DER -in tagmanifest-sha256.txt.p7s \\\n"
	"       -content tagmanifest-sha256.txt -noverify -out /dev/null\n"
	"   (-noverify checks the signature but not the signer's certificate;\n"
	"   give -CAfile with the signer's CA to check that too), and the\n"
	"   RFC 3161 timestamp over it:\n"
	"     openssl ts -reply -token_in -in tagmanifest-sha256.txt.tst -text\n"
	"     openssl ts -verify -token_in -data tagmanifest-sha256.txt \\\n"
	"       -in tagmanifest-sha256.txt.tst -CAfile TSA-CA.pem -untrusted TSA.pem\n"
	"4. The evidence: data/evidence/DEVICE/PATH holds each file taken from a\n"
	"   device, under its original path; data/custody/objects.jsonl gives each\n"
	"   stored object's SHA-256 and its file here, so\n"
	"     sha256sum data/evidence/...\n"
	"   shows the hash the records name. data/records/records.jsonl holds every\n"
	"   record; a record's id is the SHA-256 of its canonical JSON without \"id\".\n"
	"5. The custody log, data/custody/custody.jsonl: each entry's \"hash\" is the\n"
	"   SHA-256 of the entry without \"hash\" and \"leaf\" (keys sorted, compact),\n"
	"   \"prev\" is the hash of the entry before it, and the entries' \"leaf\"\n"
	"   hashes make the RFC 9162 Merkle tree whose root is FX-Custody-Root in\n"
	"   bag-info.txt (data/custody/proofs.json has an inclusion proof for each).\n"
	"\n"
	"fx-export verify PACKAGE does all of this at once.\n"
	"data/case.jsonld is the case in CASE/UCO 1.4.0 (https://caseontology.org/).\n";

/* Runs prog with args; 0 when it exits 0. */
static int run(const char *const *argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		/* The tag manifest is not in the case: fx-sign signs beside it. */
		unsetenv("FX_CASE");
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Signs the tag manifest at path through fx-sign: a detached CMS
 * signature (path.p7s) by the examiner's key, and an RFC 3161 token
 * (path.tst) when a TSA is configured ($FX_TSA). Returns what happened,
 * for the result and the custody entry. New reference.
 */
static json_t *sign(const char *prog, const char *path, char **cms, char **tst)
{
	const char *tsa = getenv("FX_TSA");
	const char *argv[7] = { prog, "-q", "sign", "--role", "signer", path, NULL };
	int rc;

	*cms = fx_xasprintf("%s.p7s", path);
	*tst = fx_xasprintf("%s.tst", path);
	rc = run(argv);
	if (rc == 127)
		return json_pack("{s:b,s:s}", "signed", 0, "why",
				 "no signing program (fx-sign is not installed)");
	if (rc != 0) {
		unlink(*cms);
		return json_pack("{s:b,s:s}", "signed", 0, "why",
				 "fx-sign could not sign (no keys configured?)");
	}
	if (!tsa || !*tsa)
		return json_pack("{s:b,s:b,s:s}", "signed", 1, "timestamped", 0, "why",
				 "no timestamp authority configured (FX_TSA)");
	argv[2] = "stamp";
	argv[3] = path;
	argv[4] = NULL;
	if (run(argv) != 0) {
		unlink(*tst);
		return json_pack("{s:b,s:b,s:s}", "signed", 1, "timestamped", 0, "why",
				 "fx-sign could not get a timestamp");
	}
	return json_pack("{s:b,s:b}", "signed", 1, "timestamped", 1);
}

static int append_file(struct bag *b, const char *rel, const char *path)
{
	size_t len;
	char *data = fx_read_file(path, &len, 64u << 20);
	int ret;

	if (!data)
		return -1;
	ret = put_mem(b, rel, data, len, 0);
	free(data);
	return ret;
}

static const char *format_ext(enum fx_export_format f)
{
	return f == FX_EXPORT_TAR ? ".tar" : f == FX_EXPORT_ZIP ? ".zip" : "";
}

static int rm_tree(const char *path);

int fx_export_bag(const struct fx_export_opts *o, json_t **result)
{
	struct bag b;
	struct fx_buf m256 = FX_BUF_INIT, m512 = FX_BUF_INIT, info = FX_BUF_INIT,
		      tm = FX_BUF_INIT, custody = FX_BUF_INIT, wd = FX_BUF_INIT, ld = FX_BUF_INIT;
	struct objw ow;
	struct copyw cw;
	struct logw lw;
	char now[FX_TIME_LEN], stamp[32], whole[FX_SHA256_HEX] = "", tmhex[FX_SHA256_HEX];
	char *bagname = NULL, *out = NULL, *s, *cms = NULL, *tst = NULL, *tmpath = NULL;
	const json_t *cd = json_object_get(fx_case_record(o->c), FX_KEY_DATA);
	json_t *caseinfo = fx_case_info(o->c), *signing = NULL, *w, *detail;
	const char *prog = o->sign ? o->sign : getenv("FX_SIGN");
	uint64_t size = 0;
	fx_mhash root;
	uint8_t md[32];
	size_t i;
	int ret = -1, made = 0;

	memset(&b, 0, sizeof(b));
	memset(&ow, 0, sizeof(ow));
	memset(&cw, 0, sizeof(cw));
	*result = NULL;
	b.c = o->c;
	b.sink.format = o->format;
	b.sink.fd = -1;
	b.manifest = json_array();
	b.place = json_object();
	b.taken = json_object();
	b.src_device = json_object();
	b.files_seen = json_array();
	b.report_files = json_array();
	b.withdrawn = json_array();
	b.h256 = fx_hash_new(FX_HASH_SHA256);
	b.h512 = fx_hash_new(FX_HASH_SHA512);
	b.buf[0] = fx_xmalloc(BLOCK);
	b.buf[1] = fx_xmalloc(BLOCK);
	hasher_start(&b.h512w, b.h512);
	fx_time_now(now);
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", now, now + 5, now + 8,
		 now + 11, now + 14, now + 17);
	{
		int64_t ms = fx_time_now_ms();

		b.sink.mtime = (time_t)(ms / 1000);
	}
	s = fx_export_safe(fx_case_id(o->c));
	bagname = fx_xasprintf("%s-%s", s, stamp);
	free(s);
	if (o->out) {
		out = fx_xstrdup(o->out);
		if (o->format != FX_EXPORT_DIR) {
			/* The top folder is named after the package. */
			const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
			size_t n = strlen(base), e = strlen(format_ext(o->format));

			free(bagname);
			if (n > e && strcmp(base + n - e, format_ext(o->format)) == 0)
				n -= e;
			s = fx_xasprintf("%.*s", (int)n, base);
			bagname = fx_export_safe(s);
			free(s);
		}
	} else {
		s = fx_path_join(fx_case_dir(o->c), "exports");
		if (fx_mkdirs(s, 0755) < 0) {
			free(s);
			goto out;
		}
		out = fx_xasprintf("%s/%s%s", s, bagname, format_ext(o->format));
		free(s);
	}
	/* The records, spooled beside the package; the layout from them. */
	b.records_path = fx_xasprintf("%s.records.tmp", out);
	b.records = fopen(b.records_path, "w+");
	if (!b.records) {
		fx_error_errno("cannot write '%s'", b.records_path);
		goto out;
	}
	if (fx_case_each_record(o->c, on_record, &b) != 0)
		goto out;
	if (fflush(b.records) != 0) {
		fx_error_errno("cannot write '%s'", b.records_path);
		goto out;
	}
	layout(&b, json_object_get(caseinfo, "devices"));
	if (fx_case_each_object(o->c, place_rest, &b) != 0)
		goto out;

	if (sink_open(&b.sink, out, bagname) < 0)
		goto out;
	made = 1;
	if (put_mem(&b, "bagit.txt", BAG_DECLARATION, strlen(BAG_DECLARATION), 0) < 0)
		goto out;
	/* data/case.jsonld */
	if (fx_export_jsonld(o->c, &ld) < 0 || put_mem(&b, "data/case.jsonld", ld.data, ld.len, 1) < 0)
		goto out;
	/* data/custody/ */
	lw.out = &custody;
	fx_buf_add(&custody, "", 0);
	if (fx_case_log(o->c, 0, log_line, &lw) != 0 ||
	    put_mem(&b, "data/custody/custody.jsonl", custody.data, custody.len, 1) < 0)
		goto out;
	ow.b = &b;
	fx_buf_add(&ow.out, "", 0);
	if (fx_case_each_object(o->c, object_line, &ow) != 0 ||
	    put_mem(&b, "data/custody/objects.jsonl", ow.out.data, ow.out.len, 1) < 0)
		goto out;
	w = proofs(&b);
	s = json_dumps(w, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(w);
	if (!s || put_mem(&b, "data/custody/proofs.json", s, strlen(s), 1) < 0) {
		free(s);
		goto out;
	}
	free(s);
	/* data/records/ */
	fx_buf_add(&wd, "", 0);
	json_array_foreach(b.withdrawn, i, w) {
		s = fx_json_dump(w);
		fx_buf_add(&wd, s, strlen(s));
		fx_buf_add(&wd, "\n", 1);
		free(s);
	}
	{
		char got[FX_SHA256_HEX];

		if (put_file(&b, "data/records/records.jsonl", b.records_path, got) < 0 ||
		    put_mem(&b, "data/records/withdrawn.jsonl", wd.data, wd.len, 1) < 0)
			goto out;
	}
	/* The evidence, the reports and the other objects, each once. */
	cw.b = &b;
	cw.done = json_object();
	fx_progress_init(&cw.prog, o->quiet);
	ret = fx_case_each_object(o->c, copy_object, &cw);
	fx_progress_done(&cw.prog);
	json_decref(cw.done);
	if (ret != 0) {
		ret = -1;
		goto out;
	}
	ret = -1;

	/* The tag files. */
	manifest_text(b.manifest, 1, &m256);
	manifest_text(b.manifest, 2, &m512);
	fx_case_head(o->c, &size, root);
	s = fx_xasprintf(
		"Source-Organization: %s\n"
		"Contact-Name: %s\n"
		"External-Identifier: %s\n"
		"External-Description: %s\n"
		"Bagging-Date: %.10s\n"
		"Bag-Software-Agent: fx-export %s\n"
		"Payload-Oxum: %llu.%llu\n"
		"Bag-Count: 1 of 1\n"
		"FX-Case: %s\n"
		"FX-Records: %llu\n"
		"FX-Custody-Size: %llu\n"
		"FX-Custody-Root: %s\n",
		json_string_value(json_object_get(cd, "agency")) ? json_string_value(json_object_get(cd, "agency")) : "-",
		json_string_value(json_object_get(cd, "examiner")) ? json_string_value(json_object_get(cd, "examiner")) : "-",
		fx_case_id(o->c),
		json_string_value(json_object_get(cd, "title")) ? json_string_value(json_object_get(cd, "title")) : "-",
		now, FX_VERSION, (unsigned long long)b.bytes, (unsigned long long)b.files,
		fx_case_id(o->c), (unsigned long long)b.nrecords, (unsigned long long)size,
		fx_hex(root, 32, tmhex));
	/* A tag value is one line: no newline may come from the case's data. */
	for (i = 0; s[i]; i++)
		if (s[i] == '\r')
			s[i] = ' ';
	fx_buf_add(&info, s, strlen(s));
	free(s);
	if (put_mem(&b, "manifest-sha256.txt", m256.data, m256.len, 0) < 0 ||
	    put_mem(&b, "manifest-sha512.txt", m512.data, m512.len, 0) < 0 ||
	    put_mem(&b, "bag-info.txt", info.data, info.len, 0) < 0 ||
	    put_mem(&b, "README.txt", readme, strlen(readme), 0) < 0)
		goto out;
	fx_buf_add(&tm, "", 0);
	tag_line(&tm, "README.txt", readme, strlen(readme));
	tag_line(&tm, "bag-info.txt", info.data, info.len);
	tag_line(&tm, "bagit.txt", BAG_DECLARATION, strlen(BAG_DECLARATION));
	tag_line(&tm, "manifest-sha256.txt", m256.data, m256.len);
	tag_line(&tm, "manifest-sha512.txt", m512.data, m512.len);
	if (put_mem(&b, "tagmanifest-sha256.txt", tm.data, tm.len, 0) < 0)
		goto out;
	fx_sha256(tm.data, tm.len, md);
	fx_hex(md, 32, tmhex);
	/* Signed through fx-sign, over the tag manifest, which vouches for everything. */
	tmpath = o->format == FX_EXPORT_DIR ? fx_path_join(out, "tagmanifest-sha256.txt")
					    : fx_xasprintf("%s.tagmanifest.tmp", out);
	if (o->format != FX_EXPORT_DIR &&
	    fx_write_file_atomic(tmpath, tm.data, tm.len, 0644) < 0)
		goto out;
	signing = sign(prog ? prog : "fx-sign", tmpath, &cms, &tst);
	if (json_is_true(json_object_get(signing, "signed")) && o->format != FX_EXPORT_DIR) {
		if (append_file(&b, BAG_SIG_CMS, cms) < 0)
			goto out;
		if (json_is_true(json_object_get(signing, "timestamped")) &&
		    append_file(&b, BAG_SIG_TST, tst) < 0)
			goto out;
	}
	if (o->format != FX_EXPORT_DIR) {
		unlink(tmpath);
		unlink(cms);
		unlink(tst);
	}
	if (!o->quiet && !json_is_true(json_object_get(signing, "signed")))
		fx_warn("'%s': the tag manifest is not signed: %s", out,
			json_string_value(json_object_get(signing, "why")));
	else if (!o->quiet && !json_is_true(json_object_get(signing, "timestamped")))
		fx_warn("'%s': the tag manifest is not timestamped: %s", out,
			json_string_value(json_object_get(signing, "why")));
	if (sink_close(&b.sink, whole) < 0) {
		b.sink.root = NULL;
		goto out;
	}
	b.sink.root = NULL;

	/* Logged in custody: what was sealed, and the hashes that seal it. */
	detail = json_pack("{s:s,s:s,s:s,s:s,s:O}", "format",
			   o->format == FX_EXPORT_TAR ? "tar" : o->format == FX_EXPORT_ZIP ? "zip" : "dir",
			   "bag", bagname, "oxum", "", "tagmanifest_sha256", tmhex, "signing", signing);
	s = fx_xasprintf("%llu.%llu", (unsigned long long)b.bytes, (unsigned long long)b.files);
	json_object_set_new(detail, "oxum", json_string(s));
	free(s);
	if (fx_case_begin(o->c, "export") < 0) {
		json_decref(detail);
		goto out;
	}
	w = json_pack("{s:s,s:s}", "path", out, "tagmanifest_sha256", tmhex);
	if (whole[0])
		json_object_set_new(w, "sha256", json_string(whole));
	fx_case_note_output(o->c, w);
	json_decref(w);
	if (fx_case_commit(o->c, detail, NULL) < 0) {
		json_decref(detail);
		goto out;
	}
	json_object_set_new(detail, "path", json_string(out));
	json_object_set_new(detail, "files", json_integer((json_int_t)b.files));
	json_object_set_new(detail, "bytes", json_integer((json_int_t)b.bytes));
	json_object_set_new(detail, "records", json_integer((json_int_t)b.nrecords));
	if (whole[0])
		json_object_set_new(detail, "sha256", json_string(whole));
	*result = detail;
	ret = 0;
out:
	if (b.sink.root) {
		sink_close(&b.sink, whole);
	}
	if (ret < 0 && made && out)
		rm_tree(out);
	if (b.records)
		fclose(b.records);
	if (b.records_path)
		unlink(b.records_path);
	if (ret < 0 && tmpath && o->format != FX_EXPORT_DIR)
		unlink(tmpath);
	free(b.records_path);
	fx_buf_release(&m256);
	fx_buf_release(&m512);
	fx_buf_release(&info);
	fx_buf_release(&tm);
	fx_buf_release(&custody);
	fx_buf_release(&wd);
	fx_buf_release(&ld);
	fx_buf_release(&ow.out);
	hasher_stop(&b.h512w);
	fx_hash_free(b.h256);
	fx_hash_free(b.h512);
	free(b.buf[0]);
	free(b.buf[1]);
	json_decref(b.manifest);
	json_decref(b.place);
	json_decref(b.taken);
	json_decref(b.src_device);
	json_decref(b.files_seen);
	json_decref(b.report_files);
	json_decref(b.withdrawn);
	json_decref(b.checkpoint);
	json_decref(caseinfo);
	json_decref(signing);
	free(bagname);
	free(out);
	free(cms);
	free(tst);
	free(tmpath);
	return ret;
}

static int rm_tree(const char *path)
{
	const char *argv[] = { "rm", "-rf", "--", path, NULL };
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	/* A half-made bag folder: remove what this run wrote. */
	return run(argv);
}
