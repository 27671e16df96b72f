// SPDX-License-Identifier: GPL-2.0
/*
 * dd_framemd5_check.c - host self-test of daedalus-decode's picture output
 * (tools/dd_framemd5.c) for both CAPTURE layouts, NV12 and P010: each frame
 * of a tightly packed raw nv12 / p010le file (made by ffmpeg) is placed in
 * a driver-like buffer (bytesperline padded, chroma plane after a luma
 * plane of aligned height, padding filled with a pattern), and the visible
 * rectangle given is hashed and written again through dd_out_frame() /
 * dd_out_frame_p010().  check-framemd5.sh compares both outputs with
 * ffmpeg's framemd5 and raw output of the same crop.
 *
 * Usage: dd-framemd5-check nv12|p010 RAW W H X Y VW VH OUT_RAW
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_framemd5.h"

int main(int argc, char **argv)
{
	struct dd_out out = { 0 };
	struct dd_out_info info = { 0 };
	struct dd_nv12_view v = { 0 };
	unsigned int w, h, sb, stride, ah, cw, ch, n = 0;
	size_t in_size, row;
	uint8_t *in, *buf;
	FILE *f;
	int ret = 0;

	if (argc != 10 || (strcmp(argv[1], "nv12") && strcmp(argv[1], "p010"))) {
		fprintf(stderr, "usage: %s nv12|p010 RAW W H X Y VW VH OUT_RAW\n", argv[0]);
		return 2;
	}
	sb = strcmp(argv[1], "p010") ? 1 : 2;
	w = strtoul(argv[3], NULL, 0);
	h = strtoul(argv[4], NULL, 0);
	v.x = strtoul(argv[5], NULL, 0);
	v.y0 = strtoul(argv[6], NULL, 0);
	v.w = strtoul(argv[7], NULL, 0);
	v.h = strtoul(argv[8], NULL, 0);
	if (!w || !h || v.x + v.w > w || v.y0 + v.h > h || (v.x | v.y0) & 1) {
		fprintf(stderr, "%s: bad sizes\n", argv[0]);
		return 2;
	}
	/* A driver's layout: rows padded to 64 bytes plus one word, height to 16. */
	stride = ((w * sb + 63) & ~63u) + 4;
	ah = (h + 15) & ~15u;
	cw = (w + 1) & ~1u;
	ch = (h + 1) / 2;
	in_size = (size_t)w * h * sb + (size_t)cw * ch * sb;
	in = malloc(in_size);
	buf = malloc((size_t)stride * ah * 3 / 2);
	f = fopen(argv[2], "rb");
	if (!in || !buf || !f) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
		return 1;
	}
	out.framemd5 = true;
	out.md5_file = stdout;
	out.raw = fopen(argv[9], "wb");
	if (!out.raw) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[9], strerror(errno));
		return 1;
	}
	info.width = v.w;
	info.height = v.h;
	info.tb_num = 1;
	info.tb_den = 25;
	info.sar_num = 1;
	info.sar_den = 1;
	v.stride = stride;
	v.y = buf;
	v.uv = buf + (size_t)stride * ah;
	while (fread(in, 1, in_size, f) == in_size) {
		const uint8_t *p = in;

		memset(buf, 0xa5, (size_t)stride * ah * 3 / 2);
		row = (size_t)w * sb;
		for (unsigned int r = 0; r < h; r++, p += row)
			memcpy(buf + (size_t)r * stride, p, row);
		row = (size_t)cw * sb;
		for (unsigned int r = 0; r < ch; r++, p += row)
			memcpy((uint8_t *)v.uv + (size_t)r * stride, p, row);
		ret = sb == 2 ? dd_out_frame_p010(&out, &info, &v) : dd_out_frame(&out, &info, &v);
		if (ret) {
			fprintf(stderr, "%s: frame %u: %s\n", argv[0], n, strerror(-ret));
			return 1;
		}
		n++;
	}
	fclose(f);
	dd_out_close(&out);
	if (fclose(out.raw) || !n) {
		fprintf(stderr, "%s: %u frames\n", argv[0], n);
		return 1;
	}
	free(in);
	free(buf);
	return 0;
}
