/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_bitwriter.h - an RBSP bit writer (fixed-width and exp-Golomb codes,
 * trailing bits) and the NAL unit wrapper that adds the Annex-B start code
 * and emulation prevention bytes.
 */
#ifndef DD_BITWRITER_H
#define DD_BITWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_bw {
	uint8_t *buf;
	size_t cap;		/* bytes */
	size_t bitpos;		/* bits written */
	bool overflow;		/* a write did not fit; contents are invalid */
};

void dd_bw_init(struct dd_bw *bw, uint8_t *buf, size_t cap);
/* Write the low `n` bits of `val`, MSB first (n <= 32). */
void dd_bw_u(struct dd_bw *bw, unsigned int n, uint32_t val);
void dd_bw_ue(struct dd_bw *bw, uint32_t val);
void dd_bw_se(struct dd_bw *bw, int32_t val);
/* rbsp_trailing_bits(): a 1 and zeroes up to the byte boundary. */
void dd_bw_trailing(struct dd_bw *bw);
/* Bytes used so far (rounded up). */
size_t dd_bw_bytes(const struct dd_bw *bw);

/*
 * Emit `00 00 00 01`, the one-byte NAL header and the RBSP with emulation
 * prevention into out (cap bytes).  Returns the bytes written or -1 if
 * they do not fit.
 */
long dd_nal_wrap(uint8_t *out, size_t cap, uint8_t nal_header, const uint8_t *rbsp,
		 size_t rbsp_len);

#endif /* DD_BITWRITER_H */
