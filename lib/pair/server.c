/*
 * fx-pair listen: the workstation end. One TLS listener for the agent, one
 * control socket for fx-auth and fx-pull; one request at a time, so the
 * session's state needs no locks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_record.h"
#include "fx_time.h"
#include "fx_banned.h"

struct server {
	const struct fx_pair_listen_opts *o;
	struct fx_case *c;
	const char *case_id;
	SSL_CTX *ctx;
	char fp[FX_SHA256_HEX];
	int lfd, cfd;
	char host[64];
	unsigned port;
	struct fx_pair_token token;
	json_t *spent; /* tokens used by earlier pairings of this session */
	char *uri;
	/* the agent */
	SSL *ssl;
	int afd;
	struct fx_pair_io io;
	uint8_t key[FX_PAIR_KEY_LEN];
	json_t *device; /* identity it gave; set while paired */
	char *device_key;
	char resume[FX_PAIR_TOKEN_HEX];
	json_t *granted; /* category -> confirmation, this session */
	char peer[80];
};

static volatile sig_atomic_t stopping;

/* accept4() is a GNU extension: accept, then close-on-exec. */
static int accept_cloexec(int lfd, struct sockaddr *sa, socklen_t *len)
{
	int fd = accept(lfd, sa, len);

	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int unsafe(const char *what)
{
	const char *t = getenv("FX_PAIR_UNSAFE_TEST");

	return t && strstr(t, what) != NULL;
}

/* ---- case records ---- */

static int store(struct server *s, const char *action, json_t *rec, json_t *detail)
{
	int ret = -1;

	if (fx_case_begin(s->c, action) < 0)
		goto out;
	if (fx_case_add_record(s->c, rec, action, NULL) < 0) {
		fx_case_rollback(s->c);
		goto out;
	}
	if (fx_case_commit(s->c, detail, NULL) < 0)
		goto out;
	if (s->o->out)
		fx_record_write(s->o->out, rec);
	ret = 0;
out:
	json_decref(rec);
	json_decref(detail);
	return ret;
}

/* The device's key: IMEI, else serial, else a key made from the identity given. */
static char *device_key(const json_t *d)
{
	const char *imei = json_string_value(json_object_get(d, "imei"));
	const char *serial = json_string_value(json_object_get(d, "serial"));
	char hex[FX_SHA256_HEX], *s;
	uint8_t md[32];

	if (imei && *imei)
		return fx_xasprintf("imei:%s", imei);
	if (serial && *serial)
		return fx_xasprintf("serial:%s", serial);
	s = fx_json_dump(d);
	fx_sha256(s ? s : "", s ? strlen(s) : 0, md);
	free(s);
	return fx_xasprintf("gen:%.16s", fx_hex(md, 32, hex));
}

static void record_pairing(struct server *s)
{
	json_t *rec = fx_record_new("device", s->case_id, "fx-pair");
	json_t *data = json_object_get(rec, FX_KEY_DATA);
	const char *k;
	json_t *v;
	char t[FX_TIME_LEN];

	json_object_set_new(rec, FX_KEY_DEVICE, json_string(s->device_key));
	json_object_set_new(data, "key", json_string(s->device_key));
	json_object_foreach(s->device, k, v) if (json_is_string(v) && json_string_length(v) &&
						 (!strcmp(k, "model") || !strcmp(k, "serial") ||
						  !strcmp(k, "imei") ||
						  !strcmp(k, "manufacturer") || !strcmp(k, "os")))
		json_object_set(data, k, v);
	store(s, "pair", rec, json_pack("{s:s}", "device", s->device_key));
	rec = fx_record_new("pairing", s->case_id, "fx-pair");
	data = json_object_get(rec, FX_KEY_DATA);
	fx_time_now(t);
	json_object_set_new(rec, FX_KEY_DEVICE, json_string(s->device_key));
	json_object_set_new(rec, FX_KEY_TIME, json_string(t));
	json_object_set_new(data, "paired", json_string(t));
	json_object_set_new(data, "peer", json_string(s->peer));
	json_object_set_new(data, "fingerprint", json_string(s->fp));
	json_object_set(data, "identity", s->device);
	store(s, "pair", rec, json_pack("{s:s,s:s}", "device", s->device_key, "peer", s->peer));
}

/* ---- the pairing code ---- */

static int new_token(struct server *s)
{
	char *path;

	if (s->token.used)
		json_array_append_new(s->spent, json_string(s->token.value));
	if (fx_pair_token_new(&s->token, time(NULL), s->o->ttl) < 0)
		return -1;
	free(s->uri);
	s->uri = fx_pair_uri_make(s->host, s->port, s->fp, s->token.value, s->token.expires,
				  s->case_id);
	path = fx_xasprintf("%s/pair/pairing.uri", fx_case_dir(s->c));
	fx_write_file_atomic(path, s->uri, strlen(s->uri), 0600);
	free(path);
	if (s->o->png)
		fx_pair_qr_png(s->o->png, s->uri);
	if (!s->o->quiet) {
		fprintf(stderr, "%s: scan this code with the device agent (valid %u s):\n",
			fx_progname(), s->o->ttl);
		fx_pair_qr_print(stderr, s->uri);
		fprintf(stderr, "%s\n", s->uri);
	}
	return 0;
}

/* ---- the agent's connection ---- */

static void drop_agent(struct server *s)
{
	if (!s->ssl)
		return;
	SSL_free(s->ssl);
	close(s->afd);
	fx_pair_io_release(&s->io);
	s->ssl = NULL;
	s->afd = -1;
}

/* Ends the pairing: the device is gone, a new token is shown. */
static void unpair(struct server *s, const char *why)
{
	drop_agent(s);
	if (s->device && !s->o->quiet)
		fprintf(stderr, "%s: device '%s' left: %s\n", fx_progname(), s->device_key, why);
	json_decref(s->device);
	s->device = NULL;
	free(s->device_key);
	s->device_key = NULL;
	json_object_clear(s->granted);
	new_token(s);
}

/*
 * Accepts one TLS connection and its hello: a first pairing with the
 * token, or the paired device coming back with its resume secret. Returns
 * 1 when an agent is (again) connected, 0 when the comer was refused.
 */
static int join(struct server *s)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct fx_pair_io io;
	char peer[80], addr[INET_ADDRSTRLEN];
	const char *why = NULL, *token, *resume, *cid;
	json_t *hello = NULL, *dev, *ok;
	SSL *ssl;
	int fd, r;

	fd = accept_cloexec(s->lfd, (struct sockaddr *)&sa, &salen);
	if (fd < 0)
		return 0;
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	snprintf(peer, sizeof(peer), "%s:%u", addr, ntohs(sa.sin_port));
	ssl = SSL_new(s->ctx);
	SSL_set_fd(ssl, fd);
	{
		/* The handshake is bounded: a silent peer must not hold the session. */
		struct timeval tv = {10, 0};

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (SSL_accept(ssl) != 1) {
		fx_warn("refused %s: TLS handshake failed (a client that does not trust this "
			"certificate?)",
			peer);
		SSL_free(ssl);
		close(fd);
		return 0;
	}
	fx_pair_io_init(&io, ssl, fd, peer);
	io.timeout_ms = 10000;
	if (fx_pair_recv_msg(&io, &hello) < 0) {
		why = "no valid hello";
		goto refuse;
	}
	token = json_string_value(json_object_get(hello, "token"));
	resume = json_string_value(json_object_get(hello, "resume"));
	cid = json_string_value(json_object_get(hello, "case"));
	dev = json_object_get(hello, "device");
	if (!json_is_object(dev) || !cid || strcmp(cid, s->case_id) != 0) {
		why = "hello for another case or without an identity";
	} else if (resume) {
		if (!s->device || s->ssl)
			why = "no interrupted session to resume";
		else if (strlen(resume) != 32 || strcmp(resume, s->resume) != 0 ||
			 !json_equal(dev, s->device))
			why = "wrong resume secret";
	} else if (s->device) {
		why = "a device is already paired with this session";
	} else {
		why = fx_pair_token_use(&s->token, token, time(NULL));
		for (size_t i = 0; why && token && i < json_array_size(s->spent); i++)
			if (strcmp(token, json_string_value(json_array_get(s->spent, i))) == 0)
				why = "token already used";
	}
	if (why)
		goto refuse;
	if (!resume) {
		if (fx_pair_random_hex(s->resume, 16) < 0) {
			why = "internal error";
			goto refuse;
		}
		s->device = json_deep_copy(dev);
		s->device_key = device_key(dev);
		snprintf(s->peer, sizeof(s->peer), "%s", peer);
	}
	ok = json_pack("{s:b,s:I,s:s,s:s}", "ok", 1, "re",
		       json_integer_value(json_object_get(hello, "id")), "resume", s->resume,
		       "device", s->device_key);
	r = fx_pair_send(&io, ok);
	json_decref(ok);
	json_decref(hello);
	if (r < 0) {
		fx_pair_io_release(&io);
		SSL_free(ssl);
		close(fd);
		return 0;
	}
	s->ssl = ssl;
	s->afd = fd;
	s->io = io;
	s->io.peer = "the device agent";
	s->io.timeout_ms = (int)s->o->timeout * 1000;
	fx_pair_session_key(ssl, s->key);
	if (resume) {
		if (!s->o->quiet)
			fprintf(stderr, "%s: device '%s' is back (%s)\n", fx_progname(),
				s->device_key, peer);
	} else {
		if (!s->o->quiet)
			fprintf(stderr, "%s: paired with device '%s' at %s\n", fx_progname(),
				s->device_key, peer);
		record_pairing(s);
	}
	return 1;
refuse:
	fx_warn("refused %s: %s", peer, why);
	fx_pair_send_error(&io, json_integer_value(json_object_get(hello, "id")), why);
	json_decref(hello);
	fx_pair_io_release(&io);
	SSL_shutdown(ssl);
	SSL_free(ssl);
	close(fd);
	return 0;
}

/* Waits up to secs for the paired device to come back. Returns 1 if it did. */
static int wait_resume(struct server *s, unsigned secs)
{
	time_t end = time(NULL) + secs;
	struct pollfd p = {s->lfd, POLLIN, 0};

	drop_agent(s);
	while (!stopping && time(NULL) < end) {
		if (poll(&p, 1, 500) == 1 && join(s) == 1 && s->ssl)
			return 1;
	}
	return 0;
}

/* Sends a request to the agent and reads its answer. Returns 0 or -1. */
static int ask(struct server *s, json_t *req, json_t **ans, int timeout_s)
{
	json_int_t id;
	int r;

	*ans = NULL;
	if (!s->ssl) {
		json_decref(req);
		return fx_error("no device agent is connected");
	}
	s->io.timeout_ms = timeout_s * 1000;
	r = fx_pair_send(&s->io, req);
	id = json_integer_value(json_object_get(req, "id"));
	json_decref(req);
	if (r == 0)
		r = fx_pair_recv_msg(&s->io, ans);
	if (r < 0)
		return -1;
	if (json_integer_value(json_object_get(*ans, "re")) != id) {
		json_decref(*ans);
		*ans = NULL;
		return fx_error("the agent answered another request");
	}
	return 0;
}

/* ---- control requests ---- */

static void reply(struct fx_pair_io *cio, json_t *m)
{
	fx_pair_send(cio, m);
	json_decref(m);
}

static void reply_error(struct fx_pair_io *cio, const char *why)
{
	fx_pair_send_error(cio, 0, why);
}

static void do_status(struct server *s, struct fx_pair_io *cio)
{
	json_t *m =
		json_pack("{s:b,s:b,s:b,s:s,s:s}", "ok", 1, "paired", s->device != NULL,
			  "connected", s->ssl != NULL, "case", s->case_id, "fingerprint", s->fp);

	if (s->device) {
		json_object_set(m, "identity", s->device);
		json_object_set_new(m, "device", json_string(s->device_key));
	}
	json_object_set_new(m, "consented", json_deep_copy(s->granted));
	reply(cio, m);
}

static void do_consent(struct server *s, struct fx_pair_io *cio, const char *category)
{
	const struct fx_pair_category *cat = fx_pair_category_find(category);
	char nonce[FX_PAIR_NONCE_HEX], shortc[FX_PAIR_SHORT_LEN];
	const char *why, *given;
	json_t *req, *ans = NULL, *m;
	char *uri = NULL;

	if (!cat)
		return reply_error(cio, "not a consent category");
	if (!s->ssl)
		return reply_error(cio, "no device agent is connected");
	if (fx_pair_random_hex(nonce, 16) < 0)
		return reply_error(cio, "internal error");
	if (cat->active) {
		/* The workstation shows the code first; the holder then scans or types it. */
		uri = fx_pair_consent_uri(s->key, category, s->case_id, nonce);
		fx_pair_consent_short(s->key, category, s->case_id, nonce, shortc);
		reply(cio, json_pack("{s:b,s:s,s:s,s:s,s:s}", "ok", 1, "event", "code", "uri", uri,
				     "short", shortc, "category", category));
		if (fx_pair_recv_msg(cio, &m) < 0) {
			free(uri);
			return;
		}
		json_decref(m);
	}
	req = json_pack("{s:s,s:s,s:b,s:s,s:s}", "op", "consent", "category", category, "active",
			cat->active, "case", s->case_id, "nonce_c", nonce);
	if (ask(s, req, &ans, (int)s->o->timeout) < 0) {
		free(uri);
		drop_agent(s);
		return reply_error(cio, "the device agent did not answer");
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		reply_error(cio, json_string_value(json_object_get(ans, "error"))
					 ? json_string_value(json_object_get(ans, "error"))
					 : "the device refused");
		goto out;
	}
	if (json_is_true(json_object_get(ans, "granted")) && cat->active) {
		/* Checked here too: the agent's word alone does not make consent. */
		given = json_string_value(json_object_get(ans, "code"));
		why = fx_pair_consent_check(s->key, category, s->case_id, nonce, given);
		if (why) {
			reply_error(cio, why);
			goto out;
		}
	}
	m = json_pack("{s:b,s:s,s:b,s:s,s:s,s:s}", "ok", 1, "category", category, "granted",
		      json_is_true(json_object_get(ans, "granted")), "method",
		      cat->active ? "code" : "confirm", "nonce", nonce, "device", s->device_key);
	json_object_set(m, "confirmation", ans);
	json_object_set(m, "identity", s->device);
	if (json_is_true(json_object_get(ans, "granted")))
		json_object_set_new(s->granted, category, json_string(nonce));
	else
		json_object_del(s->granted, category);
	reply(cio, m);
out:
	json_decref(ans);
	free(uri);
}

static void do_revoke(struct server *s, struct fx_pair_io *cio, const char *category)
{
	json_t *ans = NULL;

	json_object_del(s->granted, category);
	if (s->ssl &&
	    ask(s, json_pack("{s:s,s:s}", "op", "revoke", "category", category), &ans, 30) < 0)
		drop_agent(s);
	json_decref(ans);
	reply(cio, json_pack("{s:b,s:s}", "ok", 1, "category", category));
}

/* A relative name the agent may give: no "..", no absolute, no empty part. */
static int safe_rel(const char *p)
{
	const char *c = p;
	size_t n;

	if (!*p || *p == '/' || strlen(p) > 4096)
		return 0;
	for (;;) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (!c[n])
			return 1;
		c += n + 1;
	}
}

