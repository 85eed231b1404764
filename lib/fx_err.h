/*
 * fx_err.h - program name, messages, exit status and allocation that
 * cannot fail.
 *
 * Messages have one shape: "fx-pull: error: cannot open 'x.img': reason",
 * lowercase, the subject quoted, no full stop. Library functions report
 * with fx_error() and return -1 (or NULL); only cmd/ exits.
 */
#ifndef FX_ERR_H
#define FX_ERR_H

#include <stddef.h>

enum fx_exit {
	FX_EXIT_OK = 0,    /* success */
	FX_EXIT_FAIL = 1,  /* negative result or partial failure */
	FX_EXIT_USAGE = 2, /* usage error or fatal trouble */
};

/* Sets the program name from argv[0]; first line of every main(). */
void fx_init(int argc, char **argv);
/* The program name set by fx_init() ("fx" before). Borrowed. */
const char *fx_progname(void);

/* Print "prog: error: ..." to stderr; always return -1. */
int fx_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As fx_error(), with ": strerror(errno)" appended. */
int fx_error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: warning: ..." to stderr. */
void fx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: fatal: ..." and exit FX_EXIT_USAGE. For cmd/ only. */
void fx_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void fx_die_errno(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Allocation that dies on out-of-memory (git's xmalloc). Caller frees. */
void *fx_xmalloc(size_t n);
void *fx_xcalloc(size_t n, size_t size);
void *fx_xrealloc(void *p, size_t n);
char *fx_xstrdup(const char *s);
/* Returns a malloc'd formatted string; caller frees. */
char *fx_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Progress on stderr, only when stderr is a terminal and not quiet.
 * The line is rewritten in place and rate-limited to a few updates a
 * second; fx_progress_done() ends it.
 */
struct fx_progress {
	int enabled;
	long long last_ms;
	int shown;
};
void fx_progress_init(struct fx_progress *p, int quiet);
void fx_progress(struct fx_progress *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fx_progress_done(struct fx_progress *p);

#endif
