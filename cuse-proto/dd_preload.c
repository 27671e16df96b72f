// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_preload.c - libdaedalus-preload.so, the LD_PRELOAD shim that lets
 * unmodified V4L2 clients use the CUSE decoder.
 *
 * CUSE cannot mmap, cannot create file descriptors in the client and so
 * cannot allocate media requests or export buffers.  This shim intercepts
 * exactly these libc entry points, and acts only when the fd is one of the
 * daedalus CUSE nodes; everything else goes straight to libc:
 *
 *   ioctl(fd, MEDIA_IOC_REQUEST_ALLOC, &req_fd)   fd = our media node
 *	opens the media node again (path from /proc/self/fd) and issues
 *	DD_CUSE_IOC_REQ_BIND on the new open: the server allocates a request
 *	and makes that open the request, recording the client's fd number.
 *	The new fd is returned as the request fd, so MEDIA_REQUEST_IOC_QUEUE
 *	/ REINIT, poll(POLLPRI) and close() reach the server natively.
 *   ioctl(fd, VIDIOC_EXPBUF, &exp)                fd = our video node
 *	asks for a token for (type, index, plane) with DD_CUSE_IOC_BUF_TOKEN,
 *	redeems it on the server's fd socket and returns the buffer's memfd.
 *   mmap(addr, len, prot, flags, fd, offset), mmap64   fd = our video node
 *	same, with the buffer named by its mmap offset; maps the memfd at 0.
 *   syscall(SYS_ioctl, ...), syscall(SYS_mmap, ...)
 *	the two cases above when issued through libc's syscall(), which is
 *	how libv4l2 (v4l2_ioctl, v4l2_mmap) reaches the kernel; every other
 *	syscall number is passed on unchanged.
 *
 * Our nodes are recognised by fstat (a character device of the kernel's
 * "cuse" class, via /sys/dev/char) and then DD_CUSE_IOC_IDENT; the answer
 * is cached per device number.  Not intercepted: inline system calls
 * that bypass libc entirely (static binaries, hand-written asm); such
 * clients must use USERPTR or DMABUF buffers on the video node.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>

#include "dd_cuse_priv.h"

#define DD_PRELOAD_EXPORT	__attribute__((visibility("default")))
#define DD_PRELOAD_CACHE	16

typedef int (*dd_ioctl_fn)(int, unsigned long, ...);
typedef void *(*dd_mmap_fn)(void *, size_t, int, int, int, off_t);
typedef long (*dd_syscall_fn)(long, ...);

struct dd_preload_node {
	dev_t rdev;
	int node;			/* 0: not ours */
	char sock_path[108];
};

static pthread_mutex_t dd_preload_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dd_preload_node dd_preload_cache[DD_PRELOAD_CACHE];
static unsigned int dd_preload_ncache;

static dd_ioctl_fn dd_real_ioctl(void)
{
	static dd_ioctl_fn fn;

	if (!fn)
		fn = (dd_ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	return fn;
}

static dd_mmap_fn dd_real_mmap(void)
{
	static dd_mmap_fn fn;

	if (!fn)
		fn = (dd_mmap_fn)dlsym(RTLD_NEXT, "mmap");
	return fn;
}

/* Which of our nodes `fd` is (DD_CUSE_NODE_*), 0 if none. */
static int dd_preload_node(int fd, char *sock_path)
{
	struct dd_cuse_ident id;
	struct stat st;
	char sys[64], link[PATH_MAX];
	unsigned int i;
	int node = 0, saved = errno;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		errno = saved;
		return 0;
	}
	pthread_mutex_lock(&dd_preload_lock);
	for (i = 0; i < dd_preload_ncache; i++) {
		if (dd_preload_cache[i].rdev == st.st_rdev) {
			node = dd_preload_cache[i].node;
			if (sock_path)
				memcpy(sock_path, dd_preload_cache[i].sock_path, 108);
			pthread_mutex_unlock(&dd_preload_lock);
			errno = saved;
			return node;
		}
	}
	pthread_mutex_unlock(&dd_preload_lock);

	memset(&id, 0, sizeof(id));
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	n = readlink(sys, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = 0;
		if (strstr(link, "/cuse/") &&
		    !dd_real_ioctl()(fd, DD_CUSE_IOC_IDENT, &id) &&
		    id.magic == DD_CUSE_MAGIC)
			node = id.node;
	}
	id.sock_path[sizeof(id.sock_path) - 1] = 0;
	pthread_mutex_lock(&dd_preload_lock);
	if (dd_preload_ncache < DD_PRELOAD_CACHE) {
		struct dd_preload_node *c = &dd_preload_cache[dd_preload_ncache++];

		c->rdev = st.st_rdev;
		c->node = node;
		memcpy(c->sock_path, id.sock_path, sizeof(c->sock_path));
	}
	pthread_mutex_unlock(&dd_preload_lock);
	if (sock_path)
		memcpy(sock_path, id.sock_path, 108);
	errno = saved;
	return node;
}

