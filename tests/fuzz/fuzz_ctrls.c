// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * fuzz_ctrls.c - libFuzzer target: control values.  S/TRY/G_EXT_CTRLS on a
 * codec's control set with fuzzed ids, sizes and payloads (H.264 SPS, PPS,
 * SCALING_MATRIX, PRED_WEIGHTS, SLICE_PARAMS, DECODE_PARAMS, the menus),
 * every payload in a block of exactly the size the CUSE server fetches; the
 * H.264 validators called directly on fuzzed structs; and what requests do
 * with the sets (apply, required-control checks, the codec's rules between
 * the controls of a request against a fuzzed OUTPUT size, clearing).  Invariants
 * checked: a validator that accepts a payload accepts it again unchanged
 * (normalising is idempotent), and a value S_EXT_CTRLS accepted reads
 * back through G_EXT_CTRLS byte for byte.
 */
#include "fuzz_fe.h"
#include "dd_h264.h"

#define FZ_MAX_OPS	64

struct fz_validator {
	int (*fn)(void *payload);
	size_t size;
};

static const struct fz_validator fz_validators[] = {
	{ dd_h264_validate_sps, sizeof(struct v4l2_ctrl_h264_sps) },
	{ dd_h264_validate_pps, sizeof(struct v4l2_ctrl_h264_pps) },
	{ dd_h264_validate_pred_weights, sizeof(struct v4l2_ctrl_h264_pred_weights) },
	{ dd_h264_validate_slice_params, sizeof(struct v4l2_ctrl_h264_slice_params) },
	{ dd_h264_validate_decode_params, sizeof(struct v4l2_ctrl_h264_decode_params) },
};

static const struct dd_codec *fz_codec(void)
{
	return dd_codecs[0];
}

static void fz_ext(struct dd_ctrls *set, struct fz_in *in, u8 op)
{
	static const unsigned int cmds[] = { 0, 1, 2 };	/* S, TRY, G */
	const struct dd_codec *codec = fz_codec();
	struct v4l2_ext_control c[4];
	struct v4l2_ext_controls cs;
	void *payload[4] = { 0 };
	size_t len[4] = { 0 };
	unsigned int cmd = cmds[(op >> 2) % 3], i;
	u32 count = 1 + (fz_u8(in) & 3);
	int ret;

	memset(&cs, 0, sizeof(cs));
	memset(c, 0, sizeof(c));
	cs.which = (op & 0x40) ? fz_u32(in) : V4L2_CTRL_WHICH_CUR_VAL;
	cs.count = count;
	cs.controls = c;
	for (i = 0; i < count; i++) {
		u8 idx = fz_u8(in), sz = fz_u8(in);
		const struct dd_ctrl_desc *d;

		c[i].id = idx < 240 ? codec->ctrls[idx % codec->num_ctrls].id : fz_u32(in);
		d = dd_codec_find_ctrl(codec, c[i].id);
		if (sz < 224)
			c[i].size = d ? d->elem_size * dd_ctrl_elems(d) : 0;
		else
			c[i].size = sz < 240 ? (u32)fz_u16(in) : fz_u32(in);
		len[i] = dd_ctrl_payload_len(&c[i]);
		if (len[i]) {
			payload[i] = malloc(len[i]);
			fz_bytes(in, payload[i], len[i]);
		} else {
			payload[i] = fz_poison_alloc();
			c[i].value64 = (s64)fz_u32(in);
		}
		c[i].ptr = payload[i];
	}
	if (cmd == 0)
		ret = dd_ctrls_set(set, &cs);
	else if (cmd == 1)
		ret = dd_ctrls_try(set, &cs);
	else
		ret = dd_ctrls_get(set, &cs);

	/* What SET stored (after normalising) reads back identically. */
	if (cmd == 0 && !ret) {
		for (i = 0; i < count; i++) {
			struct dd_ctrl_val *v = dd_ctrls_find(set, c[i].id);
			bool last = true;
			unsigned int j;

			for (j = i + 1; j < count; j++)
				if (c[j].id == c[i].id)
					last = false;
			if (!v || !last)
				continue;
			if (len[i] && (len[i] != v->size || memcmp(v->p, payload[i], len[i])))
				abort();
		}
	}
	for (i = 0; i < count; i++)
		free(payload[i]);
}

