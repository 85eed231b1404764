#define _GNU_SOURCE /* sync_file_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_store.h"
#include "fx_banned.h"

/*
 * An object's bytes are gathered into the slots of a small ring and written
 * by the store's writer thread while the caller hashes and reads on; the
 * ring bounds memory at SLOTS * SLOT_SIZE whatever the object's size. Full
 * slots are written with O_DIRECT: the bytes go from the ring to the disk
 * without a second copy into the page cache, which costs more than hashing
 * them, and a large intake does not flush the page cache. An object that
 * fits in one slot (most files) is written by the caller at commit, through
 * the cache.
 */
#define SLOTS 8
#define SLOT_SIZE ((size_t)1 << 20)
/* O_DIRECT wants buffers, offsets and lengths aligned to the block size. */
#define DIRECT_ALIGN 4096

struct slot {
	struct fx_store_put *owner;
	uint64_t off; /* where the bytes go in the object */
	size_t len;
	char *buf;
};

struct fx_store {
	char *dir; /* CASE/objects */
	int dirfd;
	int writable;
	int dirty; /* something put since the last sync */
	unsigned long serial;

	/* writer thread */
	pthread_t thread;
	int started, stop;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct slot ring[SLOTS];
	unsigned head, count;
	/* The slot after the queued ones, being filled by this put. */
	struct fx_store_put *filling;
};

struct fx_store_put {
	struct fx_store *s;
	struct fx_hash *hash;
	char *tmp;
	int fd;
	int dfd;        /* the same file opened O_DIRECT, or -1 */
	int queued;     /* a full slot of it has gone to the writer */
	uint64_t size;
	unsigned pending; /* slots queued for the writer; under s->lock */
	int err;          /* errno of a failed write, 0 while all is well */
};

/*
 * Starts writing the file's dirty pages to disk without waiting for them,
 * so that the fx_store_sync() before a commit finds little left to do.
 */
static void start_writeback(int fd)
{
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

/* Writes one slot, directly when it is aligned, else through the cache. */
static int write_slot(struct slot *sl)
{
	struct fx_store_put *p = sl->owner;

	if (p->dfd >= 0 && sl->off % DIRECT_ALIGN == 0 &&
	    sl->len % DIRECT_ALIGN == 0) {
		if (fx_pwrite_all(p->dfd, sl->buf, sl->len, sl->off) == 0)
			return 0;
		if (errno != EINVAL)
			return -1;
		/* The file system refuses direct I/O after all. */
		close(p->dfd);
		p->dfd = -1;
	}
	if (fx_pwrite_all(p->fd, sl->buf, sl->len, sl->off) < 0)
		return -1;
	start_writeback(p->fd);
	return 0;
}

static void *writer_main(void *arg)
{
	struct fx_store *s = arg;
	struct slot *sl;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->count && !s->stop)
			pthread_cond_wait(&s->more, &s->lock);
		if (!s->count && s->stop)
			break;
		sl = &s->ring[s->head];
		pthread_mutex_unlock(&s->lock);
		/* Once a write of this object failed, drop the rest of it. */
		if (!sl->owner->err && write_slot(sl) < 0)
			sl->owner->err = errno;
		pthread_mutex_lock(&s->lock);
		sl->owner->pending--;
		s->head = (s->head + 1) % SLOTS;
		s->count--;
		pthread_cond_broadcast(&s->room);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static int start_writer(struct fx_store *s)
{
	unsigned i;

	for (i = 0; i < SLOTS; i++) {
		if (posix_memalign((void **)&s->ring[i].buf, DIRECT_ALIGN,
				   SLOT_SIZE) != 0)
			fx_die("out of memory");
	}
	if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
		for (i = 0; i < SLOTS; i++)
			free(s->ring[i].buf);
		return -1;
	}
	s->started = 1;
	return 0;
}

