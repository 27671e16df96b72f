// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_fdsock.c - token -> memfd socket for the preload shim.
 *
 * The socket is world-connectable (any client of the device may need its
 * buffers) but gives nothing away without a token, and a token is only
 * honoured for the process that obtained it through an ioctl on its own
 * open of the video node.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dd_os.h"
#include "dd_cuse_priv.h"
#include "cuse_fdsock.h"

static int dd_fdsock_fd = -1;
static dd_cuse_redeem_fn dd_fdsock_redeem;

static void dd_cuse_fdsock_serve(int c)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct dd_cuse_token_req rq;
	struct dd_cuse_token_rep rp = { .magic = DD_CUSE_MAGIC };
	struct iovec iov = { .iov_base = &rp, .iov_len = sizeof(rp) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	int fd = -1;

	if (recv(c, &rq, sizeof(rq), 0) != sizeof(rq) || rq.magic != DD_CUSE_MAGIC)
		return;
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &cl)) {
		rp.status = -errno;
	} else {
		uint64_t length = 0;

		fd = dd_fdsock_redeem(rq.token, cred.pid, &length);
		rp.length = length;
		if (fd < 0) {
			rp.status = fd;
			dd_warn("cuse: buffer token refused for pid %d: %s",
				(int)cred.pid, strerror(-fd));
		}
	}
	if (fd >= 0) {
		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), &fd, sizeof(int));
	}
	sendmsg(c, &mh, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
}

static void *dd_cuse_fdsock_thread(void *arg)
{
	struct timeval tv = { .tv_sec = 2 };
	int c;

	for (;;) {
		c = accept4(dd_fdsock_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			dd_err("cuse: fd socket accept: %s", strerror(errno));
			usleep(100 * 1000);
			continue;
		}
		/* A silent peer must not stall everyone else for long. */
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		dd_cuse_fdsock_serve(c);
		close(c);
	}
	return NULL;
}

int dd_cuse_fdsock_start(const char *path, dd_cuse_redeem_fn redeem)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pthread_t t;
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	chmod(path, 0666);
	dd_fdsock_fd = fd;
	dd_fdsock_redeem = redeem;
	ret = pthread_create(&t, NULL, dd_cuse_fdsock_thread, NULL);
	if (ret) {
		close(fd);
		return -ret;
	}
	pthread_detach(t);
	return 0;
}
