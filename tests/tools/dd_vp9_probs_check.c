// SPDX-License-Identifier: GPL-2.0
/*
 * dd_vp9_probs_check.c - host self-test of daedalus-decode's VP9 header
 * reading: every frame of the IVF files given (superframes split) must
 * parse with GstVp9Parser, and its compressed header with dd_vp9_probs.c
 * must end exactly where the bool decoder's zero padding starts (spec
 * 9.2.3): reading one symbol too many or too few shows as non-zero
 * padding or an overrun.  Prints the frames and reference modes seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/codecparsers/gstvp9parser.h>

#include "dd_vp9_probs.h"

static int check_frame(GstVp9Parser *ps, const uint8_t *p, size_t n, const char *path,
		       unsigned int idx, unsigned int *modes)
{
	struct v4l2_ctrl_vp9_compressed_hdr *h = calloc(1, sizeof(*h));
	struct dd_vp9_ch_in in = { 0 };
	GstVp9FrameHdr fh;
	uint8_t mode;
	int ret;

	if (!h || gst_vp9_parser_parse_frame_header(ps, &fh, p, n) != GST_VP9_PARSER_OK) {
		fprintf(stderr, "%s: frame %u: header does not parse\n", path, idx);
		free(h);
		return 1;
	}
	if (fh.show_existing_frame) {
		free(h);
		return 0;
	}
	in.lossless = fh.lossless_flag;
	in.intra = fh.frame_type == GST_VP9_KEY_FRAME || fh.intra_only;
	in.switchable_interp = fh.mcomp_filter_type == GST_VP9_INTERPOLATION_FILTER_SWITCHABLE;
	in.allow_high_precision_mv = fh.allow_high_precision_mv;
	for (unsigned int i = 0; i < 3; i++)
		if (fh.ref_frame_sign_bias[i])
			in.sign_bias |= 1u << i;
	if (fh.frame_header_length_in_bytes + fh.first_partition_size > n) {
		fprintf(stderr, "%s: frame %u: headers past the frame\n", path, idx);
		free(h);
		return 1;
	}
	ret = dd_vp9_parse_compressed_header(p + fh.frame_header_length_in_bytes,
					     fh.first_partition_size, &in, h, &mode);
	free(h);
	if (ret) {
		fprintf(stderr, "%s: frame %u: compressed header of %u bytes: %s\n", path, idx,
			fh.first_partition_size, ret < 0 ? "malformed" : "non-zero padding");
		return 1;
	}
	modes[mode]++;
	return 0;
}

static int check_file(const char *path)
{
	unsigned int modes[3] = { 0 }, frames = 0, idx = 0;
	GstVp9Parser *ps = gst_vp9_parser_new();
	uint8_t *d;
	long size;
	size_t pos = 32;
	int bad = 0;
	FILE *f = fopen(path, "rb");

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 32 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	d = malloc(size);
	if (!d || fread(d, 1, size, f) != (size_t)size || memcmp(d, "DKIF", 4))
		return fprintf(stderr, "%s: not IVF\n", path), 1;
	fclose(f);
	while (pos + 12 <= (size_t)size && !bad) {
		uint32_t n = d[pos] | d[pos + 1] << 8 | d[pos + 2] << 16 | (uint32_t)d[pos + 3] << 24;
		const uint8_t *p = d + pos + 12;
		GstVp9SuperframeInfo sf;
		size_t off = 0;

		if (pos + 12 + n > (size_t)size ||
		    gst_vp9_parser_parse_superframe_info(ps, &sf, p, n) != GST_VP9_PARSER_OK)
			return fprintf(stderr, "%s: bad IVF frame %u\n", path, idx), 1;
		if (sf.frames_in_superframe <= 1) {
			bad |= check_frame(ps, p, n - sf.superframe_index_size, path, idx, modes);
			frames++;
		}
		for (unsigned int i = 0; sf.frames_in_superframe > 1 &&
		     i < sf.frames_in_superframe && !bad; i++) {
			bad |= check_frame(ps, p + off, sf.frame_sizes[i], path, idx, modes);
			off += sf.frame_sizes[i];
			frames++;
		}
		pos += 12 + n;
		idx++;
	}
	printf("%s: %u frames, reference mode single %u compound %u select %u: %s\n", path,
	       frames, modes[0], modes[1], modes[2], bad ? "FAIL" : "ok");
	free(d);
	gst_vp9_parser_free(ps);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++)
		bad |= check_file(argv[i]);
	return bad;
}
