/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_framemd5.h - output of decoded pictures: the visible (cropped) NV12
 * or P010 picture, tightly packed (Y rows, then interleaved CbCr rows),
 * hashed in FFmpeg's framemd5 format and/or written raw.
 */
#ifndef DD_FRAMEMD5_H
#define DD_FRAMEMD5_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct dd_out {
	bool framemd5;
	FILE *md5_file;			/* framemd5 lines (stdout) */
	FILE *raw;			/* -o file, or NULL */
	bool header_done;
	unsigned int frames;
	uint8_t *pack;
	size_t pack_size;
};

struct dd_out_info {
	unsigned int width;		/* visible size */
	unsigned int height;
	unsigned int tb_num;		/* time base of the pts column */
	unsigned int tb_den;
	unsigned int sar_num;
	unsigned int sar_den;
};

/*
 * Visible rectangle within an NV12 (or P010) picture whose planes may be
 * separate; stride in bytes, x/y/w/h in samples.
 */
struct dd_nv12_view {
	const uint8_t *y;
	const uint8_t *uv;
	unsigned int stride;
	unsigned int x, y0, w, h;
};

/* 8-bit NV12: `ffmpeg -f framemd5 -pix_fmt nv12` lines, raw nv12. */
int dd_out_frame(struct dd_out *o, const struct dd_out_info *info,
		 const struct dd_nv12_view *v);
/*
 * P010 (each sample a little-endian 16-bit word, the 10-bit value in its
 * high bits): `ffmpeg -f framemd5 -pix_fmt p010le` lines, raw p010le.
 */
int dd_out_frame_p010(struct dd_out *o, const struct dd_out_info *info,
		      const struct dd_nv12_view *v);
void dd_out_close(struct dd_out *o);

#endif
