// SPDX-License-Identifier: GPL-2.0
/*
 * dd_corrupt.c - the --corrupt option of daedalus-decode: reproducible
 * damage to the OUTPUT buffers or the SPS/PPS controls of a valid stream
 * (see dd_corrupt.h for the modes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_corrupt.h"

#define DD_CORRUPT_MAX_NALS	64

static const char * const dd_corrupt_names[] = {
	[DD_CORRUPT_RANDOM] = "random",
	[DD_CORRUPT_NOISE] = "noise",
	[DD_CORRUPT_TRUNCATE] = "truncate",
	[DD_CORRUPT_SWAP] = "swap",
	[DD_CORRUPT_DROP] = "drop",
	[DD_CORRUPT_SPS] = "sps",
	[DD_CORRUPT_PPS] = "pps",
};

static uint64_t dd_corrupt_rand(struct dd_corrupt *c)
{
	uint64_t x = c->state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	c->state = x;
	return x;
}

/* Uniform enough in [0, n) for test damage; n > 0. */
static size_t dd_corrupt_below(struct dd_corrupt *c, size_t n)
{
	return (size_t)(dd_corrupt_rand(c) % n);
}

int dd_corrupt_parse(struct dd_corrupt *c, const char *arg)
{
	const char *colon = strchr(arg, ':');
	unsigned long long seed;
	unsigned long pct = 25;
	char *end;
	size_t n;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (!colon)
		goto bad;
	n = colon - arg;
	for (i = 0; i < sizeof(dd_corrupt_names) / sizeof(dd_corrupt_names[0]); i++)
		if (strlen(dd_corrupt_names[i]) == n && !strncmp(arg, dd_corrupt_names[i], n))
			break;
	if (i == sizeof(dd_corrupt_names) / sizeof(dd_corrupt_names[0]))
		goto bad;
	c->mode = i;
	seed = strtoull(colon + 1, &end, 0);
	if (end == colon + 1 || (*end && *end != ':'))
		goto bad;
	if (*end == ':') {
		pct = strtoul(end + 1, &end, 0);
		if (*end || pct < 1 || pct > 100)
			goto bad;
	}
	c->percent = pct;
	/* xorshift must not start at 0; mix the seed so 1, 2, 3 differ early. */
	c->state = (seed ^ 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
	if (!c->state)
		c->state = 1;
	return 0;
bad:
	fprintf(stderr, "daedalus-decode: --corrupt MODE:SEED[:PERCENT], MODE one of "
		"random noise truncate swap drop sps pps, PERCENT 1..100\n");
	return -EINVAL;
}

bool dd_corrupt_next_picture(struct dd_corrupt *c)
{
	c->hit = dd_corrupt_below(c, 100) < c->percent;
	if (c->hit)
		c->pictures_hit++;
	return c->hit;
}

void dd_corrupt_ctrls(struct dd_corrupt *c, struct v4l2_ctrl_h264_sps *sps,
		      struct v4l2_ctrl_h264_pps *pps)
{
	if (!c->hit)
		return;
	if (c->mode == DD_CORRUPT_SPS) {
		switch (dd_corrupt_below(c, 4)) {
		case 0:
			sps->log2_max_frame_num_minus4 = (sps->log2_max_frame_num_minus4 + 1) % 13;
			break;
		case 1:
			sps->pic_order_cnt_type = sps->pic_order_cnt_type ? 0 : 2;
			sps->log2_max_pic_order_cnt_lsb_minus4 = 0;
			break;
		case 2:
			sps->log2_max_pic_order_cnt_lsb_minus4 =
				(sps->log2_max_pic_order_cnt_lsb_minus4 + 3) % 13;
			sps->pic_order_cnt_type = 0;
			break;
		default:
			sps->flags ^= V4L2_H264_SPS_FLAG_DIRECT_8X8_INFERENCE;
			break;
		}
	} else if (c->mode == DD_CORRUPT_PPS) {
		switch (dd_corrupt_below(c, 4)) {
		case 0:
			pps->flags ^= V4L2_H264_PPS_FLAG_ENTROPY_CODING_MODE;
			break;
		case 1:
			pps->pic_init_qp_minus26 = (int8_t)(dd_corrupt_below(c, 52) - 26);
			break;
		case 2:
			pps->flags ^= V4L2_H264_PPS_FLAG_DEBLOCKING_FILTER_CONTROL_PRESENT;
			break;
		default:
			pps->flags ^= V4L2_H264_PPS_FLAG_WEIGHTED_PRED;
			pps->weighted_bipred_idc = (pps->weighted_bipred_idc + 1) % 3;
			break;
		}
	}
}

/* Offsets of the Annex-B start codes (00 00 01) in buf; their count. */
static unsigned int dd_corrupt_nals(const uint8_t *buf, size_t len, size_t *start)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i + 3 <= len && n < DD_CORRUPT_MAX_NALS; i++) {
		if (buf[i] || buf[i + 1] || buf[i + 2] != 1)
			continue;
		/* A 4-byte start code belongs to the NAL unit that follows. */
		start[n++] = (i && !buf[i - 1]) ? i - 1 : i;
		i += 2;
	}
	return n;
}

/* Exchange the adjacent ranges [a, b) and [b, e) of buf. */
static void dd_corrupt_rotate(uint8_t *buf, size_t a, size_t b, size_t e)
{
	uint8_t *tmp = malloc(b - a);

	if (!tmp)
		return;
	memcpy(tmp, buf + a, b - a);
	memmove(buf + a, buf + b, e - b);
	memcpy(buf + a + (e - b), tmp, b - a);
	free(tmp);
}

size_t dd_corrupt_bits(struct dd_corrupt *c, uint8_t *buf, size_t len)
{
	size_t start[DD_CORRUPT_MAX_NALS + 1];
	unsigned int n, k, i;
	size_t a, b, e;

	if (!c->hit || len < 2)
		return len;
	n = dd_corrupt_nals(buf, len, start);
	start[n] = len;
	switch (c->mode) {
	case DD_CORRUPT_RANDOM:
		for (a = 0; a < len; a++)
			buf[a] = (uint8_t)dd_corrupt_rand(c);
		return len;
	case DD_CORRUPT_NOISE:
		for (k = 0; k < n; k++) {
			a = start[k] + 4 + 2;		/* start code, header, first bytes */
			e = start[k + 1];
			for (i = 0; a < e && i < 1 + (e - a) / 64; i++)
				buf[a + dd_corrupt_below(c, e - a)] = (uint8_t)dd_corrupt_rand(c);
		}
		return len;
	case DD_CORRUPT_TRUNCATE:
		return 1 + dd_corrupt_below(c, len - 1);
	case DD_CORRUPT_SWAP:
		if (n < 2) {
			a = 1 + dd_corrupt_below(c, len - 1);
			dd_corrupt_rotate(buf, 0, a, len);
			return len;
		}
		k = dd_corrupt_below(c, n - 1);
		dd_corrupt_rotate(buf, start[k], start[k + 1], start[k + 2]);
		return len;
	case DD_CORRUPT_DROP:
		if (n < 2)
			return len / 2 ? len / 2 : 1;
		k = dd_corrupt_below(c, n);
		a = start[k];
		b = start[k + 1];
		memmove(buf + a, buf + b, len - b);
		return len - (b - a);
	default:
		return len;
	}
}
