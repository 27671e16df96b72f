/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_direct.h - one FUSE round per ioctl.
 *
 * An unrestricted CUSE ioctl arrives without data and the retry protocol
 * (cuse_marshal.h) costs a full client<->server round trip per pointer
 * level: two for a plain struct, three for QBUF/DQBUF with planes and for
 * ext-controls with payloads.  The server can instead read the client's
 * memory itself, with process_vm_readv on the calling thread, following
 * the same plan level by level, and write the results back with
 * process_vm_writev before it replies.  Whenever that is not possible
 * (the caller's tid is not visible here, no permission, a bad pointer)
 * the caller falls back to the retry protocol, so the client sees exactly
 * the errors (EFAULT) the kernel's own copies would give.
 */
#ifndef CUSE_DIRECT_H
#define CUSE_DIRECT_H

#include <stddef.h>
#include <sys/types.h>

#include "cuse_marshal.h"

/*
 * Complete `p` for `cmd` by reading the client thread `tid`: on success
 * returns 1 with *in (malloc'ed, free it) holding the segments the kernel
 * would have delivered (*in_len = p->need_in); 0 when the direct path is
 * not possible (use the retry protocol); -errno when the arguments are
 * invalid (answer that error).
 */
int dd_cuse_direct_fetch(struct dd_cuse_plan *p, pid_t tid, unsigned int cmd, void *arg,
			 void **in, size_t *in_len);

/* Write the reply segments (dd_cuse_restore's iovecs) to the client: 0 or -errno. */
int dd_cuse_direct_store(const struct dd_cuse_plan *p, pid_t tid, const struct iovec *local,
			 unsigned int n);

#endif /* CUSE_DIRECT_H */
