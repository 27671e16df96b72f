/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_vp9_probs.h - the VP9 compressed header (spec 6.3) read into
 * struct v4l2_ctrl_vp9_compressed_hdr the way the uAPI wants it
 * (coefficient-style updates as inv_map_table[deltaProb], motion vector
 * updates as (mv_prob << 1) | 1, 0 for no update), plus tx_mode and the
 * frame's reference_mode for the FRAME control.
 */
#ifndef DD_VP9_PROBS_H
#define DD_VP9_PROBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/v4l2-controls.h>

/* What the uncompressed header says that the compressed header depends on. */
struct dd_vp9_ch_in {
	bool lossless;			/* base_q_idx == 0 and no quantiser deltas */
	bool intra;			/* key frame or intra_only */
	bool switchable_interp;		/* interpolation_filter == SWITCHABLE */
	bool allow_high_precision_mv;
	uint8_t sign_bias;		/* V4L2_VP9_SIGN_BIAS_* */
};

/*
 * Parse the `size` bytes of the compressed header at `p`.  0; 1 when the
 * padding after the last symbol is not zero (a conformance check: the
 * symbols read were probably not the ones coded); -EINVAL when the marker
 * bit is set or the symbols need more bytes than there are.
 * *reference_mode is V4L2_VP9_REFERENCE_MODE_*.
 */
int dd_vp9_parse_compressed_header(const uint8_t *p, size_t size,
				   const struct dd_vp9_ch_in *in,
				   struct v4l2_ctrl_vp9_compressed_hdr *out,
				   uint8_t *reference_mode);

#endif
