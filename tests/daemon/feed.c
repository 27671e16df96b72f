// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * feed.c - a test front end for daedalusd.  It plays the CUSE server's part
 * on the daemon's socket and the stateless client's part for the stream:
 * an H.264 Annex-B file is parsed with GStreamer's codecparsers, every
 * picture becomes one JOB carrying only its slice NAL units plus the SPS,
 * PPS and scaling matrix controls (raster order, as V4L2 clients fill
 * them), and the CAPTURE buffers are memfds passed with SCM_RIGHTS (or
 * this process's memory with --process).  A VP9 IVF file (STREAM.ivf) is
 * split into frames (superframes too) with a FRAME control each; --p010
 * asks for P010 CAPTURE buffers (10-bit streams).
 *
 * Every DONE is checked: status OK, cookie order per context, DONE.hash ==
 * FNV-1a 64 of the buffer's visible picture (daedalusd --hash; with
 * --no-hash, for a daemon run without it, DONE.hash must be 0), and every
 * completed frame's MD5 over the cropped picture is compared, in display order (POC), with
 * an `ffmpeg -f framemd5` reference.  Exit status 0 only if all match.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <glib.h>
#include <gst/codecparsers/gsth264parser.h>

#include "dd_os.h"
#include "dd_proto.h"
#include "dd_corrupt.h"

#define FEED_MAX_CTX	8
#define FEED_MAX_BUFS	8

struct feed_pic {
	u8 *bits;			/* slice NAL units, Annex-B */
	size_t size;
	struct v4l2_ctrl_h264_sps sps;
	struct v4l2_ctrl_h264_pps pps;
	struct v4l2_ctrl_h264_scaling_matrix sm;
	bool has_sm;
	struct v4l2_ctrl_vp9_frame vp9;	/* VP9 streams */
	u32 width, height;		/* coded size */
	u32 crop_x, crop_y, crop_w, crop_h;
	bool completes_frame;		/* a frame, or the second field of one */
	int period;			/* IDR period, for display ordering */
	int poc;			/* of the frame this completes */
};

struct feed_frame {
	int period, poc;
	char md5[33];
};

struct feed_ctx {
	u32 id;
	unsigned int next_send, next_done;
	int buf_fd[FEED_MAX_BUFS];
	u8 *buf[FEED_MAX_BUFS];
	struct feed_frame *frames;
	unsigned int num_frames;
	unsigned int errors;		/* DONE status ERROR */
	bool flush_pending;
};

static struct feed_pic *pics;
static unsigned int num_pics;
static u32 fourcc = V4L2_PIX_FMT_NV12;
static u32 codec = DD_CODEC_H264;
static unsigned int bps = 1;		/* bytes per sample: 2 for P010 */
static unsigned int nbufs = 4, nctx = 1, loops = 1;
static int corrupt_pic = -1;
/* --damage: tools/dd_corrupt.c's hostile-input modes on a share of the jobs. */
static struct dd_corrupt damage;
static bool damage_on;
static unsigned int damage_errors;
static bool use_process, verbose, expect_unsupported, expect_no_hash;
static size_t buf_size;
static int failures;

#define FEED_FAIL(...) do { fprintf(stderr, "feed: FAIL: " __VA_ARGS__); fputc('\n', stderr); \
			   failures++; } while (0)

/* ---- stream parsing ---------------------------------------------------- */

static void feed_fill_sps(struct v4l2_ctrl_h264_sps *v, const GstH264SPS *s)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->profile_idc = s->profile_idc;
	v->constraint_set_flags = s->constraint_set0_flag | s->constraint_set1_flag << 1 |
				  s->constraint_set2_flag << 2 | s->constraint_set3_flag << 3 |
				  s->constraint_set4_flag << 4 | s->constraint_set5_flag << 5;
	v->level_idc = s->level_idc;
	v->seq_parameter_set_id = s->id;
	v->chroma_format_idc = s->chroma_format_idc;
	v->bit_depth_luma_minus8 = s->bit_depth_luma_minus8;
	v->bit_depth_chroma_minus8 = s->bit_depth_chroma_minus8;
	v->log2_max_frame_num_minus4 = s->log2_max_frame_num_minus4;
	v->pic_order_cnt_type = s->pic_order_cnt_type;
	v->log2_max_pic_order_cnt_lsb_minus4 = s->log2_max_pic_order_cnt_lsb_minus4;
	v->max_num_ref_frames = s->num_ref_frames;
	v->num_ref_frames_in_pic_order_cnt_cycle = s->num_ref_frames_in_pic_order_cnt_cycle;
	for (i = 0; i < s->num_ref_frames_in_pic_order_cnt_cycle; i++)
		v->offset_for_ref_frame[i] = s->offset_for_ref_frame[i];
	v->offset_for_non_ref_pic = s->offset_for_non_ref_pic;
	v->offset_for_top_to_bottom_field = s->offset_for_top_to_bottom_field;
	v->pic_width_in_mbs_minus1 = s->pic_width_in_mbs_minus1;
	v->pic_height_in_map_units_minus1 = s->pic_height_in_map_units_minus1;
	if (s->separate_colour_plane_flag)
		v->flags |= V4L2_H264_SPS_FLAG_SEPARATE_COLOUR_PLANE;
	if (s->qpprime_y_zero_transform_bypass_flag)
		v->flags |= V4L2_H264_SPS_FLAG_QPPRIME_Y_ZERO_TRANSFORM_BYPASS;
	if (s->delta_pic_order_always_zero_flag)
		v->flags |= V4L2_H264_SPS_FLAG_DELTA_PIC_ORDER_ALWAYS_ZERO;
	if (s->gaps_in_frame_num_value_allowed_flag)
		v->flags |= V4L2_H264_SPS_FLAG_GAPS_IN_FRAME_NUM_VALUE_ALLOWED;
	if (s->frame_mbs_only_flag)
		v->flags |= V4L2_H264_SPS_FLAG_FRAME_MBS_ONLY;
	if (s->mb_adaptive_frame_field_flag)
		v->flags |= V4L2_H264_SPS_FLAG_MB_ADAPTIVE_FRAME_FIELD;
	if (s->direct_8x8_inference_flag)
		v->flags |= V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
}

