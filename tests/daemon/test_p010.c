// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_p010.c - 10-bit decoding to P010 CAPTURE buffers: an HEVC Main 10
 * and a VP9 profile 2 stream (made with Debian's ffmpeg at test time) are
 * decoded job by job exactly as a stateless client sends them, and every
 * shown picture must equal `ffmpeg -f framemd5 -pix_fmt p010le` of the same
 * stream.  The P010 copy is checked through both capture paths (mapped
 * buffer, process_vm_writev) with and without the DONE hash, the hash
 * against the bytes written, and the bytes around the visible picture must
 * stay untouched.  A depth that differs from the CAPTURE format, either
 * way, is UNSUPPORTED, never a conversion.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <glib.h>
#include <gst/codecparsers/gsth265parser.h>

#include "dd_av.h"
#include "dd_decoder.h"

#define TP_STREAMS	"build/tests/streams"
#define TP_PAD		0xa5
#define TP_MAX_PICS	64

static void tp_setup(void)
{
	cr_assert_eq(dd_av_load(NULL, NULL), 0);
}

TestSuite(p010, .init = tp_setup, .timeout = 120);

/* ---- streams and references ------------------------------------------ */

/*
 * build/tests/streams/NAME (made once by `gen`, which writes to $OUT)
 * and its p010le framemd5 NAME.p010.md5.  Made under temporary names and
 * renamed, so parallel test runs never see half-written files.
 */
static void tp_stream(const char *name, const char *gen, char *path, size_t cap)
{
	char cmd[2048], dir[] = TP_STREAMS "/.p010.XXXXXX";
	struct stat st;

	snprintf(path, cap, TP_STREAMS "/%s", name);
	snprintf(cmd, sizeof(cmd), "%s.p010.md5", path);
	if (!stat(path, &st) && st.st_size && !stat(cmd, &st) && st.st_size)
		return;
	cr_assert_eq(system("mkdir -p " TP_STREAMS), 0);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && OUT=s && %s && ffmpeg -nostdin -loglevel error -y -i s "
		 "-fps_mode passthrough -f framemd5 -pix_fmt p010le s.md5 && "
		 "mv s.md5 ../%s.p010.md5 && mv s ../%s; rc=$?; cd .. && rm -rf %s; exit $rc",
		 dir, gen, name, name, dir + strlen(TP_STREAMS) + 1);
	cr_assert_eq(system(cmd), 0, "generating %s", name);
}

static u8 *tp_read(const char *path, size_t *size)
{
	gchar *data;
	gsize len;

	cr_assert(g_file_get_contents(path, &data, &len, NULL), "reading %s", path);
	*size = len;
	return (u8 *)data;
}

/* The MD5 column of every framemd5 line, in order. */
static unsigned int tp_ref_md5(const char *stream, char (*md5)[33], unsigned int max)
{
	char path[600], line[512];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s.p010.md5", stream);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		char *c = strrchr(line, ',');

		if (line[0] == '#' || !c)
			continue;
		cr_assert_lt(n, max);
		cr_assert_eq(sscanf(c + 1, " %32s", md5[n]), 1);
		n++;
	}
	fclose(f);
	return n;
}

/* ---- the CAPTURE buffer ------------------------------------------------ */

/* A P010 CAPTURE buffer with padding right of and below every plane. */
struct tp_cap {
	u8 *buf;
	size_t size;
	u32 w, h, stride, offset1;
};

static void tp_cap_init(struct tp_cap *c, u32 w, u32 h)
{
	c->w = w;
	c->h = h;
	c->stride = ALIGN(2 * w, 64) + 64;
	c->offset1 = c->stride * (ALIGN(h, 2) + 2);
	c->size = c->offset1 + (size_t)c->stride * ((h + 1) / 2 + 2);
	c->buf = malloc(c->size);
	cr_assert_not_null(c->buf);
	memset(c->buf, TP_PAD, c->size);
}

static void tp_job_cap(struct dd_proto_job *job, const struct tp_cap *c, u32 fourcc)
{
	job->width = c->w;
	job->height = c->h;
	job->cap_fourcc = fourcc;
	job->cap_num_planes = 2;
	job->cap_stride[0] = c->stride;
	job->cap_offset[1] = c->offset1;
	job->cap_stride[1] = c->stride;
	job->capture.kind = DD_BUF_MMAP;
	job->capture.size = (u32)c->size;
}

/* Row y of plane p and its visible bytes. */
static u8 *tp_row(const struct tp_cap *c, unsigned int p, u32 y, size_t *len)
{
	*len = p ? 4 * (size_t)((c->w + 1) / 2) : 2 * (size_t)c->w;
	return c->buf + (p ? c->offset1 : 0) + (size_t)y * c->stride;
}

/*
 * The visible picture's MD5 (as framemd5 computes it for p010le) and
 * FNV-1a 64 (as DONE.hash); every byte outside it must still be TP_PAD.
 */
