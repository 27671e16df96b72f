/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_ivf.h - the IVF container (VP8, VP9, AV1 elementary streams as libvpx
 * and ffmpeg write them): a 32-byte file header (DKIF, fourcc, size, frame
 * rate) then frames, each a 12-byte header (le32 size, le64 pts) and data.
 */
#ifndef DD_IVF_H
#define DD_IVF_H

#include <stddef.h>
#include <stdint.h>

struct dd_ivf {
	const uint8_t *data;
	size_t size;
	size_t pos;		/* next frame header */
	char fourcc[5];		/* "VP80", "VP90", NUL-terminated */
	unsigned int width, height;	/* from the file header (first frame's size) */
	uint32_t rate, scale;
	uint32_t frames;	/* frame count the header claims (may be 0 or wrong) */
	unsigned int frames_read;
};

struct dd_ivf_frame {
	const uint8_t *data;
	size_t size;
	uint64_t pts;
	unsigned int index;	/* 0-based position in the file */
};

/* 0, or -EINVAL (message on stderr naming `path`) when not an IVF file. */
int dd_ivf_open(struct dd_ivf *f, const char *path, const uint8_t *data, size_t size);
/* dd_ivf_open() of a file that must carry `fourcc` ("VP80", ...). */
int dd_ivf_open_fourcc(struct dd_ivf *f, const char *path, const uint8_t *data, size_t size,
		       const char *fourcc);
/* The time base of the frames' pts: the header's scale/rate, else 1/30. */
void dd_ivf_time_base(const struct dd_ivf *f, unsigned int *num, unsigned int *den);
/*
 * The next frame: 1 with *fr filled, 0 at the end of the file, -EINVAL for
 * a frame running past the end (message on stderr).
 */
int dd_ivf_next(struct dd_ivf *f, struct dd_ivf_frame *fr);

#endif
