/*
 * The control socket: fx-auth and fx-pull reach the session that
 * fx-pair listen holds through a Unix-domain socket in the case, mode
 * 0600 in a folder of mode 0700, so only the examiner's account can.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fx_err.h"
#include "fx_io.h"
#include "fx_pair.h"
#include "fx_banned.h"

char *fx_pair_control_path(const char *case_dir)
{
	return fx_xasprintf("%s/pair/control.sock", case_dir);
}

static int connect_to(const char *case_dir, int quiet)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char *path = fx_pair_control_path(case_dir);
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fx_error("'%s': path too long for a socket", path);
		free(path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (!quiet)
			fx_error("cannot reach the pairing session of '%s': %s (is fx-pair listen "
				 "running?)",
				 case_dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int fx_pair_control_connect(const char *case_dir)
{
	return connect_to(case_dir, 0);
}

int fx_pair_control_connect_quiet(const char *case_dir)
{
	int fd = connect_to(case_dir, 1);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -1;
}
