// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_marshal.c - which client memory an ioctl touches, table driven.
 *
 * Level 0 is the argument struct (_IOC_SIZE/_IOC_DIR of the command).
 * Level 1 is the arrays of dd_cuse_arrays[] the struct points to.  Level 2
 * is the compound control payloads an ext-control array points to.  See
 * cuse_marshal.h for how the levels are fetched and swapped.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/media.h>

#include "dd_os.h"
#include "dd_codec.h"
#include "cuse_marshal.h"

struct dd_cuse_array {
	unsigned int cmd;
	size_t ptr_off;		/* pointer field in the argument struct */
	bool ptr_u64;
	size_t count_off;	/* __u32 element count in the argument struct */
	size_t elem;
	u32 max;		/* more elements: -EINVAL, as the kernel does */
	bool planes;		/* only for multi-planar buffer types */
	bool payloads;		/* elements are v4l2_ext_control */
};

#define BUF_PLANES(c) { c, offsetof(struct v4l2_buffer, m.planes), false, \
	offsetof(struct v4l2_buffer, length), sizeof(struct v4l2_plane), \
	VIDEO_MAX_PLANES, true, false }
#define EXT_CTRLS(c) { c, offsetof(struct v4l2_ext_controls, controls), false, \
	offsetof(struct v4l2_ext_controls, count), sizeof(struct v4l2_ext_control), \
	V4L2_CID_MAX_CTRLS, false, true }
#define TOPO(f, t) { MEDIA_IOC_G_TOPOLOGY, offsetof(struct media_v2_topology, ptr_##f), \
	true, offsetof(struct media_v2_topology, num_##f), sizeof(struct t), \
	1024, false, false }

static const struct dd_cuse_array dd_cuse_arrays[] = {
	BUF_PLANES(VIDIOC_QUERYBUF),
	BUF_PLANES(VIDIOC_QBUF),
	BUF_PLANES(VIDIOC_DQBUF),
	BUF_PLANES(VIDIOC_PREPARE_BUF),
	EXT_CTRLS(VIDIOC_G_EXT_CTRLS),
	EXT_CTRLS(VIDIOC_S_EXT_CTRLS),
	EXT_CTRLS(VIDIOC_TRY_EXT_CTRLS),
	TOPO(entities, media_v2_entity),
	TOPO(interfaces, media_v2_interface),
	TOPO(pads, media_v2_pad),
	TOPO(links, media_v2_link),
};

bool dd_cuse_always_copy(unsigned int cmd)
{
	return cmd == VIDIOC_G_EXT_CTRLS || cmd == VIDIOC_S_EXT_CTRLS ||
	       cmd == VIDIOC_TRY_EXT_CTRLS;
}

static int dd_cuse_add(struct dd_cuse_plan *p, void *client, size_t len,
		       long ptr_off, bool ptr_u64)
{
	struct dd_cuse_seg *s;

	if (!len)
		return 0;
	if (p->nseg == DD_CUSE_MAX_SEGS || p->total + len > DD_CUSE_MAX_XFER) {
		dd_err("cuse: ioctl 0x%08x needs more than %u bytes/%u segments",
		       p->cmd, DD_CUSE_MAX_XFER, DD_CUSE_MAX_SEGS);
		return -ENOMEM;
	}
	s = &p->seg[p->nseg++];
	s->client = client;
	s->len = len;
	s->off = p->total;
	s->ptr_off = ptr_off;
	s->ptr_u64 = ptr_u64;
	p->total += len;
	return 0;
}

static void *dd_cuse_get_ptr(const void *base, size_t off, bool u64)
{
	__u64 v64;
	void *v;

	if (u64) {
		memcpy(&v64, (const char *)base + off, sizeof(v64));
		return (void *)(uintptr_t)v64;
	}
	memcpy(&v, (const char *)base + off, sizeof(v));
	return v;
}

static void dd_cuse_set_ptr(void *base, size_t off, bool u64, void *ptr)
{
	if (u64) {
		__u64 v = (uintptr_t)ptr;

		memcpy((char *)base + off, &v, sizeof(v));
	} else {
		memcpy((char *)base + off, &ptr, sizeof(ptr));
	}
}

