/*
 * fx-pair agent: the device end. It trusts one certificate (the
 * fingerprint in the code), asks its user before anything leaves, and
 * reads only below ROOT (see root.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_record.h"
#include "fx_pair.h"
#include "fx_time.h"
#include "fx_walk.h"
#include "fx_banned.h"

struct agent {
	const struct fx_pair_agent_opts *o;
	struct fx_pair_uri u;
	int rootfd;
	char *answers; /* the consent file, or NULL */
	json_t *identity;
	char resume[FX_PAIR_TOKEN_HEX];
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	struct fx_pair_io io;
	uint8_t key[FX_PAIR_KEY_LEN];
	json_t *granted;  /* category -> 1 */
	json_t *selected; /* path -> category */
	uint64_t sent;    /* file bytes sent, for the cut test hook */
	long long cut_at; /* FX_PAIR_UNSAFE_TEST=cut=N; -1 none */
	int rogue;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void say(struct agent *a, const char *fmt, const char *arg)
{
	if (!a->o->quiet) {
		fprintf(stderr, "%s: ", fx_progname());
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
}

/* ---- what the holder answers ---- */

/*
 * The consent file's line for key ("sms", "select chat"): the words after
 * it, malloc'd, or NULL when there is none. Lines: "CATEGORY yes|no",
 * "CATEGORY code DIGITS", "CATEGORY qr IMAGE", "select CATEGORY PATTERN...".
 */
static char *answer_of(struct agent *a, const char *key)
{
	size_t k = strlen(key), n;
	const char *p, *end;
	char *s;

	for (p = a->answers; p && *p; p = end + (*end != '\0')) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > k && strncmp(p, key, k) == 0 && p[k] == ' ') {
			n = (size_t)(end - p) - k - 1;
			s = fx_xmalloc(n + 1);
			memcpy(s, p + k + 1, n);
			s[n] = '\0';
			return s;
		}
	}
	return NULL;
}

/* A line from the terminal after a prompt; NULL at end of input. Caller frees. */
static char *ask_user(const char *prompt, const char *arg)
{
	char line[1024];
	size_t n;

	fprintf(stderr, prompt, arg);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return fx_xstrdup(line);
}

static int yes(const char *s)
{
	return s && (strcmp(s, "y") == 0 || strcmp(s, "Y") == 0 || strcmp(s, "yes") == 0);
}

/* ---- requests ---- */

static int send_reply(struct agent *a, json_int_t re, json_t *m)
{
	int r;

	json_object_set_new(m, "re", json_integer(re));
	r = fx_pair_send(&a->io, m);
	json_decref(m);
	return r;
}

static int refuse(struct agent *a, json_int_t re, const char *why, const char *what)
{
	char *msg = fx_xasprintf("%s: %s", what, why);
	json_t *m = json_pack("{s:b,s:s}", "ok", 0, "error", msg);

	if (!a->o->quiet)
		fprintf(stderr, "%s: refused: %s\n", fx_progname(), msg);
	free(msg);
	return send_reply(a, re, m);
}

