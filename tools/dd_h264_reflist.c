// SPDX-License-Identifier: GPL-2.0
/*
 * dd_h264_reflist.c - H.264 reference picture list construction (8.2.4)
 * over the DPB model, for the slice-based decode mode.
 */
#include <string.h>

#include "dd_h264_reflist.h"

#define DD_LIST_MAX	33	/* 32 entries + 1 during modification */

/* A reference picture: frame store index and what of it (DD_FIELD_*). */
struct rp {
	int fs;
	uint8_t what;
};

struct ctx {
	const struct dd_dpb *dpb;
	bool field;
	uint8_t parity;		/* current field parity */
	uint16_t frame_num;
	int32_t poc;		/* PicOrderCnt(CurrPic) */
};

static int32_t wrap(const struct ctx *c, const struct dd_dpb_frame *f)
{
	int32_t w = f->frame_num;

	if (f->frame_num > c->frame_num)
		w -= (int32_t)c->dpb->seq.max_frame_num;
	return w;
}

static bool has(const struct dd_dpb_frame *f, uint8_t what, uint8_t kind)
{
	if (what == DD_FIELD_FRAME)
		return f->ref[0] == kind && f->ref[1] == kind;
	return f->ref[what == DD_FIELD_BOTTOM] == kind;
}

static bool any(const struct dd_dpb_frame *f, uint8_t kind)
{
	return f->ref[0] == kind || f->ref[1] == kind;
}

/* POC of a store over its fields marked 'kind' (8.2.4.2.3/8.2.4.2.4). */
static int32_t fpoc(const struct dd_dpb_frame *f, uint8_t kind)
{
	bool t = f->ref[0] == kind, b = f->ref[1] == kind;

	if (t && b)
		return f->poc[0] < f->poc[1] ? f->poc[0] : f->poc[1];
	return t ? f->poc[0] : f->poc[1];
}

/* Insertion sort of store indexes by key, ascending or descending. */
static void sort_by(int *fs, int32_t *key, int n, bool desc)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && (desc ? key[j - 1] < key[j] : key[j - 1] > key[j]); j--) {
			int tf = fs[j];
			int32_t tk = key[j];

			fs[j] = fs[j - 1];
			key[j] = key[j - 1];
			fs[j - 1] = tf;
			key[j - 1] = tk;
		}
}

/*
 * 8.2.4.2.5: fields taken alternately by parity, same parity first, each
 * in the order of the frame list; once a parity runs out, the rest of the
 * other follows.
 */
static int alternate(const struct ctx *c, const int *fs, int n, uint8_t kind, struct rp *out,
		     int len)
{
	uint8_t par[2] = { c->parity, c->parity == DD_FIELD_TOP ? DD_FIELD_BOTTOM : DD_FIELD_TOP };
	int pos[2] = { 0, 0 };
	int s = 0;

	for (;;) {
		while (pos[s] < n && !has(&c->dpb->frames[fs[pos[s]]], par[s], kind))
			pos[s]++;
		if (pos[s] >= n) {
			s ^= 1;
			while (pos[s] < n && !has(&c->dpb->frames[fs[pos[s]]], par[s], kind))
				pos[s]++;
			if (pos[s] >= n)
				break;
		}
		if (len < DD_LIST_MAX)
			out[len++] = (struct rp){ fs[pos[s]], par[s] };
		pos[s]++;
		s ^= 1;
	}
	return len;
}

static int init_p(const struct ctx *c, struct rp *l)
{
	int st[DD_DPB_MAX_FRAMES], lt[DD_DPB_MAX_FRAMES], ns = 0, nl = 0, len = 0;
	int32_t ks[DD_DPB_MAX_FRAMES], kl[DD_DPB_MAX_FRAMES];

	for (int i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		const struct dd_dpb_frame *f = &c->dpb->frames[i];

		if (!f->used)
			continue;
		if (c->field ? any(f, DD_REF_SHORT) : has(f, DD_FIELD_FRAME, DD_REF_SHORT)) {
			st[ns] = i;
			ks[ns++] = wrap(c, f);
		}
		if (c->field ? any(f, DD_REF_LONG) : has(f, DD_FIELD_FRAME, DD_REF_LONG)) {
			lt[nl] = i;
			kl[nl++] = (int32_t)f->long_term_frame_idx;
		}
	}
	sort_by(st, ks, ns, true);
	sort_by(lt, kl, nl, false);
	if (c->field) {
		len = alternate(c, st, ns, DD_REF_SHORT, l, 0);
		return alternate(c, lt, nl, DD_REF_LONG, l, len);
	}
	for (int i = 0; i < ns; i++)
		l[len++] = (struct rp){ st[i], DD_FIELD_FRAME };
	for (int i = 0; i < nl; i++)
		l[len++] = (struct rp){ lt[i], DD_FIELD_FRAME };
	return len;
}