/*
 * The bytes of a transfer are hashed and written by a second thread while
 * this one decrypts the next chunks: a ring of chunk buffers between them,
 * in order, so the hash is that of the file.
 */
#define SLOTS 8

struct sink {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *buf[SLOTS];
	size_t len[SLOTS];
	unsigned head, count; /* filled slots: head .. head + count - 1 */
	int fd, err, done, running;
	struct fx_hash *h;
};

static void *sink_main(void *arg)
{
	struct sink *k = arg;
	unsigned i;

	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->count && !k->done)
			pthread_cond_wait(&k->cv, &k->mu);
		if (!k->count)
			break;
		i = k->head;
		pthread_mutex_unlock(&k->mu);
		fx_hash_update(k->h, k->buf[i], k->len[i]);
		if (!k->err && fx_write_all(k->fd, k->buf[i], k->len[i]) < 0)
			k->err = errno ? errno : EIO;
		pthread_mutex_lock(&k->mu);
		k->head = (k->head + 1) % SLOTS;
		k->count--;
		pthread_cond_broadcast(&k->cv);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

static void sink_init(struct sink *k, int fd, struct fx_hash *h)
{
	unsigned i;

	memset(k, 0, sizeof(*k));
	k->fd = fd;
	k->h = h;
	for (i = 0; i < SLOTS; i++)
		k->buf[i] = fx_xmalloc(FX_PAIR_MAX_CHUNK);
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
}

