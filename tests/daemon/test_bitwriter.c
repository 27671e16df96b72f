// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_bitwriter.c - the daemon's RBSP bit writer and NAL wrapping.
 */
#include <criterion/criterion.h>

#include "dd_bitwriter.h"

static uint8_t tbw_buf[64];

static struct dd_bw tbw_start(void)
{
	struct dd_bw bw;

	dd_bw_init(&bw, tbw_buf, sizeof(tbw_buf));
	return bw;
}

Test(bitwriter, fixed_width_msb_first)
{
	struct dd_bw bw = tbw_start();

	dd_bw_u(&bw, 3, 5);		/* 101 */
	dd_bw_u(&bw, 5, 0x13);		/* 10011 */
	dd_bw_u(&bw, 8, 0xa5);
	dd_bw_u(&bw, 32, 0xdeadbeef);
	cr_assert_eq(bw.bitpos, 48);
	cr_assert_eq(tbw_buf[0], 0xb3);
	cr_assert_eq(tbw_buf[1], 0xa5);
	cr_assert_eq(tbw_buf[2], 0xde);
	cr_assert_eq(tbw_buf[5], 0xef);
	cr_assert_not(bw.overflow);
}

Test(bitwriter, exp_golomb_codes)
{
	/* 9.1 table 9-2: 0 -> 1, 1 -> 010, 2 -> 011, 3 -> 00100, 7 -> 0001000. */
	struct dd_bw bw = tbw_start();

	dd_bw_ue(&bw, 0);
	dd_bw_ue(&bw, 1);
	dd_bw_ue(&bw, 2);
	dd_bw_ue(&bw, 3);
	dd_bw_ue(&bw, 7);
	/* 1 010 011 00100 0001000 = 1010 0110 0100 0001 000. */
	cr_assert_eq(bw.bitpos, 1 + 3 + 3 + 5 + 7);
	cr_assert_eq(tbw_buf[0], 0xa6);
	cr_assert_eq(tbw_buf[1], 0x41);
	cr_assert_eq(tbw_buf[2], 0x00);
}

Test(bitwriter, signed_exp_golomb_mapping)
{
	/* 9.1.1: 0 -> 0, 1 -> 1, -1 -> 2, 2 -> 3, -2 -> 4. */
	struct dd_bw a = tbw_start();
	uint8_t ref[64];
	struct dd_bw b;

	dd_bw_se(&a, 0);
	dd_bw_se(&a, 1);
	dd_bw_se(&a, -1);
	dd_bw_se(&a, 2);
	dd_bw_se(&a, -2);
	dd_bw_init(&b, ref, sizeof(ref));
	dd_bw_ue(&b, 0);
	dd_bw_ue(&b, 1);
	dd_bw_ue(&b, 2);
	dd_bw_ue(&b, 3);
	dd_bw_ue(&b, 4);
	cr_assert_eq(a.bitpos, b.bitpos);
	cr_assert_arr_eq(tbw_buf, ref, dd_bw_bytes(&a));
}

Test(bitwriter, extreme_values)
{
	struct dd_bw bw = tbw_start();

	dd_bw_ue(&bw, 0xffffffffu);	/* 32 zeroes, then 33 bits of 2^32 */
	cr_assert_eq(bw.bitpos, 65);
	cr_assert_eq(tbw_buf[0], 0);
	cr_assert_eq(tbw_buf[3], 0);
	cr_assert_eq(tbw_buf[4], 0x80);
	cr_assert_eq(tbw_buf[5], 0);
	bw = tbw_start();
	dd_bw_se(&bw, INT32_MIN);	/* k = 2^32: must not overflow */
	cr_assert_eq(bw.bitpos, 65);
	bw = tbw_start();
	dd_bw_se(&bw, INT32_MAX);	/* k = 2^32 - 1 */
	cr_assert_eq(bw.bitpos, 63);
}

Test(bitwriter, trailing_bits_align)
{
	struct dd_bw bw = tbw_start();

	dd_bw_u(&bw, 3, 0);
	dd_bw_trailing(&bw);
	cr_assert_eq(bw.bitpos, 8);
	cr_assert_eq(tbw_buf[0], 0x10);
	/* Already aligned: a whole 0x80 byte. */
	dd_bw_trailing(&bw);
	cr_assert_eq(bw.bitpos, 16);
	cr_assert_eq(tbw_buf[1], 0x80);
	cr_assert_eq(dd_bw_bytes(&bw), 2);
}

Test(bitwriter, overflow_is_flagged_not_written)
{
	uint8_t small[3] = { 0 }, guard = 0x5a;
	struct dd_bw bw;

	dd_bw_init(&bw, small, 2);
	dd_bw_u(&bw, 16, 0xffff);
	cr_assert_not(bw.overflow);
	dd_bw_u(&bw, 1, 1);
	cr_assert(bw.overflow);
	cr_assert_eq(small[2], 0);
	cr_assert_eq(guard, 0x5a);
}

Test(bitwriter, nal_wrap_start_code_and_header)
{
	const uint8_t rbsp[] = { 0x42, 0x00, 0x1e };
	uint8_t out[16];
	long n = dd_nal_wrap(out, sizeof(out), 0x67, rbsp, sizeof(rbsp));

	cr_assert_eq(n, 8);
	cr_assert_eq(out[0], 0);
	cr_assert_eq(out[1], 0);
	cr_assert_eq(out[2], 0);
	cr_assert_eq(out[3], 1);
	cr_assert_eq(out[4], 0x67);
	cr_assert_arr_eq(out + 5, rbsp, 3);
}

Test(bitwriter, nal_wrap_emulation_prevention)
{
	const uint8_t rbsp[] = {
		0x00, 0x00, 0x00,	/* -> 00 00 03 00 */
		0x00, 0x01,		/* zeros continue: 00 | 00 01 -> 00 00 03 01 */
		0x00, 0x00, 0x04,	/* 04 needs no escape */
		0x00, 0x00, 0x03,	/* an existing 03 is escaped too */
		0x00, 0x00, 0x02, 0x80,
	};
	const uint8_t expect[] = {
		0x00, 0x00, 0x03, 0x00,
		0x00, 0x03, 0x01,
		0x00, 0x00, 0x04,
		0x00, 0x00, 0x03, 0x03,
		0x00, 0x00, 0x03, 0x02, 0x80,
	};
	uint8_t out[64];
	long n = dd_nal_wrap(out, sizeof(out), 0x68, rbsp, sizeof(rbsp));

	cr_assert_eq(n, 5 + (long)sizeof(expect));
	cr_assert_arr_eq(out + 5, expect, sizeof(expect));
}

Test(bitwriter, nal_wrap_too_small)
{
	const uint8_t rbsp[] = { 0, 0, 0, 0 };
	uint8_t out[16];

	cr_assert_eq(dd_nal_wrap(out, 4, 0x67, rbsp, 0), -1);
	cr_assert_eq(dd_nal_wrap(out, 5, 0x67, rbsp, 0), 5);
	/* 4 zero bytes need an escape: 5 + 5 bytes. */
	cr_assert_eq(dd_nal_wrap(out, 9, 0x67, rbsp, 4), -1);
	cr_assert_eq(dd_nal_wrap(out, 10, 0x67, rbsp, 4), 10);
}