static void tp_cap_check(const struct tp_cap *c, char *md5, u64 *fnv)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_MD5);
	u64 h = DD_FNV1A64_INIT;
	unsigned int p;
	size_t len, i;
	u8 *row;
	u32 y;

	for (p = 0; p < 2; p++) {
		u32 rows = p ? (c->h + 1) / 2 : c->h;

		for (y = 0; y < rows; y++) {
			row = tp_row(c, p, y, &len);
			g_checksum_update(ck, row, len);
			h = dd_fnv1a64(h, row, len);
			for (i = len; i < c->stride; i++)
				cr_assert_eq(row[i], TP_PAD, "plane %u row %u byte %zu written", p,
					     y, i);
		}
	}
	/* The rows below each plane. */
	for (i = (size_t)c->stride * c->h; i < c->offset1; i++)
		cr_assert_eq(c->buf[i], TP_PAD, "byte %zu below the luma written", i);
	for (i = c->offset1 + (size_t)c->stride * ((c->h + 1) / 2); i < c->size; i++)
		cr_assert_eq(c->buf[i], TP_PAD, "byte %zu below the chroma written", i);
	snprintf(md5, 33, "%s", g_checksum_get_string(ck));
	g_checksum_free(ck);
	*fnv = h;
}

/* How a run writes its pictures. */
enum tp_mode {
	TP_MMAP_HASH,
	TP_MMAP,
	TP_PROCESS_HASH,
	TP_PROCESS,
	TP_NUM_MODES,
};

static struct dd_capture_dst tp_dst(const struct tp_cap *c, enum tp_mode mode)
{
	struct dd_capture_dst d = { .size = c->size };

	if (mode == TP_MMAP_HASH || mode == TP_MMAP) {
		d.ptr = c->buf;
	} else {
		d.pid = getpid();
		d.addr = (uintptr_t)c->buf;
	}
	return d;
}

static bool tp_hash(enum tp_mode mode)
{
	return mode == TP_MMAP_HASH || mode == TP_PROCESS_HASH;
}

/* Decode one job into a fresh (padded) buffer; the picture's MD5 on OK. */
static u32 tp_decode(struct dd_dec *dec, struct dd_proto_job *job, struct tp_cap *c,
		     enum tp_mode mode, char *md5)
{
	struct dd_capture_dst dst = tp_dst(c, mode);
	struct dd_proto_done done;
	u64 fnv;

	memset(c->buf, TP_PAD, c->size);
	memset(&done, 0xcc, sizeof(done));
	dd_dec_decode(dec, job, &dst, &done);
	if (done.status != DD_STATUS_OK) {
		for (size_t i = 0; i < c->size; i++)
			cr_assert_eq(c->buf[i], TP_PAD, "a refused job wrote byte %zu", i);
		return done.status;
	}
	cr_assert_eq(done.bytesused, c->offset1 + c->stride * ((c->h + 1) / 2));
	tp_cap_check(c, md5, &fnv);
	if (tp_hash(mode))
		cr_assert_eq(done.hash, fnv, "DONE.hash is the FNV-1a 64 of the written rows");
	else
		cr_assert_eq(done.hash, 0, "no hash without opts.hash");
	return done.status;
}

/* ---- VP9 profile 2 -------------------------------------------------------- */

#define TP_VP9_W	202
#define TP_VP9_H	122

struct tp_vp9_frame {
	const u8 *data;
	u32 size;
	bool shown;
};

/* show_frame of an uncompressed header that is no show_existing_frame. */
static bool tp_vp9_shown(const u8 *p, u32 size, unsigned int want_profile)
{
	unsigned int profile, bit;

	cr_assert_gt(size, 1);
	cr_assert_eq(p[0] >> 6, 2, "frame marker");
	profile = ((p[0] >> 5) & 1) | (((p[0] >> 4) & 1) << 1);
	cr_assert_eq(profile, want_profile, "the stream's profile");
	bit = 3;				/* show_existing_frame */
	cr_assert_eq((p[0] >> bit) & 1, 0, "libvpx makes no show_existing_frame");
	/* frame_type (bit 2), show_frame (bit 1) */
	return (p[0] >> 1) & 1;
}