static int sink_start(struct sink *k)
{
	if (pthread_create(&k->t, NULL, sink_main, k) != 0)
		return -1;
	k->running = 1;
	return 0;
}

/* The next free buffer; waits while all are full. */
static unsigned char *sink_slot(struct sink *k)
{
	unsigned char *b;

	pthread_mutex_lock(&k->mu);
	while (k->count == SLOTS)
		pthread_cond_wait(&k->cv, &k->mu);
	b = k->buf[(k->head + k->count) % SLOTS];
	pthread_mutex_unlock(&k->mu);
	return b;
}

static void sink_push(struct sink *k, size_t n)
{
	pthread_mutex_lock(&k->mu);
	k->len[(k->head + k->count) % SLOTS] = n;
	k->count++;
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
}

/* Waits for everything pushed to be hashed and written. Returns 0 or an errno. */
static int sink_finish(struct sink *k)
{
	if (k->running) {
		pthread_mutex_lock(&k->mu);
		k->done = 1;
		pthread_cond_broadcast(&k->cv);
		pthread_mutex_unlock(&k->mu);
		pthread_join(k->t, NULL);
		k->running = 0;
	}
	return k->err;
}

static void sink_release(struct sink *k)
{
	unsigned i;

	sink_finish(k);
	for (i = 0; i < SLOTS; i++)
		free(k->buf[i]);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
}

