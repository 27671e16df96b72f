/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_transport.h - how daedalusd talks to a front end.
 *
 * A peer is one front end connection: the kernel module's misc device, or
 * one CUSE server connected to the daemon's SOCK_SEQPACKET socket.  Both
 * move whole protocol messages (one read()/recvmsg() is one message) and
 * differ only in how they receive, send, and name CAPTURE buffers:
 *
 *   chardev: read() returns one message, write() sends one; DD_BUF_MMAP
 *            buffers are mmap(device fd, capture.offset, capture.size).
 *   socket:  recvmsg() returns one message with up to DD_RX_MAX_FDS fds
 *            (SCM_RIGHTS); DD_BUF_FD names fds[capture.id], mapped at
 *            capture.offset; DD_BUF_PROCESS is pid capture.id, address
 *            capture.offset (process_vm_writev).
 *
 * Everything above (contexts, decoding, DONE) is shared.
 */
#ifndef DD_TRANSPORT_H
#define DD_TRANSPORT_H

#include <pthread.h>
#include <stdbool.h>

#include "dd_capmap.h"
#include "dd_decoder.h"
#include "dd_proto.h"

#define DD_RX_MAX_FDS	8

/* One received message and the fds that came with it. */
struct dd_rx {
	u8 *buf;
	size_t len;
	int fds[DD_RX_MAX_FDS];
	int nfds;
};

struct dd_peer;

struct dd_transport_ops {
	const char *kind;
	/* 0 with *rx filled, -EAGAIN (nothing yet), or -EPIPE (peer gone). */
	int (*recv)(struct dd_peer *peer, struct dd_rx *rx);
	/* Send one whole message; 0 or -errno. */
	int (*send)(struct dd_peer *peer, const void *msg, size_t len);
};

struct dd_peer {
	const struct dd_transport_ops *ops;
	int fd;
	char name[64];
	pthread_mutex_t send_lock;
	struct dd_capmap capmap;
	int refs;			/* under dd_peer_lock */
	bool dead;			/* disconnected: drop its work (atomic) */
	u8 *rxbuf;			/* chardev: DD_PROTO_MAX_MSG receive buffer */
};

/* A mapped CAPTURE buffer for one job (release with dd_peer_unmap). */
struct dd_capture {
	struct dd_capture_dst dst;
	struct dd_capmap_entry *entry;
};

struct dd_peer *dd_peer_new(const struct dd_transport_ops *ops, int fd, const char *name);
void dd_peer_get(struct dd_peer *peer);
/* Drop a reference; the last one unmaps, closes the fd and frees. */
void dd_peer_put(struct dd_peer *peer);
int dd_peer_send(struct dd_peer *peer, const void *msg, size_t len);
int dd_peer_send_hello(struct dd_peer *peer, u32 codecs);

void dd_rx_free(struct dd_rx *rx);

/* Resolve job->capture into something dd_dec_decode() can write. */
int dd_peer_map(struct dd_peer *peer, const struct dd_rx *rx, const struct dd_proto_job *job,
		struct dd_capture *cap);
void dd_peer_unmap(struct dd_peer *peer, struct dd_capture *cap);

/* The transports. */
struct dd_peer *dd_dev_open(const char *path);
int dd_sock_listen(const char *path);
struct dd_peer *dd_sock_accept(int listen_fd);

#endif /* DD_TRANSPORT_H */
