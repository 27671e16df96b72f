/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_test_bitreader.h - an independent RBSP reader for the daemon tests:
 * strips emulation prevention bytes and reads u(n)/ue/se, so the writer's
 * output is checked by decoding it rather than by comparing to itself.
 */
#ifndef DD_TEST_BITREADER_H
#define DD_TEST_BITREADER_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

struct tbr {
	uint8_t buf[8192];
	size_t len;
	size_t pos;		/* bits */
	int overrun;
};

/* Load a NAL unit after its 4-byte start code and 1-byte header. */
static inline void tbr_init_nal(struct tbr *br, const uint8_t *nal, size_t len)
{
	size_t i, zeros = 0;

	memset(br, 0, sizeof(*br));
	for (i = 5; i < len; i++) {
		if (zeros == 2 && nal[i] == 3) {
			zeros = 0;
			continue;
		}
		br->buf[br->len++] = nal[i];
		zeros = nal[i] ? 0 : zeros + 1;
	}
}

static inline uint32_t tbr_u(struct tbr *br, unsigned int n)
{
	uint32_t v = 0;

	while (n--) {
		if (br->pos >= br->len * 8) {
			br->overrun = 1;
			return 0;
		}
		v = (v << 1) | ((br->buf[br->pos >> 3] >> (7 - (br->pos & 7))) & 1);
		br->pos++;
	}
	return v;
}

static inline uint32_t tbr_ue(struct tbr *br)
{
	unsigned int zeros = 0;

	while (!tbr_u(br, 1) && !br->overrun && zeros < 32)
		zeros++;
	return (uint32_t)(((uint64_t)1 << zeros) - 1 + tbr_u(br, zeros));
}

static inline int32_t tbr_se(struct tbr *br)
{
	uint32_t k = tbr_ue(br);

	return k & 1 ? (int32_t)((k + 1) / 2) : -(int32_t)(k / 2);
}

/* rbsp_trailing_bits and nothing after them. */
static inline int tbr_at_trailing(struct tbr *br)
{
	size_t end = br->len * 8;

	if (tbr_u(br, 1) != 1)
		return 0;
	while (br->pos < end)
		if (tbr_u(br, 1))
			return 0;
	return !br->overrun;
}

#endif /* DD_TEST_BITREADER_H */