/*
 * Fetches one item into staging, resuming from what a cut transfer left
 * in CASE/pair/partial/. Returns 0 done, 1 refused (reported to cio), -1
 * connection lost (resumable).
 */
static int fetch(struct server *s, struct fx_pair_io *cio, const char *category, const char *path,
		 const char *staging)
{
	char key[FX_SHA256_HEX], mine[FX_SHA256_HEX], *id = fx_xasprintf("%s|%s", category, path);
	char *part, *dest = NULL, *slash;
	const char *theirs, *why = NULL;
	struct fx_hash *h = fx_hash_new(FX_HASH_SHA256);
	uint64_t size, have = 0, offset;
	struct sink k;
	unsigned char *buf;
	uint8_t md[32];
	json_t *req, *m = NULL;
	struct stat sb;
	size_t n;
	int fd = -1, r, ret = -1;

	fx_sha256(id, strlen(id), md);
	free(id);
	fx_hex(md, 32, key);
	part = fx_xasprintf("%s/pair/partial/%s", fx_case_dir(s->c), key);
	fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	sink_init(&k, fd, h);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		why = "cannot keep the partial file";
		goto refuse;
	}
	buf = k.buf[0];
	/* Rehash what arrived before the cut: the hash covers the whole file. */
	while ((r = (int)read(fd, buf, FX_PAIR_MAX_CHUNK)) > 0) {
		fx_hash_update(h, buf, (size_t)r);
		have += (uint64_t)r;
	}
	offset = have;
	req = json_pack("{s:s,s:s,s:s,s:I}", "op", "get", "category", category, "path", path,
			"offset", (json_int_t)offset);
	if (ask(s, req, &m, (int)s->o->timeout) < 0)
		goto lost;
	if (!json_is_true(json_object_get(m, "ok"))) {
		why = json_string_value(json_object_get(m, "error"));
		why = why ? why : "the agent refused";
		goto refuse_keep;
	}
	theirs = json_string_value(json_object_get(m, "path"));
	if (!theirs || strcmp(theirs, path) != 0 ||
	    json_integer_value(json_object_get(m, "offset")) != (json_int_t)offset ||
	    !json_is_integer(json_object_get(m, "size")) ||
	    json_integer_value(json_object_get(m, "size")) < (json_int_t)offset) {
		why = "the agent sent something that was not requested";
		goto refuse_drop;
	}
	size = (uint64_t)json_integer_value(json_object_get(m, "size"));
	json_decref(m);
	m = NULL;
	if (sink_start(&k) < 0) {
		why = "cannot start a thread";
		goto refuse_keep;
	}
	while (have < size) {
		buf = sink_slot(&k);
		r = fx_pair_recv(&s->io, &m, buf, FX_PAIR_MAX_CHUNK, &n);
		if (r <= 0)
			goto lost;
		if (r == 1 || have + n > size) {
			why = "the agent sent more or other than the file requested";
			goto refuse_drop;
		}
		sink_push(&k, n);
		have += n;
	}
	if (sink_finish(&k) != 0) {
		why = "cannot write the partial file";
		goto refuse_drop;
	}
	if (fx_pair_recv_msg(&s->io, &m) < 0)
		goto lost;
	theirs = json_string_value(json_object_get(m, "sha256"));
	fx_hash_final(h, md);
	fx_hex(md, 32, mine);
	if (!theirs || strcmp(theirs, mine) != 0) {
		unlink(part);
		why = "hash on arrival differs from the agent's";
		goto refuse;
	}
	if (!safe_rel(path)) {
		unlink(part);
		why = "a name that would leave the staging folder";
		goto refuse;
	}
	dest = fx_path_join(staging, path);
	slash = strrchr(dest, '/');
	*slash = '\0';
	r = fx_mkdirs(dest, 0700);
	*slash = '/';
	/* No fsync: the copy that must last is the object fx-pull stores from this one. */
	if (r < 0 || rename(part, dest) < 0) {
		why = "cannot move the received file into place";
		goto refuse;
	}
	reply(cio, json_pack("{s:b,s:s,s:s,s:s,s:s,s:I,s:I}", "ok", 1, "event", "item", "path",
			     path, "sha256", mine, "agent_sha256", theirs, "size", (json_int_t)size,
			     "resumed_at", (json_int_t)offset));
	ret = 0;
	goto out;
