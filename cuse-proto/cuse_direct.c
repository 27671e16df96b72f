// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_direct.c - one FUSE round per ioctl (see cuse_direct.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "dd_os.h"
#include "cuse_direct.h"

/* The plan converges in at most three levels; a fourth round is a bug. */
#define DD_CUSE_DIRECT_ROUNDS	4

int dd_cuse_direct_fetch(struct dd_cuse_plan *p, pid_t tid, unsigned int cmd, void *arg,
			 void **in, size_t *in_len)
{
	struct iovec local[DD_CUSE_MAX_SEGS], remote[DD_CUSE_MAX_SEGS];
	size_t have = 0;
	unsigned int round, i, n;
	u8 *buf = NULL, *nb;
	ssize_t got;
	size_t want;
	int r;

	*in = NULL;
	*in_len = 0;
	if (tid <= 0)
		return 0;
	for (round = 0; round < DD_CUSE_DIRECT_ROUNDS; round++) {
		/* out_len is ours to honour: only the input decides the plan. */
		r = dd_cuse_plan(p, cmd, arg, buf, have, 0);
		if (r < 0) {
			free(buf);
			return r;
		}
		if (p->need_in == have) {
			*in = buf;
			*in_len = have;
			return 1;
		}
		if (p->need_in < have)
			break;
		nb = realloc(buf, p->need_in);
		if (!nb)
			break;
		buf = nb;
		/* Segments are laid out in plan order; the new ones start at `have`. */
		n = 0;
		want = 0;
		for (i = 0; i < p->nseg; i++) {
			if (p->seg[i].off < have)
				continue;
			local[n].iov_base = buf + p->seg[i].off;
			local[n].iov_len = p->seg[i].len;
			remote[n].iov_base = p->seg[i].client;
			remote[n].iov_len = p->seg[i].len;
			want += p->seg[i].len;
			n++;
		}
		if (!n || have + want != p->need_in)
			break;
		got = process_vm_readv(tid, local, n, remote, n, 0);
		if (got != (ssize_t)want)
			break;
		have = p->need_in;
	}
	free(buf);
	return 0;
}

int dd_cuse_direct_store(const struct dd_cuse_plan *p, pid_t tid, const struct iovec *local,
			 unsigned int n)
{
	struct iovec remote[DD_CUSE_MAX_SEGS];
	size_t want = 0;
	unsigned int i;
	ssize_t put;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		remote[i].iov_base = p->seg[i].client;
		remote[i].iov_len = p->seg[i].len;
		want += local[i].iov_len;
	}
	put = process_vm_writev(tid, local, n, remote, n, 0);
	if (put < 0)
		return -errno;
	return (size_t)put == want ? 0 : -EFAULT;
}
