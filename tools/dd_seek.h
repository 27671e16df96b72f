/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_seek.h - the seek plan of daedalus-decode --seek-random=SEED: where a
 * decode stops (a coded picture index) and the later IDR it restarts at,
 * drawn from a seeded generator over the stream's IDR positions, and how
 * the device is flushed for each seek.  The device side lives in
 * dd_decode_main.c; this file only decides.
 */
#ifndef DD_SEEK_H
#define DD_SEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DD_SEEK_MAX		4	/* seeks per run at most */

enum dd_seek_style {
	/* STREAMOFF + STREAMON of both queues, as GStreamer flushes */
	DD_SEEK_STREAMOFF,
	/* let the submitted requests complete, drop their pictures, go on
	 * streaming (the stateless decoder spec's "Seeking") */
	DD_SEEK_DRAIN,
};

struct dd_seek {
	bool on;
	uint64_t rng;
	unsigned int n_pics;		/* coded pictures in the stream */
	unsigned int *idr;		/* coded picture index of every IDR */
	unsigned int n_idr;
	unsigned int at;		/* stop before this picture (UINT32_MAX: none) */
	unsigned int to;		/* the IDR picture decoding restarts at */
	enum dd_seek_style style;
	unsigned int seeks;		/* seeks done */
};

/*
 * Scan the stream (coded pictures, IDRs) and draw the first seek.  The
 * stream must be frame-coded (no field pictures): a restart at IDR picture
 * N then outputs display frame N first, which keeps framemd5 numbering
 * equal to a full decode's.  Returns 0 or -errno (with a message).
 */
int dd_seek_init(struct dd_seek *sk, uint64_t seed, const uint8_t *data, size_t size);
/* Decoding restarted at picture 'from': draw the next seek, if any. */
void dd_seek_next(struct dd_seek *sk, unsigned int from);
void dd_seek_fini(struct dd_seek *sk);
const char *dd_seek_style_name(enum dd_seek_style style);

#endif
