// SPDX-License-Identifier: GPL-2.0
/*
 * dd_vp9_probs.c - the VP9 compressed header (spec 6.3, bool decoder 9.2)
 * for daedalus-decode (see dd_vp9_probs.h).
 */
#include <errno.h>
#include <string.h>

#include "dd_vp9_probs.h"

struct vp9_bool {
	const uint8_t *p;
	size_t bits;		/* bits of p */
	size_t pos;		/* next bit */
	size_t max_bits;	/* BoolMaxBits */
	unsigned int value;
	unsigned int range;
	bool overrun;
};

static unsigned int raw_bit(struct vp9_bool *b)
{
	unsigned int bit;

	if (b->pos >= b->bits) {
		b->overrun = true;
		return 0;
	}
	bit = (b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1;
	b->pos++;
	return bit;
}

static unsigned int read_bool(struct vp9_bool *b, unsigned int prob)
{
	unsigned int split = 1 + (((b->range - 1) * prob) >> 8), bit;

	if (b->value < split) {
		b->range = split;
		bit = 0;
	} else {
		b->range -= split;
		b->value -= split;
		bit = 1;
	}
	while (b->range < 128) {
		unsigned int nb = 0;

		if (b->max_bits) {
			nb = raw_bit(b);
			b->max_bits--;
		}
		b->range <<= 1;
		b->value = (b->value << 1) | nb;
	}
	return bit;
}

static unsigned int read_literal(struct vp9_bool *b, unsigned int n)
{
	unsigned int x = 0;

	while (n--)
		x = (x << 1) | read_bool(b, 128);
	return x;
}

/* 6.3.5: inv_map_table[], built once: 7 + 13 k first, then the rest in order. */
static uint8_t inv_map[255];

static void build_inv_map(void)
{
	unsigned int i, n = 0, v;

	if (inv_map[0])
		return;
	for (i = 0; i < 20; i++)
		inv_map[n++] = 7 + 13 * i;
	for (v = 1; v < 254; v++)
		if ((v - 7) % 13)
			inv_map[n++] = v;
	inv_map[n] = 253;
}

/* 6.3.4 decode_term_subexp() */
static unsigned int term_subexp(struct vp9_bool *b)
{
	unsigned int v;

	if (!read_literal(b, 1))
		return read_literal(b, 4);
	if (!read_literal(b, 1))
		return read_literal(b, 4) + 16;
	if (!read_literal(b, 1))
		return read_literal(b, 5) + 32;
	v = read_literal(b, 7);
	if (v < 65)
		return v + 64;
	return (v << 1) - 1 + read_literal(b, 1);
}

/* 6.3.3 diff_update_prob(): the uAPI's value is inv_map_table[deltaProb]. */
static void diff_update(struct vp9_bool *b, uint8_t *d)
{
	unsigned int delta;

	if (!read_bool(b, 252)) {
		*d = 0;
		return;
	}
	delta = term_subexp(b);
	*d = delta < sizeof(inv_map) ? inv_map[delta] : 0;
}

static void diff_update_n(struct vp9_bool *b, uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		diff_update(b, &d[i]);
}

/* 6.3.17 update_mv_prob(): the uAPI's value is the new probability. */
static void mv_update_n(struct vp9_bool *b, uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = read_bool(b, 252) ? (uint8_t)((read_literal(b, 7) << 1) | 1) : 0;
}

static void read_coef_probs(struct vp9_bool *b, struct v4l2_ctrl_vp9_compressed_hdr *h)
{
	static const uint8_t biggest[] = { 0, 1, 2, 3, 3 };
	unsigned int tx, i, j, k, l;

	for (tx = 0; tx <= biggest[h->tx_mode]; tx++) {
		if (!read_literal(b, 1))
			continue;
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				for (k = 0; k < 6; k++)
					for (l = 0; l < (k ? 6u : 3u); l++)
						diff_update_n(b, h->coef[tx][i][j][k][l], 3);
	}
}

static uint8_t frame_reference_mode(struct vp9_bool *b, const struct dd_vp9_ch_in *in)
{
	unsigned int last = in->sign_bias & V4L2_VP9_SIGN_BIAS_LAST ? 1 : 0;
	unsigned int golden = in->sign_bias & V4L2_VP9_SIGN_BIAS_GOLDEN ? 1 : 0;
	unsigned int alt = in->sign_bias & V4L2_VP9_SIGN_BIAS_ALT ? 1 : 0;

	if (golden == last && alt == last)
		return V4L2_VP9_REFERENCE_MODE_SINGLE_REFERENCE;
	if (!read_literal(b, 1))
		return V4L2_VP9_REFERENCE_MODE_SINGLE_REFERENCE;
	return read_literal(b, 1) ? V4L2_VP9_REFERENCE_MODE_SELECT :
				    V4L2_VP9_REFERENCE_MODE_COMPOUND_REFERENCE;
}

static void read_mv_probs(struct vp9_bool *b, const struct dd_vp9_ch_in *in,
			  struct v4l2_vp9_mv_probs *mv)
{
	unsigned int i;

	mv_update_n(b, mv->joint, 3);
	for (i = 0; i < 2; i++) {
		mv_update_n(b, &mv->sign[i], 1);
		mv_update_n(b, mv->classes[i], 10);
		mv_update_n(b, &mv->class0_bit[i], 1);
		mv_update_n(b, mv->bits[i], 10);
	}
	for (i = 0; i < 2; i++) {
		mv_update_n(b, &mv->class0_fr[i][0][0], 6);
		mv_update_n(b, mv->fr[i], 3);
	}
	if (in->allow_high_precision_mv) {
		for (i = 0; i < 2; i++) {
			mv_update_n(b, &mv->class0_hp[i], 1);
			mv_update_n(b, &mv->hp[i], 1);
		}
	}
}

int dd_vp9_parse_compressed_header(const uint8_t *p, size_t size,
				   const struct dd_vp9_ch_in *in,
				   struct v4l2_ctrl_vp9_compressed_hdr *h,
				   uint8_t *reference_mode)
{
	struct vp9_bool b = { .p = p, .bits = size * 8 };
	uint8_t mode = V4L2_VP9_REFERENCE_MODE_SINGLE_REFERENCE;
	unsigned int i;

	build_inv_map();
	memset(h, 0, sizeof(*h));
	if (!size)
		return -EINVAL;
	/* 9.2.1 init_bool() */
	b.value = p[0];
	b.pos = 8;
	b.range = 255;
	b.max_bits = size * 8 - 8;
	if (read_bool(&b, 128))
		return -EINVAL;		/* marker bit */
	/* 6.3.1 tx_mode */
	if (in->lossless) {
		h->tx_mode = V4L2_VP9_TX_MODE_ONLY_4X4;
	} else {
		h->tx_mode = read_literal(&b, 2);
		if (h->tx_mode == V4L2_VP9_TX_MODE_ALLOW_32X32)
			h->tx_mode += read_literal(&b, 1);
	}
	if (h->tx_mode == V4L2_VP9_TX_MODE_SELECT) {
		for (i = 0; i < 2; i++)
			diff_update_n(&b, h->tx8[i], 1);
		for (i = 0; i < 2; i++)
			diff_update_n(&b, h->tx16[i], 2);
		for (i = 0; i < 2; i++)
			diff_update_n(&b, h->tx32[i], 3);
	}
	read_coef_probs(&b, h);
	diff_update_n(&b, h->skip, 3);
	if (!in->intra) {
		diff_update_n(&b, &h->inter_mode[0][0], 7 * 3);
		if (in->switchable_interp)
			diff_update_n(&b, &h->interp_filter[0][0], 4 * 2);
		diff_update_n(&b, h->is_inter, 4);
		mode = frame_reference_mode(&b, in);
		if (mode == V4L2_VP9_REFERENCE_MODE_SELECT)
			diff_update_n(&b, h->comp_mode, 5);
		if (mode != V4L2_VP9_REFERENCE_MODE_COMPOUND_REFERENCE)
			diff_update_n(&b, &h->single_ref[0][0], 5 * 2);
		if (mode != V4L2_VP9_REFERENCE_MODE_SINGLE_REFERENCE)
			diff_update_n(&b, h->comp_ref, 5);
		diff_update_n(&b, &h->y_mode[0][0], 4 * 9);
		diff_update_n(&b, &h->partition[0][0], 16 * 3);
		read_mv_probs(&b, in, &h->mv);
	}
	*reference_mode = mode;
	if (b.overrun)
		return -EINVAL;
	/* 9.2.3 exit_bool(): the padding left must be zero. */
	while (b.max_bits--)
		if (raw_bit(&b))
			return 1;
	return 0;
}
