/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_frame_dec.h - the client side of frame-based stateless decoding for
 * codecs whose parser decides display order and references itself (VP8,
 * VP9, MPEG-2, HEVC): one picture per request, references named by the
 * timestamp of the picture that produced them, CAPTURE buffers recycled
 * once a picture is both output (or never shown) and no longer referenced.
 *
 * Use: dd_fdec_open(); for each sequence (coded size) dd_fdec_configure();
 * for each picture dd_fdec_submit() with its controls, then in the codec's
 * display order dd_fdec_output() and, when the codec drops it as a
 * reference, dd_fdec_release(); dd_fdec_finish() at the end.
 */
#ifndef DD_FRAME_DEC_H
#define DD_FRAME_DEC_H

#include <stdbool.h>
#include <stdint.h>

#include "dd_framemd5.h"
#include "dd_tool.h"
#include "dd_v4l2_dev.h"

#define DD_FDEC_MAX_PICS	(DD_MAX_CAP_BUFS + 8)

struct dd_fdec_pic {
	bool live;
	bool decoded;		/* its CAPTURE buffer came back */
	bool shown;		/* output done, or never to be shown */
	bool released;		/* no longer referenced by the codec */
	unsigned int out_pending;	/* outputs named, not written yet */
	struct dd_out_info info;	/* of the last output named */
	unsigned int x, y;
	int cap_index;
	uint64_t ts;		/* the reference name of this picture, ns */
	unsigned int number;	/* decode order, for messages */
};

struct dd_fdec_slot {
	int fd;
	bool busy;
	unsigned long seq;
	unsigned int number;
};

struct dd_fdec {
	const struct dd_tool_opts *o;
	struct dd_v4l2 dev;
	struct dd_fdec_slot slots[DD_TOOL_MAX_INFLIGHT];
	unsigned int inflight;
	unsigned long seq;
	struct dd_fdec_pic pics[DD_FDEC_MAX_PICS];
	/* outputs named, in order, waiting for their picture's decode */
	struct dd_fdec_pic *outq[DD_FDEC_MAX_PICS];
	unsigned int outq_head, outq_len;
	uint64_t next_ts;
	unsigned int pictures;	/* submitted */
	bool configured;
	unsigned int coded_w, coded_h;
};

/* Open the device offering `out_fourcc` (o->video, else discovery). */
int dd_fdec_open(struct dd_fdec *d, const struct dd_tool_opts *o, uint32_t out_fourcc);
/*
 * (Re)configure for a coded size: drains and stops a running stream first.
 * `max_refs` pictures may stay referenced at once (the codec's DPB size);
 * CAPTURE buffers are sized for them plus the requests in flight.
 */
int dd_fdec_configure(struct dd_fdec *d, unsigned int coded_w, unsigned int coded_h,
		      unsigned int max_refs);
/*
 * The same for a stream of `depth` bits (8: NV12 CAPTURE, 10: P010) whose
 * sequence controls ctl[0..n) (HEVC SPS, VP9 FRAME) are set on the device
 * outside any request after the OUTPUT format and before the CAPTURE format
 * is chosen, as GStreamer's v4l2codecs do: a driver decides its CAPTURE
 * formats from them (rkvdec, hantro; ours for 10 bits).
 */
int dd_fdec_configure_seq(struct dd_fdec *d, unsigned int coded_w, unsigned int coded_h,
			  unsigned int max_refs, unsigned int depth,
			  struct v4l2_ext_control *ctl, unsigned int n);
/*
 * The timestamp the next submitted picture will carry: set it in the
 * controls of pictures that reference it later.
 */
uint64_t dd_fdec_next_ts(const struct dd_fdec *d);
/*
 * Queue one picture: controls ctl[0..n) and the bitstream in one request.
 * *ts receives its timestamp (== dd_fdec_next_ts() before the call).
 */
int dd_fdec_submit(struct dd_fdec *d, struct v4l2_ext_control *ctl, unsigned int n,
		   const void *bits, size_t len, uint64_t *ts);
/*
 * Queue one field picture (MPEG-2): the first field of a pair holds its
 * CAPTURE buffer (V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF) and names the frame
 * like dd_fdec_submit(); the `second` field, queued right after it, goes to
 * the same buffer with the same timestamp, which *ts receives.
 */
int dd_fdec_submit_field(struct dd_fdec *d, struct v4l2_ext_control *ctl, unsigned int n,
			 const void *bits, size_t len, bool second, uint64_t *ts);
/*
 * Output picture `ts` (waits for it), cropped to the visible rectangle in
 * info->width x info->height at (x, y): NV12 or, from a P010 CAPTURE
 * format, p010le (dd_framemd5.h).  Pictures that are never shown
 * (VP8/VP9 hidden frames) are passed to dd_fdec_hide() instead.
 */
int dd_fdec_output(struct dd_fdec *d, uint64_t ts, const struct dd_out_info *info,
		   unsigned int x, unsigned int y);
int dd_fdec_hide(struct dd_fdec *d, uint64_t ts);
/* The codec no longer references picture `ts`. */
int dd_fdec_release(struct dd_fdec *d, uint64_t ts);
/* Wait for every request in flight. */
int dd_fdec_drain(struct dd_fdec *d);
/* Drain and close everything (also after an error). */
void dd_fdec_close(struct dd_fdec *d);

#endif