/* Removes temporary files left by writers that are gone (a kill -9). */
static void clean_tmp(struct fx_store *s)
{
	char *tmpdir = fx_path_join(s->dir, "tmp");
	struct dirent *de;
	DIR *d = opendir(tmpdir);
	long pid;

	if (!d) {
		free(tmpdir);
		return;
	}
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "put-%ld-", &pid) != 1)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	free(tmpdir);
}

struct fx_store *fx_store_open(const char *case_dir, int writable)
{
	struct fx_store *s = fx_xcalloc(1, sizeof(*s));
	char *tmp;

	s->dir = fx_path_join(case_dir, "objects");
	s->writable = writable;
	if (writable) {
		tmp = fx_path_join(s->dir, "tmp");
		if (fx_mkdirs(tmp, 0755) < 0) {
			free(tmp);
			goto fail;
		}
		free(tmp);
	}
	s->dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		fx_error_errno("cannot open object store '%s'", s->dir);
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	pthread_cond_init(&s->room, NULL);
	if (writable)
		clean_tmp(s);
	return s;
fail:
	free(s->dir);
	free(s);
	return NULL;
}

void fx_store_free(struct fx_store *s)
{
	unsigned i;

	if (!s)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->lock);
		s->stop = 1;
		pthread_cond_signal(&s->more);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		for (i = 0; i < SLOTS; i++)
			free(s->ring[i].buf);
	}
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	pthread_cond_destroy(&s->room);
	close(s->dirfd);
	free(s->dir);
	free(s);
}

struct fx_store_put *fx_store_put_begin(struct fx_store *s)
{
	struct fx_store_put *p;

	if (!s->writable) {
		fx_error("object store '%s' is open read-only", s->dir);
		return NULL;
	}
	p = fx_xcalloc(1, sizeof(*p));
	p->s = s;
	p->tmp = fx_xasprintf("%s/tmp/put-%ld-%lu-XXXXXX", s->dir, (long)getpid(),
			      s->serial++);
	p->fd = mkostemp(p->tmp, O_CLOEXEC);
	if (p->fd < 0) {
		fx_error_errno("cannot create a file in '%s/tmp'", s->dir);
		free(p->tmp);
		free(p);
		return NULL;
	}
	p->dfd = -1;
	p->hash = fx_hash_new(FX_HASH_SHA256);
	return p;
}

/* Hands the slot p is filling to the writer. Called under s->lock. */
static void submit_locked(struct fx_store_put *p)
{
	struct fx_store *s = p->s;

	s->filling = NULL;
	p->pending++;
	s->count++;
	pthread_cond_signal(&s->more);
}