/* IVF frames, superframes split as the uAPI asks of clients. */
static unsigned int tp_vp9_frames(const u8 *ivf, size_t size, struct tp_vp9_frame *fr,
				  unsigned int max, unsigned int profile)
{
	size_t pos = 32;
	unsigned int n = 0;

	cr_assert_gt(size, 32);
	cr_assert_eq(memcmp(ivf, "DKIF", 4), 0);
	while (pos + 12 <= size) {
		u32 len = ivf[pos] | ivf[pos + 1] << 8 | ivf[pos + 2] << 16 |
			  (u32)ivf[pos + 3] << 24;
		const u8 *d = ivf + pos + 12;
		u8 last = d[len - 1];

		cr_assert_leq(pos + 12 + len, size);
		if ((last & 0xe0) == 0xc0) {
			unsigned int mag = ((last >> 3) & 3) + 1, cnt = (last & 7) + 1, i, k;
			size_t idx = 2 + (size_t)mag * cnt, off = 0;
			const u8 *ix = d + len - idx + 1;

			cr_assert_eq(d[len - idx], last, "superframe index");
			for (i = 0; i < cnt; i++) {
				u32 fs = 0;

				for (k = 0; k < mag; k++)
					fs |= (u32)ix[i * mag + k] << (8 * k);
				cr_assert_lt(n, max);
				fr[n].data = d + off;
				fr[n].size = fs;
				fr[n].shown = tp_vp9_shown(d + off, fs, profile);
				n++;
				off += fs;
			}
		} else {
			cr_assert_lt(n, max);
			fr[n].data = d;
			fr[n].size = len;
			fr[n].shown = tp_vp9_shown(d, len, profile);
			n++;
		}
		pos += 12 + len;
	}
	return n;
}

static struct v4l2_ctrl_vp9_frame tp_vp9_ctrl;

static void tp_vp9_job(struct dd_proto_job *job, const struct tp_vp9_frame *f,
		       const struct tp_cap *c, u32 fourcc, u8 depth)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 1;
	job->codec = DD_CODEC_VP9;
	tp_job_cap(job, c, fourcc);
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = f->size;
	job->bitstream_data = f->data;
	memset(&tp_vp9_ctrl, 0, sizeof(tp_vp9_ctrl));
	tp_vp9_ctrl.profile = depth == 10 ? 2 : 0;
	tp_vp9_ctrl.bit_depth = depth;
	tp_vp9_ctrl.flags = V4L2_VP9_FRAME_FLAG_X_SUBSAMPLING | V4L2_VP9_FRAME_FLAG_Y_SUBSAMPLING;
	if (f->shown)
		tp_vp9_ctrl.flags |= V4L2_VP9_FRAME_FLAG_SHOW_FRAME;
	tp_vp9_ctrl.frame_width_minus_1 = c->w - 1;
	tp_vp9_ctrl.frame_height_minus_1 = c->h - 1;
	job->ctrls[0].id = V4L2_CID_STATELESS_VP9_FRAME;
	job->ctrls[0].size = sizeof(tp_vp9_ctrl);
	job->ctrls[0].data = &tp_vp9_ctrl;
	job->num_ctrls = 1;
}

static char tp_vp9_path[512];

static void tp_vp9_stream(void)
{
	/* Two-pass libvpx with altref: hidden frames in superframes; odd size. */
	tp_stream("p010-vp9-altref.ivf",
		  "for pass in 1 2; do ffmpeg -nostdin -loglevel error -y -f lavfi "
		  "-i testsrc2=size=202x122:rate=25 -frames:v 20 -pix_fmt yuv420p10le "
		  "-c:v libvpx-vp9 -profile:v 2 -auto-alt-ref 1 -lag-in-frames 25 -g 60 "
		  "-b:v 200k -cpu-used 4 -pass $pass -passlogfile log -f ivf $OUT || exit 1; "
		  "done", tp_vp9_path, sizeof(tp_vp9_path));
}

Test(p010, vp9_profile2_every_frame_exact)
{
	static struct tp_vp9_frame fr[TP_MAX_PICS];
	static char ref[TP_MAX_PICS][33];
	unsigned int n, nref, i, shown, hidden;
	struct dd_proto_job job;
	struct tp_cap cap;
	enum tp_mode mode;
	char md5[33];
	size_t size;
	u8 *ivf;

	tp_vp9_stream();
	ivf = tp_read(tp_vp9_path, &size);
	n = tp_vp9_frames(ivf, size, fr, TP_MAX_PICS, 2);
	nref = tp_ref_md5(tp_vp9_path, ref, TP_MAX_PICS);
	cr_assert_eq(nref, 20);
	tp_cap_init(&cap, TP_VP9_W, TP_VP9_H);
	for (mode = 0; mode < TP_NUM_MODES; mode++) {
		struct dd_dec_opts opts = { .hash = tp_hash(mode) };
		struct dd_dec *dec = dd_dec_new(DD_CODEC_VP9, &opts);

		cr_assert_not_null(dec);
		shown = hidden = 0;
		for (i = 0; i < n; i++) {
			tp_vp9_job(&job, &fr[i], &cap, V4L2_PIX_FMT_P010, 10);
			cr_assert_eq(tp_decode(dec, &job, &cap, mode, md5), DD_STATUS_OK,
				     "mode %d frame %u", mode, i);
			if (!fr[i].shown) {
				hidden++;
				continue;
			}
			cr_assert_lt(shown, nref);
			cr_assert_str_eq(md5, ref[shown], "mode %d: shown frame %u differs", mode,
					 shown);
			shown++;
		}
		cr_assert_eq(shown, nref, "every shown frame was compared");
		cr_assert_gt(hidden, 0, "the stream has hidden altref frames");
		dd_dec_free(dec);
	}
	free(cap.buf);
	g_free(ivf);
}

