/*
 * Runs a libFuzzer target without libFuzzer: once over each file named,
 * or each file in each folder named (a seed corpus). What the sanitizers
 * of a SANITIZE=1 build find makes it fail; so does a crash.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run(const char *path)
{
	size_t len;
	char *buf = fx_read_file(path, &len, 64u << 20);

	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char *p;
	int i, n = 0, ret = 0;

	fx_init(argc, argv);
	/* The inputs are hostile on purpose: what they make the carver say is expected. */
	if (!freopen("/dev/null", "w", stderr))
		return 2;
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			d = opendir(argv[i]);
			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				p = fx_path_join(argv[i], e->d_name);
				ret |= run(p) < 0;
				n++;
				free(p);
			}
			if (d)
				closedir(d);
		} else {
			ret |= run(argv[i]) < 0;
			n++;
		}
	}
	printf("%s: %d inputs\n", argv[0], n);
	return ret;
}
