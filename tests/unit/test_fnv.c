// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_fnv.c - dd_fnv1a64 (eight bytes per load) equals the textbook
 * byte-at-a-time FNV-1a 64 for every length, alignment and chaining split.
 */
#include <criterion/criterion.h>

#include "dd_os.h"
#include "dd_proto.h"

static u64 tfnv_ref(u64 h, const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

Test(fnv, word_loop_equals_bytewise_reference)
{
	static u8 buf[300];
	size_t off, len, split;
	u32 x = 12345;

	for (off = 0; off < sizeof(buf); off++) {
		x = x * 1103515245u + 12345u;
		buf[off] = (u8)(x >> 16);
	}
	for (off = 0; off < 9; off++)
		for (len = 0; len + off <= 140; len++)
			cr_assert_eq(dd_fnv1a64(DD_FNV1A64_INIT, buf + off, len),
				     tfnv_ref(DD_FNV1A64_INIT, buf + off, len),
				     "offset %zu length %zu", off, len);
	/* Rows hashed one after another chain like one buffer. */
	for (split = 0; split <= 200; split += 7)
		cr_assert_eq(dd_fnv1a64(dd_fnv1a64(DD_FNV1A64_INIT, buf, split), buf + split,
					200 - split),
			     tfnv_ref(DD_FNV1A64_INIT, buf, 200));
}

Test(fnv, high_bytes_matter)
{
	u8 a[16] = { 0 }, b[16] = { 0 };

	b[7] = 0x80;	/* last byte of the first word */
	cr_assert_neq(dd_fnv1a64(DD_FNV1A64_INIT, a, 16), dd_fnv1a64(DD_FNV1A64_INIT, b, 16));
	cr_assert_eq(dd_fnv1a64(DD_FNV1A64_INIT, b, 16), tfnv_ref(DD_FNV1A64_INIT, b, 16));
}
