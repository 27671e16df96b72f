// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_fmt.c - format rules of both queues (multi-planar API only).
 *
 * OUTPUT carries one codec bitstream buffer: width/height are the coded
 * size, clamped to the codec's range and rounded up to its step (the
 * macroblock), one memory plane, bytesperline 0, sizeimage at least the
 * codec's default bitstream size (half a raw frame, 1 MiB floor); a larger
 * client value is kept up to twice a raw frame or 16 MiB, whichever is more.
 *
 * CAPTURE is decoded 4:2:0 in ONE memory plane with the colour planes back
 * to back, at the bit depth of the stream (dd_codec's depth control, set
 * outside a request like rkvdec/hantro want it): NV12 and YUV420 for 8
 * bits, P010 for 10 (16-bit little-endian samples, the value in the high
 * bits, laid out like NV12).  Only the formats of the current depth are
 * enumerated and accepted; another fourcc becomes the depth's first.  The
 * size always follows the OUTPUT coded size (a stateless decoder does not
 * scale); bytesperline is the width aligned to 16 (the macroblock) times
 * the bytes per sample, or the client's larger value aligned to 16,
 * capped; the height is aligned to 16; sizeimage = bytesperline * height
 * * 3 / 2 for NV12 and P010 (Y, then interleaved CbCr at full stride) and
 * YUV420 (Y, Cb, Cr; chroma strides are bytesperline / 2).  Colorimetry
 * is the OUTPUT's.  Field order is always NONE: interlaced H.264 decodes
 * into whole frames.
 */
#include "dd_fmt.h"

#define DD_FMT_ALIGN		16U
/* Largest CAPTURE stride honoured when a client asks for padding. */
#define DD_FMT_MAX_BPL		16384U
#define DD_FMT_SZ_1M		(1024U * 1024U)
#define DD_FMT_PAGE		4096U
#define DD_FMT_BITSTREAM_CAP	(16U * DD_FMT_SZ_1M)

/* The descriptions are the kernel's (v4l_fill_fmtdesc). */
const struct dd_cap_format dd_cap_formats[] = {
	{ V4L2_PIX_FMT_NV12, "Y/UV 4:2:0", 2, DD_FMT_DEPTH_8, 1 },
	{ V4L2_PIX_FMT_YUV420, "Planar YUV 4:2:0", 3, DD_FMT_DEPTH_8, 1 },
	{ V4L2_PIX_FMT_P010, "10-bit Y/UV 4:2:0", 2, DD_FMT_DEPTH_10, 2 },
};

const unsigned int dd_num_cap_formats = ARRAY_SIZE(dd_cap_formats);

const struct dd_cap_format *dd_cap_format_by_fourcc(u32 fourcc)
{
	unsigned int i;

	for (i = 0; i < dd_num_cap_formats; i++)
		if (dd_cap_formats[i].fourcc == fourcc)
			return &dd_cap_formats[i];
	return NULL;
}

static void dd_fmt_copy_desc(struct v4l2_fmtdesc *f, const char *desc)
{
	snprintf((char *)f->description, sizeof(f->description), "%s", desc);
}

static void dd_fmt_clear_desc(struct v4l2_fmtdesc *f)
{
	memset(f->description, 0, sizeof(f->description));
	memset(f->reserved, 0, sizeof(f->reserved));
	f->flags = 0;
	f->mbus_code = 0;
}

int dd_fmt_enum_output(struct v4l2_fmtdesc *f)
{
	const struct dd_codec *codec;

	if (f->type != V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE)
		return -EINVAL;
	if (f->index >= dd_num_codecs)
		return -EINVAL;
	codec = dd_codecs[f->index];
	dd_fmt_clear_desc(f);
	f->pixelformat = codec->output_fourcc;
	f->flags = V4L2_FMT_FLAG_COMPRESSED;
	dd_fmt_copy_desc(f, codec->description);
	return 0;
}

/* The index-th CAPTURE format of a bit depth, or NULL. */
static const struct dd_cap_format *dd_fmt_nth_of_depth(u32 depth, u32 index)
{
	unsigned int i;

	for (i = 0; i < dd_num_cap_formats; i++) {
		if (dd_cap_formats[i].depth != depth)
			continue;
		if (!index--)
			return &dd_cap_formats[i];
	}
	return NULL;
}

u32 dd_fmt_cap_depth(const struct v4l2_format *cap)
{
	const struct dd_cap_format *cf = dd_cap_format_by_fourcc(cap->fmt.pix_mp.pixelformat);

	return cf ? cf->depth : DD_FMT_DEPTH_8;
}

int dd_fmt_enum_capture(const struct dd_codec *codec, u32 depth, struct v4l2_fmtdesc *f)
{
	const struct dd_cap_format *cf;

	/* Every codec decodes into every CAPTURE format of the stream's depth. */
	(void)codec;
	if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE)
		return -EINVAL;
	cf = dd_fmt_nth_of_depth(depth, f->index);
	if (!cf)
		return -EINVAL;
	dd_fmt_clear_desc(f);
	f->pixelformat = cf->fourcc;
	dd_fmt_copy_desc(f, cf->description);
	return 0;
}

