// SPDX-License-Identifier: GPL-2.0
/*
 * dd_h264_dpb.c - H.264 decoded picture buffer model: picture order count
 * (8.2.1), reference picture marking (8.2.5 incl. frame num gaps and MMCO),
 * and display order output through the bumping process (C.4.4/C.4.5).
 *
 * Frames leave through the output callback in display order and are handed
 * back through the release callback once neither referenced nor waiting for
 * output, so the caller can recycle the capture buffer behind them.
 *
 * Deliberate choices, matching FFmpeg's decoder (whose output the tests
 * compare against): no_output_of_prior_pics_flag is ignored, all prior
 * pictures are output on IDR and MMCO 5; unpaired fields are not output.
 */
#include <errno.h>
#include <string.h>

#include "dd_h264_dpb.h"

#define NO_LONG_TERM_IDX	UINT32_MAX

static int field_idx(uint8_t parity)
{
	return parity == DD_FIELD_BOTTOM ? 1 : 0;
}

static bool frame_is_ref(const struct dd_dpb_frame *f)
{
	return f->ref[0] != DD_REF_NONE || f->ref[1] != DD_REF_NONE;
}

static bool frame_has_short(const struct dd_dpb_frame *f)
{
	return f->ref[0] == DD_REF_SHORT || f->ref[1] == DD_REF_SHORT;
}

static bool frame_has_long(const struct dd_dpb_frame *f)
{
	return f->ref[0] == DD_REF_LONG || f->ref[1] == DD_REF_LONG;
}

static int32_t frame_poc(const struct dd_dpb_frame *f)
{
	if (f->fields == DD_FIELD_TOP)
		return f->poc[0];
	if (f->fields == DD_FIELD_BOTTOM)
		return f->poc[1];
	return f->poc[0] < f->poc[1] ? f->poc[0] : f->poc[1];
}

void dd_dpb_init(struct dd_dpb *dpb, dd_dpb_output_fn output, dd_dpb_release_fn release,
		 uint64_t (*gap_ts)(void *opaque), void *opaque)
{
	memset(dpb, 0, sizeof(*dpb));
	dpb->output = output;
	dpb->release = release;
	dpb->gap_ts = gap_ts;
	dpb->opaque = opaque;
	dpb->max_long_term_frame_idx = NO_LONG_TERM_IDX;
	dpb->seq.dpb_size = DD_DPB_MAX_FRAMES;
	dpb->seq.num_reorder_frames = -1;
	dpb->seq.max_frame_num = 16;
	dpb->seq.max_poc_lsb = 16;
}

void dd_dpb_set_seq(struct dd_dpb *dpb, const struct dd_dpb_seq *seq)
{
	dpb->seq = *seq;
	if (dpb->seq.dpb_size < 1)
		dpb->seq.dpb_size = 1;
	if (dpb->seq.dpb_size > DD_DPB_MAX_FRAMES)
		dpb->seq.dpb_size = DD_DPB_MAX_FRAMES;
}

unsigned int dd_dpb_size_for_level(unsigned int level_idc, bool constraint_set3,
				   unsigned int width_mbs, unsigned int height_mbs)
{
	unsigned int max_dpb_mbs, size;

	switch (level_idc) {
	case 9:
		max_dpb_mbs = 396;
		break;
	case 10:
		max_dpb_mbs = 396;
		break;
	case 11:
		max_dpb_mbs = constraint_set3 ? 396 : 900;
		break;
	case 12:
	case 13:
	case 20:
		max_dpb_mbs = 2376;
		break;
	case 21:
		max_dpb_mbs = 4752;
		break;
	case 22:
	case 30:
		max_dpb_mbs = 8100;
		break;
	case 31:
		max_dpb_mbs = 18000;
		break;
	case 32:
		max_dpb_mbs = 20480;
		break;
	case 40:
	case 41:
		max_dpb_mbs = 32768;
		break;
	case 42:
		max_dpb_mbs = 34816;
		break;
	case 50:
		max_dpb_mbs = 110400;
		break;
	case 51:
	case 52:
		max_dpb_mbs = 184320;
		break;
	default:
		max_dpb_mbs = 696320;	/* levels 6.x */
		break;
	}
	if (!width_mbs || !height_mbs)
		return DD_DPB_MAX_FRAMES;
	size = max_dpb_mbs / (width_mbs * height_mbs);
	if (size < 1)
		size = 1;
	if (size > DD_DPB_MAX_FRAMES)
		size = DD_DPB_MAX_FRAMES;
	return size;
}