/* The first frame of the stream, decoded into another CAPTURE format. */
static u32 tp_vp9_first(u32 fourcc, u8 depth, const char *stream, unsigned int profile)
{
	static struct tp_vp9_frame fr[TP_MAX_PICS];
	struct dd_dec *dec = dd_dec_new(DD_CODEC_VP9, NULL);
	struct dd_proto_job job;
	struct tp_cap cap;
	char md5[33];
	size_t size;
	u32 status;
	u8 *ivf;

	cr_assert_not_null(dec);
	ivf = tp_read(stream, &size);
	cr_assert_gt(tp_vp9_frames(ivf, size, fr, TP_MAX_PICS, profile), 0);
	tp_cap_init(&cap, TP_VP9_W, TP_VP9_H);
	tp_vp9_job(&job, &fr[0], &cap, fourcc, depth);
	status = tp_decode(dec, &job, &cap, TP_MMAP, md5);
	dd_dec_free(dec);
	free(cap.buf);
	g_free(ivf);
	return status;
}

Test(p010, vp9_depth_mismatch_is_unsupported)
{
	tp_vp9_stream();
	/* The control says 10-bit, CAPTURE is 8-bit (refused before decoding). */
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_NV12, 10, tp_vp9_path, 2),
		     DD_STATUS_UNSUPPORTED);
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_YUV420, 10, tp_vp9_path, 2),
		     DD_STATUS_UNSUPPORTED);
	/* The control lies (8-bit): the decoded picture is 10-bit all the same. */
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_NV12, 8, tp_vp9_path, 2),
		     DD_STATUS_UNSUPPORTED);
	/* P010 asked with an 8-bit control. */
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_P010, 8, tp_vp9_path, 2),
		     DD_STATUS_UNSUPPORTED);
	/* The matching control and CAPTURE format decode. */
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_P010, 10, tp_vp9_path, 2), DD_STATUS_OK);
	/* The control matches P010 but the picture is 8 bits deep. */
	tp_stream("p010-vp9-8bit.ivf",
		  "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=202x122:rate=25 "
		  "-frames:v 2 -pix_fmt yuv420p -c:v libvpx-vp9 -cpu-used 8 -f ivf $OUT",
		  tp_vp9_path, sizeof(tp_vp9_path));
	/* The control says 10-bit to match P010, the picture is 8 bits deep. */
	cr_assert_eq(tp_vp9_first(V4L2_PIX_FMT_P010, 10, tp_vp9_path, 0),
		     DD_STATUS_UNSUPPORTED);
}

/* ---- HEVC Main 10 ------------------------------------------------------- */

#define TP_HEVC_W	320
#define TP_HEVC_H	240

/* One picture: its slice NAL units (Annex B) and the controls in force. */
struct tp_hevc_pic {
	GByteArray *bits;
	struct v4l2_ctrl_hevc_sps sps;
	struct v4l2_ctrl_hevc_pps pps;
	int period, poc;		/* IDR period and POC: display order */
	unsigned int decoded;		/* decode order */
	char md5[33];
};

/* The SPS control as a stateless client fills it from the parsed SPS. */
static void tp_hevc_sps(struct v4l2_ctrl_hevc_sps *c, const GstH265SPS *s)
{
	unsigned int top = s->max_sub_layers_minus1;

	memset(c, 0, sizeof(*c));
	c->video_parameter_set_id = s->vps_id;
	c->seq_parameter_set_id = s->id;
	c->pic_width_in_luma_samples = s->pic_width_in_luma_samples;
	c->pic_height_in_luma_samples = s->pic_height_in_luma_samples;
	c->bit_depth_luma_minus8 = s->bit_depth_luma_minus8;
	c->bit_depth_chroma_minus8 = s->bit_depth_chroma_minus8;
	c->log2_max_pic_order_cnt_lsb_minus4 = s->log2_max_pic_order_cnt_lsb_minus4;
	c->sps_max_dec_pic_buffering_minus1 = s->max_dec_pic_buffering_minus1[top];
	c->sps_max_num_reorder_pics = s->max_num_reorder_pics[top];
	c->sps_max_latency_increase_plus1 = s->max_latency_increase_plus1[top];
	c->log2_min_luma_coding_block_size_minus3 = s->log2_min_luma_coding_block_size_minus3;
	c->log2_diff_max_min_luma_coding_block_size = s->log2_diff_max_min_luma_coding_block_size;
	c->log2_min_luma_transform_block_size_minus2 = s->log2_min_transform_block_size_minus2;
	c->log2_diff_max_min_luma_transform_block_size = s->log2_diff_max_min_transform_block_size;
	c->max_transform_hierarchy_depth_inter = s->max_transform_hierarchy_depth_inter;
	c->max_transform_hierarchy_depth_intra = s->max_transform_hierarchy_depth_intra;
	c->pcm_sample_bit_depth_luma_minus1 = s->pcm_sample_bit_depth_luma_minus1;
	c->pcm_sample_bit_depth_chroma_minus1 = s->pcm_sample_bit_depth_chroma_minus1;
	c->log2_min_pcm_luma_coding_block_size_minus3 =
		s->log2_min_pcm_luma_coding_block_size_minus3;
	c->log2_diff_max_min_pcm_luma_coding_block_size =
		s->log2_diff_max_min_pcm_luma_coding_block_size;
	c->num_short_term_ref_pic_sets = s->num_short_term_ref_pic_sets;
	c->num_long_term_ref_pics_sps = s->num_long_term_ref_pics_sps;
	c->chroma_format_idc = s->chroma_format_idc;
	c->sps_max_sub_layers_minus1 = s->max_sub_layers_minus1;
#define TP_F(cond, flag) do { if (cond) c->flags |= V4L2_HEVC_SPS_FLAG_##flag; } while (0)
	TP_F(s->separate_colour_plane_flag, SEPARATE_COLOUR_PLANE);
	TP_F(s->scaling_list_enabled_flag, SCALING_LIST_ENABLED);
	TP_F(s->amp_enabled_flag, AMP_ENABLED);
	TP_F(s->sample_adaptive_offset_enabled_flag, SAMPLE_ADAPTIVE_OFFSET);
	TP_F(s->pcm_enabled_flag, PCM_ENABLED);
	TP_F(s->pcm_loop_filter_disabled_flag, PCM_LOOP_FILTER_DISABLED);
	TP_F(s->long_term_ref_pics_present_flag, LONG_TERM_REF_PICS_PRESENT);
	TP_F(s->temporal_mvp_enabled_flag, SPS_TEMPORAL_MVP_ENABLED);
	TP_F(s->strong_intra_smoothing_enabled_flag, STRONG_INTRA_SMOOTHING_ENABLED);
#undef TP_F
}