/* Level 2: the payloads of the ext-control array in segment `si`. */
static int dd_cuse_plan_payloads(struct dd_cuse_plan *p, unsigned int si,
				 const void *in, size_t in_len)
{
	const struct dd_cuse_seg *arr = &p->seg[si];
	size_t n = arr->len / sizeof(struct v4l2_ext_control), i;
	int ret;

	if (in_len < arr->off + arr->len)
		return 0;		/* the array itself is not here yet */
	for (i = 0; i < n; i++) {
		struct v4l2_ext_control c;
		size_t at = arr->off + i * sizeof(c);

		memcpy(&c, (const char *)in + at, sizeof(c));
		ret = dd_cuse_add(p, c.ptr, dd_ctrl_payload_len(&c),
				  at + offsetof(struct v4l2_ext_control, ptr), false);
		if (ret)
			return ret;
	}
	return 0;
}

int dd_cuse_plan(struct dd_cuse_plan *p, unsigned int cmd, void *arg,
		 const void *in, size_t in_len, size_t out_len)
{
	size_t size = _IOC_SIZE(cmd);
	unsigned int i, nseg;
	int ret;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	if (_IOC_DIR(cmd) != _IOC_NONE) {
		if (!arg)
			return -EFAULT;
		ret = dd_cuse_add(p, arg, size, -1, false);
		if (ret)
			return ret;
	}

	/* Level 1 needs the argument struct, which comes first. */
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && in_len >= size) {
		for (i = 0; i < ARRAY_SIZE(dd_cuse_arrays); i++) {
			const struct dd_cuse_array *a = &dd_cuse_arrays[i];
			u32 count;
			void *ptr;

			if (a->cmd != cmd)
				continue;
			if (a->planes) {
				const struct v4l2_buffer *b = in;

				if (!V4L2_TYPE_IS_MULTIPLANAR(b->type))
					continue;
			}
			memcpy(&count, (const char *)in + a->count_off, sizeof(count));
			ptr = dd_cuse_get_ptr(in, a->ptr_off, a->ptr_u64);
			if (!count || (a->ptr_u64 && !ptr))
				continue;
			if (count > a->max)
				return -EINVAL;
			ret = dd_cuse_add(p, ptr, (size_t)count * a->elem,
					  a->ptr_off, a->ptr_u64);
			if (ret)
				return ret;
		}
		/* Level 2 over the arrays just added. */
		nseg = p->nseg;
		for (i = 1; i < nseg; i++) {
			if (cmd != VIDIOC_G_EXT_CTRLS && cmd != VIDIOC_S_EXT_CTRLS &&
			    cmd != VIDIOC_TRY_EXT_CTRLS)
				break;
			ret = dd_cuse_plan_payloads(p, i, in, in_len);
			if (ret)
				return ret;
		}
	}

	p->need_in = (_IOC_DIR(cmd) & _IOC_WRITE) ? p->total : 0;
	p->need_out = (_IOC_DIR(cmd) & _IOC_READ) ? p->total : 0;
	return in_len == p->need_in && out_len == p->need_out;
}

unsigned int dd_cuse_plan_iov(const struct dd_cuse_plan *p, bool out,
			      struct iovec *iov)
{
	unsigned int i;

	if (!(out ? p->need_out : p->need_in))
		return 0;
	for (i = 0; i < p->nseg; i++) {
		iov[i].iov_base = p->seg[i].client;
		iov[i].iov_len = p->seg[i].len;
	}
	return p->nseg;
}

void dd_cuse_localize(const struct dd_cuse_plan *p, void *local,
		      const void *in, size_t in_len)
{
	unsigned int i;

	memset(local, 0, p->total);
	memcpy(local, in, min(in_len, p->total));
	for (i = 0; i < p->nseg; i++) {
		const struct dd_cuse_seg *s = &p->seg[i];

		if (s->ptr_off >= 0)
			dd_cuse_set_ptr(local, s->ptr_off, s->ptr_u64, (char *)local + s->off);
	}
}

unsigned int dd_cuse_restore(const struct dd_cuse_plan *p, void *local,
			     struct iovec *iov)
{
	unsigned int i;

	/* Innermost first: a payload pointer lives inside an array segment. */
	for (i = p->nseg; i-- > 0;) {
		const struct dd_cuse_seg *s = &p->seg[i];

		if (s->ptr_off >= 0)
			dd_cuse_set_ptr(local, s->ptr_off, s->ptr_u64, s->client);
	}
	if (!p->need_out)
		return 0;
	for (i = 0; i < p->nseg; i++) {
		iov[i].iov_base = (char *)local + p->seg[i].off;
		iov[i].iov_len = p->seg[i].len;
	}
	return p->nseg;
}
