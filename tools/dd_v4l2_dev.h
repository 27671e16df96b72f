/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_v4l2_dev.h - the stateless decoder device as daedalus-decode sees it:
 * finding the video and media nodes, opening the video node through
 * libv4l2, formats, OUTPUT/CAPTURE buffers (mmap, userptr or dmabuf),
 * per-request controls and the media request life cycle.
 */
#ifndef DD_V4L2_DEV_H
#define DD_V4L2_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/videodev2.h>

#define DD_MAX_OUT_BUFS		16
#define DD_MAX_CAP_BUFS		32

enum dd_mem {
	DD_MEM_AUTO = 0,
	DD_MEM_MMAP,
	DD_MEM_USERPTR,
	DD_MEM_DMABUF,
};

struct dd_buf {
	unsigned int n_planes;
	void *start[VIDEO_MAX_PLANES];
	size_t length[VIDEO_MAX_PLANES];
	int dmabuf_fd[VIDEO_MAX_PLANES];
};

struct dd_v4l2 {
	int video_fd;
	int media_fd;
	char video_path[256];
	char media_path[256];
	char driver[32];
	bool mplane;
	uint32_t out_type;
	uint32_t cap_type;
	enum dd_mem mem;
	uint32_t out_fourcc;		/* coded format of the OUTPUT queue */
	uint32_t out_caps;		/* V4L2_BUF_CAP_* of the OUTPUT queue */
	bool hold_capture;		/* V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF */
	struct dd_buf out[DD_MAX_OUT_BUFS];
	unsigned int n_out;
	size_t out_size;
	struct dd_buf cap[DD_MAX_CAP_BUFS];
	unsigned int n_cap;
	/* CAPTURE: the stream's bit depth (8 or 10) picks NV12/NV12M or P010 */
	unsigned int depth;
	/* CAPTURE layout (NV12, NV12M or P010) */
	uint32_t cap_fourcc;
	unsigned int cap_width;
	unsigned int cap_height;
	unsigned int cap_stride;	/* bytes */
	unsigned int cap_planes;
	unsigned int cap_sample_bytes;	/* 1 (NV12), 2 (P010) */
	bool streaming;
	int verbose;
};

/* A CAPTURE or OUTPUT buffer handed back by the driver. */
struct dd_dqbuf {
	unsigned int index;
	uint64_t ts_ns;
	uint32_t flags;
	uint32_t bytesused;
};

int dd_v4l2_open(struct dd_v4l2 *d, const char *video, const char *media, enum dd_mem mem,
		 int verbose);
/* The same for a decoder of another coded format (V4L2_PIX_FMT_VP8_FRAME, ...). */
int dd_v4l2_open_codec(struct dd_v4l2 *d, uint32_t out_fourcc, const char *video,
		       const char *media, enum dd_mem mem, int verbose);
void dd_v4l2_close(struct dd_v4l2 *d);
const char *dd_mem_name(enum dd_mem mem);

/*
 * OUTPUT format (coded size); dd_v4l2_setup_buffers() then picks the CAPTURE
 * format for d->depth (8: NV12, 10: P010, as the driver's G_FMT answers once
 * the stream's SPS / FRAME control is set) and allocates both queues.
 */
int dd_v4l2_set_output_format(struct dd_v4l2 *d, unsigned int w, unsigned int h);
/* Range of a menu/integer control: 0, or -errno when the driver lacks it. */
int dd_v4l2_ctrl_range(struct dd_v4l2 *d, uint32_t id, int64_t *min, int64_t *max);
int dd_v4l2_set_ctrls(struct dd_v4l2 *d, int request_fd, struct v4l2_ext_control *c,
		      unsigned int n);
int dd_v4l2_setup_buffers(struct dd_v4l2 *d, unsigned int n_out, unsigned int n_cap);
int dd_v4l2_stream(struct dd_v4l2 *d, bool on);
void dd_v4l2_free_buffers(struct dd_v4l2 *d);

int dd_v4l2_queue_capture(struct dd_v4l2 *d, unsigned int index);

struct dd_out;
struct dd_out_info;
/*
 * Write the visible w x h picture at (x, y) of CAPTURE buffer `index` to
 * `out` (framemd5 / raw; p010le for a P010 CAPTURE format, else nv12);
 * -ERANGE (logged) if it does not fit the CAPTURE format.
 */
int dd_v4l2_out_capture(const struct dd_v4l2 *d, unsigned int index, struct dd_out *out,
			const struct dd_out_info *info, unsigned int x, unsigned int y);
int dd_v4l2_queue_output(struct dd_v4l2 *d, unsigned int index, size_t bytes, uint64_t ts_ns,
			 int request_fd, bool hold);
/* 0 and *b filled, -EAGAIN when none is ready, other -errno on failure. */
int dd_v4l2_dequeue(struct dd_v4l2 *d, bool capture, struct dd_dqbuf *b);
/* Wait (ms) until the CAPTURE queue has a buffer ready: 1 ready, 0 timeout. */
int dd_v4l2_wait_capture(struct dd_v4l2 *d, int timeout_ms);
int dd_v4l2_flush_held(struct dd_v4l2 *d);

int dd_request_alloc(struct dd_v4l2 *d);
int dd_request_queue(int request_fd);
/* 1 completed, 0 timeout, -errno on failure. */
int dd_request_wait(int request_fd, int timeout_ms);
int dd_request_reinit(int request_fd);

#endif