static int do_consent(struct agent *a, json_int_t re, const json_t *req)
{
	const char *category = json_string_value(json_object_get(req, "category"));
	const char *nonce = json_string_value(json_object_get(req, "nonce_c"));
	const struct fx_pair_category *cat = fx_pair_category_find(category);
	char *ans = NULL, *code = NULL, *sp;
	const char *why, *method = "confirm";
	char at[FX_TIME_LEN];
	json_t *m;
	int granted = 0;

	if (!cat || !nonce)
		return refuse(a, re, "not a consent category", category ? category : "?");
	if (a->answers)
		ans = answer_of(a, category);
	else if (!cat->active)
		ans = ask_user("Share your %s with the examiner? [y/N] ", cat->doc);
	else
		ans = ask_user("To share your %s, scan the code on the examiner's screen: give a "
			       "photo of it (path) or type its 8-digit code (empty: no): ",
			       cat->doc);
	if (!cat->active) {
		granted = yes(ans);
	} else if (ans && *ans && strcmp(ans, "no") != 0) {
		/* "code DIGITS", "qr IMAGE", or as typed: digits or an image path. */
		sp = strchr(ans, ' ');
		if (strncmp(ans, "code ", 5) == 0) {
			code = fx_xstrdup(sp + 1);
			method = "code";
		} else if (strncmp(ans, "qr ", 3) == 0 ||
			   strspn(ans, "0123456789") != strlen(ans)) {
			code = fx_pair_qr_read(strncmp(ans, "qr ", 3) == 0 ? sp + 1 : ans,
					       "fxconsent:");
			method = "qr";
		} else {
			code = fx_xstrdup(ans);
			method = "code";
		}
		why = code ? fx_pair_consent_check(a->key, category, a->u.case_id, nonce, code)
			   : "no consent code could be read";
		if (why) {
			free(ans);
			free(code);
			return refuse(a, re, why, category);
		}
		granted = 1;
	}
	free(ans);
	fx_time_now(at);
	m = json_pack("{s:b,s:s,s:b,s:s,s:s}", "ok", 1, "category", category, "granted", granted,
		      "method", method, "at", at);
	if (code)
		json_object_set_new(m, "code", json_string(code));
	free(code);
	if (granted)
		json_object_set_new(a->granted, category, json_true());
	else
		json_object_del(a->granted, category);
	say(a, granted ? "consent given: %s" : "consent refused: %s", category);
	return send_reply(a, re, m);
}

