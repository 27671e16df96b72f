/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_mem.h - reaching the client's memory and fds from the CUSE server:
 * memfd-backed MMAP buffers, process_vm_readv for USERPTR bitstreams,
 * pidfd_getfd for DMABUF fds, and the thread group of a calling thread.
 */
#ifndef CUSE_MEM_H
#define CUSE_MEM_H

#include <stddef.h>
#include <sys/types.h>

struct dd_cuse_mem {
	int fd;			/* memfd, or a DMABUF fd taken from the client */
	size_t size;
	void *map;		/* MAP_SHARED view, NULL until needed */
};

int dd_cuse_mem_alloc(struct dd_cuse_mem *m, size_t size, const char *name);
/* Take the client's fd `cfd` of process `tgid` (DMABUF import). */
int dd_cuse_mem_import(struct dd_cuse_mem *m, pid_t tgid, int cfd);
/* Map read/write (memfd) or read-only (imported) for the server's own use. */
void *dd_cuse_mem_map(struct dd_cuse_mem *m);
void dd_cuse_mem_free(struct dd_cuse_mem *m);

/* Copy `len` bytes at `addr` in process `pid`: 0 or -errno. */
int dd_cuse_read_process(pid_t pid, unsigned long addr, void *dst, size_t len);
/* The thread group (process) of thread `tid`, or -errno. */
pid_t dd_cuse_tgid(pid_t tid);

#endif /* CUSE_MEM_H */
