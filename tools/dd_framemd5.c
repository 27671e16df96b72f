// SPDX-License-Identifier: GPL-2.0
/*
 * dd_framemd5.c - visible NV12 and P010 pictures to FFmpeg framemd5 lines
 * (`ffmpeg -i X -f framemd5 -pix_fmt nv12 -`, `... -pix_fmt p010le -`) and/or
 * a raw file of the same packed pictures.
 * MD5 comes from GLib's GChecksum (GLib is already linked for the parser).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libavformat/version.h>

#include "dd_framemd5.h"

static void print_header(struct dd_out *o, const struct dd_out_info *in)
{
	FILE *f = o->md5_file;

	fprintf(f, "#format: frame checksums\n#version: 2\n#hash: MD5\n");
	fprintf(f, "#software: %s\n", LIBAVFORMAT_IDENT);
	fprintf(f, "#tb 0: %u/%u\n", in->tb_num, in->tb_den);
	fprintf(f, "#media_type 0: video\n#codec_id 0: rawvideo\n");
	fprintf(f, "#dimensions 0: %ux%u\n", in->width, in->height);
	fprintf(f, "#sar 0: %u/%u\n", in->sar_num, in->sar_den);
	fprintf(f, "#stream#, dts,        pts, duration,     size, hash\n");
}

/*
 * Copy the visible rectangle into one tightly packed picture of `sb`-byte
 * samples (1: NV12, 2: P010), the layout FFmpeg hashes for nv12/p010le.
 */
static size_t pack_planes(struct dd_out *o, const struct dd_nv12_view *v, unsigned int sb)
{
	size_t yrow = (size_t)v->w * sb;
	size_t crow = (size_t)((v->w + 1) & ~1u) * sb;	/* bytes per CbCr row */
	unsigned int ch = (v->h + 1) / 2;
	size_t size = yrow * v->h + crow * ch;
	uint8_t *p;

	if (size > o->pack_size) {
		p = realloc(o->pack, size);
		if (!p)
			return 0;
		o->pack = p;
		o->pack_size = size;
	}
	p = o->pack;
	for (unsigned int r = 0; r < v->h; r++) {
		memcpy(p, v->y + (size_t)(v->y0 + r) * v->stride + (size_t)v->x * sb, yrow);
		p += yrow;
	}
	for (unsigned int r = 0; r < ch; r++) {
		memcpy(p, v->uv + (size_t)(v->y0 / 2 + r) * v->stride + (size_t)(v->x & ~1u) * sb,
		       crow);
		p += crow;
	}
	return size;
}

static int out_frame(struct dd_out *o, const struct dd_out_info *info,
		     const struct dd_nv12_view *v, unsigned int sb)
{
	size_t size = pack_planes(o, v, sb);

	if (!size)
		return -ENOMEM;
	if (o->framemd5) {
		gchar *hex;

		if (!o->header_done) {
			print_header(o, info);
			o->header_done = true;
		}
		hex = g_compute_checksum_for_data(G_CHECKSUM_MD5, o->pack, size);
		if (!hex)
			return -ENOMEM;
		fprintf(o->md5_file, "0, %10u, %10u, %8d, %8zu, %s\n", o->frames, o->frames, 1,
			size, hex);
		g_free(hex);
	}
	if (o->raw && fwrite(o->pack, 1, size, o->raw) != size)
		return -EIO;
	o->frames++;
	return 0;
}

int dd_out_frame(struct dd_out *o, const struct dd_out_info *info,
		 const struct dd_nv12_view *v)
{
	return out_frame(o, info, v, 1);
}

int dd_out_frame_p010(struct dd_out *o, const struct dd_out_info *info,
		      const struct dd_nv12_view *v)
{
	return out_frame(o, info, v, 2);
}

void dd_out_close(struct dd_out *o)
{
	free(o->pack);
	o->pack = NULL;
	o->pack_size = 0;
	if (o->md5_file)
		fflush(o->md5_file);
}