/* The user's choice among n items: all, none, or numbers like 1,3-5. */
static int chosen(const char *sel, size_t i, const char *path)
{
	const char *p = sel;
	char *end;
	unsigned long lo, hi;

	if (!sel || !*sel || strcmp(sel, "a") == 0 || strcmp(sel, "all") == 0)
		return 1;
	if (strcmp(sel, "n") == 0 || strcmp(sel, "none") == 0)
		return 0;
	if (strspn(sel, "0123456789,- ") != strlen(sel)) {
		/* Patterns, from the consent file: "select chat *WhatsApp*". */
		char *copy = fx_xstrdup(sel), *tok, *save = NULL;
		int hit = 0;

		for (tok = strtok_r(copy, " ", &save); tok && !hit;
		     tok = strtok_r(NULL, " ", &save))
			hit = fnmatch(tok, path, 0) == 0;
		free(copy);
		return hit;
	}
	while (*p) {
		lo = strtoul(p, &end, 10);
		hi = *end == '-' ? strtoul(end + 1, &end, 10) : lo;
		if (i + 1 >= lo && i + 1 <= hi)
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

static int do_list(struct agent *a, json_int_t re, const json_t *req)
{
	const char *category = json_string_value(json_object_get(req, "category"));
	const struct fx_pair_category *cat = fx_pair_category_find(category);
	struct fx_walk *w;
	struct fx_walk_entry *e;
	json_t *found = json_array(), *items = json_array(), *it;
	char *sel = NULL, *key;
	size_t i;
	int r;

	if (!cat)
		r = refuse(a, re, "not a consent category", category ? category : "?");
	else if (!json_object_get(a->granted, category) && !a->rogue)
		r = refuse(a, re, "category not consented by the holder", category);
	else
		r = 1;
	if (r != 1)
		goto out;
	w = fx_walk_open(a->o->share);
	if (!w) {
		r = refuse(a, re, "cannot read the shared folder", category);
		goto out;
	}
	while ((r = fx_walk_next(w, &e)) != 0)
		if (r > 0 && e->kind == FX_WALK_FILE && !e->flags &&
		    (a->rogue || fx_pair_category_match(cat, e->path)))
			json_array_append_new(found, json_pack("{s:s,s:I}", "path", e->path, "size",
							       (json_int_t)e->size));
	fx_walk_free(w);
	if (a->answers) {
		key = fx_xasprintf("select %s", category);
		sel = answer_of(a, key);
		free(key);
	} else if (json_array_size(found)) {
		fprintf(stderr, "%s: %zu items of %s:\n", fx_progname(), json_array_size(found),
			cat->doc);
		json_array_foreach(found, i, it)
			fprintf(stderr, "  %3zu  %s (%lld bytes)\n", i + 1,
				json_string_value(json_object_get(it, "path")),
				(long long)json_integer_value(json_object_get(it, "size")));
		sel = ask_user("%s", "Send which? [a]ll, numbers (1,3-5), or [n]one: ");
		if (!sel)
			sel = fx_xstrdup("none");
	}
	json_array_foreach(found, i, it)
	{
		if (!chosen(sel, i, json_string_value(json_object_get(it, "path"))))
			continue;
		json_array_append(items, it);
		json_object_set_new(a->selected, json_string_value(json_object_get(it, "path")),
				    json_string(category));
	}
	if (!a->o->quiet)
		fprintf(stderr, "%s: %zu of %zu items of %s selected\n", fx_progname(),
			json_array_size(items), json_array_size(found), category);
	it = json_pack("{s:b,s:s,s:O}", "ok", 1, "category", category, "items", items);
	r = send_reply(a, re, it);
out:
	free(sel);
	json_decref(found);
	json_decref(items);
	return r;
}

/* Ends the connection as a cut cable would: no close_notify, no goodbye. */
static void cut(struct agent *a)
{
	say(a, "%s", "test hook: cutting the connection mid-file");
	shutdown(a->fd, SHUT_RDWR);
	a->cut_at = -1;
}

/*
 * A file is read and hashed by a second thread while this one encrypts and
 * sends the chunks before: a ring of chunk buffers between them, in order.
 */
#define SLOTS 8

struct source {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *buf[SLOTS];
	size_t off[SLOTS], len[SLOTS]; /* what to send of each slot */
	unsigned head, count;          /* filled slots: head .. head + count - 1 */
	int fd, err, eof, stop;
	uint64_t size, offset, pos; /* pos: bytes read and hashed */
	struct fx_hash *h;
};

static void *source_main(void *arg)
{
	struct source *q = arg;
	uint64_t skip;
	unsigned i;
	ssize_t n;

	pthread_mutex_lock(&q->mu);
	while (q->pos < q->size && !q->stop) {
		while (q->count == SLOTS && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->stop)
			break;
		i = (q->head + q->count) % SLOTS;
		pthread_mutex_unlock(&q->mu);
		n = read(q->fd, q->buf[i], FX_PAIR_MAX_CHUNK);
		pthread_mutex_lock(&q->mu);
		if (n <= 0) {
			q->err = n < 0 ? errno : EIO; /* shorter than it was */
			break;
		}
		if (q->pos + (uint64_t)n > q->size)
			n = (ssize_t)(q->size - q->pos);
		pthread_mutex_unlock(&q->mu);
		/* The whole file is hashed; the part before offset only not sent again. */
		fx_hash_update(q->h, q->buf[i], (size_t)n);
		pthread_mutex_lock(&q->mu);
		skip = q->pos < q->offset ? q->offset - q->pos : 0;
		if (skip > (uint64_t)n)
			skip = (uint64_t)n;
		q->pos += (uint64_t)n;
		if ((uint64_t)n == skip)
			continue;
		q->off[i] = (size_t)skip;
		q->len[i] = (size_t)n - (size_t)skip;
		q->count++;
		pthread_cond_broadcast(&q->cv);
	}
	q->eof = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The next chunk to send: 1 with *p and *n, 0 at the end (q->err says how it ended). */
static int source_next(struct source *q, unsigned char **p, size_t *n)
{
	int r = 0;

	pthread_mutex_lock(&q->mu);
	while (!q->count && !q->eof)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->count) {
		*p = q->buf[q->head] + q->off[q->head];
		*n = q->len[q->head];
		r = 1;
	}
	pthread_mutex_unlock(&q->mu);
	return r;
}

/* The chunk source_next() gave is sent: its buffer is free again. */
static void source_done(struct source *q)
{
	pthread_mutex_lock(&q->mu);
	q->head = (q->head + 1) % SLOTS;
	q->count--;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Stops the reader (when sending failed, or at the end) and waits for it. */
static void source_end(struct source *q, int started)
{
	unsigned i;

	if (started) {
		pthread_mutex_lock(&q->mu);
		q->stop = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		pthread_join(q->t, NULL);
	}
	for (i = 0; i < SLOTS; i++)
		free(q->buf[i]);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

static int do_get(struct agent *a, json_int_t re, const json_t *req)
{
	const char *category = json_string_value(json_object_get(req, "category"));
	const char *path = json_string_value(json_object_get(req, "path"));
	json_int_t offset = json_integer_value(json_object_get(req, "offset"));
	const char *sel = path ? json_string_value(json_object_get(a->selected, path)) : NULL;
	const char *why;
	struct fx_hash *h;
	struct source q;
	unsigned char *buf;
	char hex[FX_SHA256_HEX];
	uint8_t md[32];
	struct stat sb;
	uint64_t pos;
	size_t n;
	unsigned i;
	int fd, r = 0, started = 0;

	if (!path || !category)
		return refuse(a, re, "malformed request", "get");
	if (!a->rogue &&
	    (!json_object_get(a->granted, category) || !sel || strcmp(sel, category) != 0))
		return refuse(a, re, "not consented and selected by the holder", path);
	fd = fx_pair_open_under(a->rootfd, path, &why);
	if (fd < 0)
		return refuse(a, re, why, path);
	if (fstat(fd, &sb) < 0 || offset < 0 || (uint64_t)offset > (uint64_t)sb.st_size) {
		close(fd);
		return refuse(a, re, "bad offset", path);
	}
	r = send_reply(a, re,
		       json_pack("{s:b,s:s,s:I,s:I}", "ok", 1, "path", path, "size",
				 (json_int_t)sb.st_size, "offset", offset));
	h = fx_hash_new(FX_HASH_SHA256);
	memset(&q, 0, sizeof(q));
	q.fd = fd;
	q.h = h;
	q.size = (uint64_t)sb.st_size;
	q.offset = (uint64_t)offset;
	for (i = 0; i < SLOTS; i++)
		q.buf[i] = fx_xmalloc(FX_PAIR_MAX_CHUNK);
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	if (r == 0) {
		if (pthread_create(&q.t, NULL, source_main, &q) != 0)
			r = fx_error("cannot start a thread");
		else
			started = 1;
	}
	while (started && r == 0 && source_next(&q, &buf, &n)) {
		if (a->cut_at >= 0 && a->sent + n > (uint64_t)a->cut_at) {
			/* Half this chunk, then the cut. */
			fx_pair_send_data(&a->io, buf, n / 2);
			cut(a);
			r = -1;
			break;
		}
		r = fx_pair_send_data(&a->io, buf, n);
		a->sent += n;
		source_done(&q);
	}
	source_end(&q, started);
	if (r == 0 && q.err) {
		errno = q.err;
		r = fx_error_errno("cannot read '%s'", path);
	}
	pos = q.pos;
	close(fd);
	if (r == 0) {
		fx_hash_final(h, md);
		r = send_reply(a, 0,
			       json_pack("{s:b,s:s,s:s,s:I}", "ok", 1, "op", "end", "sha256",
					 fx_hex(md, 32, hex), "size", (json_int_t)pos));
	}
	fx_hash_free(h);
	return r;
}

/* ---- the connection ---- */

static void hang_up(struct agent *a)
{
	if (a->ssl)
		SSL_free(a->ssl);
	if (a->fd >= 0)
		close(a->fd);
	fx_pair_io_release(&a->io);
	a->ssl = NULL;
	a->fd = -1;
}

static int tcp_connect(const char *host, unsigned port)
{
	struct addrinfo hints = {0}, *res, *ai;
	char ps[16];
	int fd = -1, rc;

	hints.ai_socktype = SOCK_STREAM;
	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(host, ps, &hints, &res);
	if (rc != 0)
		return fx_error("cannot resolve '%s': %s", host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		fx_error_errno("cannot connect to %s:%u", host, port);
	return fd;
}

/* Connects and says hello. Returns 1 paired, 0 refused (final), -1 unreachable. */
static int connect_once(struct agent *a)
{
	char fp[FX_SHA256_HEX];
	json_t *hello, *ans = NULL;
	const char *why;
	int r;

	a->fd = tcp_connect(a->u.host, a->u.port);
	if (a->fd < 0)
		return -1;
	a->ssl = SSL_new(a->ctx);
	SSL_set_fd(a->ssl, a->fd);
	SSL_set_tlsext_host_name(a->ssl, a->u.host);
	if (SSL_connect(a->ssl) != 1) {
		fx_error("TLS handshake with %s:%u failed", a->u.host, a->u.port);
		hang_up(a);
		return -1;
	}
	/* The pin: only the certificate named in the code will do. */
	if (fx_pair_peer_fingerprint(a->ssl, fp) < 0 || strcmp(fp, a->u.fp) != 0) {
		fx_error("refused %s:%u: its certificate %s is not the one in the pairing code "
			 "(%s): a man in the middle?",
			 a->u.host, a->u.port, fp, a->u.fp);
		hang_up(a);
		return 0;
	}
	fx_pair_io_init(&a->io, a->ssl, a->fd, "the workstation");
	a->io.timeout_ms = 15000;
	hello = json_pack("{s:s,s:s,s:O}", "op", "hello", "case", a->u.case_id, "device",
			  a->identity);
	if (a->resume[0])
		json_object_set_new(hello, "resume", json_string(a->resume));
	else
		json_object_set_new(hello, "token", json_string(a->u.token));
	r = fx_pair_send(&a->io, hello);
	json_decref(hello);
	if (r < 0 || fx_pair_recv_msg(&a->io, &ans) < 0) {
		hang_up(a);
		return -1;
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		why = json_string_value(json_object_get(ans, "error"));
		fx_error("the workstation refused the pairing: %s", why ? why : "no reason given");
		json_decref(ans);
		hang_up(a);
		return 0;
	}
	if (!a->resume[0]) {
		why = json_string_value(json_object_get(ans, "resume"));
		snprintf(a->resume, sizeof(a->resume), "%s", why ? why : "");
	}
	json_decref(ans);
	fx_pair_session_key(a->ssl, a->key);
	a->io.timeout_ms = 60000;
	return 1;
}

/* Serves requests until bye, a signal, or a lost connection. Returns 0 bye, -1 lost. */
static int serve(struct agent *a)
{
	struct pollfd p;
	const char *op;
	json_int_t id;
	json_t *m;
	int r;

	while (!stopping) {
		p = (struct pollfd){a->fd, POLLIN, 0};
		if (SSL_pending(a->ssl) == 0 && poll(&p, 1, 500) <= 0)
			continue;
		r = fx_pair_recv(&a->io, &m, NULL, 0, NULL);
		if (r <= 0)
			return -1;
		op = json_string_value(json_object_get(m, "op"));
		id = json_integer_value(json_object_get(m, "id"));
		if (!op)
			r = refuse(a, id, "no op", "request");
		else if (!strcmp(op, "bye"))
			r = 1;
		else if (!strcmp(op, "consent"))
			r = do_consent(a, id, m);
		else if (!strcmp(op, "revoke")) {
			json_object_del(a->granted,
					json_string_value(json_object_get(m, "category")));
			r = send_reply(a, id, json_pack("{s:b}", "ok", 1));
		} else if (!strcmp(op, "list"))
			r = do_list(a, id, m);
		else if (!strcmp(op, "get"))
			r = do_get(a, id, m);
		else
			r = refuse(a, id, "unknown request", op);
		json_decref(m);
		if (r == 1) {
			say(a, "%s", "the workstation ended the session");
			return 0;
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Model and serial from ROOT's build.prop, when the holder offers a phone's tree. */
static void identity_from_root(struct agent *a)
{
	static const char *const props[] = {"system/build.prop", "build.prop",
					    "system/system/build.prop"};
	static const char *const keys[][2] = {
		{"ro.product.model=", "model"},
		{"ro.product.manufacturer=", "manufacturer"},
		{"ro.serialno=", "serial"},
		{"ro.boot.serialno=", "serial"},
	};
	char buf[65536], *line, *save = NULL, *v;
	const char *why;
	size_t i, k;
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		fd = fx_pair_open_under(a->rootfd, props[i], &why);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				if (strncmp(line, keys[k][0], strlen(keys[k][0])) == 0 &&
				    !json_object_get(a->identity, keys[k][1])) {
					v = line + strlen(keys[k][0]);
					v[strcspn(v, "\r")] = '\0';
					json_object_set_new(a->identity, keys[k][1],
							    fx_json_text(v, strlen(v)));
				}
		return;
	}
}

int fx_pair_agent(const struct fx_pair_agent_opts *o)
{
	struct agent a = {0};
	struct sigaction sa = {0};
	const char *why, *t;
	char *uri = NULL;
	size_t len;
	unsigned tries = 0;
	int r, ret = -1;
	json_t *bye;

	a.o = o;
	a.fd = -1;
	a.cut_at = -1;
	a.granted = json_object();
	a.selected = json_object();
	a.identity = json_object();
	t = getenv("FX_PAIR_UNSAFE_TEST");
	a.rogue = t && strstr(t, "rogue") != NULL;
	if (t && strstr(t, "cut="))
		a.cut_at = strtoll(strstr(t, "cut=") + 4, NULL, 10);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	uri = o->uri ? fx_xstrdup(o->uri) : fx_pair_qr_read(o->qr, "fxpair://");
	if (!uri)
		goto out;
	if (fx_pair_uri_parse(uri, &a.u, &why) < 0) {
		fx_error("'%s': %s", o->uri ? o->uri : o->qr, why);
		goto out;
	}
	a.rootfd = open(o->share, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a.rootfd < 0) {
		fx_error_errno("cannot open the shared folder '%s'", o->share);
		goto out;
	}
	if (o->consent_file && !(a.answers = fx_read_file(o->consent_file, &len, 1 << 20)))
		goto out;
	if (o->model)
		json_object_set_new(a.identity, "model", json_string(o->model));
	if (o->serial)
		json_object_set_new(a.identity, "serial", json_string(o->serial));
	if (o->imei)
		json_object_set_new(a.identity, "imei", json_string(o->imei));
	identity_from_root(&a);
	a.ctx = fx_pair_tls_client();
	if (!a.ctx)
		goto out;
	ret = 1;
	while (!stopping) {
		r = connect_once(&a);
		if (r == 0)
			break;
		if (r < 0) {
			if (!a.resume[0] || tries++ >= o->retries)
				break;
			sleep(1);
			continue;
		}
		tries = 0;
		if (!o->quiet)
			fprintf(stderr, "%s: paired with %s:%u for case %s\n", fx_progname(),
				a.u.host, a.u.port, a.u.case_id);
		if (serve(&a) == 0) {
			ret = 0;
			break;
		}
		hang_up(&a);
		say(&a, "%s", "connection lost: reconnecting to resume");
	}
	if (stopping && a.ssl) {
		/* Leaving on purpose: the workstation ends the pairing. */
		bye = json_pack("{s:s}", "op", "bye");
		a.io.timeout_ms = 2000;
		fx_pair_send(&a.io, bye);
		json_decref(bye);
		SSL_shutdown(a.ssl);
		ret = 0;
	}
out:
	hang_up(&a);
	if (a.rootfd > 0)
		close(a.rootfd);
	SSL_CTX_free(a.ctx);
	json_decref(a.granted);
	json_decref(a.selected);
	json_decref(a.identity);
	free(a.answers);
	free(uri);
	return ret;
}