static bool feed_fill_pps(struct v4l2_ctrl_h264_pps *v, struct v4l2_ctrl_h264_scaling_matrix *sm,
			  const GstH264PPS *p)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->pic_parameter_set_id = p->id;
	v->seq_parameter_set_id = p->sequence->id;
	v->num_slice_groups_minus1 = p->num_slice_groups_minus1;
	v->num_ref_idx_l0_default_active_minus1 = p->num_ref_idx_l0_active_minus1;
	v->num_ref_idx_l1_default_active_minus1 = p->num_ref_idx_l1_active_minus1;
	v->weighted_bipred_idc = p->weighted_bipred_idc;
	v->pic_init_qp_minus26 = p->pic_init_qp_minus26;
	v->pic_init_qs_minus26 = p->pic_init_qs_minus26;
	v->chroma_qp_index_offset = p->chroma_qp_index_offset;
	v->second_chroma_qp_index_offset = (s8)p->second_chroma_qp_index_offset;
	if (p->entropy_coding_mode_flag)
		v->flags |= V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE;
	if (p->pic_order_present_flag)
		v->flags |= V4L2_H264_PPS_FLAG_BOTTOM_FIELD_PIC_ORDER_IN_FRAME_PRESENT;
	if (p->weighted_pred_flag)
		v->flags |= V4L2_H264_PPS_FLAG_WEIGHTED_PRED;
	if (p->deblocking_filter_control_present_flag)
		v->flags |= V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT;
	if (p->constrained_intra_pred_flag)
		v->flags |= V4L2_H264_PPS_FLAG_CONSTRAINED_INTRA_PRED;
	if (p->redundant_pic_cnt_present_flag)
		v->flags |= V4L2_H264_PPS_FLAG_REDUNDANT_PIC_CNT_PRESENT;
	if (p->transform_8x8_mode_flag)
		v->flags |= V4L2_H264_PPS_FLAG_TRANSFORM_8X8_MODE;
	/* Like the GStreamer and FFmpeg stateless clients: final lists, raster order. */
	if (!p->sequence->scaling_matrix_present_flag && !p->pic_scaling_matrix_present_flag)
		return false;
	v->flags |= V4L2_H264_PPS_FLAG_SCALING_MATRIX_PRESENT;
	for (i = 0; i < 6; i++)
		gst_h264_quant_matrix_4x4_get_raster_from_zigzag(sm->scaling_list_4x4[i],
								 p->scaling_lists_4x4[i]);
	for (i = 0; i < 6; i++)
		gst_h264_quant_matrix_8x8_get_raster_from_zigzag(sm->scaling_list_8x8[i],
								 p->scaling_lists_8x8[i]);
	return true;
}

/* POC state (8.2.1) for types 0 and 2, the ones x264 writes. */
struct feed_poc {
	int prev_msb, prev_lsb;
	int prev_frame_num, prev_frame_num_offset;
	int period;
};

