// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dec_vp9.c - VP9 in the daemon.  A V4L2_PIX_FMT_VP9_FRAME buffer is one
 * whole frame, uncompressed and compressed header included, so the packet
 * is the bitstream as it is: libavcodec's vp9 decoder parses both headers
 * itself and keeps the eight reference slots as the frame headers refresh
 * them (the timestamps in the FRAME control name the same pictures).
 *
 * The FRAME control's bit_depth must match the CAPTURE format (8-bit
 * NV12/YUV420, 10-bit P010: profile 2); the decoded picture's depth is
 * checked again after decoding (dd_decoder.c), whatever the control said.
 *
 * A hidden frame (show_frame = 0, an altref) still allocates its picture
 * in get_buffer2: that is the job's CAPTURE picture, which the client
 * references later.  Two inputs have no picture of their own and are
 * answered ERROR without reaching libavcodec:
 * - a superframe (several frames and the index libvpx appends): one job
 *   is one picture, so the client splits superframes, as the uAPI says
 *   (libavcodec would otherwise decode every frame of it into one job);
 * - a show_existing_frame header: it decodes nothing and allocates no
 *   picture; the FRAME control cannot even describe it.  Clients show the
 *   existing CAPTURE buffer again without a request (GStreamer does).
 */
#include "dd_dec_priv.h"

#define DD_VP9_FRAME_MARKER	2

/*
 * The size of the superframe index at the end of `p` (VP9 bitstream
 * annex B: marker byte 110mmfff at both ends of the index), or 0.
 */
static size_t dd_vp9_superframe_index(const u8 *p, size_t size)
{
	u8 last, mag, frames;
	size_t idx;

	if (!size)
		return 0;
	last = p[size - 1];
	if ((last & 0xe0) != 0xc0)
		return 0;
	mag = ((last >> 3) & 3) + 1;
	frames = (last & 7) + 1;
	idx = 2 + (size_t)mag * frames;
	if (size < idx || p[size - idx] != last)
		return 0;
	return idx;
}

/*
 * 1 if the uncompressed header starts a show_existing_frame, 0 if not,
 * -EINVAL if it is no VP9 frame header (frame marker).
 */
static int dd_vp9_show_existing(const u8 *p, size_t size)
{
	unsigned int profile, bit;

	if (!size || (p[0] >> 6) != DD_VP9_FRAME_MARKER)
		return -EINVAL;
	profile = ((p[0] >> 5) & 1) | (((p[0] >> 4) & 1) << 1);
	/* Profile 3 has a reserved zero bit before show_existing_frame. */
	bit = profile == 3 ? 2 : 3;
	return (p[0] >> bit) & 1;
}

static long dd_dec_vp9_packet(struct dd_dec *dec, const struct dd_proto_job *job)
{
	const struct v4l2_ctrl_vp9_frame *f;
	const u8 *bits = job->bitstream_data;
	size_t size = job->bitstream.size, idx;
	int err = 0, ret;

	f = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_VP9_FRAME, sizeof(*f), "VP9 frame",
				&err);
	if (err)
		return err;
	if (!f) {
		dd_err("decoder: vp9 job without the FRAME control");
		return -EINVAL;
	}
	ret = dd_vp9_show_existing(bits, size);
	if (ret < 0) {
		dd_err("decoder: vp9 bitstream of %zu bytes has no frame marker", size);
		return -EINVAL;
	}
	if (ret) {
		dd_err("decoder: vp9 show_existing_frame decodes no picture: show the "
		       "existing CAPTURE buffer instead of queuing a request");
		return -EINVAL;
	}
	idx = dd_vp9_superframe_index(bits, size);
	if (idx) {
		dd_err("decoder: vp9 superframe (%u frames): one frame per request, "
		       "split it before queuing", (bits[size - 1] & 7) + 1);
		return -EINVAL;
	}
	if ((f->bit_depth == 10) != (job->cap_fourcc == V4L2_PIX_FMT_P010)) {
		dd_err("decoder: vp9 frame of profile %u is %u-bit, the CAPTURE format %.4s is "
		       "not: unsupported", f->profile, f->bit_depth,
		       (const char *)&job->cap_fourcc);
		return -ENOTSUP;
	}
	if ((size_t)f->uncompressed_header_size + f->compressed_header_size > size) {
		dd_err("decoder: vp9 headers (%u + %u bytes) longer than the bitstream (%zu)",
		       f->uncompressed_header_size, f->compressed_header_size, size);
		return -EINVAL;
	}
	if (dd_dec_pkt_reserve(dec, size))
		return -ENOMEM;
	memcpy(dec->pkt_buf, bits, size);
	dd_dec_pkt_pad(dec, size);
	if (dd_log_debug)
		dd_dbg("decoder: vp9 packet %zu bytes, flags 0x%x", size, f->flags);
	return (long)size;
}

const struct dd_dec_codec dd_dec_codec_vp9 = {
	.id = DD_CODEC_VP9,
	.name = "vp9",
	.av_id = AV_CODEC_ID_VP9,
	.may_reuse_picture = false,
	.ten_bit = true,
	.packet = dd_dec_vp9_packet,
};