static void remove_frame(struct dd_dpb *dpb, struct dd_dpb_frame *f)
{
	if (dpb->release)
		dpb->release(dpb->opaque, f);
	if (dpb->open_field == f)
		dpb->open_field = NULL;
	memset(f, 0, sizeof(*f));
}

static void remove_unused(struct dd_dpb *dpb)
{
	unsigned int i;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (f->used && f != dpb->cur && !f->needed_for_output && !frame_is_ref(f))
			remove_frame(dpb, f);
	}
}

static int output_frame(struct dd_dpb *dpb, struct dd_dpb_frame *f)
{
	int ret = 0;

	f->needed_for_output = false;
	/* An unpaired field leaves unseen, as FFmpeg's decoder drops it too. */
	if (f->coded_as_fields && f->fields != DD_FIELD_FRAME)
		return 0;
	if (dpb->output)
		ret = dpb->output(dpb->opaque, f);
	return ret;
}

/* C.4.5.3: output the frame with the smallest POC.  1 if one left, 0 if none. */
static int bump(struct dd_dpb *dpb, bool allow_open_field)
{
	struct dd_dpb_frame *best = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (!f->used || !f->needed_for_output)
			continue;
		if (f == dpb->open_field && !allow_open_field)
			continue;
		if (!best || frame_poc(f) < frame_poc(best))
			best = f;
	}
	if (!best)
		return 0;
	ret = output_frame(dpb, best);
	if (!frame_is_ref(best))
		remove_frame(dpb, best);
	return ret < 0 ? ret : 1;
}

static unsigned int count_used(const struct dd_dpb *dpb)
{
	unsigned int i, n = 0;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++)
		n += dpb->frames[i].used;
	return n;
}

static int output_all(struct dd_dpb *dpb)
{
	int ret;

	while ((ret = bump(dpb, true)) > 0)
		;
	return ret;
}

static struct dd_dpb_frame *free_slot(struct dd_dpb *dpb)
{
	unsigned int i;

	if (count_used(dpb) >= dpb->seq.dpb_size)
		return NULL;
	for (i = 0; i < DD_DPB_MAX_FRAMES; i++)
		if (!dpb->frames[i].used)
			return &dpb->frames[i];
	return NULL;
}

/* Make room for one more frame store, bumping as C.4.5.3 says. */
static int make_room(struct dd_dpb *dpb, struct dd_dpb_frame **slot)
{
	int ret;

	remove_unused(dpb);
	while (!(*slot = free_slot(dpb))) {
		ret = bump(dpb, true);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ENOSPC;	/* every store holds a reference */
	}
	return 0;
}

static void update_frame_num_wrap(struct dd_dpb *dpb, uint16_t cur_frame_num)
{
	unsigned int i;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (!f->used)
			continue;
		f->frame_num_wrap = f->frame_num;
		if (f->frame_num > cur_frame_num)
			f->frame_num_wrap -= (int32_t)dpb->seq.max_frame_num;
	}
}

/* 8.2.5.3 sliding window.  'cur' is excluded from the count. */
static void sliding_window(struct dd_dpb *dpb, struct dd_dpb_frame *cur)
{
	unsigned int i, num_short = 0, num_long = 0;
	unsigned int max_refs = dpb->seq.max_num_ref_frames ? dpb->seq.max_num_ref_frames : 1;
	struct dd_dpb_frame *oldest = NULL;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (!f->used || f == cur)
			continue;
		if (frame_has_short(f)) {
			num_short++;
			if (!oldest || f->frame_num_wrap < oldest->frame_num_wrap)
				oldest = f;
		} else if (frame_has_long(f)) {
			num_long++;
		}
	}
	if (num_short + num_long >= max_refs && num_short && oldest) {
		if (oldest->ref[0] == DD_REF_SHORT)
			oldest->ref[0] = DD_REF_NONE;
		if (oldest->ref[1] == DD_REF_SHORT)
			oldest->ref[1] = DD_REF_NONE;
	}
}

