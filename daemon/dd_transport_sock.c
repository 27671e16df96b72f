// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_transport_sock.c - the unix SOCK_SEQPACKET socket the CUSE server
 * connects to.  One recvmsg() is one message; CAPTURE buffer fds ride on
 * the JOB message as SCM_RIGHTS and are closed once the job is done.
 *
 * Whoever connects can make the daemon write pictures into memory it
 * names, so the socket is the daemon's user and group only: mode 0660,
 * bound under umask 0117 so it never exists with wider permissions (a
 * chmod after bind() leaves a window), and the listen fails if the mode
 * cannot be set.  The CUSE server runs as root or in the daemon's group.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dd_transport.h"

static int dd_sock_recv(struct dd_peer *peer, struct dd_rx *rx)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * DD_RX_MAX_FDS)];
	} ctl;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;
	u8 dummy;

	memset(rx, 0, sizeof(*rx));
	/* Learn the size first (no control buffer: no fds are taken yet). */
	iov.iov_base = &dummy;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(peer->fd, &mh, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return -EAGAIN;
		dd_err("%s: recvmsg: %s", peer->name, strerror(errno));
		return -EPIPE;
	}
	if (n == 0)
		return -EPIPE;
	if ((size_t)n > DD_PROTO_MAX_MSG) {
		/* Consume and reject it below via the header check. */
		n = DD_PROTO_MAX_MSG;
	}
	rx->buf = malloc(n);
	if (!rx->buf)
		return -ENOMEM;
	iov.iov_base = rx->buf;
	iov.iov_len = n;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	n = recvmsg(peer->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n <= 0) {
		free(rx->buf);
		rx->buf = NULL;
		return n == 0 ? -EPIPE : (errno == EAGAIN ? -EAGAIN : -EPIPE);
	}
	rx->len = n;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int i, count;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < count; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (rx->nfds < DD_RX_MAX_FDS)
				rx->fds[rx->nfds++] = fd;
			else
				close(fd);
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		dd_warn("%s: message or fds truncated", peer->name);
	return 0;
}

static int dd_sock_send(struct dd_peer *peer, const void *msg, size_t len)
{
	ssize_t n;

	do {
		n = send(peer->fd, msg, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static const struct dd_transport_ops dd_sock_ops = {
	.kind = "socket",
	.recv = dd_sock_recv,
	.send = dd_sock_send,
};

int dd_sock_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[sizeof(addr.sun_path)];
	char *slash;
	mode_t old_mask;
	int fd, ret;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		dd_err("socket path %s is too long", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0755) && errno != EEXIST) {
			dd_err("cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		dd_err("socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);		/* a stale socket of a previous run */
	old_mask = umask(0117);
	ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_mask);
	if (ret || chmod(path, 0660) || listen(fd, 8)) {
		dd_err("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct dd_peer *dd_sock_accept(int listen_fd)
{
	static unsigned int serial;
	struct dd_peer *peer;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char name[64];
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			dd_err("accept: %s", strerror(errno));
		return NULL;
	}
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		snprintf(name, sizeof(name), "socket#%u(pid %d)", ++serial, (int)cred.pid);
	else
		snprintf(name, sizeof(name), "socket#%u", ++serial);
	peer = dd_peer_new(&dd_sock_ops, fd, name);
	if (!peer)
		close(fd);
	return peer;
}
