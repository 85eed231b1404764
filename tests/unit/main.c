/*
 * The unit-test runner: runs every FX_TEST (or those whose names contain
 * argv[1]), prints ok/FAIL per test and ends with "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

int t_failed;
static char tmpdir[4096];

#undef FX_TEST
#define FX_TEST(name) void name(void);
#include "list.h"

#undef FX_TEST
#define FX_TEST(name) { #name, name },
static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#include "list.h"
};

const char *t_tmpdir(void)
{
	return tmpdir;
}

static int saved_stderr = -1;

void t_mute_stderr(void)
{
	fflush(stderr);
	saved_stderr = dup(2);
	if (!freopen("/dev/null", "w", stderr))
		perror("freopen");
}

void t_unmute_stderr(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
}

static void rm_rf(const char *dir)
{
	char *cmd = fx_xasprintf("chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);

	if (system(cmd) != 0)
		fprintf(stderr, "warning: cannot remove %s\n", dir);
	free(cmd);
}

int main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int passed = 0, failed = 0;
	size_t i;

	fx_init(argc, argv);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		snprintf(tmpdir, sizeof(tmpdir), "%s/fx-unit-XXXXXX", base);
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			return 2;
		}
		t_failed = 0;
		tests[i].fn();
		rm_rf(tmpdir);
		if (t_failed) {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		} else {
			printf("ok   %s\n", tests[i].name);
			passed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
