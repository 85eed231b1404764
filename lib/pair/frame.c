/*
 * Length-framed JSON (and raw data chunks) over TLS or a plain socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_banned.h"

void fx_pair_io_init(struct fx_pair_io *io, SSL *ssl, int fd, const char *peer)
{
	int one = 1;

	memset(io, 0, sizeof(*io));
	io->ssl = ssl;
	io->fd = fd;
	io->peer = peer ? peer : "peer";
	io->next_id = 1;
	io->timeout_ms = 30000;
	io->check = 1;
	if (fd >= 0) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		/*
		 * Requests and answers are small and alternate: without this, each
		 * would wait for the delayed ACK of the one before (fails harmlessly
		 * on a Unix socket).
		 */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	/* A partial SSL_write() may go on from a moved buffer (ours never moves, but is reused). */
	if (ssl)
		SSL_set_mode(ssl,
			     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

void fx_pair_io_release(struct fx_pair_io *io)
{
	free(io->seen);
	free(io->out);
	io->seen = NULL;
	io->out = NULL;
	io->nseen = io->capseen = 0;
}

int fx_pair_random_hex(char *hex, size_t n)
{
	uint8_t b[32];

	if (n > sizeof(b) || RAND_bytes(b, (int)n) != 1)
		return fx_error("cannot get random bytes");
	fx_hex(b, n, hex);
	return 0;
}

/* Waits until fd is ready; SSL may hold buffered bytes, so ask it first. */
static int wait_fd(struct fx_pair_io *io, short ev)
{
	struct pollfd p = {io->fd, ev, 0};
	int r;

	if (ev == POLLIN && io->ssl && SSL_pending(io->ssl) > 0)
		return 0;
	do
		r = poll(&p, 1, io->timeout_ms > 0 ? io->timeout_ms : -1);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return r < 0 ? -1 : 0;
}

/*
 * The descriptor is non-blocking: read and write first, and wait (with
 * the timeout) only when the kernel has nothing, so that a bulk transfer
 * costs no poll() per TLS record.
 */

/* Returns 1 done, 0 clean EOF before any byte, -1 error (errno set). */
static int read_full(struct fx_pair_io *io, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t n;
	int r, e;

	while (got < len) {
		if (io->ssl) {
			ERR_clear_error();
			r = SSL_read(io->ssl, p + got, (int)(len - got));
			if (r > 0) {
				got += (size_t)r;
				continue;
			}
			e = SSL_get_error(io->ssl, r);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
				if (wait_fd(io, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) < 0)
					return -1;
				continue;
			}
			if (e == SSL_ERROR_ZERO_RETURN && got == 0)
				return 0;
			errno = e == SSL_ERROR_SYSCALL && errno ? errno : ECONNRESET;
			return -1;
		}
		n = read(io->fd, p + got, len - got);
		if (n > 0) {
			got += (size_t)n;
		} else if (n == 0) {
			if (got == 0)
				return 0;
			errno = ECONNRESET;
			return -1;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_fd(io, POLLIN) < 0)
				return -1;
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return 1;
}

static int write_full(struct fx_pair_io *io, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t put = 0;
	ssize_t n;
	int r, e;

	while (put < len) {
		if (io->ssl) {
			ERR_clear_error();
			r = SSL_write(io->ssl, p + put, (int)(len - put));
			if (r > 0) {
				put += (size_t)r;
				continue;
			}
			e = SSL_get_error(io->ssl, r);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
				if (wait_fd(io, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) < 0)
					return -1;
				continue;
			}
			errno = e == SSL_ERROR_SYSCALL && errno ? errno : EPIPE;
			return -1;
		}
		n = write(io->fd, p + put, len - put);
		if (n >= 0) {
			put += (size_t)n;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_fd(io, POLLOUT) < 0)
				return -1;
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

static void put_header(unsigned char *h, uint32_t v)
{
	h[0] = (unsigned char)(v >> 24);
	h[1] = (unsigned char)(v >> 16);
	h[2] = (unsigned char)(v >> 8);
	h[3] = (unsigned char)v;
}

int fx_pair_frame_header(const unsigned char hdr[4], size_t *len, const char **why)
{
	uint32_t v =
		(uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	int data = (v & FX_PAIR_DATA_BIT) != 0;

	*len = v & ~FX_PAIR_DATA_BIT;
	if (*len == 0) {
		*why = "empty frame";
		return -1;
	}
	if (*len > (data ? FX_PAIR_MAX_CHUNK : FX_PAIR_MAX_JSON)) {
		*why = "frame too large";
		return -1;
	}
	return data ? 2 : 1;
}

int fx_pair_send(struct fx_pair_io *io, json_t *msg)
{
	char nonce[FX_PAIR_NONCE_HEX], *s;
	size_t len;
	int r;

	if (fx_pair_random_hex(nonce, 16) < 0)
		return -1;
	json_object_set_new(msg, "v", json_integer(FX_PAIR_VERSION));
	json_object_set_new(msg, "id", json_integer((json_int_t)io->next_id++));
	json_object_set_new(msg, "nonce", json_string(nonce));
	s = json_dumps(msg, JSON_COMPACT);
	if (!s)
		return fx_error("cannot encode a message to %s", io->peer);
	len = strlen(s);
	if (len > FX_PAIR_MAX_JSON) {
		free(s);
		return fx_error("message to %s too large (%zu bytes)", io->peer, len);
	}
	/* Header and payload in one write: two would wait on each other's ACK (Nagle). */
	if (!io->out)
		io->out = fx_xmalloc(4 + FX_PAIR_MAX_CHUNK);
	put_header(io->out, (uint32_t)len);
	memcpy(io->out + 4, s, len);
	free(s);
	r = write_full(io, io->out, len + 4);
	if (r < 0)
		return fx_error_errno("cannot send to %s", io->peer);
	return 0;
}

int fx_pair_send_data(struct fx_pair_io *io, const void *buf, size_t n)
{
	if (n == 0 || n > FX_PAIR_MAX_CHUNK)
		return fx_error("bad chunk size %zu", n);
	/* One write, so that header and data go in one TLS record. */
	if (!io->out)
		io->out = fx_xmalloc(4 + FX_PAIR_MAX_CHUNK);
	put_header(io->out, (uint32_t)n | FX_PAIR_DATA_BIT);
	memcpy(io->out + 4, buf, n);
	if (write_full(io, io->out, n + 4) < 0)
		return fx_error_errno("cannot send to %s", io->peer);
	return 0;
}

static int seen_nonce(struct fx_pair_io *io, const char *nonce)
{
	size_t i;

	for (i = 0; i < io->nseen; i++)
		if (strcmp(io->seen[i], nonce) == 0)
			return 1;
	if (io->nseen == io->capseen) {
		io->capseen = io->capseen ? io->capseen * 2 : 64;
		io->seen = fx_xrealloc(io->seen, io->capseen * sizeof(*io->seen));
	}
	memcpy(io->seen[io->nseen++], nonce, FX_PAIR_NONCE_HEX);
	return 0;
}

/* The version, id and nonce rules. Returns NULL or why. */
static const char *check_envelope(struct fx_pair_io *io, const json_t *m)
{
	json_t *v = json_object_get(m, "v"), *id = json_object_get(m, "id");
	const char *nonce = json_string_value(json_object_get(m, "nonce"));

	if (!json_is_integer(v) || json_integer_value(v) != FX_PAIR_VERSION)
		return "unsupported protocol version";
	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    (uint64_t)json_integer_value(id) <= io->last_id)
		return "message id out of order (replay)";
	if (!nonce || strlen(nonce) != 32 || strspn(nonce, "0123456789abcdef") != 32)
		return "message without a nonce";
	if (seen_nonce(io, nonce))
		return "nonce seen before (replay)";
	io->last_id = (uint64_t)json_integer_value(id);
	return NULL;
}

int fx_pair_recv(struct fx_pair_io *io, json_t **msg, void *buf, size_t cap, size_t *n)
{
	unsigned char h[4];
	const char *why;
	json_error_t jerr;
	size_t len;
	char *s;
	int r, kind;

	*msg = NULL;
	r = read_full(io, h, 4);
	if (r == 0)
		return 0;
	if (r < 0)
		return fx_error_errno("connection to %s lost", io->peer);
	kind = fx_pair_frame_header(h, &len, &why);
	if (kind < 0)
		return fx_error("refused a frame from %s: %s (%zu bytes)", io->peer, why, len);
	if (kind == 2) {
		if (!buf || len > cap)
			return fx_error("refused a frame from %s: unexpected data", io->peer);
		if (read_full(io, buf, len) != 1)
			return fx_error_errno("connection to %s lost mid-frame", io->peer);
		*n = len;
		return 2;
	}
	s = fx_xmalloc(len + 1);
	if (read_full(io, s, len) != 1) {
		free(s);
		return fx_error_errno("connection to %s lost mid-frame", io->peer);
	}
	s[len] = '\0';
	*msg = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
	free(s);
	if (!*msg || !json_is_object(*msg)) {
		json_decref(*msg);
		*msg = NULL;
		return fx_error("refused a frame from %s: not a JSON object", io->peer);
	}
	if (io->check && (why = check_envelope(io, *msg)) != NULL) {
		json_decref(*msg);
		*msg = NULL;
		return fx_error("refused a frame from %s: %s", io->peer, why);
	}
	return 1;
}

int fx_pair_recv_msg(struct fx_pair_io *io, json_t **msg)
{
	int r = fx_pair_recv(io, msg, NULL, 0, NULL);

	if (r == 0)
		return fx_error("%s closed the connection", io->peer);
	return r == 1 ? 0 : -1;
}

int fx_pair_send_error(struct fx_pair_io *io, json_int_t re, const char *why)
{
	json_t *m = json_pack("{s:b,s:s}", "ok", 0, "error", why);
	int r;

	if (re > 0)
		json_object_set_new(m, "re", json_integer(re));
	r = fx_pair_send(io, m);
	json_decref(m);
	return r;
}