static int feed_compute_poc(struct feed_poc *st, const GstH264SliceHdr *sh, bool idr,
			    int ref_idc, int *top, int *bottom)
{
	const GstH264SPS *sps = sh->pps->sequence;

	if (idr)
		st->period++;
	if (sps->pic_order_cnt_type == 0) {
		int max_lsb = 1 << (sps->log2_max_pic_order_cnt_lsb_minus4 + 4);
		int lsb = sh->pic_order_cnt_lsb, msb;

		if (idr) {
			st->prev_msb = 0;
			st->prev_lsb = 0;
		}
		if (lsb < st->prev_lsb && st->prev_lsb - lsb >= max_lsb / 2)
			msb = st->prev_msb + max_lsb;
		else if (lsb > st->prev_lsb && lsb - st->prev_lsb > max_lsb / 2)
			msb = st->prev_msb - max_lsb;
		else
			msb = st->prev_msb;
		if (!sh->field_pic_flag) {
			*top = msb + lsb;
			*bottom = *top + sh->delta_pic_order_cnt_bottom;
		} else if (!sh->bottom_field_flag) {
			*top = *bottom = msb + lsb;
		} else {
			*top = *bottom = msb + lsb;
		}
		if (ref_idc) {
			st->prev_msb = msb;
			st->prev_lsb = lsb;
		}
		return 0;
	}
	if (sps->pic_order_cnt_type == 2) {
		int max_fn = 1 << (sps->log2_max_frame_num_minus4 + 4);
		int offset, temp;

		if (idr)
			offset = 0;
		else if (st->prev_frame_num > sh->frame_num)
			offset = st->prev_frame_num_offset + max_fn;
		else
			offset = st->prev_frame_num_offset;
		if (idr)
			temp = 0;
		else
			temp = 2 * (offset + sh->frame_num) - (ref_idc ? 0 : 1);
		*top = *bottom = temp;
		st->prev_frame_num = sh->frame_num;
		st->prev_frame_num_offset = offset;
		return 0;
	}
	fprintf(stderr, "feed: pic_order_cnt_type %u not handled\n", sps->pic_order_cnt_type);
	return -1;
}

static int feed_parse(const u8 *data, size_t size)
{
	GstH264NalParser *parser = gst_h264_nal_parser_new();
	struct feed_poc poc = { 0 };
	struct feed_pic *cur = NULL;
	GstH264ParserResult res;
	GstH264NalUnit nalu;
	size_t cap = 0;
	/* Pending first field: its frame completes with the opposite parity field. */
	bool first_field_pending = false;
	int first_field_poc = 0, first_field_bottom = 0, first_field_frame_num = -1;

	res = gst_h264_parser_identify_nalu(parser, data, 0, size, &nalu);
	while (res == GST_H264_PARSER_OK || res == GST_H264_PARSER_NO_NAL_END) {
		const u8 *nal = nalu.data + nalu.offset;

		if (nalu.type == GST_H264_NAL_SPS) {
			GstH264SPS sps;

			if (gst_h264_parser_parse_sps(parser, &nalu, &sps) != GST_H264_PARSER_OK)
				return -1;
			gst_h264_sps_clear(&sps);
		} else if (nalu.type == GST_H264_NAL_PPS) {
			GstH264PPS pps;

			if (gst_h264_parser_parse_pps(parser, &nalu, &pps) != GST_H264_PARSER_OK)
				return -1;
			gst_h264_pps_clear(&pps);
		} else if (nalu.type == GST_H264_NAL_SLICE || nalu.type == GST_H264_NAL_SLICE_IDR) {
			GstH264SliceHdr sh;

			if (gst_h264_parser_parse_slice_hdr(parser, &nalu, &sh, TRUE, TRUE) !=
			    GST_H264_PARSER_OK)
				return -1;
			if (sh.first_mb_in_slice == 0) {
				const GstH264SPS *s = sh.pps->sequence;
				int top, bottom;

				if (num_pics == cap) {
					cap = cap ? cap * 2 : 64;
					pics = realloc(pics, cap * sizeof(*pics));
				}
				cur = &pics[num_pics++];
				memset(cur, 0, sizeof(*cur));
				feed_fill_sps(&cur->sps, s);
				cur->has_sm = feed_fill_pps(&cur->pps, &cur->sm, sh.pps);
				cur->width = (s->pic_width_in_mbs_minus1 + 1) * 16;
				cur->height = (s->pic_height_in_map_units_minus1 + 1) * 16 *
					      (2 - s->frame_mbs_only_flag);
				/* 7.4.2.1.1 crop units for 4:2:0. */
				cur->crop_x = 2 * s->frame_crop_left_offset;
				cur->crop_w = cur->width - 2 * (s->frame_crop_left_offset +
								 s->frame_crop_right_offset);
				cur->crop_y = 2 * (2 - s->frame_mbs_only_flag) *
					      s->frame_crop_top_offset;
				cur->crop_h = cur->height - 2 * (2 - s->frame_mbs_only_flag) *
					      (s->frame_crop_top_offset +
					       s->frame_crop_bottom_offset);
				if (!s->frame_cropping_flag) {
					cur->crop_x = cur->crop_y = 0;
					cur->crop_w = cur->width;
					cur->crop_h = cur->height;
				}
				if (feed_compute_poc(&poc, &sh, nalu.idr_pic_flag, nalu.ref_idc,
						     &top, &bottom))
					return -1;
				cur->period = poc.period;
				if (!sh.field_pic_flag) {
					cur->completes_frame = true;
					cur->poc = min(top, bottom);
					first_field_pending = false;
				} else if (first_field_pending &&
					   first_field_bottom != sh.bottom_field_flag &&
					   first_field_frame_num == sh.frame_num) {
					cur->completes_frame = true;
					cur->poc = min(first_field_poc, top);
					first_field_pending = false;
				} else {
					first_field_pending = true;
					first_field_poc = top;
					first_field_bottom = sh.bottom_field_flag;
					first_field_frame_num = sh.frame_num;
				}
			}
			if (!cur)
				return -1;
			/* Slice NAL unit with a 3-byte start code. */
			cur->bits = realloc(cur->bits, cur->size + 3 + nalu.size);
			cur->bits[cur->size] = 0;
			cur->bits[cur->size + 1] = 0;
			cur->bits[cur->size + 2] = 1;
			memcpy(cur->bits + cur->size + 3, nal, nalu.size);
			cur->size += 3 + nalu.size;
		}
		if (res == GST_H264_PARSER_NO_NAL_END)
			break;
		res = gst_h264_parser_identify_nalu(parser, data, nalu.offset + nalu.size, size,
						    &nalu);
	}
	gst_h264_nal_parser_free(parser);
	return num_pics ? 0 : -1;
}

