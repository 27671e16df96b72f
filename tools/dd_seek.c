// SPDX-License-Identifier: GPL-2.0
/*
 * dd_seek.c - seek plan of daedalus-decode --seek-random=SEED: scans the
 * stream for IDR pictures and draws, from a seeded generator, where to stop
 * and which later IDR to restart at (see dd_seek.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd_h264_au.h"
#include "dd_seek.h"

/* splitmix64: a small, well-mixed generator; the same seed, the same plan */
static uint64_t next_rand(struct dd_seek *sk)
{
	uint64_t z = (sk->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rand_below(struct dd_seek *sk, unsigned int n)
{
	return n ? (unsigned int)(next_rand(sk) % n) : 0;
}

const char *dd_seek_style_name(enum dd_seek_style style)
{
	return style == DD_SEEK_STREAMOFF ? "streamoff" : "drain";
}

void dd_seek_next(struct dd_seek *sk, unsigned int from)
{
	unsigned int last_idr, n_later = 0, first_later = 0, pick;

	sk->at = UINT32_MAX;
	if (!sk->n_idr || sk->seeks >= DD_SEEK_MAX)
		return;
	/* after the first seek, one run in four goes on to the end */
	if (sk->seeks && !rand_below(sk, 4))
		return;
	last_idr = sk->idr[sk->n_idr - 1];
	/* stop before a picture in (from, last_idr): a later IDR exists */
	if (from + 1 >= last_idr)
		return;
	sk->at = from + 1 + rand_below(sk, last_idr - from - 1);
	for (unsigned int i = 0; i < sk->n_idr; i++) {
		if (sk->idr[i] > sk->at) {
			if (!n_later)
				first_later = i;
			n_later++;
		}
	}
	/* the next IDR twice as often as any other: short skips are common */
	pick = rand_below(sk, n_later + 1);
	sk->to = sk->idr[first_later + (pick ? pick - 1 : 0)];
	sk->style = rand_below(sk, 2) ? DD_SEEK_DRAIN : DD_SEEK_STREAMOFF;
}

int dd_seek_init(struct dd_seek *sk, uint64_t seed, const uint8_t *data, size_t size)
{
	struct dd_h264_stream s;
	struct dd_h264_picture pic = { 0 };
	unsigned int *idr;
	int ret;

	memset(sk, 0, sizeof(*sk));
	sk->rng = seed;
	sk->at = UINT32_MAX;
	ret = dd_h264_stream_init(&s, data, size);
	if (ret)
		return ret;
	while ((ret = dd_h264_next_picture(&s, &pic)) > 0) {
		if (pic.hdr.field_pic_flag) {
			fprintf(stderr, "daedalus-decode: --seek-random needs a frame-coded stream; "
				"picture %u is a field\n", sk->n_pics);
			ret = -ENOTSUP;
			break;
		}
		if (pic.nalu.idr_pic_flag && sk->n_pics) {
			idr = realloc(sk->idr, (sk->n_idr + 1) * sizeof(*idr));
			if (!idr) {
				ret = -ENOMEM;
				break;
			}
			sk->idr = idr;
			sk->idr[sk->n_idr++] = sk->n_pics;
		}
		sk->n_pics++;
	}
	dd_h264_picture_free(&pic);
	dd_h264_stream_fini(&s);
	if (ret < 0) {
		dd_seek_fini(sk);
		return ret;
	}
	sk->on = true;
	dd_seek_next(sk, 0);
	return 0;
}

void dd_seek_fini(struct dd_seek *sk)
{
	free(sk->idr);
	sk->idr = NULL;
	sk->n_idr = 0;
	sk->on = false;
}