/* Store frame num gap frames (8.2.5.2) as non-existing short-term refs. */
static int fill_frame_num_gap(struct dd_dpb *dpb, uint16_t frame_num)
{
	uint32_t max = dpb->seq.max_frame_num;
	uint32_t fn = (dpb->prev_ref_frame_num + 1) % max;
	struct dd_dpb_frame *slot;
	unsigned int guard = 0;
	int ret;

	while (fn != frame_num && guard++ < max) {
		/* POC for types 1 and 2 advances with the missing frames. */
		if (dpb->prev_frame_num > fn)
			dpb->frame_num_offset = dpb->prev_frame_num_offset + (int32_t)max;
		else
			dpb->frame_num_offset = dpb->prev_frame_num_offset;

		update_frame_num_wrap(dpb, (uint16_t)fn);
		sliding_window(dpb, NULL);
		ret = make_room(dpb, &slot);
		if (ret)
			return ret;
		memset(slot, 0, sizeof(*slot));
		slot->used = true;
		slot->non_existing = true;
		slot->fields = DD_FIELD_FRAME;
		slot->ref[0] = DD_REF_SHORT;
		slot->ref[1] = DD_REF_SHORT;
		slot->frame_num = (uint16_t)fn;
		slot->frame_num_wrap = (int32_t)fn;
		slot->decode_index = dpb->decode_count++;	/* numbered like FFmpeg */
		if (dpb->gap_ts)
			slot->ts = dpb->gap_ts(dpb->opaque);

		dpb->prev_ref_frame_num = (uint16_t)fn;
		dpb->prev_frame_num = (uint16_t)fn;
		dpb->prev_frame_num_offset = dpb->frame_num_offset;
		dpb->prev_has_mmco5 = false;
		fn = (fn + 1) % max;
	}
	return 0;
}

/* 8.2.1: TopFieldOrderCnt / BottomFieldOrderCnt of the current picture. */
static void compute_poc(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi, int32_t poc[2])
{
	const struct dd_dpb_seq *s = &dpb->seq;
	int32_t max_fn = (int32_t)s->max_frame_num;

	poc[0] = poc[1] = 0;

	if (s->poc_type == 0) {
		int32_t prev_msb, prev_lsb, msb;
		int32_t lsb = pi->poc_lsb, max_lsb = (int32_t)s->max_poc_lsb;

		if (pi->idr) {
			prev_msb = 0;
			prev_lsb = 0;
		} else if (dpb->prev_ref_has_mmco5) {
			prev_msb = 0;
			prev_lsb = dpb->prev_ref_bottom_field ? 0 : dpb->prev_ref_top_poc;
		} else {
			prev_msb = dpb->prev_poc_msb;
			prev_lsb = dpb->prev_poc_lsb;
		}
		if (lsb < prev_lsb && prev_lsb - lsb >= max_lsb / 2)
			msb = prev_msb + max_lsb;
		else if (lsb > prev_lsb && lsb - prev_lsb > max_lsb / 2)
			msb = prev_msb - max_lsb;
		else
			msb = prev_msb;
		dpb->poc_msb = msb;

		if (pi->structure != DD_FIELD_BOTTOM)
			poc[0] = msb + lsb;
		if (pi->structure == DD_FIELD_FRAME)
			poc[1] = poc[0] + pi->delta_poc_bottom;
		else if (pi->structure == DD_FIELD_BOTTOM)
			poc[1] = msb + lsb;
		return;
	}

	/* Types 1 and 2: FrameNumOffset (8-6, 8-11). */
	if (pi->idr)
		dpb->frame_num_offset = 0;
	else if (dpb->prev_frame_num > pi->frame_num)
		dpb->frame_num_offset = (dpb->prev_has_mmco5 ? 0 : dpb->prev_frame_num_offset) +
					max_fn;
	else
		dpb->frame_num_offset = dpb->prev_has_mmco5 ? 0 : dpb->prev_frame_num_offset;

	if (s->poc_type == 1) {
		int32_t abs_frame_num = 0, expected = 0;
		int32_t delta_per_cycle = 0;
		unsigned int i;

		if (s->num_ref_frames_in_poc_cycle)
			abs_frame_num = dpb->frame_num_offset + pi->frame_num;
		if (!pi->nal_ref_idc && abs_frame_num > 0)
			abs_frame_num--;
		for (i = 0; i < s->num_ref_frames_in_poc_cycle; i++)
			delta_per_cycle += s->offset_for_ref_frame[i];
		if (abs_frame_num > 0) {
			int32_t n = s->num_ref_frames_in_poc_cycle;
			int32_t cycle = (abs_frame_num - 1) / n;
			int32_t in_cycle = (abs_frame_num - 1) % n;

			expected = cycle * delta_per_cycle;
			for (i = 0; i <= (unsigned int)in_cycle; i++)
				expected += s->offset_for_ref_frame[i];
		}
		if (!pi->nal_ref_idc)
			expected += s->offset_for_non_ref_pic;

		if (pi->structure == DD_FIELD_FRAME) {
			poc[0] = expected + pi->delta_poc[0];
			poc[1] = poc[0] + s->offset_for_top_to_bottom_field + pi->delta_poc[1];
		} else if (pi->structure == DD_FIELD_TOP) {
			poc[0] = expected + pi->delta_poc[0];
		} else {
			poc[1] = expected + s->offset_for_top_to_bottom_field + pi->delta_poc[0];
		}
		return;
	}

	/* Type 2 */
	{
		int32_t temp;

		if (pi->idr)
			temp = 0;
		else if (!pi->nal_ref_idc)
			temp = 2 * (dpb->frame_num_offset + pi->frame_num) - 1;
		else
			temp = 2 * (dpb->frame_num_offset + pi->frame_num);
		if (pi->structure != DD_FIELD_BOTTOM)
			poc[0] = temp;
		if (pi->structure != DD_FIELD_TOP)
			poc[1] = temp;
	}
}

