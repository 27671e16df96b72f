// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dec_vp8.c - VP8 in the daemon: a V4L2_PIX_FMT_VP8_FRAME buffer holds
 * the whole frame, its uncompressed header included, which is exactly what
 * libavcodec's vp8 decoder takes.  The frame control is only checked
 * against the frame tag (and the key frame's size), which costs ten bytes
 * of parsing and catches a client that paired controls and buffers wrongly.
 * Hidden (altref) frames allocate a picture like shown ones: the job's
 * CAPTURE buffer gets it, for later frames to reference.
 */
#include "dd_dec_priv.h"

#define DD_VP8_TAG_LEN		3
#define DD_VP8_KEY_HDR_LEN	10	/* tag + start code + sizes */

static long dd_dec_vp8_check(const struct v4l2_ctrl_vp8_frame *f, const u8 *p, size_t len)
{
	bool key, show;
	u32 version, part0;

	if (len < DD_VP8_TAG_LEN) {
		dd_err("decoder: vp8 frame of %zu bytes has no frame tag", len);
		return -EINVAL;
	}
	key = !(p[0] & 1);
	version = (p[0] >> 1) & 7;
	show = (p[0] >> 4) & 1;
	part0 = (p[0] | (u32)p[1] << 8 | (u32)p[2] << 16) >> 5;
	if (key != !!(f->flags & V4L2_VP8_FRAME_FLAG_KEY_FRAME) ||
	    show != !!(f->flags & V4L2_VP8_FRAME_FLAG_SHOW_FRAME) ||
	    version != f->version || part0 != f->first_part_size) {
		dd_err("decoder: vp8 frame tag (key %d, show %d, version %u, first "
		       "partition %u) disagrees with the control (key %d, show %d, "
		       "version %u, first_part_size %u)", key, show, version, part0,
		       !!(f->flags & V4L2_VP8_FRAME_FLAG_KEY_FRAME),
		       !!(f->flags & V4L2_VP8_FRAME_FLAG_SHOW_FRAME), f->version,
		       f->first_part_size);
		return -EINVAL;
	}
	if (!key)
		return 0;
	if (len < DD_VP8_KEY_HDR_LEN || p[3] != 0x9d || p[4] != 0x01 || p[5] != 0x2a) {
		dd_err("decoder: vp8 key frame without its start code");
		return -EINVAL;
	}
	if (((p[6] | p[7] << 8) & 0x3fff) != f->width ||
	    ((p[8] | p[9] << 8) & 0x3fff) != f->height) {
		dd_err("decoder: vp8 key frame is %ux%u, the control says %ux%u",
		       (p[6] | p[7] << 8) & 0x3fff, (p[8] | p[9] << 8) & 0x3fff,
		       f->width, f->height);
		return -EINVAL;
	}
	return 0;
}

static long dd_dec_vp8_packet(struct dd_dec *dec, const struct dd_proto_job *job)
{
	const struct v4l2_ctrl_vp8_frame *f;
	size_t len = job->bitstream.size;
	int err = 0;
	long ret;

	f = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_VP8_FRAME, sizeof(*f), "frame", &err);
	if (err)
		return err;
	if (!f) {
		dd_err("decoder: vp8 job without its frame control");
		return -EINVAL;
	}
	ret = dd_dec_vp8_check(f, job->bitstream_data, len);
	if (ret)
		return ret;
	if (dd_dec_pkt_reserve(dec, len))
		return -ENOMEM;
	memcpy(dec->pkt_buf, job->bitstream_data, len);
	dd_dec_pkt_pad(dec, len);
	return (long)len;
}

const struct dd_dec_codec dd_dec_codec_vp8 = {
	.id = DD_CODEC_VP8,
	.name = "vp8",
	.av_id = AV_CODEC_ID_VP8,
	.packet = dd_dec_vp8_packet,
};
