// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_transport_dev.c - the kernel module's misc device: one read() is one
 * message from the module, one write() one message to it; CAPTURE buffers
 * are mmap()ed from the same fd at the offset the JOB names.
 */
#include <fcntl.h>
#include <unistd.h>

#include "dd_transport.h"

static int dd_dev_recv(struct dd_peer *peer, struct dd_rx *rx)
{
	ssize_t n;

	memset(rx, 0, sizeof(*rx));
	if (!peer->rxbuf) {
		/* Untouched pages of this buffer cost nothing. */
		peer->rxbuf = malloc(DD_PROTO_MAX_MSG);
		if (!peer->rxbuf)
			return -ENOMEM;
	}
	n = read(peer->fd, peer->rxbuf, DD_PROTO_MAX_MSG);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return -EAGAIN;
		dd_err("%s: read: %s", peer->name, strerror(errno));
		return -EPIPE;
	}
	if (n == 0)
		return -EPIPE;
	rx->buf = malloc(n);
	if (!rx->buf)
		return -ENOMEM;
	memcpy(rx->buf, peer->rxbuf, n);
	rx->len = n;
	return 0;
}

static int dd_dev_send(struct dd_peer *peer, const void *msg, size_t len)
{
	ssize_t n;

	do {
		n = write(peer->fd, msg, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static const struct dd_transport_ops dd_dev_ops = {
	.kind = "chardev",
	.recv = dd_dev_recv,
	.send = dd_dev_send,
};

struct dd_peer *dd_dev_open(const char *path)
{
	struct dd_peer *peer;
	int fd;

	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		dd_err("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	peer = dd_peer_new(&dd_dev_ops, fd, path);
	if (!peer)
		close(fd);
	return peer;
}