static void tp_hevc_pps(struct v4l2_ctrl_hevc_pps *c, const GstH265PPS *p)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->pic_parameter_set_id = p->id;
	c->num_extra_slice_header_bits = p->num_extra_slice_header_bits;
	c->num_ref_idx_l0_default_active_minus1 = p->num_ref_idx_l0_default_active_minus1;
	c->num_ref_idx_l1_default_active_minus1 = p->num_ref_idx_l1_default_active_minus1;
	c->init_qp_minus26 = p->init_qp_minus26;
	c->diff_cu_qp_delta_depth = p->diff_cu_qp_delta_depth;
	c->pps_cb_qp_offset = p->cb_qp_offset;
	c->pps_cr_qp_offset = p->cr_qp_offset;
	c->num_tile_columns_minus1 = p->num_tile_columns_minus1;
	c->num_tile_rows_minus1 = p->num_tile_rows_minus1;
	for (i = 0; i < ARRAY_SIZE(c->column_width_minus1); i++)
		c->column_width_minus1[i] = (u8)p->column_width_minus1[i];
	for (i = 0; i < ARRAY_SIZE(c->row_height_minus1); i++)
		c->row_height_minus1[i] = (u8)p->row_height_minus1[i];
	c->pps_beta_offset_div2 = p->beta_offset_div2;
	c->pps_tc_offset_div2 = p->tc_offset_div2;
	c->log2_parallel_merge_level_minus2 = p->log2_parallel_merge_level_minus2;
#define TP_F(cond, flag) do { if (cond) c->flags |= V4L2_HEVC_PPS_FLAG_##flag; } while (0)
	TP_F(p->dependent_slice_segments_enabled_flag, DEPENDENT_SLICE_SEGMENT_ENABLED);
	TP_F(p->output_flag_present_flag, OUTPUT_FLAG_PRESENT);
	TP_F(p->sign_data_hiding_enabled_flag, SIGN_DATA_HIDING_ENABLED);
	TP_F(p->cabac_init_present_flag, CABAC_INIT_PRESENT);
	TP_F(p->constrained_intra_pred_flag, CONSTRAINED_INTRA_PRED);
	TP_F(p->transform_skip_enabled_flag, TRANSFORM_SKIP_ENABLED);
	TP_F(p->cu_qp_delta_enabled_flag, CU_QP_DELTA_ENABLED);
	TP_F(p->slice_chroma_qp_offsets_present_flag, PPS_SLICE_CHROMA_QP_OFFSETS_PRESENT);
	TP_F(p->weighted_pred_flag, WEIGHTED_PRED);
	TP_F(p->weighted_bipred_flag, WEIGHTED_BIPRED);
	TP_F(p->transquant_bypass_enabled_flag, TRANSQUANT_BYPASS_ENABLED);
	TP_F(p->tiles_enabled_flag, TILES_ENABLED);
	TP_F(p->entropy_coding_sync_enabled_flag, ENTROPY_CODING_SYNC_ENABLED);
	TP_F(p->uniform_spacing_flag, UNIFORM_SPACING);
	TP_F(p->loop_filter_across_tiles_enabled_flag, LOOP_FILTER_ACROSS_TILES_ENABLED);
	TP_F(p->loop_filter_across_slices_enabled_flag,
	     PPS_LOOP_FILTER_ACROSS_SLICES_ENABLED);
	TP_F(p->deblocking_filter_control_present_flag, DEBLOCKING_FILTER_CONTROL_PRESENT);
	TP_F(p->deblocking_filter_override_enabled_flag, DEBLOCKING_FILTER_OVERRIDE_ENABLED);
	TP_F(p->deblocking_filter_disabled_flag, PPS_DISABLE_DEBLOCKING_FILTER);
	TP_F(p->lists_modification_present_flag, LISTS_MODIFICATION_PRESENT);
	TP_F(p->slice_segment_header_extension_present_flag,
	     SLICE_SEGMENT_HEADER_EXTENSION_PRESENT);