int dd_dpb_begin(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi)
{
	struct dd_dpb_frame *of = dpb->open_field;
	unsigned int i;
	int ret;

	dpb->cur_structure = pi->structure;
	dpb->cur_second_field = false;

	if (of && pi->structure != DD_FIELD_FRAME && pi->structure != dpb->open_field_parity &&
	    pi->frame_num == of->frame_num && (pi->nal_ref_idc != 0) == dpb->open_field_ref) {
		dpb->cur_second_field = true;
		dpb->cur = of;
		compute_poc(dpb, pi, dpb->cur_poc);
		return 0;
	}
	dpb->open_field = NULL;

	if (pi->idr) {
		/* C.4.4: prior pictures leave the DPB (output, see header). */
		ret = output_all(dpb);
		if (ret < 0)
			return ret;
		for (i = 0; i < DD_DPB_MAX_FRAMES; i++)
			if (dpb->frames[i].used)
				remove_frame(dpb, &dpb->frames[i]);
		dpb->max_long_term_frame_idx = NO_LONG_TERM_IDX;
		dpb->prev_ref_frame_num = 0;
	} else if (dpb->started && pi->frame_num != dpb->prev_ref_frame_num &&
		   pi->frame_num != (dpb->prev_ref_frame_num + 1) % dpb->seq.max_frame_num) {
		ret = fill_frame_num_gap(dpb, pi->frame_num);
		if (ret)
			return ret;
	}
	dpb->started = true;

	compute_poc(dpb, pi, dpb->cur_poc);

	memset(&dpb->pending, 0, sizeof(dpb->pending));
	dpb->pending.frame_num = pi->frame_num;
	dpb->pending.decode_index = dpb->decode_count++;
	dpb->pending.coded_as_fields = pi->structure != DD_FIELD_FRAME;
	dpb->pending.first_field = pi->structure;
	dpb->cur = &dpb->pending;
	return 0;
}