/* ---- reference and comparison ----------------------------------------- */

static int feed_add_vp9(const u8 *d, u32 len, u32 w, u32 h, unsigned int *shown)
{
	struct feed_pic *p;
	unsigned int profile;

	if (!len || d[0] >> 6 != 2) {
		fprintf(stderr, "feed: vp9 frame without frame marker\n");
		return -1;
	}
	profile = ((d[0] >> 5) & 1) | ((d[0] >> 4) & 1) << 1;
	if (profile == 3 || (d[0] >> 3) & 1) {
		fprintf(stderr, "feed: vp9 profile 3 / show_existing_frame not handled\n");
		return -1;
	}
	pics = realloc(pics, (num_pics + 1) * sizeof(*pics));
	p = &pics[num_pics++];
	memset(p, 0, sizeof(*p));
	p->bits = malloc(len);
	memcpy(p->bits, d, len);
	p->size = len;
	p->width = p->crop_w = w;
	p->height = p->crop_h = h;
	p->vp9.profile = profile;
	p->vp9.bit_depth = profile >= 2 ? 10 : 8;
	p->vp9.flags = V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	p->vp9.frame_width_minus_1 = w - 1;
	p->vp9.frame_height_minus_1 = h - 1;
	/* show_frame: a hidden frame is a job whose picture is never output. */
	if ((d[0] >> 1) & 1) {
		p->vp9.flags |= V4L2_VP9_FRAME_FLAG_SHOW_FRAME;
		p->completes_frame = true;
		p->poc = (int)(*shown)++;
	}
	return 0;
}

/* IVF: frames one job each, superframes split (their index dropped). */
static int feed_parse_ivf(const u8 *d, size_t size)
{
	unsigned int shown = 0;
	size_t pos = 32;
	u32 w, h;

	if (size < 32 || memcmp(d, "DKIF", 4) || memcmp(d + 8, "VP90", 4))
		return -1;
	w = d[12] | d[13] << 8;
	h = d[14] | d[15] << 8;
	while (pos + 12 <= size) {
		u32 len = d[pos] | d[pos + 1] << 8 | d[pos + 2] << 16 | (u32)d[pos + 3] << 24;
		const u8 *f = d + pos + 12;
		u8 last;

		if (!len || len > size - pos - 12)
			return -1;
		last = f[len - 1];
		if ((last & 0xe0) == 0xc0) {
			unsigned int mag = ((last >> 3) & 3) + 1, cnt = (last & 7) + 1, i, k;
			size_t idx = 2 + (size_t)mag * cnt, off = 0;

			if (idx > len || f[len - idx] != last)
				return -1;
			for (i = 0; i < cnt; i++) {
				u32 fs = 0;

				for (k = 0; k < mag; k++)
					fs |= (u32)f[len - idx + 1 + i * mag + k] << (8 * k);
				if (off + fs > len - idx || feed_add_vp9(f + off, fs, w, h, &shown))
					return -1;
				off += fs;
			}
		} else if (feed_add_vp9(f, len, w, h, &shown)) {
			return -1;
		}
		pos += 12 + len;
	}
	return num_pics ? 0 : -1;
}

static char (*ref_md5)[33];
static unsigned int num_ref;

