// SPDX-License-Identifier: GPL-2.0
/*
 * dd_dpb_order.c - host-side check of daedalus-decode's stream splitting
 * and DPB model without any V4L2 device: prints, for each frame leaving the
 * DPB in display order, its index in decode order (frames, field pairs
 * counting once) — the same numbers ffprobe reports as coded_picture_number.
 * It also builds every slice's reference lists, so sanitizer builds cover them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_h264_au.h"
#include "dd_h264_ctrls.h"
#include "dd_h264_dpb.h"
#include "dd_h264_reflist.h"

static unsigned long long gap_counter;

static uint64_t order_gap_ts(void *opaque)
{
	return ++gap_counter;
}

static int order_output(void *opaque, struct dd_dpb_frame *f)
{
	printf("%u\n", f->decode_index);
	if (getenv("DD_DPB_DEBUG"))
		fprintf(stderr, "  out dec %u poc %d/%d\n", f->decode_index, f->poc[0], f->poc[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct dd_h264_stream s;
	struct dd_h264_picture pic = { 0 };
	struct dd_dpb dpb;
	const GstH264SPS *active = NULL;
	struct dd_dpb_seq seq;
	uint8_t *data;
	long size;
	FILE *f;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.h264\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		fprintf(stderr, "%s: read failed\n", argv[1]);
		return 1;
	}
	fclose(f);

	dd_dpb_init(&dpb, order_output, NULL, order_gap_ts, NULL);
	if (dd_h264_stream_init(&s, data, size))
		return 1;
	while ((ret = dd_h264_next_picture(&s, &pic)) > 0) {
		struct dd_dpb_pic_info pi;
		const GstH264SPS *sps = pic.hdr.pps->sequence;

		if (sps != active || pic.nalu.idr_pic_flag) {
			dd_h264_dpb_seq(&seq, sps);
			if (pic.nalu.idr_pic_flag || sps != active)
				dd_dpb_set_seq(&dpb, &seq);
			active = sps;
		}
		dd_h264_pic_info(&pi, &pic);
		ret = dd_dpb_begin(&dpb, &pi);
		if (getenv("DD_DPB_DEBUG"))
			fprintf(stderr, "pic dec %u fn %u ref %u poc %d/%d\n", dpb.decode_count - 1,
				pi.frame_num, pi.nal_ref_idc, dpb.cur_poc[0], dpb.cur_poc[1]);
		/* the slice mode's lists, built for every slice (sanitizer coverage) */
		for (unsigned int i = 0; !ret && i < pic.n_slices; i++) {
			struct v4l2_h264_reference l0[V4L2_H264_REF_LIST_LEN];
			struct v4l2_h264_reference l1[V4L2_H264_REF_LIST_LEN];

			dd_h264_ref_lists(&dpb, &pic.slices[i].hdr, l0, l1);
		}
		if (!ret)
			ret = dd_dpb_end(&dpb, &pi);
		if (ret) {
			unsigned int i;

			fprintf(stderr, "dpb error %d at decode index %u frame_num %u ref %u idr %d struct %u mmco %u\n", ret,
				dpb.decode_count, pi.frame_num, pi.nal_ref_idc, pi.idr, pi.structure, pi.n_mmco);
			for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
				const struct dd_dpb_frame *d = &dpb.frames[i];

				if (d->used)
					fprintf(stderr, "  [%u] dec %u fn %u ref %u/%u poc %d/%d out %d%s\n",
						i, d->decode_index, d->frame_num, d->ref[0],
						d->ref[1], d->poc[0], d->poc[1],
						d->needed_for_output,
						d->non_existing ? " non-existing" : "");
			}
			return 1;
		}
	}
	if (ret < 0 || dd_dpb_flush(&dpb) < 0)
		return 1;
	dd_h264_picture_free(&pic);
	dd_h264_stream_fini(&s);
	free(data);
	return 0;
}
