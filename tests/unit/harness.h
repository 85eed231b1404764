/*
 * harness.h - the libfx unit-test harness. A test is a function declared
 * with FX_TEST(name) alone on its line; make collects them into list.h.
 */
#ifndef FX_HARNESS_H
#define FX_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "fx.h"

extern int t_failed;

/* Declares then defines, so each test has a prototype (-Wmissing-prototypes). */
#define FX_TEST(name) void name(void); void name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			t_failed++;                                          \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",      \
				__FILE__, __LINE__, #cond);                  \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                     \
			t_failed++;                                          \
			fprintf(stderr, "  %s:%d: '%s' != '%s'\n", __FILE__, \
				__LINE__, a_ ? a_ : "(null)",                \
				b_ ? b_ : "(null)");                         \
		}                                                            \
	} while (0)

#define CHECK_INT(a, b)                                                      \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (a_ != b_) {                                              \
			t_failed++;                                          \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", \
				__FILE__, __LINE__, #a, a_, b_);             \
		}                                                            \
	} while (0)

/* A fresh empty directory for the running test; removed at exit. Borrowed. */
const char *t_tmpdir(void);

/* Silences stderr around calls whose error messages are expected; pairs. */
void t_mute_stderr(void);
void t_unmute_stderr(void);

#endif