lost:
	ret = -1;
	goto out;
refuse_drop:
	/* A misbehaving agent: its stream cannot be trusted to be in step any more. */
	unlink(part);
	drop_agent(s);
	goto refuse;
refuse_keep:
refuse:
	reply(cio, json_pack("{s:b,s:s,s:s,s:s}", "ok", 1, "event", "refused", "path", path,
			     "error", why));
	ret = 1;
out:
	/* What arrived before a cut is written out, to resume from. */
	sink_release(&k);
	json_decref(m);
	if (fd >= 0)
		close(fd);
	fx_hash_free(h);
	free(part);
	free(dest);
	return ret;
}

static void do_pull(struct server *s, struct fx_pair_io *cio, const char *category,
		    const char *staging_name)
{
	const struct fx_pair_category *cat = fx_pair_category_find(category);
	char *staging;
	json_t *ans = NULL, *items, *it;
	const char *path;
	size_t i, got = 0, refused = 0, resumes = 0;
	int r;

	if (!cat)
		return reply_error(cio, "not a consent category");
	if (!staging_name || !*staging_name ||
	    strspn(staging_name, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(staging_name))
		return reply_error(cio, "bad staging name");
	if (!json_object_get(s->granted, category) && !unsafe("nocheck"))
		return reply_error(cio, "category not consented in this session");
	if (!s->ssl)
		return reply_error(cio, "no device agent is connected");
	if (ask(s, json_pack("{s:s,s:s}", "op", "list", "category", category), &ans,
		(int)s->o->timeout) < 0) {
		drop_agent(s);
		return reply_error(cio, "the device agent did not answer");
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		path = json_string_value(json_object_get(ans, "error"));
		reply_error(cio, path ? path : "the device refused");
		json_decref(ans);
		return;
	}
	items = json_object_get(ans, "items");
	if (unsafe("ask=")) {
		/* Test hook: a workstation gone bad asks for a name of its own. */
		path = strstr(getenv("FX_PAIR_UNSAFE_TEST"), "ask=") + 4;
		json_array_append_new(items, json_pack("{s:s,s:b}", "path", path, "forced", 1));
	}
	staging = fx_xasprintf("%s/incoming/%s", fx_case_dir(s->c), staging_name);
	for (i = 0; i < json_array_size(items) && !stopping; i++) {
		it = json_array_get(items, i);
		path = json_string_value(json_object_get(it, "path"));
		if (!json_is_true(json_object_get(it, "forced")) &&
		    (!path || !safe_rel(path) || !fx_pair_category_match(cat, path))) {
			/* Consent is enforced here too: nothing outside the category is taken. */
			reply(cio, json_pack("{s:b,s:s,s:s,s:s}", "ok", 1, "event", "refused",
					     "path", path ? path : "", "error",
					     "not of the category requested"));
			refused++;
			continue;
		}
		for (;;) {
			r = fetch(s, cio, category, path, staging);
			if (r >= 0 || stopping)
				break;
			fx_warn("transfer of '%s' cut: waiting for the device to resume", path);
			if (!wait_resume(s, s->o->resume_wait)) {
				r = -1;
				break;
			}
			resumes++;
		}
		if (r == 0)
			got++;
		else if (r > 0)
			refused++;
		else
			break;
	}
	if (i < json_array_size(items))
		reply_error(cio, "the device was lost mid-transfer; run again to resume");
	else
		reply(cio, json_pack("{s:b,s:s,s:I,s:I,s:I}", "ok", 1, "event", "done", "items",
				     (json_int_t)got, "refused", (json_int_t)refused, "resumes",
				     (json_int_t)resumes));
	free(staging);
	json_decref(ans);
}

static void control(struct server *s)
{
	struct fx_pair_io cio;
	const char *op;
	json_t *m = NULL;
	int fd = accept_cloexec(s->cfd, NULL, NULL);

	if (fd < 0)
		return;
	fx_pair_io_init(&cio, NULL, fd, "the control client");
	cio.timeout_ms = 10000;
	if (fx_pair_recv_msg(&cio, &m) == 0) {
		/* Long enough for the holder; a client that hangs must not hold the session. */
		cio.timeout_ms = (int)s->o->timeout * 1000;
		op = json_string_value(json_object_get(m, "op"));
		if (!op)
			reply_error(&cio, "no op");
		else if (!strcmp(op, "status"))
			do_status(s, &cio);
		else if (!strcmp(op, "consent"))
			do_consent(s, &cio, json_string_value(json_object_get(m, "category")));
		else if (!strcmp(op, "revoke"))
			do_revoke(s, &cio, json_string_value(json_object_get(m, "category")));
		else if (!strcmp(op, "pull"))
			do_pull(s, &cio, json_string_value(json_object_get(m, "category")),
				json_string_value(json_object_get(m, "staging")));
		else
			reply_error(&cio, "unknown op");
	}
	json_decref(m);
	fx_pair_io_release(&cio);
	close(fd);
}

/* The agent spoke or left while nothing was asked of it. */
static void agent_event(struct server *s)
{
	json_t *m = NULL;
	const char *op;
	int r;

	s->io.timeout_ms = 5000;
	r = fx_pair_recv(&s->io, &m, NULL, 0, NULL);
	op = json_string_value(json_object_get(m, "op"));
	if (r == 1 && op && strcmp(op, "bye") == 0)
		unpair(s, "it said goodbye");
	else if (r <= 0)
		drop_agent(s); /* it may come back with its resume secret */
	else
		fx_warn("ignored an unrequested message from the device agent");
	json_decref(m);
}

static int listen_tcp(struct server *s, const char *bind_to)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	char host[64], *colon, *end;
	unsigned long port = 0;
	int one = 1;

	snprintf(host, sizeof(host), "%s", bind_to ? bind_to : "0.0.0.0:0");
	colon = strrchr(host, ':');
	if (colon) {
		*colon = '\0';
		port = strtoul(colon + 1, &end, 10);
		if (*end || port > 65535)
			return fx_error("'%s': not ADDR:PORT", bind_to);
	}
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return fx_error("'%s': not an IPv4 address", host);
	sa.sin_port = htons((uint16_t)port);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->lfd, 4) < 0 || getsockname(s->lfd, (struct sockaddr *)&sa, &len) < 0)
		return fx_error_errno("cannot listen on '%s'", bind_to ? bind_to : host);
	s->port = ntohs(sa.sin_port);
	if (strcmp(host, "0.0.0.0") == 0)
		snprintf(s->host, sizeof(s->host), "%s", s->o->host ? s->o->host : "127.0.0.1");
	else
		snprintf(s->host, sizeof(s->host), "%s", s->o->host ? s->o->host : host);
	return 0;
}

