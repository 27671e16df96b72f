/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_h264_au.h - splits an Annex-B H.264 byte stream into coded pictures
 * (frames or single fields) with GStreamer's codecparsers library: tracks
 * SPS/PPS, finds picture boundaries (7.4.1.2.4) and gathers the slice NAL
 * units of one picture, each behind a 3-byte start code, as the frame-based
 * Annex-B decode mode wants them in one OUTPUT buffer.
 */
#ifndef DD_H264_AU_H
#define DD_H264_AU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gst/codecparsers/gsth264parser.h>

/* One slice of a picture: its bytes in bits[] and its parsed header. */
struct dd_h264_slice {
	size_t offset;			/* of its start code in bits[] */
	size_t size;			/* start code included */
	GstH264NalUnit nalu;
	GstH264SliceHdr hdr;
};

struct dd_h264_picture {
	GstH264NalUnit nalu;		/* first slice's NAL unit */
	GstH264SliceHdr hdr;		/* first slice's header (hdr.pps valid until next call) */
	uint8_t *bits;			/* Annex-B slices of this picture */
	size_t len;
	size_t cap;
	unsigned int n_slices;
	unsigned int slice_types;	/* BIT(slice_type % 5) of every slice */
	struct dd_h264_slice *slices;	/* n_slices of them */
	unsigned int slices_cap;
};

struct dd_h264_stream {
	GstH264NalParser *parser;
	const uint8_t *data;
	size_t size;
	size_t pos;
	bool have_pending;		/* a parsed slice that starts the next picture */
	GstH264NalUnit pending_nalu;
	GstH264SliceHdr pending_hdr;
	unsigned int n_skipped;		/* slices dropped (no PPS, redundant, broken) */
	bool verbose;
};

int dd_h264_stream_init(struct dd_h264_stream *s, const uint8_t *data, size_t size);
void dd_h264_stream_fini(struct dd_h264_stream *s);
/* 1: a picture is in *pic; 0: end of stream; <0: -errno. */
int dd_h264_next_picture(struct dd_h264_stream *s, struct dd_h264_picture *pic);
void dd_h264_picture_free(struct dd_h264_picture *pic);

#endif
