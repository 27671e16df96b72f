// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_dec_hevc.c - HEVC in the daemon: the stateless client sends the
 * slice NAL units of one frame (Annex B); the VPS, SPS and PPS are rebuilt
 * from the controls (dd_hevc_ps.c) and put in front of the slices when they
 * differ from what this decoder was last fed.  Main and Main 10: the SPS
 * bit depth must match the CAPTURE format (8-bit NV12/YUV420, 10-bit
 * P010).  Slices that refer to
 * SPS-level RPS data the controls do not carry are answered UNSUPPORTED
 * instead of decoding to wrong pictures (see dd_hevc_ps.h).
 */
#include "dd_dec_priv.h"
#include "dd_hevc_ps.h"

struct dd_dec_hevc {
	/* Parameter sets last fed to libavcodec (Annex-B bytes). */
	u8 ps[3][DD_HEVC_PS_MAX];	/* VPS, SPS, PPS */
	long len[3];
};

static long dd_dec_hevc_packet(struct dd_dec *dec, const struct dd_proto_job *job)
{
	struct dd_dec_hevc *st = dec->priv;
	const struct v4l2_ctrl_hevc_sps *sps;
	const struct v4l2_ctrl_hevc_pps *pps;
	const struct v4l2_ctrl_hevc_scaling_matrix *sm;
	u8 ps[3][DD_HEVC_PS_MAX];
	long len[3];
	bool feed = false;
	size_t pos = 0, need = 0;
	unsigned int i;
	int err = 0;

	sps = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_HEVC_SPS, sizeof(*sps), "SPS", &err);
	pps = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_HEVC_PPS, sizeof(*pps), "PPS", &err);
	sm = dd_dec_ctrl_payload(job, V4L2_CID_STATELESS_HEVC_SCALING_MATRIX, sizeof(*sm),
				 "scaling matrix", &err);
	if (err)
		return err;
	if (!sps || !pps) {
		dd_err("decoder: hevc job without %s", sps ? "PPS" : "SPS");
		return -EINVAL;
	}
	if (sps->chroma_format_idc != 1 ||
	    sps->bit_depth_luma_minus8 != sps->bit_depth_chroma_minus8 ||
	    (sps->bit_depth_luma_minus8 != 0 && sps->bit_depth_luma_minus8 != 2)) {
		dd_err("decoder: hevc: only 8-bit and 10-bit 4:2:0 are decoded");
		return -ENOTSUP;
	}
	if ((sps->bit_depth_luma_minus8 == 2) != (job->cap_fourcc == V4L2_PIX_FMT_P010)) {
		dd_err("decoder: hevc: the SPS says %u-bit, the CAPTURE format %.4s is not: "
		       "unsupported", sps->bit_depth_luma_minus8 + 8U,
		       (const char *)&job->cap_fourcc);
		return -ENOTSUP;
	}
	len[0] = dd_hevc_build_vps(sps, ps[0], sizeof(ps[0]));
	len[1] = dd_hevc_build_sps(sps, ps[1], sizeof(ps[1]));
	len[2] = dd_hevc_build_pps(pps, sps, sm, ps[2], sizeof(ps[2]));
	for (i = 0; i < 3; i++) {
		if (len[i] < 0) {
			dd_err("decoder: hevc: cannot rebuild the parameter sets (%ld)", len[i]);
			return len[i] == -ENOTSUP ? -ENOTSUP : -EINVAL;
		}
		feed |= dec->opts.ps_always || len[i] != st->len[i] ||
			memcmp(ps[i], st->ps[i], len[i]);
		need += len[i];
	}
	err = dd_hevc_check_slices(sps, pps, job->bitstream_data, job->bitstream.size);
	if (err)
		return err;
	if (dd_dec_pkt_reserve(dec, need + job->bitstream.size))
		return -ENOMEM;
	/* A new VPS/SPS invalidates what refers to it: feed all three. */
	if (feed) {
		for (i = 0; i < 3; i++) {
			memcpy(dec->pkt_buf + pos, ps[i], len[i]);
			pos += len[i];
			memcpy(st->ps[i], ps[i], len[i]);
			st->len[i] = len[i];
		}
	}
	if (job->bitstream.size)
		memcpy(dec->pkt_buf + pos, job->bitstream_data, job->bitstream.size);
	pos += job->bitstream.size;
	dd_dec_pkt_pad(dec, pos);
	if (dd_log_debug)
		dd_dbg("decoder: hevc packet %zu bytes (parameter sets %s)", pos,
		       feed ? "fed" : "kept");
	return (long)pos;
}

static void dd_dec_hevc_flush(struct dd_dec *dec)
{
	struct dd_dec_hevc *st = dec->priv;

	memset(st->len, 0, sizeof(st->len));
}

const struct dd_dec_codec dd_dec_codec_hevc = {
	.id = DD_CODEC_HEVC,
	.name = "hevc",
	.av_id = AV_CODEC_ID_HEVC,
	.priv_size = sizeof(struct dd_dec_hevc),
	.ten_bit = true,
	.packet = dd_dec_hevc_packet,
	.flush = dd_dec_hevc_flush,
};
