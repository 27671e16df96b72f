// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_mem.c - client memory and fds (see cuse_mem.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cuse_mem.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

int dd_cuse_mem_alloc(struct dd_cuse_mem *m, size_t size, const char *name)
{
	m->map = NULL;
	m->size = size;
	m->fd = memfd_create(name, MFD_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	if (ftruncate(m->fd, size)) {
		int err = -errno;

		close(m->fd);
		m->fd = -1;
		return err;
	}
	return 0;
}

int dd_cuse_mem_import(struct dd_cuse_mem *m, pid_t tgid, int cfd)
{
	int pfd, fd, err = 0;
	off_t end;

	m->map = NULL;
	m->fd = -1;
	pfd = syscall(SYS_pidfd_open, tgid, 0);
	if (pfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pfd, cfd, 0);
	if (fd < 0)
		err = errno == EBADF ? -EBADF : -errno;
	close(pfd);
	if (err)
		return err;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	end = lseek(fd, 0, SEEK_END);
	if (end <= 0) {
		close(fd);
		return -EINVAL;		/* not a buffer (vb2 says EINVAL too) */
	}
	m->fd = fd;
	m->size = end;
	return 0;
}

void *dd_cuse_mem_map(struct dd_cuse_mem *m)
{
	void *p;

	if (m->map)
		return m->map;
	p = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, m->size, PROT_READ, MAP_SHARED, m->fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	m->map = p;
	return p;
}

void dd_cuse_mem_free(struct dd_cuse_mem *m)
{
	if (m->map)
		munmap(m->map, m->size);
	if (m->fd >= 0)
		close(m->fd);
	m->map = NULL;
	m->fd = -1;
	m->size = 0;
}

int dd_cuse_read_process(pid_t pid, unsigned long addr, void *dst, size_t len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

pid_t dd_cuse_tgid(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = -ESRCH;
	FILE *f;
	int pfd;

	/*
	 * Every request asks this.  pidfd_open() (no PIDFD_THREAD) only opens
	 * thread-group leaders: success means tid is its own tgid, which is
	 * the single-threaded client's case, for two cheap system calls.
	 */
	pfd = syscall(SYS_pidfd_open, tid, 0);
	if (pfd >= 0) {
		close(pfd);
		return tid;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Tgid:", 5)) {
			tgid = (pid_t)strtol(line + 5, NULL, 10);
			break;
		}
	}
	fclose(f);
	return tgid;
}