/* Redeem a buffer token for its memfd: fd or -errno. */
static int dd_preload_redeem(const char *path, uint64_t token, bool cloexec)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct dd_cuse_token_req rq = { .magic = DD_CUSE_MAGIC, .token = token };
	struct dd_cuse_token_rep rp;
	struct iovec iov = { .iov_base = &rp, .iov_len = sizeof(rp) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *cm;
	int s, fd = -EIO;

	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send(s, &rq, sizeof(rq), MSG_NOSIGNAL) != sizeof(rq)) {
		fd = -errno;
		goto out;
	}
	if (recvmsg(s, &mh, cloexec ? MSG_CMSG_CLOEXEC : 0) != sizeof(rp) ||
	    rp.magic != DD_CUSE_MAGIC)
		goto out;
	cm = CMSG_FIRSTHDR(&mh);
	if (rp.status) {
		fd = rp.status;
	} else if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	}
out:
	close(s);
	return fd;
}

static int dd_preload_buf_fd(int vfd, const char *path, struct dd_cuse_buf_token *t,
			     bool cloexec)
{
	if (dd_real_ioctl()(vfd, DD_CUSE_IOC_BUF_TOKEN, t))
		return -errno;
	return dd_preload_redeem(path, t->token, cloexec);
}

static int dd_preload_request_alloc(int mfd, int *out)
{
	struct dd_cuse_req_bind b = { 0 };
	char self[64], path[PATH_MAX];
	ssize_t n;
	int fd, err;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", mfd);
	n = readlink(self, path, sizeof(path) - 1);
	if (n <= 0)
		return -errno;
	path[n] = 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	b.fd = fd;
	if (dd_real_ioctl()(fd, DD_CUSE_IOC_REQ_BIND, &b)) {
		err = -errno;
		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

/* Our part of ioctl(): 1 when handled (*ret set, errno set on failure). */
static int dd_preload_ioctl(int fd, unsigned long request, void *arg, int *ret)
{
	char path[108];
	int r;

	if ((unsigned int)request == MEDIA_IOC_REQUEST_ALLOC &&
	    dd_preload_node(fd, NULL) == DD_CUSE_NODE_MEDIA) {
		r = dd_preload_request_alloc(fd, arg);
	} else if ((unsigned int)request == VIDIOC_EXPBUF &&
		   dd_preload_node(fd, path) == DD_CUSE_NODE_VIDEO) {
		struct v4l2_exportbuffer *e = arg;
		struct dd_cuse_buf_token t = { .by = DD_CUSE_TOKEN_BY_INDEX };

		t.type = e->type;
		t.index = e->index;
		t.plane = e->plane;
		if (e->flags & ~(O_CLOEXEC | O_ACCMODE)) {
			r = -EINVAL;
		} else {
			r = dd_preload_buf_fd(fd, path, &t, e->flags & O_CLOEXEC);
			if (r >= 0) {
				e->fd = r;
				r = 0;
			}
		}
	} else {
		return 0;
	}
	if (r) {
		errno = -r;
		*ret = -1;
	} else {
		*ret = 0;
	}
	return 1;
}

DD_PRELOAD_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (dd_preload_ioctl(fd, request, arg, &ret))
		return ret;
	return dd_real_ioctl()(fd, request, arg);
}

static void *dd_preload_mmap(void *addr, size_t len, int prot, int flags, int fd,
			     off_t off)
{
	struct dd_cuse_buf_token t = { .by = DD_CUSE_TOKEN_BY_OFFSET };
	char path[108];
	void *p;
	int mfd;

	if (fd < 0 || (flags & MAP_ANONYMOUS) ||
	    dd_preload_node(fd, path) != DD_CUSE_NODE_VIDEO)
		return dd_real_mmap()(addr, len, prot, flags, fd, off);
	if (!(flags & MAP_SHARED)) {
		errno = EINVAL;		/* vb2 refuses private mappings too */
		return MAP_FAILED;
	}
	t.offset = off;
	t.length = len;
	mfd = dd_preload_buf_fd(fd, path, &t, true);
	if (mfd < 0) {
		errno = -mfd;
		return MAP_FAILED;
	}
	p = dd_real_mmap()(addr, len, prot, flags, mfd, 0);
	close(mfd);
	return p;
}

DD_PRELOAD_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
			     off_t off)
{
	return dd_preload_mmap(addr, len, prot, flags, fd, off);
}

DD_PRELOAD_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			       off_t off)
{
	return dd_preload_mmap(addr, len, prot, flags, fd, off);
}

/*
 * libv4l2 issues its ioctls and mmaps through syscall(SYS_ioctl/SYS_mmap),
 * which is a libc function too: route those two to the same handlers.
 */
DD_PRELOAD_EXPORT long syscall(long nr, ...)
{
	static dd_syscall_fn real;
	long a[6];
	va_list ap;
	int i, ret;
	void *p;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr == SYS_ioctl &&
	    dd_preload_ioctl((int)a[0], (unsigned long)a[1], (void *)a[2], &ret))
		return ret;
	if (nr == SYS_mmap) {
		p = dd_preload_mmap((void *)a[0], (size_t)a[1], (int)a[2], (int)a[3],
				    (int)a[4], (off_t)a[5]);
		return (long)p;
	}
	if (!real)
		real = (dd_syscall_fn)dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
