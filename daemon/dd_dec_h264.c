// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dec_h264.c - H.264 in the daemon: the stateless client sends slices
 * only (Annex B); the SPS and PPS are rebuilt from the controls
 * (dd_h264_ps.c) and put in front of the slices when they differ from what
 * this decoder was last fed.  A second field allocates no picture in
 * libavcodec: its job's picture is the frame of the first field.
 */
#include "dd_dec_priv.h"
#include "dd_h264_ps.h"

struct dd_dec_h264 {
	/* Parameter sets last fed to libavcodec (Annex-B bytes). */
	u8 sps_nal[DD_H264_PS_MAX];
	long sps_len;
	u8 pps_nal[DD_H264_PS_MAX];
	long pps_len;
};

/*
 * Build the packet: changed parameter sets, then the slices.  Returns the
 * packet size or a negative errno (-ENOTSUP: answer UNSUPPORTED).
 */
static long dd_dec_h264_packet(struct dd_dec *dec, const struct dd_proto_job *job)
{
	struct dd_dec_h264 *st = dec->priv;
	const struct v4l2_ctrl_h264_sps *sps;
	const struct v4l2_ctrl_h264_pps *pps;
	const struct v4l2_ctrl_h264_scaling_matrix *sm;
	u8 sps_nal[DD_H264_PS_MAX], pps_nal[DD_H264_PS_MAX];
	long sps_len = 0, pps_len = 0;
	bool feed_sps = false, feed_pps = false;
	size_t pos = 0;
	int err = 0;

	sps = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_H264_SPS, sizeof(*sps), "SPS", &err);
	pps = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_H264_PPS, sizeof(*pps), "PPS", &err);
	sm = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_H264_SCALING_MATRIX, sizeof(*sm),
				 "scaling matrix", &err);
	if (err)
		return err;
	if (sps) {
		sps_len = dd_h264_build_sps(sps, sps_nal, sizeof(sps_nal));
		if (sps_len < 0)
			return sps_len;
		feed_sps = dec->opts.ps_always || sps_len != st->sps_len ||
			   memcmp(sps_nal, st->sps_nal, sps_len);
	}
	if (pps) {
		if (!sm && (pps->flags & V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT))
			dd_warn("decoder: PPS says scaling matrix present, job has none: flat");
		pps_len = dd_h264_build_pps(pps, sps, sm, pps_nal, sizeof(pps_nal));
		if (pps_len < 0)
			return pps_len;
		/* A new SPS invalidates the PPS referring to it in libavcodec. */
		feed_pps = feed_sps || dec->opts.ps_always || pps_len != st->pps_len ||
			   memcmp(pps_nal, st->pps_nal, pps_len);
	}
	if (dd_dec_pkt_reserve(dec, sps_len + pps_len + job->bitstream.size))
		return -ENOMEM;
	if (feed_sps) {
		memcpy(dec->pkt_buf + pos, sps_nal, sps_len);
		pos += sps_len;
		memcpy(st->sps_nal, sps_nal, sps_len);
		st->sps_len = sps_len;
	}
	if (feed_pps) {
		memcpy(dec->pkt_buf + pos, pps_nal, pps_len);
		pos += pps_len;
		memcpy(st->pps_nal, pps_nal, pps_len);
		st->pps_len = pps_len;
	}
	if (job->bitstream.size)
		memcpy(dec->pkt_buf + pos, job->bitstream_data, job->bitstream.size);
	pos += job->bitstream.size;
	dd_dec_pkt_pad(dec, pos);
	if (dd_log_debug)
		dd_dbg("decoder: packet %zu bytes (sps %s, pps %s)", pos,
		       feed_sps ? "fed" : "kept", feed_pps ? "fed" : "kept");
	return (long)pos;
}

static void dd_dec_h264_flush(struct dd_dec *dec)
{
	struct dd_dec_h264 *st = dec->priv;

	st->sps_len = 0;
	st->pps_len = 0;
}

const struct dd_dec_codec dd_dec_codec_h264 = {
	.id = DD_CODEC_H264,
	.name = "h264",
	.av_id = AV_CODEC_ID_H264,
	.priv_size = sizeof(struct dd_dec_h264),
	.may_reuse_picture = true,
	.packet = dd_dec_h264_packet,
	.flush = dd_dec_h264_flush,
};