static int init_b(const struct ctx *c, struct rp *l0, int *n1, struct rp *l1)
{
	int before[DD_DPB_MAX_FRAMES], after[DD_DPB_MAX_FRAMES], lt[DD_DPB_MAX_FRAMES];
	int32_t kb[DD_DPB_MAX_FRAMES], ka[DD_DPB_MAX_FRAMES], kl[DD_DPB_MAX_FRAMES];
	int nb = 0, na = 0, nl = 0, n0 = 0;
	int s0[2 * DD_DPB_MAX_FRAMES], s1[2 * DD_DPB_MAX_FRAMES];

	for (int i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		const struct dd_dpb_frame *f = &c->dpb->frames[i];
		bool st = c->field ? any(f, DD_REF_SHORT) : has(f, DD_FIELD_FRAME, DD_REF_SHORT);
		bool ltr = c->field ? any(f, DD_REF_LONG) : has(f, DD_FIELD_FRAME, DD_REF_LONG);

		if (!f->used)
			continue;
		if (st) {
			int32_t p = fpoc(f, DD_REF_SHORT);

			/* fields: "less than or equal"; frames: strictly less */
			if (p < c->poc || (c->field && p == c->poc)) {
				before[nb] = i;
				kb[nb++] = p;
			} else {
				after[na] = i;
				ka[na++] = p;
			}
		}
		if (ltr) {
			lt[nl] = i;
			kl[nl++] = (int32_t)f->long_term_frame_idx;
		}
	}
	sort_by(before, kb, nb, true);
	sort_by(after, ka, na, false);
	sort_by(lt, kl, nl, false);

	for (int i = 0; i < nb; i++)
		s0[i] = before[i];
	for (int i = 0; i < na; i++)
		s0[nb + i] = after[i];
	for (int i = 0; i < na; i++)
		s1[i] = after[i];
	for (int i = 0; i < nb; i++)
		s1[na + i] = before[i];

	if (c->field) {
		n0 = alternate(c, s0, nb + na, DD_REF_SHORT, l0, 0);
		n0 = alternate(c, lt, nl, DD_REF_LONG, l0, n0);
		*n1 = alternate(c, s1, nb + na, DD_REF_SHORT, l1, 0);
		*n1 = alternate(c, lt, nl, DD_REF_LONG, l1, *n1);
	} else {
		for (int i = 0; i < nb + na; i++) {
			l0[n0++] = (struct rp){ s0[i], DD_FIELD_FRAME };
			l1[(*n1)++] = (struct rp){ s1[i], DD_FIELD_FRAME };
		}
		for (int i = 0; i < nl; i++) {
			l0[n0++] = (struct rp){ lt[i], DD_FIELD_FRAME };
			l1[(*n1)++] = (struct rp){ lt[i], DD_FIELD_FRAME };
		}
	}
	if (*n1 > 1 && *n1 == n0 && !memcmp(l0, l1, n0 * sizeof(*l0))) {
		struct rp t = l1[0];

		l1[0] = l1[1];
		l1[1] = t;
	}
	return n0;
}

static int32_t pic_num(const struct ctx *c, const struct rp *r, bool long_term)
{
	const struct dd_dpb_frame *f = &c->dpb->frames[r->fs];
	int32_t base = long_term ? (int32_t)f->long_term_frame_idx : wrap(c, f);

	if (!c->field)
		return base;
	return 2 * base + (r->what == c->parity ? 1 : 0);
}

/* Find the short- or long-term picture with this PicNum / LongTermPicNum. */
static bool find(const struct ctx *c, int32_t num, bool long_term, struct rp *out)
{
	uint8_t kind = long_term ? DD_REF_LONG : DD_REF_SHORT;

	for (int i = 0; i < DD_DPB_MAX_FRAMES; i++) {
		const struct dd_dpb_frame *f = &c->dpb->frames[i];

		if (!f->used)
			continue;
		if (!c->field) {
			struct rp r = { i, DD_FIELD_FRAME };

			if (has(f, DD_FIELD_FRAME, kind) && pic_num(c, &r, long_term) == num) {
				*out = r;
				return true;
			}
			continue;
		}
		for (uint8_t w = DD_FIELD_TOP; w <= DD_FIELD_BOTTOM; w++) {
			struct rp r = { i, w };

			if (has(f, w, kind) && pic_num(c, &r, long_term) == num) {
				*out = r;
				return true;
			}
		}
	}
	return false;
}

/* 8.2.4.3; list has room for num_active + 1 entries (holes: fs = -1). */
static void modify(const struct ctx *c, const GstH264RefPicListModification *m, int nm,
		   struct rp *l, int num_active)
{
	int32_t max_pic_num = (int32_t)c->dpb->seq.max_frame_num * (c->field ? 2 : 1);
	int32_t curr = c->field ? 2 * c->frame_num + 1 : c->frame_num;
	int32_t pred = curr;
	int idx = 0;