static int feed_load_ref(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	unsigned int cap = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *comma = strrchr(line, ','), *p;

		if (line[0] == '#' || !comma)
			continue;
		p = comma + 1;
		while (*p == ' ')
			p++;
		if (num_ref == cap) {
			cap = cap ? cap * 2 : 64;
			ref_md5 = realloc(ref_md5, cap * sizeof(*ref_md5));
		}
		snprintf(ref_md5[num_ref], 33, "%.32s", p);
		num_ref++;
	}
	fclose(f);
	return 0;
}

/* FNV-1a of the visible width x height, Y rows then chroma rows, capture format. */
static u64 feed_fnv(const u8 *b, u32 w, u32 h, const u32 *off, const u32 *stride)
{
	u64 hash = DD_FNV1A64_INIT;
	u32 y, cw = (w + 1) / 2, ch = (h + 1) / 2;

	for (y = 0; y < h; y++)
		hash = dd_fnv1a64(hash, b + off[0] + (size_t)y * stride[0], w * bps);
	if (fourcc == V4L2_PIX_FMT_NV12 || fourcc == V4L2_PIX_FMT_P010) {
		for (y = 0; y < ch; y++)
			hash = dd_fnv1a64(hash, b + off[1] + (size_t)y * stride[1], 2 * cw * bps);
	} else {
		for (y = 0; y < ch; y++)
			hash = dd_fnv1a64(hash, b + off[1] + (size_t)y * stride[1], cw);
		for (y = 0; y < ch; y++)
			hash = dd_fnv1a64(hash, b + off[2] + (size_t)y * stride[2], cw);
	}
	return hash;
}

/* MD5 of the cropped picture, as `ffmpeg -f framemd5 -pix_fmt nv12|yuv420p|p010le`. */
static void feed_md5(const struct feed_pic *p, const u8 *b, const u32 *off, const u32 *stride,
		     char out[33])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_MD5);
	u32 y, cx = p->crop_x / 2, cy = p->crop_y / 2;
	u32 cw = (p->crop_w + 1) / 2, ch = (p->crop_h + 1) / 2;

	for (y = 0; y < p->crop_h; y++)
		g_checksum_update(ck, b + off[0] + (size_t)(p->crop_y + y) * stride[0] +
				  p->crop_x * bps, p->crop_w * bps);
	if (fourcc == V4L2_PIX_FMT_NV12 || fourcc == V4L2_PIX_FMT_P010) {
		for (y = 0; y < ch; y++)
			g_checksum_update(ck, b + off[1] + (size_t)(cy + y) * stride[1] +
					  2 * cx * bps, 2 * cw * bps);
	} else {
		for (y = 0; y < ch; y++)
			g_checksum_update(ck, b + off[1] + (size_t)(cy + y) * stride[1] + cx, cw);
		for (y = 0; y < ch; y++)
			g_checksum_update(ck, b + off[2] + (size_t)(cy + y) * stride[2] + cx, cw);
	}
	snprintf(out, 33, "%s", g_checksum_get_string(ck));
	g_checksum_free(ck);
}

static int feed_frame_cmp(const void *a, const void *b)
{
	const struct feed_frame *fa = a, *fb = b;

	if (fa->period != fb->period)
		return fa->period - fb->period;
	return fa->poc - fb->poc;
}

/* ---- the protocol side ------------------------------------------------- */

static void feed_layout(const struct feed_pic *p, u32 *off, u32 *stride, u32 *planes)
{
	memset(off, 0, 3 * sizeof(*off));
	memset(stride, 0, 3 * sizeof(*stride));
	/* A stride wider than the picture, as drivers align bytesperline. */
	stride[0] = ALIGN(p->width * bps, 64);
	off[1] = stride[0] * p->height;
	if (fourcc == V4L2_PIX_FMT_NV12 || fourcc == V4L2_PIX_FMT_P010) {
		*planes = 2;
		stride[1] = stride[0];
	} else {
		*planes = 3;
		stride[1] = stride[2] = stride[0] / 2;
		off[2] = off[1] + stride[1] * (p->height / 2);
	}
}