int dd_fmt_enum_framesizes(struct v4l2_frmsizeenum *fs)
{
	const struct dd_codec *codec;

	/* Like visl/hantro/rkvdec: only the coded formats have a range. */
	codec = dd_codec_by_fourcc(fs->pixel_format);
	if (!codec || fs->index != 0)
		return -EINVAL;
	fs->type = V4L2_FRMSIZE_TYPE_STEPWISE;
	fs->stepwise.min_width = codec->min_width;
	fs->stepwise.max_width = codec->max_width;
	fs->stepwise.step_width = codec->step_width;
	fs->stepwise.min_height = codec->min_height;
	fs->stepwise.max_height = codec->max_height;
	fs->stepwise.step_height = codec->step_height;
	memset(fs->reserved, 0, sizeof(fs->reserved));
	return 0;
}

static u32 dd_fmt_clamp_roundup(u32 v, u32 lo, u32 hi, u32 step)
{
	v = clamp(v, lo, hi);
	if (step)
		v = ALIGN(v, step);
	return v;
}

/* Default bitstream buffer: half a raw 4:2:0 frame, at least 1 MiB. */
static u32 dd_fmt_bitstream_default(u32 width, u32 height)
{
	u32 size = width * height * 3 / 4;

	return ALIGN(max(size, DD_FMT_SZ_1M), DD_FMT_PAGE);
}

/* Largest bitstream buffer accepted: twice a raw 4:2:0 frame, or 16 MiB. */
static u32 dd_fmt_bitstream_cap(u32 width, u32 height)
{
	u32 size = width * height * 3;

	return ALIGN(max(size, DD_FMT_BITSTREAM_CAP), DD_FMT_PAGE);
}

/* Unknown colorimetry values become "default"; no colorspace means Rec.709. */
static void dd_fmt_sanitize_colorimetry(struct v4l2_pix_format_mplane *p)
{
	if (p->colorspace == V4L2_COLORSPACE_DEFAULT ||
	    p->colorspace > V4L2_COLORSPACE_DCI_P3) {
		p->colorspace = V4L2_COLORSPACE_REC709;
		p->xfer_func = V4L2_XFER_FUNC_DEFAULT;
		p->ycbcr_enc = V4L2_YCBCR_ENC_DEFAULT;
		p->quantization = V4L2_QUANTIZATION_DEFAULT;
	}
	if (p->xfer_func > V4L2_XFER_FUNC_SMPTE2084)
		p->xfer_func = V4L2_XFER_FUNC_DEFAULT;
	if (p->ycbcr_enc > V4L2_YCBCR_ENC_SMPTE240M)
		p->ycbcr_enc = V4L2_YCBCR_ENC_DEFAULT;
	if (p->quantization > V4L2_QUANTIZATION_LIM_RANGE)
		p->quantization = V4L2_QUANTIZATION_DEFAULT;
}

static void dd_fmt_clear_planes(struct v4l2_pix_format_mplane *p)
{
	memset(p->plane_fmt, 0, sizeof(p->plane_fmt));
	memset(p->reserved, 0, sizeof(p->reserved));
	p->num_planes = 1;
	p->flags = 0;
	p->field = V4L2_FIELD_NONE;
}

int dd_fmt_try_output(struct v4l2_format *f)
{
	struct v4l2_pix_format_mplane *p = &f->fmt.pix_mp;
	const struct dd_codec *codec;
	u32 size, def, cap;

	if (f->type != V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE)
		return -EINVAL;
	codec = dd_codec_by_fourcc(p->pixelformat);
	if (!codec)
		codec = dd_codecs[0];
	p->pixelformat = codec->output_fourcc;
	p->width = dd_fmt_clamp_roundup(p->width, codec->min_width,
					codec->max_width, codec->step_width);
	p->height = dd_fmt_clamp_roundup(p->height, codec->min_height,
					 codec->max_height, codec->step_height);
	size = p->plane_fmt[0].sizeimage;
	def = dd_fmt_bitstream_default(p->width, p->height);
	cap = dd_fmt_bitstream_cap(p->width, p->height);
	if (size < def)
		size = def;
	else if (size > cap)
		size = cap;
	dd_fmt_clear_planes(p);
	p->plane_fmt[0].sizeimage = size;
	dd_fmt_sanitize_colorimetry(p);
	return 0;
}