	for (int k = 0; k < nm && idx < num_active; k++) {
		uint8_t op = m[k].modification_of_pic_nums_idc;
		bool long_term = op == 2;
		struct rp r;
		int32_t num;
		int n;

		if (op == 0 || op == 1) {
			int32_t d = (int32_t)m[k].value.abs_diff_pic_num_minus1 + 1;
			int32_t no_wrap = op == 0 ? pred - d : pred + d;

			if (op == 0 && no_wrap < 0)
				no_wrap += max_pic_num;
			if (op == 1 && no_wrap >= max_pic_num)
				no_wrap -= max_pic_num;
			pred = no_wrap;
			num = no_wrap > curr ? no_wrap - max_pic_num : no_wrap;
		} else if (op == 2) {
			num = (int32_t)m[k].value.long_term_pic_num;
		} else {
			break;
		}
		if (!find(c, num, long_term, &r))
			r = (struct rp){ -1, 0 };
		for (int i = num_active; i > idx; i--)
			l[i] = l[i - 1];
		l[idx++] = r;
		n = idx;
		for (int i = idx; i <= num_active; i++) {
			bool same = l[i].fs >= 0 && r.fs >= 0 && l[i].fs == r.fs &&
				    l[i].what == r.what &&
				    (c->dpb->frames[l[i].fs].ref[l[i].what == DD_FIELD_BOTTOM] ==
				     DD_REF_LONG) == long_term;

			if (!same)
				l[n++] = l[i];
		}
	}
}

static void to_v4l2(const struct ctx *c, const struct rp *l, int n,
		    struct v4l2_h264_reference *out)
{
	memset(out, 0xff, sizeof(*out) * V4L2_H264_REF_LIST_LEN);
	for (int i = 0; i < n && i < V4L2_H264_REF_LIST_LEN; i++) {
		int idx = 0;

		if (l[i].fs < 0)
			continue;
		/* the DPB entry index: stores with a reference, in array order */
		for (int j = 0; j < l[i].fs; j++)
			if (c->dpb->frames[j].used && (c->dpb->frames[j].ref[0] ||
						       c->dpb->frames[j].ref[1]))
				idx++;
		out[i].index = idx;
		out[i].fields = l[i].what;
	}
}

void dd_h264_ref_lists(const struct dd_dpb *dpb, const GstH264SliceHdr *h,
		       struct v4l2_h264_reference *l0, struct v4l2_h264_reference *l1)
{
	struct rp a[DD_LIST_MAX * 2], b[DD_LIST_MAX * 2];
	struct ctx c = {
		.dpb = dpb,
		.field = h->field_pic_flag,
		.parity = h->bottom_field_flag ? DD_FIELD_BOTTOM : DD_FIELD_TOP,
		.frame_num = h->frame_num,
	};
	int type = h->type % 5, n0 = 0, n1 = 0, a0, a1;

	memset(l0, 0xff, sizeof(*l0) * V4L2_H264_REF_LIST_LEN);
	memset(l1, 0xff, sizeof(*l1) * V4L2_H264_REF_LIST_LEN);
	if (type == GST_H264_I_SLICE || type == GST_H264_SI_SLICE)
		return;
	if (!c.field)
		c.poc = dpb->cur_poc[0] < dpb->cur_poc[1] ? dpb->cur_poc[0] : dpb->cur_poc[1];
	else
		c.poc = dpb->cur_poc[c.parity == DD_FIELD_BOTTOM];

	if (type == GST_H264_B_SLICE)
		n0 = init_b(&c, a, &n1, b);
	else
		n0 = init_p(&c, a);

	a0 = h->num_ref_idx_l0_active_minus1 + 1;
	/* truncate to num_ref_idx_l0_active; the extra slot is for modification */
	for (int i = n0 < a0 ? n0 : a0; i <= a0; i++)
		a[i] = (struct rp){ -1, 0 };
	if (h->ref_pic_list_modification_flag_l0)
		modify(&c, h->ref_pic_list_modification_l0, h->n_ref_pic_list_modification_l0,
		       a, a0);
	to_v4l2(&c, a, a0, l0);
	if (type != GST_H264_B_SLICE)
		return;
	a1 = h->num_ref_idx_l1_active_minus1 + 1;
	for (int i = n1 < a1 ? n1 : a1; i <= a1; i++)
		b[i] = (struct rp){ -1, 0 };
	if (h->ref_pic_list_modification_flag_l1)
		modify(&c, h->ref_pic_list_modification_l1, h->n_ref_pic_list_modification_l1,
		       b, a1);
	to_v4l2(&c, b, a1, l1);
}
