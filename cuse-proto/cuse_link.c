// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_link.c - connection to daedalusd (see cuse_link.h).
 */
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cuse_link.h"
#include "dd_codec.h"

static struct {
	pthread_mutex_t lock;
	char path[108];
	int fd;				/* -1 while disconnected */
	bool warned;			/* "no daemon" logged for this outage */
	dd_cuse_done_fn done;
	dd_cuse_lost_fn lost;
	void *priv;
	pthread_t thread;
} dd_link = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
};

static int dd_cuse_link_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct dd_proto_hello hello = { .proto_version = DD_PROTO_VERSION };
	u8 buf[256];
	long len;
	int fd, sz = DD_PROTO_MAX_MSG + 4096;
	unsigned int i;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A JOB carries its bitstream inline: allow messages that large. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", dd_link.path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	for (i = 0; i < dd_num_codecs; i++)
		hello.codecs |= BIT(dd_codecs[i]->proto_codec);
	snprintf(hello.name, sizeof(hello.name), "daedalus-cuse");
	len = dd_proto_encode_hello(buf, sizeof(buf), &hello);
	if (len < 0 || send(fd, buf, len, MSG_NOSIGNAL) != len) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static void dd_cuse_link_read(int fd)
{
	static u8 buf[4096];
	struct dd_proto_done done;
	struct dd_proto_hello hello;
	ssize_t n;
	u32 type;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		if (dd_proto_check_hdr(buf, n, &type))
			return;		/* a peer that breaks the protocol is dropped */
		switch (type) {
		case DD_MSG_HELLO:
			if (!dd_proto_decode_hello(buf, n, &hello))
				dd_info("cuse: connected to %.32s (protocol %u)",
					hello.name, hello.proto_version);
			break;
		case DD_MSG_DONE:
			if (dd_proto_decode_done(buf, n, &done))
				return;
			dd_link.done(&done, dd_link.priv);
			break;
		default:
			dd_warn("cuse: unexpected message type %u from the daemon", type);
			break;
		}
	}
}

static void *dd_cuse_link_thread(void *arg)
{
	int fd;

	for (;;) {
		fd = dd_cuse_link_connect();
		if (fd < 0) {
			pthread_mutex_lock(&dd_link.lock);
			if (!dd_link.warned)
				dd_warn("cuse: no daemon at %s (%s), retrying",
					dd_link.path, strerror(-fd));
			dd_link.warned = true;
			pthread_mutex_unlock(&dd_link.lock);
			usleep(200 * 1000);
			continue;
		}
		pthread_mutex_lock(&dd_link.lock);
		dd_link.fd = fd;
		dd_link.warned = false;
		pthread_mutex_unlock(&dd_link.lock);
		dd_info("cuse: daemon socket %s connected", dd_link.path);

		dd_cuse_link_read(fd);

		pthread_mutex_lock(&dd_link.lock);
		dd_link.fd = -1;
		pthread_mutex_unlock(&dd_link.lock);
		close(fd);
		dd_warn("cuse: daemon disconnected, reconnecting");
		dd_link.lost(dd_link.priv);
	}
	return NULL;
}

int dd_cuse_link_start(const char *path, dd_cuse_done_fn done, dd_cuse_lost_fn lost,
		       void *priv)
{
	snprintf(dd_link.path, sizeof(dd_link.path), "%s", path);
	dd_link.done = done;
	dd_link.lost = lost;
	dd_link.priv = priv;
	return -pthread_create(&dd_link.thread, NULL, dd_cuse_link_thread, NULL);
}

int dd_cuse_link_send_job(const void *msg, size_t len, u32 ctx_id, u64 cookie,
			  const int *fds, unsigned int nfds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 4)];
	} cbuf;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;
	int ret = 0;

	if (nfds > 4)
		return -EINVAL;
	if (nfds) {
		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), fds, sizeof(int) * nfds);
	}
	pthread_mutex_lock(&dd_link.lock);
	if (dd_link.fd < 0) {
		ret = -ENOTCONN;
	} else {
		n = sendmsg(dd_link.fd, &mh, MSG_NOSIGNAL);
		if (n != (ssize_t)len) {
			ret = n < 0 ? -errno : -EIO;
			/* Wake the reader: the connection is unusable. */
			shutdown(dd_link.fd, SHUT_RDWR);
		}
	}
	pthread_mutex_unlock(&dd_link.lock);
	if (ret == -ENOTCONN)
		dd_err("cuse: no daemon at %s: job %llu of context %u fails",
		       dd_link.path, (unsigned long long)cookie, ctx_id);
	else if (ret)
		dd_err("cuse: cannot send job %llu of context %u to the daemon at %s: %s",
		       (unsigned long long)cookie, ctx_id, dd_link.path, strerror(-ret));
	return ret;
}

void dd_cuse_link_ctx_close(u32 ctx_id)
{
	u8 buf[128];
	long len = dd_proto_encode_ctx_close(buf, sizeof(buf), ctx_id);

	pthread_mutex_lock(&dd_link.lock);
	if (dd_link.fd >= 0 && len > 0)
		send(dd_link.fd, buf, len, MSG_NOSIGNAL);
	pthread_mutex_unlock(&dd_link.lock);
}