static int listen_control(struct server *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char *path = fx_pair_control_path(fx_case_dir(s->c));
	mode_t old;
	int r = 0;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		r = fx_error("'%s': path too long for a socket", path);
		goto out;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* A socket left by a listener that died; a live one would still answer. */
	if (fx_pair_control_connect_quiet(fx_case_dir(s->c)) >= 0) {
		r = fx_error("a pairing session already serves this case");
		goto out;
	}
	unlink(path);
	s->cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	old = umask(0177);
	if (s->cfd < 0 || bind(s->cfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->cfd, 4) < 0)
		r = fx_error_errno("cannot make the control socket '%s'", path);
	umask(old);
out:
	free(path);
	return r;
}

int fx_pair_listen(const struct fx_pair_listen_opts *o)
{
	struct server s = {0};
	struct pollfd p[3];
	struct sigaction sa = {0};
	char *sock, *dir;
	int n, ret = -1;

	s.o = o;
	s.c = o->c;
	s.case_id = fx_case_id(o->c);
	s.lfd = s.cfd = s.afd = -1;
	s.granted = json_object();
	s.spent = json_array();
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	dir = fx_xasprintf("%s/pair/partial", fx_case_dir(s.c));
	n = fx_mkdirs(dir, 0700);
	free(dir);
	if (n < 0)
		goto out;
	s.ctx = fx_pair_tls_server(fx_case_dir(s.c), s.fp);
	if (!s.ctx || listen_tcp(&s, o->bind) < 0 || listen_control(&s) < 0 || new_token(&s) < 0)
		goto out;
	if (!o->quiet)
		fprintf(stderr, "%s: listening on %s:%u, certificate %s\n", fx_progname(), s.host,
			s.port, s.fp);
	ret = 0;
	while (!stopping) {
		p[0] = (struct pollfd){s.lfd, POLLIN, 0};
		p[1] = (struct pollfd){s.cfd, POLLIN, 0};
		p[2] = (struct pollfd){s.ssl ? s.afd : -1, POLLIN, 0};
		n = poll(p, 3, 1000);
		if (n <= 0)
			continue;
		if (p[2].revents)
			agent_event(&s);
		if (p[0].revents & POLLIN)
			join(&s);
		if (p[1].revents & POLLIN)
			control(&s);
	}
	if (s.ssl) {
		json_t *bye = json_pack("{s:s}", "op", "bye");

		s.io.timeout_ms = 2000;
		fx_pair_send(&s.io, bye);
		json_decref(bye);
		SSL_shutdown(s.ssl);
	}
out:
	if (s.cfd >= 0) {
		sock = fx_pair_control_path(fx_case_dir(s.c));
		unlink(sock);
		free(sock);
	}
	drop_agent(&s);
	if (s.lfd >= 0)
		close(s.lfd);
	if (s.cfd >= 0)
		close(s.cfd);
	SSL_CTX_free(s.ctx);
	json_decref(s.device);
	json_decref(s.granted);
	json_decref(s.spent);
	free(s.device_key);
	free(s.uri);
	return ret;
}
