// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_bitwriter.c - RBSP bit writer and Annex-B NAL wrapping.
 */
#include <string.h>

#include "dd_bitwriter.h"

void dd_bw_init(struct dd_bw *bw, uint8_t *buf, size_t cap)
{
	bw->buf = buf;
	bw->cap = cap;
	bw->bitpos = 0;
	bw->overflow = false;
	memset(buf, 0, cap);
}

static void dd_bw_bit(struct dd_bw *bw, unsigned int bit)
{
	size_t byte = bw->bitpos >> 3;

	if (byte >= bw->cap) {
		bw->overflow = true;
		return;
	}
	if (bit)
		bw->buf[byte] |= 0x80 >> (bw->bitpos & 7);
	bw->bitpos++;
}

void dd_bw_u(struct dd_bw *bw, unsigned int n, uint32_t val)
{
	while (n--)
		dd_bw_bit(bw, (val >> n) & 1);
}

/* ue(v) of a value up to 2^32 (se() of INT32_MIN maps to 2^32). */
static void dd_bw_ue64(struct dd_bw *bw, uint64_t val)
{
	uint64_t v = val + 1;
	int len = 0, i;

	while ((v >> len) > 1)
		len++;
	/* len leading zeroes, then the len+1 bits of val+1. */
	dd_bw_u(bw, len, 0);
	for (i = len; i >= 0; i--)
		dd_bw_bit(bw, (v >> i) & 1);
}

void dd_bw_ue(struct dd_bw *bw, uint32_t val)
{
	dd_bw_ue64(bw, val);
}

void dd_bw_se(struct dd_bw *bw, int32_t val)
{
	/* 1 -> 1, -1 -> 2, 2 -> 3, ... (9.1.1). */
	uint64_t k = val > 0 ? 2 * (uint64_t)val - 1 : 2 * (uint64_t)(-(int64_t)val);

	dd_bw_ue64(bw, k);
}

void dd_bw_trailing(struct dd_bw *bw)
{
	dd_bw_bit(bw, 1);
	while (bw->bitpos & 7)
		dd_bw_bit(bw, 0);
}

size_t dd_bw_bytes(const struct dd_bw *bw)
{
	return (bw->bitpos + 7) >> 3;
}

long dd_nal_wrap(uint8_t *out, size_t cap, uint8_t nal_header, const uint8_t *rbsp,
		 size_t rbsp_len)
{
	size_t pos = 0, i;
	unsigned int zeros = 0;

	if (cap < 5)
		return -1;
	out[pos++] = 0;
	out[pos++] = 0;
	out[pos++] = 0;
	out[pos++] = 1;
	out[pos++] = nal_header;
	for (i = 0; i < rbsp_len; i++) {
		/* 7.4.1: no 00 00 0x (x <= 3) inside a NAL unit. */
		if (zeros == 2 && rbsp[i] <= 3) {
			if (pos >= cap)
				return -1;
			out[pos++] = 3;
			zeros = 0;
		}
		if (pos >= cap)
			return -1;
		out[pos++] = rbsp[i];
		zeros = rbsp[i] ? 0 : zeros + 1;
	}
	return (long)pos;
}