unsigned int dd_dpb_refs(const struct dd_dpb *dpb, struct dd_dpb_ref *refs)
{
	bool field = dpb->cur_structure != DD_FIELD_FRAME;
	uint16_t cur_fn = dpb->cur->frame_num;
	unsigned int i, n = 0;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		const struct dd_dpb_frame *f = &dpb->frames[i];
		struct dd_dpb_ref *r;
		int32_t wrap;
		bool same;

		if (!f->used || !frame_is_ref(f))
			continue;
		r = &refs[n++];
		memset(r, 0, sizeof(*r));
		r->ts = f->ts;
		r->long_term = frame_has_long(f);
		r->field_coded = f->coded_as_fields;
		r->fields = (f->ref[0] ? DD_FIELD_TOP : 0) | (f->ref[1] ? DD_FIELD_BOTTOM : 0);
		r->top_poc = (f->fields & DD_FIELD_TOP) ? f->poc[0] : 0;
		r->bottom_poc = (f->fields & DD_FIELD_BOTTOM) ? f->poc[1] : 0;
		wrap = f->frame_num;
		if (f->frame_num > cur_fn)
			wrap -= (int32_t)dpb->seq.max_frame_num;
		/*
		 * PicNum / LongTermPicNum (8-28, 8-29) of the entry's first field
		 * relative to the current field (2n + 1 same parity, 2n opposite),
		 * as GStreamer fills it; FrameNumWrap / LongTermFrameIdx for frames.
		 */
		same = !field || (f->first_field == DD_FIELD_FRAME ?
				  dpb->cur_structure == DD_FIELD_TOP :
				  f->first_field == dpb->cur_structure);
		if (r->long_term) {
			r->frame_num = (uint16_t)f->long_term_frame_idx;
			r->pic_num = field ? 2 * f->long_term_frame_idx + same :
				     f->long_term_frame_idx;
		} else {
			r->frame_num = f->frame_num;
			r->pic_num = (uint32_t)(field ? 2 * wrap + same : wrap);
		}
	}
	return n;
}

/* PicNum / LongTermPicNum of one field or frame, relative to the current picture. */
static int32_t pic_num_of(const struct dd_dpb *dpb, const struct dd_dpb_frame *f, int fi,
			  bool long_term)
{
	int32_t base = long_term ? (int32_t)f->long_term_frame_idx : f->frame_num_wrap;

	if (dpb->cur_structure == DD_FIELD_FRAME)
		return base;
	/* same parity: 2n + 1, opposite parity: 2n */
	return 2 * base + (fi == field_idx(dpb->cur_structure) ? 1 : 0);
}

/* Find the field (or frame) with the given PicNum among the marked kind. */
static struct dd_dpb_frame *find_pic(struct dd_dpb *dpb, int32_t num, bool long_term, int *fi_out)
{
	uint8_t kind = long_term ? DD_REF_LONG : DD_REF_SHORT;
	unsigned int i;
	int fi;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (!f->used)
			continue;
		if (dpb->cur_structure == DD_FIELD_FRAME) {
			if (f->ref[0] == kind && f->ref[1] == kind &&
			    pic_num_of(dpb, f, 0, long_term) == num) {
				*fi_out = -1;
				return f;
			}
			continue;
		}
		for (fi = 0; fi < 2; fi++) {
			if (f->ref[fi] == kind && pic_num_of(dpb, f, fi, long_term) == num) {
				*fi_out = fi;
				return f;
			}
		}
	}
	return NULL;
}

static void unmark(struct dd_dpb_frame *f, int fi)
{
	if (fi < 0) {
		f->ref[0] = DD_REF_NONE;
		f->ref[1] = DD_REF_NONE;
	} else {
		f->ref[fi] = DD_REF_NONE;
	}
}

/* Unmark any long-term frame using idx, except the store 'keep'. */
static void drop_long_term_idx(struct dd_dpb *dpb, uint32_t idx, struct dd_dpb_frame *keep)
{
	unsigned int i;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		struct dd_dpb_frame *f = &dpb->frames[i];

		if (f->used && f != keep && frame_has_long(f) && f->long_term_frame_idx == idx) {
			if (f->ref[0] == DD_REF_LONG)
				f->ref[0] = DD_REF_NONE;
			if (f->ref[1] == DD_REF_LONG)
				f->ref[1] = DD_REF_NONE;
		}
	}
}

