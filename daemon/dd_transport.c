// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_transport.c - what both transports share: peer lifetime, sending,
 * and resolving a job's CAPTURE buffer reference to writable memory.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "dd_transport.h"

static pthread_mutex_t dd_peer_lock = PTHREAD_MUTEX_INITIALIZER;

struct dd_peer *dd_peer_new(const struct dd_transport_ops *ops, int fd, const char *name)
{
	struct dd_peer *peer = calloc(1, sizeof(*peer));

	if (!peer)
		return NULL;
	peer->ops = ops;
	peer->fd = fd;
	snprintf(peer->name, sizeof(peer->name), "%s", name);
	pthread_mutex_init(&peer->send_lock, NULL);
	dd_capmap_init(&peer->capmap);
	peer->refs = 1;
	return peer;
}

void dd_peer_get(struct dd_peer *peer)
{
	pthread_mutex_lock(&dd_peer_lock);
	peer->refs++;
	pthread_mutex_unlock(&dd_peer_lock);
}

void dd_peer_put(struct dd_peer *peer)
{
	int refs;

	pthread_mutex_lock(&dd_peer_lock);
	refs = --peer->refs;
	pthread_mutex_unlock(&dd_peer_lock);
	if (refs)
		return;
	if (dd_log_debug)
		dd_dbg("%s: closed, %lu mapping cache hits, %lu misses", peer->name,
		       peer->capmap.hits, peer->capmap.misses);
	dd_capmap_destroy(&peer->capmap);
	pthread_mutex_destroy(&peer->send_lock);
	close(peer->fd);
	free(peer->rxbuf);
	free(peer);
}

int dd_peer_send(struct dd_peer *peer, const void *msg, size_t len)
{
	int ret;

	if (__atomic_load_n(&peer->dead, __ATOMIC_ACQUIRE))
		return -EPIPE;
	pthread_mutex_lock(&peer->send_lock);
	ret = peer->ops->send(peer, msg, len);
	pthread_mutex_unlock(&peer->send_lock);
	if (ret)
		dd_warn("%s: send failed: %s", peer->name, strerror(-ret));
	return ret;
}

int dd_peer_send_hello(struct dd_peer *peer, u32 codecs)
{
	struct dd_proto_hello hello = {
		.proto_version = DD_PROTO_VERSION,
		.codecs = codecs,
		.name = "daedalusd",
	};
	struct dd_wire_hello w;
	long n = dd_proto_encode_hello(&w, sizeof(w), &hello);

	return n < 0 ? (int)n : dd_peer_send(peer, &w, n);
}

void dd_rx_free(struct dd_rx *rx)
{
	int i;

	for (i = 0; i < rx->nfds; i++)
		close(rx->fds[i]);
	rx->nfds = 0;
	free(rx->buf);
	rx->buf = NULL;
}

int dd_peer_map(struct dd_peer *peer, const struct dd_rx *rx, const struct dd_proto_job *job,
		struct dd_capture *cap)
{
	const struct dd_buf_ref *ref = &job->capture;
	struct dd_capmap_key key = { .offset = ref->offset, .size = ref->size };
	struct stat st;
	int fd;

	memset(cap, 0, sizeof(*cap));
	switch (ref->kind) {
	case DD_BUF_PROCESS:
		if (!ref->id) {
			dd_err("%s: capture in process 0", peer->name);
			return -EINVAL;
		}
		cap->dst.pid = (pid_t)ref->id;
		cap->dst.addr = ref->offset;
		cap->dst.size = ref->size;
		return 0;
	case DD_BUF_MMAP:
		if (strcmp(peer->ops->kind, "chardev")) {
			dd_err("%s: MMAP capture buffers exist only on the chardev", peer->name);
			return -EINVAL;
		}
		fd = peer->fd;
		break;
	case DD_BUF_FD:
		if (ref->id >= (u32)rx->nfds) {
			dd_err("%s: capture fd index %u, %d fds received", peer->name, ref->id,
			       rx->nfds);
			return -EINVAL;
		}
		fd = rx->fds[ref->id];
		if (fstat(fd, &st)) {
			dd_err("%s: fstat capture fd: %s", peer->name, strerror(errno));
			return -errno;
		}
		key.dev = st.st_dev;
		key.ino = st.st_ino;
		break;
	default:
		dd_err("%s: capture kind %u", peer->name, ref->kind);
		return -EINVAL;
	}
	cap->entry = dd_capmap_get(&peer->capmap, fd, &key, job->ctx_id);
	if (!cap->entry) {
		dd_err("%s: mmap capture (offset %llu, %u bytes): %s", peer->name,
		       (unsigned long long)ref->offset, ref->size, strerror(errno));
		return -errno;
	}
	cap->dst.ptr = cap->entry->ptr;
	cap->dst.size = ref->size;
	return 0;
}

void dd_peer_unmap(struct dd_peer *peer, struct dd_capture *cap)
{
	if (cap->entry)
		dd_capmap_put(&peer->capmap, cap->entry);
	cap->entry = NULL;
}
