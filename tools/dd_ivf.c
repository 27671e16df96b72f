// SPDX-License-Identifier: GPL-2.0
/*
 * dd_ivf.c - IVF container reading for daedalus-decode (see dd_ivf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dd_ivf.h"

#define DD_IVF_FILE_HDR		32
#define DD_IVF_FRAME_HDR	12

static uint32_t rd_le16(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd_le32(const uint8_t *p)
{
	return rd_le16(p) | rd_le16(p + 2) << 16;
}

int dd_ivf_open(struct dd_ivf *f, const char *path, const uint8_t *data, size_t size)
{
	unsigned int hdr_len;

	memset(f, 0, sizeof(*f));
	if (size < DD_IVF_FILE_HDR || memcmp(data, "DKIF", 4)) {
		fprintf(stderr, "daedalus-decode: %s: not an IVF file (no DKIF header)\n", path);
		return -EINVAL;
	}
	hdr_len = rd_le16(data + 6);
	if (rd_le16(data + 4) != 0 || hdr_len < DD_IVF_FILE_HDR || hdr_len > size) {
		fprintf(stderr, "daedalus-decode: %s: IVF version %u, header length %u: "
			"unsupported\n", path, rd_le16(data + 4), hdr_len);
		return -EINVAL;
	}
	memcpy(f->fourcc, data + 8, 4);
	f->width = rd_le16(data + 12);
	f->height = rd_le16(data + 14);
	f->rate = rd_le32(data + 16);
	f->scale = rd_le32(data + 20);
	f->frames = rd_le32(data + 24);
	f->data = data;
	f->size = size;
	f->pos = hdr_len;
	return 0;
}

int dd_ivf_next(struct dd_ivf *f, struct dd_ivf_frame *fr)
{
	uint32_t len;

	if (f->pos >= f->size)
		return 0;
	if (f->size - f->pos < DD_IVF_FRAME_HDR) {
		fprintf(stderr, "daedalus-decode: IVF: %zu stray bytes at the end\n",
			f->size - f->pos);
		return -EINVAL;
	}
	len = rd_le32(f->data + f->pos);
	if (len > f->size - f->pos - DD_IVF_FRAME_HDR) {
		fprintf(stderr, "daedalus-decode: IVF frame %u: %u bytes, only %zu left\n",
			f->frames_read, len, f->size - f->pos - DD_IVF_FRAME_HDR);
		return -EINVAL;
	}
	fr->pts = rd_le32(f->data + f->pos + 4) |
		  (uint64_t)rd_le32(f->data + f->pos + 8) << 32;
	fr->data = f->data + f->pos + DD_IVF_FRAME_HDR;
	fr->size = len;
	fr->index = f->frames_read++;
	f->pos += DD_IVF_FRAME_HDR + len;
	return 1;
}

int dd_ivf_open_fourcc(struct dd_ivf *f, const char *path, const uint8_t *data, size_t size,
		       const char *fourcc)
{
	int ret = dd_ivf_open(f, path, data, size);

	if (ret)
		return ret;
	if (memcmp(f->fourcc, fourcc, 4)) {
		fprintf(stderr, "daedalus-decode: %s: IVF fourcc %s is not %s\n", path,
			f->fourcc, fourcc);
		return -EINVAL;
	}
	return 0;
}

void dd_ivf_time_base(const struct dd_ivf *f, unsigned int *num, unsigned int *den)
{
	*num = f->scale ? f->scale : 1;
	*den = f->rate ? f->rate : 30;
}