#undef TP_F
}

/*
 * Split an Annex-B stream into pictures: parameter sets go into the
 * controls (the daemon rebuilds them), slice NAL units into the picture.
 * POC: the streams have one IDR per period and fewer pictures than
 * MaxPicOrderCntLsb, so POC is the slice's pic_order_cnt_lsb.
 */
static unsigned int tp_hevc_split(const u8 *data, size_t size, struct tp_hevc_pic *pics,
				  unsigned int max)
{
	static const u8 sc[3] = { 0, 0, 1 };
	GstH265Parser *parser = gst_h265_parser_new();
	GstH265NalUnit nalu;
	GstH265ParserResult res;
	GstH265SliceHdr sh;
	GstH265SPS sps;
	GstH265PPS pps;
	unsigned int n = 0, offset = 0;
	int period = -1;

	for (;;) {
		res = gst_h265_parser_identify_nalu(parser, data, offset, size, &nalu);
		if (res != GST_H265_PARSER_OK && res != GST_H265_PARSER_NO_NAL_END)
			break;
		if (nalu.type == GST_H265_NAL_VPS) {
			GstH265VPS vps;

			cr_assert_eq(gst_h265_parser_parse_vps(parser, &nalu, &vps),
				     GST_H265_PARSER_OK);
		} else if (nalu.type == GST_H265_NAL_SPS) {
			cr_assert_eq(gst_h265_parser_parse_sps(parser, &nalu, &sps, FALSE),
				     GST_H265_PARSER_OK);
		} else if (nalu.type == GST_H265_NAL_PPS) {
			cr_assert_eq(gst_h265_parser_parse_pps(parser, &nalu, &pps),
				     GST_H265_PARSER_OK);
		} else if (nalu.type <= GST_H265_NAL_SLICE_CRA_NUT) {
			struct tp_hevc_pic *p;

			cr_assert_eq(gst_h265_parser_parse_slice_hdr(parser, &nalu, &sh),
				     GST_H265_PARSER_OK);
			if (sh.first_slice_segment_in_pic_flag) {
				cr_assert_lt(n, max);
				p = &pics[n++];
				memset(p, 0, sizeof(*p));
				p->bits = g_byte_array_new();
				tp_hevc_sps(&p->sps, sh.pps->sps);
				tp_hevc_pps(&p->pps, sh.pps);
				if (nalu.type == GST_H265_NAL_SLICE_IDR_W_RADL ||
				    nalu.type == GST_H265_NAL_SLICE_IDR_N_LP)
					period++;
				p->period = period;
				p->poc = GST_H265_IS_NAL_TYPE_IDR(nalu.type) ? 0 :
					 (int)sh.pic_order_cnt_lsb;
			}
			cr_assert_gt(n, 0, "a slice before the first picture");
			p = &pics[n - 1];
			g_byte_array_append(p->bits, sc, sizeof(sc));
			g_byte_array_append(p->bits, nalu.data + nalu.offset, nalu.size);
			gst_h265_slice_hdr_free(&sh);
		}
		offset = nalu.offset + nalu.size;
		if (res == GST_H265_PARSER_NO_NAL_END)
			break;
	}
	gst_h265_parser_free(parser);
	return n;
}

static void tp_hevc_free(struct tp_hevc_pic *pics, unsigned int n)
{
	while (n--)
		g_byte_array_free(pics[n].bits, TRUE);
}

static void tp_hevc_job(struct dd_proto_job *job, struct tp_hevc_pic *p,
			const struct tp_cap *c, u32 fourcc)
{
	memset(job, 0, sizeof(*job));
	job->ctx_id = 1;
	job->codec = DD_CODEC_HEVC;
	tp_job_cap(job, c, fourcc);
	job->bitstream.kind = DD_BUF_INLINE;
	job->bitstream.size = p->bits->len;
	job->bitstream_data = p->bits->data;
	job->ctrls[0].id = V4L2_CID_STATELESS_HEVC_SPS;
	job->ctrls[0].size = sizeof(p->sps);
	job->ctrls[0].data = &p->sps;
	job->ctrls[1].id = V4L2_CID_STATELESS_HEVC_PPS;
	job->ctrls[1].size = sizeof(p->pps);
	job->ctrls[1].data = &p->pps;
	job->num_ctrls = 2;
}