static int feed_send_job(int sock, struct feed_ctx *c, unsigned int idx)
{
	struct feed_pic *p = &pics[idx % num_pics];
	unsigned int slot = c->next_send % nbufs;
	struct dd_proto_job job = { 0 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh = { 0 };
	struct iovec iov;
	struct v4l2_ctrl_h264_sps sps = p->sps;
	struct v4l2_ctrl_h264_pps pps = p->pps;
	u8 *bits = p->bits, *msg;
	size_t bits_len = p->size;
	long size;
	ssize_t n;

	job.ctx_id = c->id;
	job.cookie = ((u64)c->id << 32) | idx;
	job.codec = codec;
	job.width = p->width;
	job.height = p->height;
	job.cap_fourcc = fourcc;
	feed_layout(p, job.cap_offset, job.cap_stride, &job.cap_num_planes);
	if (c->flush_pending) {
		job.flags |= DD_JOB_FLAG_FLUSH;
		c->flush_pending = false;
	}
	job.num_ctrls = 2;
	if (damage_on && dd_corrupt_next_picture(&damage)) {
		dd_corrupt_ctrls(&damage, &sps, &pps);
		bits = malloc(p->size);
		memcpy(bits, p->bits, p->size);
		bits_len = dd_corrupt_bits(&damage, bits, p->size);
	}
	job.ctrls[0] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_SPS, sizeof(sps), &sps };
	job.ctrls[1] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_H264_PPS, sizeof(pps), &pps };
	if (codec == DD_CODEC_VP9) {
		job.num_ctrls = 1;
		job.ctrls[0] = (struct dd_proto_ctrl){ V4L2_CID_STATELESS_VP9_FRAME,
						       sizeof(p->vp9), &p->vp9 };
	} else if (p->has_sm)
		job.ctrls[job.num_ctrls++] = (struct dd_proto_ctrl){
			V4L2_CID_STATELESS_H264_SCALING_MATRIX, sizeof(p->sm), &p->sm };
	if ((int)idx == corrupt_pic) {
		size_t i;

		/* Keep the NAL/slice header bytes, scramble the macroblock data. */
		bits = malloc(p->size);
		memcpy(bits, p->bits, p->size);
		for (i = 12; i < p->size; i++)
			bits[i] = (u8)(i * 37 + 11);
	}
	job.bitstream.kind = DD_BUF_INLINE;
	job.bitstream.size = bits_len;
	job.bitstream_data = bits;
	job.capture.size = buf_size;
	if (use_process) {
		job.capture.kind = DD_BUF_PROCESS;
		job.capture.id = getpid();
		job.capture.offset = (u64)(uintptr_t)c->buf[slot];
	} else {
		job.capture.kind = DD_BUF_FD;
		job.capture.id = 0;
	}
	size = dd_proto_job_size(&job);
	if (size < 0)
		return -1;
	msg = malloc(size);
	if (dd_proto_encode_job(msg, size, &job) != size)
		return -1;
	if (bits != p->bits)
		free(bits);
	iov.iov_base = msg;
	iov.iov_len = size;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (!use_process) {
		struct cmsghdr *cm;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &c->buf_fd[slot], sizeof(int));
	}
	n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	free(msg);
	if (n != size) {
		perror("feed: sendmsg");
		return -1;
	}
	c->next_send++;
	return 0;
}

static void feed_check_done(struct feed_ctx *c, const struct dd_proto_done *d)
{
	unsigned int idx = c->next_done, slot = c->next_done % nbufs;
	struct feed_pic *p = &pics[idx % num_pics];
	u32 off[3], stride[3], planes;
	u64 hash;

	c->next_done++;
	if (d->cookie != (((u64)c->id << 32) | idx)) {
		FEED_FAIL("ctx %u: DONE cookie %llx, expected job %u", c->id,
			  (unsigned long long)d->cookie, idx);
		return;
	}
	if (expect_unsupported) {
		if (d->status != DD_STATUS_UNSUPPORTED)
			FEED_FAIL("ctx %u job %u: status %u, expected UNSUPPORTED", c->id, idx,
				  d->status);
		return;
	}
	if (damage_on) {
		/* Damage may be concealed or refused; anything else is undefined. */
		if (d->status != DD_STATUS_OK && d->status != DD_STATUS_ERROR)
			FEED_FAIL("ctx %u job %u: damaged stream got status %u", c->id, idx,
				  d->status);
		damage_errors += d->status == DD_STATUS_ERROR;
		return;
	}
	if ((int)idx == corrupt_pic) {
		if (d->status != DD_STATUS_ERROR)
			FEED_FAIL("ctx %u job %u: corrupted picture got status %u, expected ERROR",
				  c->id, idx, d->status);
		else
			printf("feed: ctx %u job %u: corrupted picture reported ERROR\n", c->id, idx);
		return;
	}
	if (corrupt_pic >= 0) {
		/* Pictures after the damage are wrong, but must all be answered. */
		c->errors += d->status != DD_STATUS_OK;
		return;
	}
	if (d->status != DD_STATUS_OK) {
		FEED_FAIL("ctx %u job %u: status %u", c->id, idx, d->status);
		return;
	}
	feed_layout(p, off, stride, &planes);
	if (d->bytesused != off[planes - 1] + stride[planes - 1] * ((p->height + 1) / 2))
		FEED_FAIL("ctx %u job %u: bytesused %u", c->id, idx, d->bytesused);
	hash = expect_no_hash ? 0 : feed_fnv(c->buf[slot], p->width, p->height, off, stride);
	if (hash != d->hash)
		FEED_FAIL("ctx %u job %u: DONE hash %016llx, buffer hashes to %016llx", c->id, idx,
			  (unsigned long long)d->hash, (unsigned long long)hash);
	if (p->completes_frame) {
		struct feed_frame *f = &c->frames[c->num_frames++];

		/* Each loop is its own set of IDR periods. */
		f->period = p->period + (int)(idx / num_pics) * 100000;
		f->poc = p->poc;
		feed_md5(p, c->buf[slot], off, stride, f->md5);
	}
	if (verbose)
		printf("feed: ctx %u job %u: %016llx %u us\n", c->id, idx,
		       (unsigned long long)d->hash, d->decode_us);
}

