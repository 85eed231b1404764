#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_banned.h"

int fx_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fx_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

char *fx_read_file(const char *path, size_t *len, size_t max)
{
	size_t cap = 8192, n = 0;
	char *buf;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fx_error_errno("cannot open '%s'", path);
		return NULL;
	}
	buf = fx_xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			buf = fx_xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fx_error_errno("cannot read '%s'", path);
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (max && n > max) {
			fx_error("'%s' is larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

int fx_read_blocks(const char *path, int (*fn)(const void *buf, size_t n, void *ctx),
		   void *ctx, uint64_t *size)
{
	static const size_t bufsize = 1 << 20;
	uint64_t total = 0;
	char *buf;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fx_error_errno("cannot open '%s'", path);
	buf = fx_xmalloc(bufsize);
	while ((n = read(fd, buf, bufsize)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = fx_error_errno("cannot read '%s' at offset %llu", path,
					     (unsigned long long)total);
			break;
		}
		total += (uint64_t)n;
		if (fn(buf, (size_t)n, ctx) < 0) {
			ret = -1;
			break;
		}
	}
	free(buf);
	close(fd);
	if (size)
		*size = total;
	return ret;
}

static int fsync_dir_of(const char *path)
{
	char *dir = fx_xstrdup(path), *slash = strrchr(dir, '/');
	int fd, ret = 0;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else {
		free(dir);
		dir = fx_xstrdup(".");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		ret = fx_error_errno("cannot sync directory '%s'", dir);
	if (fd >= 0)
		close(fd);
	free(dir);
	return ret;
}

int fx_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp = fx_xasprintf("%s.tmp-%ld", path, (long)getpid());
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		fx_error_errno("cannot create '%s'", tmp);
		free(tmp);
		return -1;
	}
	if (fx_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		fx_error_errno("cannot write '%s'", path);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		fx_error_errno("cannot write '%s'", path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return fsync_dir_of(path);
}

int fx_mkdirs(const char *path, mode_t mode)
{
	char *p = fx_xstrdup(path), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				fx_error_errno("cannot create directory '%s'", p);
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fx_error("'%s' is not a directory", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int fx_close_stdout(void)
{
	int err = ferror(stdout);

	if (fclose(stdout) != 0 || err) {
		/* A reader that went away is not our failure to report. */
		if (errno == EPIPE)
			return 0;
		return fx_error_errno("cannot write to standard output");
	}
	return 0;
}

char *fx_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n && dir[n - 1] == '/')
		return fx_xasprintf("%s%s", dir, name);
	return fx_xasprintf("%s/%s", dir, name);
}

const char *fx_datadir(void)
{
	const char *env = getenv("FX_DATADIR");

	return env && *env ? env : FX_DATADIR;
}

char *fx_home(void)
{
	const char *env = getenv("FX_HOME");
	const char *home;
	struct passwd *pw;

	if (env && *env)
		return fx_xstrdup(env);
	env = getenv("XDG_CONFIG_HOME");
	if (env && *env)
		return fx_path_join(env, "fx");
	home = getenv("HOME");
	if ((!home || !*home) && (pw = getpwuid(getuid())))
		home = pw->pw_dir;
	return fx_xasprintf("%s/.config/fx", home ? home : ".");
}
