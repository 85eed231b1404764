/*
 * The share root: what the holder offers. Every name the workstation asks
 * for is opened one component at a time below the root's descriptor, so
 * that neither "..", nor an absolute name, nor a symbolic link anywhere
 * on the way can lead outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_pair.h"
#include "fx_banned.h"

int fx_pair_open_under(int rootfd, const char *rel, const char **why)
{
	char comp[256];
	const char *p = rel, *slash;
	struct stat sb;
	size_t n;
	int dir = rootfd, fd, last;

	*why = "empty name";
	if (!rel || !*rel)
		return -1;
	*why = "absolute name";
	if (*rel == '/')
		return -1;
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		last = slash == NULL;
		*why = "name with an empty, '.' or '..' component";
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			goto fail;
		*why = "name component too long";
		if (n >= sizeof(comp))
			goto fail;
		memcpy(comp, p, n);
		comp[n] = '\0';
		fd = openat(dir, comp,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY));
		if (fd < 0) {
			*why = errno == ELOOP || errno == ENOTDIR
				       ? "a symbolic link or not a folder on the way"
				       : strerror(errno);
			goto fail;
		}
		if (dir != rootfd)
			close(dir);
		dir = fd;
		if (last)
			break;
		p = slash + 1;
	}
	*why = "not a regular file";
	if (fstat(dir, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(dir);
		return -1;
	}
	/* O_NONBLOCK only kept a FIFO from hanging the open. */
	fcntl(dir, F_SETFL, 0);
	*why = NULL;
	return dir;
fail:
	if (dir != rootfd)
		close(dir);
	return -1;
}