/* Queues what p has gathered and waits until the writer has written it. */
static void drain(struct fx_store_put *p)
{
	struct fx_store *s = p->s;

	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	if (s->filling == p)
		submit_locked(p);
	while (p->pending)
		pthread_cond_wait(&s->room, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

/* The slot to gather p's next bytes in, waiting for room if need be. */
static struct slot *fill_slot(struct fx_store_put *p)
{
	struct fx_store *s = p->s;
	struct slot *sl;

	pthread_mutex_lock(&s->lock);
	/* Another object's partial slot goes first (objects rarely nest). */
	if (s->filling && s->filling != p)
		submit_locked(s->filling);
	while (s->count == SLOTS)
		pthread_cond_wait(&s->room, &s->lock);
	sl = &s->ring[(s->head + s->count) % SLOTS];
	if (s->filling != p) {
		s->filling = p;
		sl->owner = p;
		sl->off = p->size;
		sl->len = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return sl;
}

/* Gathers len bytes for the writer; p->size counts them. */
static int queue(struct fx_store_put *p, const char *buf, size_t len)
{
	struct fx_store *s = p->s;
	struct slot *sl;
	size_t n;

	if (!s->started && start_writer(s) < 0)
		return -1;
	while (len) {
		sl = fill_slot(p);
		/* The slot is ours until it is submitted. */
		n = SLOT_SIZE - sl->len < len ? SLOT_SIZE - sl->len : len;
		memcpy(sl->buf + sl->len, buf, n);
		sl->len += n;
		p->size += n;
		buf += n;
		len -= n;
		if (sl->len == SLOT_SIZE) {
			if (!p->queued) {
				p->queued = 1;
				p->dfd = open(p->tmp, O_WRONLY | O_DIRECT | O_CLOEXEC);
			}
			pthread_mutex_lock(&s->lock);
			submit_locked(p);
			pthread_mutex_unlock(&s->lock);
		}
	}
	return 0;
}

/*
 * An object that never filled a slot is written here, from its slot,
 * through the cache. Returns 1 when it was (or failed: p->err), else 0.
 */
static int write_small(struct fx_store_put *p)
{
	struct fx_store *s = p->s;
	struct slot *sl = NULL;

	if (!s->started)
		return 0;
	pthread_mutex_lock(&s->lock);
	if (s->filling == p && !p->pending)
		sl = &s->ring[(s->head + s->count) % SLOTS];
	pthread_mutex_unlock(&s->lock);
	if (!sl)
		return 0;
	/* Not counted in the ring: the writer never sees this slot. */
	if (!p->err && fx_pwrite_all(p->fd, sl->buf, sl->len, sl->off) < 0)
		p->err = errno;
	pthread_mutex_lock(&s->lock);
	s->filling = NULL;
	pthread_mutex_unlock(&s->lock);
	return 1;
}

int fx_store_put_write(struct fx_store_put *p, const void *buf, size_t len)
{
	fx_hash_update(p->hash, buf, len);
	if (p->err)
		goto fail;
	if (queue(p, buf, len) == 0)
		return 0;
	/* No writer thread to be had: write it here. */
	if (fx_pwrite_all(p->fd, buf, len, p->size) == 0) {
		p->size += len;
		return 0;
	}
	p->err = errno;
fail:
	errno = p->err;
	return fx_error_errno("cannot write object to '%s'", p->tmp);
}

static void put_free(struct fx_store_put *p)
{
	if (p->dfd >= 0)
		close(p->dfd);
	fx_hash_free(p->hash);
	free(p->tmp);
	free(p);
}

void fx_store_put_abort(struct fx_store_put *p)
{
	struct fx_store *s = p->s;

	/* What is still being gathered need not be written. */
	pthread_mutex_lock(&s->lock);
	if (s->filling == p)
		s->filling = NULL;
	pthread_mutex_unlock(&s->lock);
	drain(p);
	close(p->fd);
	unlink(p->tmp);
	put_free(p);
}

char *fx_store_path(const struct fx_store *s, const char *hex)
{
	return fx_xasprintf("%s/%.2s/%s", s->dir, hex, hex + 2);
}

int fx_store_put_commit(struct fx_store_put *p, char hex[FX_SHA256_HEX],
			uint64_t *size, int *existed)
{
	struct fx_store *s = p->s;
	uint8_t md[FX_SHA256_LEN];
	char sub[3], *final;
	struct stat st;

	if (!write_small(p))
		drain(p);
	if (p->err) {
		errno = p->err;
		fx_error_errno("cannot write object to '%s'", p->tmp);
		fx_store_put_abort(p);
		return -1;
	}
	fx_hash_final(p->hash, md);
	fx_hex(md, sizeof(md), hex);
	if (size)
		*size = p->size;
	start_writeback(p->fd);
	if (close(p->fd) < 0) {
		p->fd = -1;
		fx_error_errno("cannot write object to '%s'", p->tmp);
		unlink(p->tmp);
		put_free(p);
		return -1;
	}
	memcpy(sub, hex, 2);
	sub[2] = '\0';
	if (mkdirat(s->dirfd, sub, 0755) < 0 && errno != EEXIST) {
		fx_error_errno("cannot create '%s/%s'", s->dir, sub);
		unlink(p->tmp);
		put_free(p);
		return -1;
	}
	final = fx_store_path(s, hex);
	/*
	 * Same hash, same bytes: keep the object already there, unless a lost
	 * write left it short (then the new copy replaces it).
	 */
	if (lstat(final, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size == p->size) {
		unlink(p->tmp);
		if (existed)
			*existed = 1;
	} else {
		if (chmod(p->tmp, 0444) < 0 || rename(p->tmp, final) < 0) {
			fx_error_errno("cannot store object '%s'", final);
			unlink(p->tmp);
			free(final);
			put_free(p);
			return -1;
		}
		if (existed)
			*existed = 0;
		s->dirty = 1;
	}
	free(final);
	put_free(p);
	return 0;
}

int fx_store_put_buf(struct fx_store *s, const void *buf, size_t len,
		     char hex[FX_SHA256_HEX], int *existed)
{
	struct fx_store_put *p = fx_store_put_begin(s);

	if (!p)
		return -1;
	if (fx_store_put_write(p, buf, len) < 0) {
		fx_store_put_abort(p);
		return -1;
	}
	return fx_store_put_commit(p, hex, NULL, existed);
}

static int put_block(const void *buf, size_t n, void *ctx)
{
	return fx_store_put_write(ctx, buf, n);
}

int fx_store_put_file(struct fx_store *s, const char *path,
		      char hex[FX_SHA256_HEX], uint64_t *size, int *existed)
{
	struct fx_store_put *p = fx_store_put_begin(s);

	if (!p)
		return -1;
	if (fx_read_blocks(path, put_block, p, NULL) < 0) {
		fx_store_put_abort(p);
		return -1;
	}
	return fx_store_put_commit(p, hex, size, existed);
}

int fx_store_sync(struct fx_store *s)
{
	if (!s->dirty)
		return 0;
	if (syncfs(s->dirfd) < 0)
		return fx_error_errno("cannot sync object store '%s'", s->dir);
	s->dirty = 0;
	return 0;
}

int fx_store_has(const struct fx_store *s, const char *hex)
{
	char rel[FX_SHA256_HEX + 1];
	struct stat st;

	if (!fx_is_sha256_hex(hex))
		return 0;
	snprintf(rel, sizeof(rel), "%.2s/%s", hex, hex + 2);
	return fstatat(s->dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir that pass keep(); caller frees each and the array. */
static char **sorted_names(int dfd, const char *rel, size_t *n,
			   int (*keep)(const char *name))
{
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;
	int fd;
	DIR *d;

	*n = 0;
	fd = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!keep(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			names = fx_xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = fx_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

static int hexchars(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

static int is_fanout(const char *name)
{
	return hexchars(name, 2);
}

static int is_object_name(const char *name)
{
	return hexchars(name, 62);
}

int fx_store_foreach(const struct fx_store *s,
		     int (*fn)(const char *hex, uint64_t size, void *ctx), void *ctx)
{
	char **subs, **objs, hex[FX_SHA256_HEX], rel[FX_SHA256_HEX + 1];
	size_t nsub, nobj, i, j;
	struct stat st;
	int ret = 0;

	subs = sorted_names(s->dirfd, ".", &nsub, is_fanout);
	for (i = 0; i < nsub; i++) {
		objs = sorted_names(s->dirfd, subs[i], &nobj, is_object_name);
		for (j = 0; j < nobj; j++) {
			if (ret == 0) {
				snprintf(hex, sizeof(hex), "%s%s", subs[i], objs[j]);
				snprintf(rel, sizeof(rel), "%s/%s", subs[i], objs[j]);
				if (fstatat(s->dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
					ret = fx_error_errno("cannot stat object '%s'", hex);
				else
					ret = fn(hex, (uint64_t)st.st_size, ctx);
			}
			free(objs[j]);
		}
		free(objs);
		free(subs[i]);
	}
	free(subs);
	return ret;
}