/* 8.2.5.4; returns true when the current picture was marked long-term (MMCO 6). */
static bool apply_mmco(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi, bool *mmco5)
{
	int32_t curr_pic_num = pi->structure == DD_FIELD_FRAME ? pi->frame_num :
							       2 * pi->frame_num + 1;
	struct dd_dpb_frame *cur = dpb->cur;
	bool cur_long = false;
	unsigned int k, i;

	for (k = 0; k < pi->n_mmco; k++) {
		const struct dd_mmco *m = &pi->mmco[k];
		struct dd_dpb_frame *f;
		int32_t num;
		int fi;

		switch (m->op) {
		case 1:
			num = curr_pic_num - (int32_t)(m->difference_of_pic_nums_minus1 + 1);
			f = find_pic(dpb, num, false, &fi);
			if (f)
				unmark(f, fi);
			break;
		case 2:
			f = find_pic(dpb, (int32_t)m->long_term_pic_num, true, &fi);
			if (f)
				unmark(f, fi);
			break;
		case 3:
			num = curr_pic_num - (int32_t)(m->difference_of_pic_nums_minus1 + 1);
			f = find_pic(dpb, num, false, &fi);
			if (!f)
				break;
			drop_long_term_idx(dpb, m->long_term_frame_idx,
					   (fi >= 0 && f->long_term_frame_idx ==
					    m->long_term_frame_idx) ? f : NULL);
			f->long_term_frame_idx = m->long_term_frame_idx;
			if (fi < 0) {
				f->ref[0] = DD_REF_LONG;
				f->ref[1] = DD_REF_LONG;
			} else {
				/* the other field of a pair must share the index */
				if (f->ref[!fi] == DD_REF_LONG &&
				    f->long_term_frame_idx != m->long_term_frame_idx)
					f->ref[!fi] = DD_REF_NONE;
				f->ref[fi] = DD_REF_LONG;
			}
			break;
		case 4:
			dpb->max_long_term_frame_idx = m->max_long_term_frame_idx_plus1 ?
				m->max_long_term_frame_idx_plus1 - 1 : NO_LONG_TERM_IDX;
			for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
				f = &dpb->frames[i];
				if (!f->used || !frame_has_long(f))
					continue;
				if (!m->max_long_term_frame_idx_plus1 ||
				    f->long_term_frame_idx > dpb->max_long_term_frame_idx) {
					if (f->ref[0] == DD_REF_LONG)
						f->ref[0] = DD_REF_NONE;
					if (f->ref[1] == DD_REF_LONG)
						f->ref[1] = DD_REF_NONE;
				}
			}
			break;
		case 5:
			for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
				f = &dpb->frames[i];
				if (f->used && f != cur)
					unmark(f, -1);
			}
			dpb->max_long_term_frame_idx = NO_LONG_TERM_IDX;
			*mmco5 = true;
			break;
		case 6:
			drop_long_term_idx(dpb, m->long_term_frame_idx,
					   dpb->cur_second_field ? cur : NULL);
			cur->long_term_frame_idx = m->long_term_frame_idx;
			cur_long = true;
			break;
		default:
			break;
		}
	}
	return cur_long;
}

static bool lowest_waiting(const struct dd_dpb *dpb, int32_t poc)
{
	unsigned int i;

	for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		const struct dd_dpb_frame *f = &dpb->frames[i];

		if (f->used && f->needed_for_output && frame_poc(f) < poc)
			return false;
	}
	return true;
}