static void fz_validate(struct fz_in *in, u8 op)
{
	const struct fz_validator *v = &fz_validators[(op >> 2) % ARRAY_SIZE(fz_validators)];
	u8 *p = malloc(v->size), *q;

	fz_bytes(in, p, v->size);
	if (!v->fn(p)) {
		q = malloc(v->size);
		memcpy(q, p, v->size);
		if (v->fn(q) || memcmp(p, q, v->size))
			abort();	/* normalising must be idempotent */
		free(q);
	}
	free(p);
}

static void fz_misc(struct dd_ctrls *a, struct dd_ctrls *b, struct fz_in *in, u8 op)
{
	const struct dd_codec *codec = fz_codec();
	u8 idx = fz_u8(in);
	u32 id = idx < 240 ? codec->ctrls[idx % codec->num_ctrls].id : fz_u32(in);
	union {
		struct v4l2_queryctrl qc;
		struct v4l2_query_ext_ctrl qe;
		struct v4l2_querymenu qm;
		struct v4l2_control c;
	} u;
	u64 carried, seen;

	memset(&u, 0, sizeof(u));
	switch ((op >> 2) % 8) {
	case 0:
		u.qc.id = id | (idx & 1 ? V4L2_CTRL_FLAG_NEXT_CTRL : 0) |
			  (idx & 2 ? V4L2_CTRL_FLAG_NEXT_COMPOUND : 0);
		dd_ctrls_queryctrl(a, &u.qc);
		break;
	case 1:
		u.qe.id = id | (idx & 1 ? V4L2_CTRL_FLAG_NEXT_CTRL : 0) |
			  (idx & 2 ? V4L2_CTRL_FLAG_NEXT_COMPOUND : 0);
		dd_ctrls_query_ext(a, &u.qe);
		break;
	case 2:
		u.qm.id = id;
		u.qm.index = fz_u32(in);
		dd_ctrls_querymenu(a, &u.qm);
		break;
	case 3:
		u.c.id = id;
		u.c.value = (s32)fz_u32(in);
		if (idx & 1)
			dd_ctrls_s_ctrl(a, &u.c);
		else
			dd_ctrls_g_ctrl(a, &u.c);
		break;
	case 4:
		dd_ctrls_apply(b, a);
		break;
	case 5:
		dd_ctrls_check_required(a, NULL);
		dd_ctrls_check_required(b, NULL);
		dd_ctrls_check_request(idx & 1 ? a : b, fz_u32(in), fz_u32(in));
		break;
	case 6:
		dd_ctrls_clear_set(idx & 1 ? a : b);
		break;
	case 7:
		carried = (u64)fz_u32(in) << 32 | fz_u32(in);
		seen = (u64)fz_u32(in) << 32 | fz_u32(in);
		dd_codec_check_required(codec, carried, &seen);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct dd_ctrls a, b;
	unsigned int ops = 0;

	dd_log_sink = fz_quiet;
	if (dd_ctrls_init(&a, fz_codec()) || dd_ctrls_init(&b, fz_codec()))
		abort();
	while (!fz_empty(&in) && ops++ < FZ_MAX_OPS) {
		u8 op = fz_u8(&in);

		switch (op & 3) {
		case 0:
		case 1:
			fz_ext(op & 0x80 ? &b : &a, &in, op);
			break;
		case 2:
			fz_validate(&in, op);
			break;
		case 3:
			fz_misc(&a, &b, &in, op);
			break;
		}
	}
	dd_ctrls_free(&a);
	dd_ctrls_free(&b);
	return 0;
}