static int feed_recv(int sock, struct feed_ctx *ctxs)
{
	u8 buf[256] __attribute__((aligned(8)));
	struct dd_proto_done d;
	ssize_t n;
	u32 type;

	n = recv(sock, buf, sizeof(buf), 0);
	if (n <= 0) {
		FEED_FAIL("daemon connection lost");
		return -1;
	}
	if (dd_proto_check_hdr(buf, n, &type))
		return -1;
	if (type == DD_MSG_HELLO) {
		struct dd_proto_hello h;

		if (dd_proto_decode_hello(buf, n, &h) || !(h.codecs & BIT(codec))) {
			FEED_FAIL("daemon HELLO without %s", codec == DD_CODEC_VP9 ? "VP9" : "H.264");
			return -1;
		}
		return 0;
	}
	if (dd_proto_decode_done(buf, n, &d))
		return -1;
	if (d.ctx_id < 1 || d.ctx_id > nctx) {
		FEED_FAIL("DONE for unknown ctx %u", d.ctx_id);
		return -1;
	}
	feed_check_done(&ctxs[d.ctx_id - 1], &d);
	return 0;
}

static int feed_alloc_bufs(struct feed_ctx *c)
{
	unsigned int i;

	for (i = 0; i < nbufs; i++) {
		if (use_process) {
			c->buf[i] = calloc(1, buf_size);
			c->buf_fd[i] = -1;
			continue;
		}
		c->buf_fd[i] = memfd_create("feed-capture", MFD_CLOEXEC);
		if (c->buf_fd[i] < 0 || ftruncate(c->buf_fd[i], buf_size))
			return -1;
		c->buf[i] = mmap(NULL, buf_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 c->buf_fd[i], 0);
		if (c->buf[i] == MAP_FAILED)
			return -1;
	}
	return 0;
}