static int tp_hevc_display_cmp(const void *a, const void *b)
{
	const struct tp_hevc_pic *x = a, *y = b;

	if (x->period != y->period)
		return x->period - y->period;
	return x->poc - y->poc;
}

static char tp_hevc_path[512];

static void tp_hevc_stream(void)
{
	/* B pyramid, weighted prediction, CRA with RASL pictures (as hevc-b.h265). */
	tp_stream("p010-hevc-main10.h265",
		  "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25 "
		  "-frames:v 18 -pix_fmt yuv420p10le -c:v libx265 -x265-params "
		  "log-level=error:bframes=4:b-pyramid=1:keyint=8:min-keyint=8:weightp=1:"
		  "weightb=1 -f hevc $OUT", tp_hevc_path, sizeof(tp_hevc_path));
}

Test(p010, hevc_main10_every_frame_exact)
{
	static struct tp_hevc_pic pics[TP_MAX_PICS];
	static char ref[TP_MAX_PICS][33];
	unsigned int n, nref, i, reordered;
	struct dd_proto_job job;
	struct tp_cap cap;
	enum tp_mode mode;
	size_t size;
	u8 *data;

	tp_hevc_stream();
	data = tp_read(tp_hevc_path, &size);
	n = tp_hevc_split(data, size, pics, TP_MAX_PICS);
	nref = tp_ref_md5(tp_hevc_path, ref, TP_MAX_PICS);
	cr_assert_eq(n, 18);
	cr_assert_eq(nref, n);
	cr_assert_eq(pics[0].sps.bit_depth_luma_minus8, 2, "a Main 10 stream");
	cr_assert_eq(pics[0].sps.pic_width_in_luma_samples, TP_HEVC_W);
	cr_assert_eq(pics[0].sps.pic_height_in_luma_samples, TP_HEVC_H);
	tp_cap_init(&cap, TP_HEVC_W, TP_HEVC_H);
	for (mode = 0; mode < TP_NUM_MODES; mode++) {
		struct dd_dec_opts opts = { .hash = tp_hash(mode) };
		struct dd_dec *dec = dd_dec_new(DD_CODEC_HEVC, &opts);

		cr_assert_not_null(dec);
		for (i = 0; i < n; i++) {
			tp_hevc_job(&job, &pics[i], &cap, V4L2_PIX_FMT_P010);
			cr_assert_eq(tp_decode(dec, &job, &cap, mode, pics[i].md5), DD_STATUS_OK,
				     "mode %d picture %u", mode, i);
			pics[i].decoded = i;
		}
		dd_dec_free(dec);
		/* Display order is POC order; decode order had B pictures first. */
		qsort(pics, n, sizeof(pics[0]), tp_hevc_display_cmp);
		for (i = 0, reordered = 0; i < n; i++)
			reordered += pics[i].decoded != i;
		cr_assert_gt(reordered, 0, "the stream has B pictures");
		for (i = 0; i < n; i++)
			cr_assert_str_eq(pics[i].md5, ref[i],
					 "mode %d: frame %u (decoded %u, poc %d) differs", mode, i,
					 pics[i].decoded, pics[i].poc);
		/* Back to decode order for the next run. */
		for (i = 0; i < n; i++)
			while (pics[i].decoded != i) {
				struct tp_hevc_pic t = pics[pics[i].decoded];

				pics[pics[i].decoded] = pics[i];
				pics[i] = t;
			}
	}
	free(cap.buf);
	tp_hevc_free(pics, n);
	g_free(data);
}

/* The stream's first picture with its SPS edited, into another format. */
static u32 tp_hevc_first(u32 fourcc, int depth_minus8, int chroma_minus8)
{
	static struct tp_hevc_pic pics[TP_MAX_PICS];
	struct dd_dec *dec = dd_dec_new(DD_CODEC_HEVC, NULL);
	struct dd_proto_job job;
	struct tp_cap cap;
	unsigned int n;
	char md5[33];
	size_t size;
	u32 status;
	u8 *data;

	cr_assert_not_null(dec);
	data = tp_read(tp_hevc_path, &size);
	n = tp_hevc_split(data, size, pics, TP_MAX_PICS);
	cr_assert_gt(n, 0);
	if (depth_minus8 >= 0)
		pics[0].sps.bit_depth_luma_minus8 = (u8)depth_minus8;
	if (chroma_minus8 >= 0)
		pics[0].sps.bit_depth_chroma_minus8 = (u8)chroma_minus8;
	tp_cap_init(&cap, TP_HEVC_W, TP_HEVC_H);
	tp_hevc_job(&job, &pics[0], &cap, fourcc);
	status = tp_decode(dec, &job, &cap, TP_MMAP, md5);
	dd_dec_free(dec);
	free(cap.buf);
	tp_hevc_free(pics, n);
	g_free(data);
	return status;
}