int dd_dpb_end(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi)
{
	struct dd_dpb_frame *cur = dpb->cur;
	struct dd_dpb_frame *slot;
	bool frame = pi->structure == DD_FIELD_FRAME;
	int fi = field_idx(pi->structure);
	bool mmco5 = false, cur_long = false;
	uint8_t mark = DD_REF_NONE;
	unsigned int i;
	int ret;

	update_frame_num_wrap(dpb, pi->frame_num);

	/* 8.2.5: reference marking */
	if (pi->nal_ref_idc) {
		if (pi->idr) {
			if (pi->long_term_reference_flag) {
				cur->long_term_frame_idx = 0;
				dpb->max_long_term_frame_idx = 0;
				cur_long = true;
			} else {
				dpb->max_long_term_frame_idx = NO_LONG_TERM_IDX;
			}
		} else if (pi->adaptive_marking) {
			cur_long = apply_mmco(dpb, pi, &mmco5);
		} else if (!(dpb->cur_second_field && cur->ref[!fi] == DD_REF_SHORT)) {
			sliding_window(dpb, cur);
		}
		mark = cur_long ? DD_REF_LONG : DD_REF_SHORT;
	}

	if (frame) {
		cur->ref[0] = mark;
		cur->ref[1] = mark;
		cur->poc[0] = dpb->cur_poc[0];
		cur->poc[1] = dpb->cur_poc[1];
	} else {
		cur->ref[fi] = mark;
		cur->poc[fi] = dpb->cur_poc[fi];
	}
	cur->fields |= pi->structure;

	/* POC state for the next picture (8.2.1) */
	if (mmco5) {
		int32_t temp;

		if (frame)
			temp = cur->poc[0] < cur->poc[1] ? cur->poc[0] : cur->poc[1];
		else
			temp = cur->poc[fi];
		if (cur->fields & DD_FIELD_TOP)
			cur->poc[0] -= temp;
		if (cur->fields & DD_FIELD_BOTTOM)
			cur->poc[1] -= temp;
		cur->frame_num = 0;
	}
	if (pi->nal_ref_idc) {
		dpb->prev_ref_has_mmco5 = mmco5;
		dpb->prev_ref_bottom_field = pi->structure == DD_FIELD_BOTTOM;
		dpb->prev_ref_top_poc = cur->poc[0];
		dpb->prev_poc_msb = dpb->poc_msb;
		dpb->prev_poc_lsb = pi->poc_lsb;
		dpb->prev_ref_frame_num = mmco5 ? 0 : pi->frame_num;
	}
	dpb->prev_has_mmco5 = mmco5;
	dpb->prev_frame_num = mmco5 ? 0 : pi->frame_num;
	dpb->prev_frame_num_offset = mmco5 ? 0 : dpb->frame_num_offset;

	if (dpb->cur_second_field) {
		/* The pair shares the first field's store (C.4.5.1/C.4.5.2). */
		dpb->open_field = NULL;
		dpb->cur = NULL;
		goto reorder;
	}

	if (mmco5) {
		/* C.4.4: like IDR, prior pictures are output and emptied */
		ret = output_all(dpb);
		if (ret < 0)
			return ret;
		for (i = 0; i < DD_DPB_MAX_FRAMES; i++)
			if (dpb->frames[i].used)
				remove_frame(dpb, &dpb->frames[i]);
	}

	cur->needed_for_output = true;
	dpb->cur = NULL;

	remove_unused(dpb);
	/*
	 * C.4.5.2: while the DPB is full, a non-reference frame whose POC is
	 * below every frame waiting for output is output without being stored;
	 * otherwise bump and look again.
	 */
	while (!pi->nal_ref_idc && frame && !free_slot(dpb)) {
		if (lowest_waiting(dpb, frame_poc(cur))) {
			ret = output_frame(dpb, cur);
			if (dpb->release)
				dpb->release(dpb->opaque, cur);
			return ret < 0 ? ret : 0;
		}
		ret = bump(dpb, true);
		if (ret < 0)
			return ret;
	}
	ret = make_room(dpb, &slot);
	if (ret)
		return ret;
	*slot = *cur;
	slot->used = true;
	if (!frame) {
		dpb->open_field = slot;
		dpb->open_field_parity = pi->structure;
		dpb->open_field_ref = pi->nal_ref_idc != 0;
	}

reorder:
	/* Output early when the stream bounds its reordering (VUI). */
	if (dpb->seq.num_reorder_frames >= 0) {
		for (;;) {
			unsigned int waiting = 0;

			for (i = 0; i < DD_DPB_MAX_FRAMES; i++) {
				struct dd_dpb_frame *f = &dpb->frames[i];

				if (f->used && f->needed_for_output && f != dpb->open_field)
					waiting++;
			}
			if (waiting <= (unsigned int)dpb->seq.num_reorder_frames)
				break;
			ret = bump(dpb, false);
			if (ret <= 0)
				return ret;
		}
	}
	return 0;
}

int dd_dpb_flush(struct dd_dpb *dpb)
{
	unsigned int i;
	int ret;

	dpb->open_field = NULL;
	ret = output_all(dpb);
	for (i = 0; i < DD_DPB_MAX_FRAMES; i++)
		if (dpb->frames[i].used)
			remove_frame(dpb, &dpb->frames[i]);
	return ret;
}