static int feed_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct dd_proto_hello hello = { .proto_version = DD_PROTO_VERSION,
					.codecs = BIT(codec), .name = "dd-feed" };
	struct dd_wire_hello w;
	int sock, tries, sndbuf = 16 << 20;

	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	/* A JOB is one datagram: let large intra pictures through (as the CUSE server). */
	if (setsockopt(sock, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	/* The daemon may still be starting. */
	for (tries = 0; connect(sock, (struct sockaddr *)&addr, sizeof(addr)); tries++) {
		if (tries == 100) {
			perror(path);
			return -1;
		}
		usleep(50000);
	}
	dd_proto_encode_hello(&w, sizeof(w), &hello);
	if (send(sock, &w, sizeof(w), MSG_NOSIGNAL) != sizeof(w))
		return -1;
	return sock;
}

static void feed_usage(void)
{
	fprintf(stderr,
		"usage: dd-feed [--yuv420|--p010] [--process] [--contexts N] [--buffers N] [--loops N]\n"
		"               [--corrupt PIC] [--damage MODE:SEED[:PCT]] [--expect-unsupported]\n"
		"               [--close] [--no-hash] [--verbose]\n"
		"               SOCKET STREAM.h264|STREAM.ivf [REF.framemd5]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yuv420", no_argument, NULL, 'y' },
		{ "p010", no_argument, NULL, 'P' },
		{ "process", no_argument, NULL, 'p' },
		{ "contexts", required_argument, NULL, 'c' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "loops", required_argument, NULL, 'l' },
		{ "corrupt", required_argument, NULL, 'x' },
		{ "damage", required_argument, NULL, 'D' },
		{ "close", no_argument, NULL, 'C' },
		{ "expect-unsupported", no_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-hash", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct feed_ctx ctxs[FEED_MAX_CTX] = { 0 };
	bool send_close = false;
	unsigned int i, total, k, exact = 0;
	gchar *data;
	gsize size;
	int opt, sock;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'y': fourcc = V4L2_PIX_FMT_YUV420; break;
		case 'P': fourcc = V4L2_PIX_FMT_P010; bps = 2; break;
		case 'p': use_process = true; break;
		case 'c': nctx = clamp(atoi(optarg), 1, FEED_MAX_CTX); break;
		case 'b': nbufs = clamp(atoi(optarg), 1, FEED_MAX_BUFS); break;
		case 'l': loops = max(atoi(optarg), 1); break;
		case 'x': corrupt_pic = atoi(optarg); break;
		case 'D':
			if (dd_corrupt_parse(&damage, optarg))
				return 2;
			damage_on = true;
			break;
		case 'C': send_close = true; break;
		case 'U': expect_unsupported = true; break;
		case 'v': verbose = true; break;
		case 'H': expect_no_hash = true; break;
		default: feed_usage();
		}
	}
	if (argc - optind < 2 ||
	    (corrupt_pic < 0 && !damage_on && !expect_unsupported && argc - optind < 3))
		feed_usage();
	if (!g_file_get_contents(argv[optind + 1], &data, &size, NULL)) {
		fprintf(stderr, "feed: cannot read %s\n", argv[optind + 1]);
		return 2;
	}
	if (size >= 4 && !memcmp(data, "DKIF", 4))
		codec = DD_CODEC_VP9;
	if (codec == DD_CODEC_VP9 ? feed_parse_ivf((const u8 *)data, size) :
	    feed_parse((const u8 *)data, size)) {
		fprintf(stderr, "feed: cannot parse %s\n", argv[optind + 1]);
		return 2;
	}
	if (corrupt_pic < 0 && !damage_on && !expect_unsupported &&
	    feed_load_ref(argv[optind + 2]))
		return 2;
	for (i = 0; i < num_pics; i++)
		buf_size = max(buf_size, (size_t)ALIGN(pics[i].width * bps, 64) *
			       ALIGN(pics[i].height, 2) * 3 / 2);
	total = num_pics * loops;
	sock = feed_connect(argv[optind]);
	if (sock < 0)
		return 2;
	for (k = 0; k < nctx; k++) {
		ctxs[k].id = k + 1;
		ctxs[k].frames = calloc(total, sizeof(*ctxs[k].frames));
		if (feed_alloc_bufs(&ctxs[k])) {
			perror("feed: capture buffers");
			return 2;
		}
	}

	/* Keep up to nbufs jobs in flight per context, contexts interleaved. */
	for (;;) {
		bool all_sent = true, all_done = true;

		for (k = 0; k < nctx; k++) {
			struct feed_ctx *c = &ctxs[k];

			while (c->next_send < total && c->next_send - c->next_done < nbufs) {
				/* Each loop after the first restarts with a decoder flush. */
				if (c->next_send && c->next_send % num_pics == 0)
					c->flush_pending = true;
				if (feed_send_job(sock, c, c->next_send))
					return 2;
			}
			all_sent &= c->next_send == total;
			all_done &= c->next_done == total;
		}
		if (all_sent && all_done)
			break;
		if (feed_recv(sock, ctxs))
			return 1;
	}
	if (send_close) {
		u8 msg[sizeof(struct dd_msg_hdr)] __attribute__((aligned(8)));

		for (k = 0; k < nctx; k++) {
			dd_proto_encode_ctx_close(msg, sizeof(msg), ctxs[k].id);
			send(sock, msg, sizeof(msg), MSG_NOSIGNAL);
		}
	}
	close(sock);

	if (expect_unsupported) {
		printf("feed: %s: %u jobs answered UNSUPPORTED\n", argv[optind + 1], total);
		return failures ? 1 : 0;
	}
	if (damage_on) {
		printf("feed: damage run: %u jobs answered, %u pictures damaged, %u ERROR\n",
		       total, damage.pictures_hit, damage_errors);
		return failures ? 1 : 0;
	}
	if (corrupt_pic >= 0) {
		printf("feed: corrupt run: %u jobs answered, %u later pictures with errors\n", total,
		       ctxs[0].errors);
		return failures ? 1 : 0;
	}
	for (k = 0; k < nctx; k++) {
		struct feed_ctx *c = &ctxs[k];

		qsort(c->frames, c->num_frames, sizeof(*c->frames), feed_frame_cmp);
		if (c->num_frames != num_ref * loops)
			FEED_FAIL("ctx %u: %u frames decoded, reference has %u x %u", c->id,
				  c->num_frames, num_ref, loops);
		for (i = 0; i < c->num_frames && i < num_ref * loops; i++) {
			if (strcmp(c->frames[i].md5, ref_md5[i % num_ref])) {
				FEED_FAIL("ctx %u frame %u (display order): md5 %s, ffmpeg %s", c->id,
					  i, c->frames[i].md5, ref_md5[i % num_ref]);
			} else {
				exact++;
			}
		}
	}
	printf("feed: %s: %u pictures x %u loops x %u contexts, %u/%u frames exact (%s, %s)\n",
	       argv[optind + 1], num_pics, loops, nctx, exact, num_ref * loops * nctx,
	       fourcc == V4L2_PIX_FMT_NV12 ? "nv12" : fourcc == V4L2_PIX_FMT_P010 ? "p010" :
	       "yuv420", use_process ? "process" : "fd");
	return failures ? 1 : 0;
}