Test(p010, hevc_depth_mismatch_is_unsupported)
{
	tp_hevc_stream();
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_P010, -1, -1), DD_STATUS_OK);
	/* A Main 10 SPS with an 8-bit CAPTURE format. */
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_NV12, -1, -1), DD_STATUS_UNSUPPORTED);
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_YUV420, -1, -1), DD_STATUS_UNSUPPORTED);
	/* An 8-bit SPS with P010. */
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_P010, 0, 0), DD_STATUS_UNSUPPORTED);
	/* 12 bits, or luma and chroma of different depths: never decoded. */
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_P010, 4, 4), DD_STATUS_UNSUPPORTED);
	cr_assert_eq(tp_hevc_first(V4L2_PIX_FMT_P010, 2, 0), DD_STATUS_UNSUPPORTED);
}

/* H.264, MPEG-2 and VP8 are 8-bit only: a P010 job is refused undecoded. */
Test(p010, eight_bit_codecs_refuse_p010)
{
	static const u8 junk[] = { 0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33 };
	static const u32 codecs[] = { DD_CODEC_H264, DD_CODEC_MPEG2, DD_CODEC_VP8 };
	struct dd_proto_job job;
	struct tp_cap cap;
	unsigned int i;
	char md5[33];

	tp_cap_init(&cap, 64, 48);
	for (i = 0; i < ARRAY_SIZE(codecs); i++) {
		struct dd_dec *dec = dd_dec_new(codecs[i], NULL);

		cr_assert_not_null(dec);
		memset(&job, 0, sizeof(job));
		job.ctx_id = 1;
		job.codec = codecs[i];
		tp_job_cap(&job, &cap, V4L2_PIX_FMT_P010);
		job.bitstream.kind = DD_BUF_INLINE;
		job.bitstream.size = sizeof(junk);
		job.bitstream_data = junk;
		cr_assert_eq(tp_decode(dec, &job, &cap, TP_MMAP, md5), DD_STATUS_UNSUPPORTED,
			     "codec %u", codecs[i]);
		dd_dec_free(dec);
	}
	free(cap.buf);
}

/*
 * One decoder, 8-bit frames to NV12 and then, from a key frame, 10-bit
 * frames to P010 (a client that follows the FRAME control's depth): the
 * 10-bit pictures are still exact.
 */
Test(p010, vp9_eight_then_ten_bit_in_one_decoder)
{
	static struct tp_vp9_frame fr8[TP_MAX_PICS], fr10[TP_MAX_PICS];
	static char ref[TP_MAX_PICS][33];
	struct dd_dec *dec = dd_dec_new(DD_CODEC_VP9, NULL);
	struct dd_capture_dst dst;
	struct dd_proto_done done;
	unsigned int n8, n10, i, shown = 0;
	struct dd_proto_job job;
	struct tp_cap cap;
	char md5[33], p8[512];
	size_t size8, size10;
	u8 *ivf8, *ivf10;

	cr_assert_not_null(dec);
	tp_vp9_stream();
	tp_stream("p010-vp9-8bit.ivf",
		  "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=202x122:rate=25 "
		  "-frames:v 2 -pix_fmt yuv420p -c:v libvpx-vp9 -cpu-used 8 -f ivf $OUT",
		  p8, sizeof(p8));
	ivf8 = tp_read(p8, &size8);
	ivf10 = tp_read(tp_vp9_path, &size10);
	n8 = tp_vp9_frames(ivf8, size8, fr8, TP_MAX_PICS, 0);
	n10 = tp_vp9_frames(ivf10, size10, fr10, TP_MAX_PICS, 2);
	cr_assert_eq(tp_ref_md5(tp_vp9_path, ref, TP_MAX_PICS), 20);
	tp_cap_init(&cap, TP_VP9_W, TP_VP9_H);
	dst = tp_dst(&cap, TP_MMAP);
	for (i = 0; i < n8; i++) {
		tp_vp9_job(&job, &fr8[i], &cap, V4L2_PIX_FMT_NV12, 8);
		/* NV12 strides: the P010 buffer is more than large enough. */
		job.cap_stride[0] = job.cap_stride[1] = TP_VP9_W;
		job.cap_offset[1] = TP_VP9_W * TP_VP9_H;
		dd_dec_decode(dec, &job, &dst, &done);
		cr_assert_eq(done.status, DD_STATUS_OK, "8-bit frame %u", i);
	}
	for (i = 0; i < n10; i++) {
		tp_vp9_job(&job, &fr10[i], &cap, V4L2_PIX_FMT_P010, 10);
		cr_assert_eq(tp_decode(dec, &job, &cap, TP_MMAP, md5), DD_STATUS_OK,
			     "10-bit frame %u", i);
		if (fr10[i].shown) {
			cr_assert_str_eq(md5, ref[shown], "shown 10-bit frame %u differs", shown);
			shown++;
		}
	}
	cr_assert_eq(shown, 20);
	dd_dec_free(dec);
	free(cap.buf);
	g_free(ivf8);
	g_free(ivf10);
}