int dd_fmt_try_capture(const struct v4l2_format *out, u32 depth, struct v4l2_format *f)
{
	const struct v4l2_pix_format_mplane *o = &out->fmt.pix_mp;
	struct v4l2_pix_format_mplane *p = &f->fmt.pix_mp;
	const struct dd_cap_format *cf;
	u32 width, height, bpl, row;

	if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE)
		return -EINVAL;
	cf = dd_cap_format_by_fourcc(p->pixelformat);
	if (!cf || cf->depth != depth) {
		cf = dd_fmt_nth_of_depth(depth, 0);
		if (!cf)
			cf = &dd_cap_formats[0];
		p->pixelformat = cf->fourcc;
	}
	width = ALIGN(o->width, DD_FMT_ALIGN);
	/* Luma row bytes: the aligned width times the bytes of one sample. */
	row = width * cf->cpp;
	height = ALIGN(o->height, DD_FMT_ALIGN);
	bpl = p->plane_fmt[0].bytesperline;
	if (bpl > DD_FMT_MAX_BPL)
		bpl = DD_FMT_MAX_BPL;
	bpl = max(ALIGN(bpl, DD_FMT_ALIGN), row);
	dd_fmt_clear_planes(p);
	p->width = width;
	p->height = height;
	p->plane_fmt[0].bytesperline = bpl;
	p->plane_fmt[0].sizeimage = bpl * height * 3 / 2;
	p->colorspace = o->colorspace;
	p->xfer_func = o->xfer_func;
	p->ycbcr_enc = o->ycbcr_enc;
	p->quantization = o->quantization;
	return 0;
}

void dd_fmt_default_output(struct v4l2_format *f)
{
	struct v4l2_pix_format_mplane *p = &f->fmt.pix_mp;

	memset(f, 0, sizeof(*f));
	f->type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
	p->pixelformat = dd_codecs[0]->output_fourcc;
	p->width = 1280;
	p->height = 720;
	p->colorspace = V4L2_COLORSPACE_REC709;
	dd_fmt_try_output(f);
}

void dd_fmt_default_capture(const struct v4l2_format *out, struct v4l2_format *f)
{
	memset(f, 0, sizeof(*f));
	f->type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	f->fmt.pix_mp.pixelformat = dd_cap_formats[0].fourcc;
	dd_fmt_try_capture(out, DD_FMT_DEPTH_8, f);
}

void dd_fmt_propagate(const struct v4l2_format *out, u32 depth, struct v4l2_format *cap)
{
	u32 fourcc = cap->fmt.pix_mp.pixelformat;

	/*
	 * Keep the client's CAPTURE fourcc if it has the depth (else the
	 * depth's first format); the size and stride start over.
	 */
	memset(cap, 0, sizeof(*cap));
	cap->type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	cap->fmt.pix_mp.pixelformat = fourcc;
	dd_fmt_try_capture(out, depth, cap);
}

int dd_fmt_depth_may_change(u32 depth, bool cap_busy, const struct v4l2_format *cap)
{
	u32 cur = dd_fmt_cap_depth(cap);

	if (!depth || depth == cur || !cap_busy)
		return 0;
	dd_err("stream bit depth %u while CAPTURE holds %u-bit buffers: free them first",
	       depth, cur);
	return -EBUSY;
}

bool dd_fmt_set_depth(const struct v4l2_format *out, u32 depth, struct v4l2_format *cap)
{
	if (!depth || depth == dd_fmt_cap_depth(cap))
		return false;
	dd_dbg("CAPTURE format follows the stream to %u bits", depth);
	dd_fmt_propagate(out, depth, cap);
	return true;
}

int dd_fmt_request_depth_ok(const char *codec, u32 depth, const struct v4l2_format *cap)
{
	u32 cur = dd_fmt_cap_depth(cap);
	u32 fourcc = cap->fmt.pix_mp.pixelformat;

	if (!depth || depth == cur)
		return 0;
	dd_err("request: %s picture is %u-bit, the CAPTURE format %c%c%c%c is %u-bit",
	       codec, depth, (char)(fourcc & 0xff), (char)((fourcc >> 8) & 0xff),
	       (char)((fourcc >> 16) & 0xff), (char)((fourcc >> 24) & 0xff), cur);
	return -EINVAL;
}

int dd_fmt_s_fmt_busy(const struct v4l2_format *cur_out, const struct v4l2_format *f,
		      const struct dd_fmt_busy *busy)
{
	if (V4L2_TYPE_IS_OUTPUT(f->type)) {
		if (busy->out_streaming ||
		    (busy->out_busy &&
		     f->fmt.pix_mp.pixelformat != cur_out->fmt.pix_mp.pixelformat))
			return -EBUSY;
		return busy->cap_busy ? -EBUSY : 0;
	}
	return busy->cap_busy ? -EBUSY : 0;
}

void dd_fmt_cap_layout(const struct v4l2_format *cap, u32 *num_planes,
		       u32 offset[3], u32 stride[3])
{
	const struct v4l2_pix_format_mplane *p = &cap->fmt.pix_mp;
	u32 bpl = p->plane_fmt[0].bytesperline;
	u32 luma = bpl * p->height;

	/* NV12 and P010: Y rows, then CbCr rows at the same stride (bytes). */
	offset[0] = 0;
	stride[0] = bpl;
	offset[1] = luma;
	if (p->pixelformat == V4L2_PIX_FMT_YUV420) {
		*num_planes = 3;
		stride[1] = bpl / 2;
		offset[2] = luma + (bpl / 2) * (p->height / 2);
		stride[2] = bpl / 2;
	} else {
		*num_planes = 2;
		stride[1] = bpl;
		offset[2] = 0;
		stride[2] = 0;
	}
}
