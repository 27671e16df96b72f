/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_corrupt.h - daedalus-decode --corrupt=MODE:SEED[:PERCENT]: damage the
 * data a valid stream sends to the decoder, reproducibly, to test how a
 * device survives hostile input.  The client still parses the file
 * correctly (its DPB model and the CAPTURE bookkeeping stay sane); only
 * what goes into the OUTPUT buffer or the SPS/PPS controls of a chosen
 * picture is changed.  PERCENT (default 25) of the pictures are hit,
 * picked by a xorshift generator seeded with SEED.  Modes:
 *   random    the whole OUTPUT buffer replaced by random bytes
 *   noise     random bytes of each slice's data overwritten (start code,
 *             NAL header and the first bytes of the slice header kept)
 *   truncate  the buffer cut at a random length (at least one byte)
 *   swap      two slice NAL units exchanged (a random cut for one slice)
 *   drop      one slice NAL unit removed (the second half of a single one)
 *   sps       SPS fields the slice data depends on changed within their
 *             valid ranges (frame_num and POC lsb widths, POC type,
 *             direct_8x8_inference), so the controls disagree with the
 *             slices but pass validation
 *   pps       PPS fields changed likewise (entropy coding mode,
 *             pic_init_qp, deblocking control, weighted prediction)
 */
#ifndef DD_CORRUPT_H
#define DD_CORRUPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/v4l2-controls.h>

enum dd_corrupt_mode {
	DD_CORRUPT_RANDOM,
	DD_CORRUPT_NOISE,
	DD_CORRUPT_TRUNCATE,
	DD_CORRUPT_SWAP,
	DD_CORRUPT_DROP,
	DD_CORRUPT_SPS,
	DD_CORRUPT_PPS,
};

struct dd_corrupt {
	enum dd_corrupt_mode mode;
	uint64_t state;			/* xorshift64 */
	unsigned int percent;
	bool hit;			/* the current picture is damaged */
	unsigned int pictures_hit;
};

/* Parse "MODE:SEED[:PERCENT]"; 0 or -EINVAL (message on stderr). */
int dd_corrupt_parse(struct dd_corrupt *c, const char *arg);
/* Decide whether the next picture is damaged; true if so. */
bool dd_corrupt_next_picture(struct dd_corrupt *c);
/* sps/pps modes: change the controls of a damaged picture in place. */
void dd_corrupt_ctrls(struct dd_corrupt *c, struct v4l2_ctrl_h264_sps *sps,
		      struct v4l2_ctrl_h264_pps *pps);
/*
 * Bitstream modes: damage the Annex-B buffer buf[0..len) of a damaged
 * picture in place; returns the new length (1..len).
 */
size_t dd_corrupt_bits(struct dd_corrupt *c, uint8_t *buf, size_t len);

#endif /* DD_CORRUPT_H */
