#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_banned.h"

/* The one piece of process-wide state libfx keeps. */
static const char *progname = "fx";

void fx_init(int argc, char **argv)
{
	const char *slash;

	if (argc > 0 && argv[0] && *argv[0]) {
		slash = strrchr(argv[0], '/');
		progname = slash ? slash + 1 : argv[0];
	}
}

const char *fx_progname(void)
{
	return progname;
}

static void vreport(const char *level, const char *fmt, va_list ap, int err)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err)
		fprintf(stderr, "%s: %s: %s: %s\n", progname, level, msg, strerror(err));
	else
		fprintf(stderr, "%s: %s: %s\n", progname, level, msg);
}

int fx_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap, 0);
	va_end(ap);
	return -1;
}

int fx_error_errno(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vreport("error", fmt, ap, err);
	va_end(ap);
	errno = err;
	return -1;
}

void fx_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap, 0);
	va_end(ap);
}

void fx_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal", fmt, ap, 0);
	va_end(ap);
	exit(FX_EXIT_USAGE);
}

void fx_die_errno(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vreport("fatal", fmt, ap, err);
	va_end(ap);
	exit(FX_EXIT_USAGE);
}

static void *oom(size_t n)
{
	fprintf(stderr, "%s: fatal: out of memory allocating %zu bytes\n", progname, n);
	exit(FX_EXIT_USAGE);
}

void *fx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom(n);
}

void *fx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : oom(n * size);
}

void *fx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom(n);
}

char *fx_xstrdup(const char *s)
{
	char *d = strdup(s);

	return d ? d : oom(strlen(s) + 1);
}

char *fx_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return oom(0);
	s = fx_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fx_progress_init(struct fx_progress *p, int quiet)
{
	p->enabled = !quiet && isatty(STDERR_FILENO);
	p->last_ms = 0;
	p->shown = 0;
}

void fx_progress(struct fx_progress *p, const char *fmt, ...)
{
	va_list ap;
	long long now;

	if (!p->enabled)
		return;
	now = mono_ms();
	if (p->shown && now - p->last_ms < 200)
		return;
	p->last_ms = now;
	p->shown = 1;
	fprintf(stderr, "\r\033[K%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void fx_progress_done(struct fx_progress *p)
{
	if (p->enabled && p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
