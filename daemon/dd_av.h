/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_av.h - the one table of libavcodec/libavutil entry points.
 *
 * daedalusd is compiled against the FFmpeg headers (for struct layouts and
 * constants) but never linked to the libraries: dd_av_load() dlopen()s the
 * sonames matching the build headers and resolves every function used
 * anywhere in the daemon into `dd_av`.  Nothing else calls FFmpeg directly.
 */
#ifndef DD_AV_H
#define DD_AV_H

#include <libavcodec/avcodec.h>
#include <libavutil/buffer.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/error.h>

struct dd_av {
	__typeof__(avcodec_find_decoder) *avcodec_find_decoder;
	__typeof__(avcodec_alloc_context3) *avcodec_alloc_context3;
	__typeof__(avcodec_free_context) *avcodec_free_context;
	__typeof__(avcodec_open2) *avcodec_open2;
	__typeof__(avcodec_send_packet) *avcodec_send_packet;
	__typeof__(avcodec_receive_frame) *avcodec_receive_frame;
	__typeof__(avcodec_flush_buffers) *avcodec_flush_buffers;
	__typeof__(avcodec_align_dimensions2) *avcodec_align_dimensions2;
	__typeof__(av_packet_alloc) *av_packet_alloc;
	__typeof__(av_packet_free) *av_packet_free;
	__typeof__(av_packet_unref) *av_packet_unref;
	__typeof__(avcodec_version) *avcodec_version;

	__typeof__(av_frame_alloc) *av_frame_alloc;
	__typeof__(av_frame_free) *av_frame_free;
	__typeof__(av_frame_unref) *av_frame_unref;
	__typeof__(av_buffer_pool_init) *av_buffer_pool_init;
	__typeof__(av_buffer_allocz) *av_buffer_allocz;
	__typeof__(av_buffer_pool_get) *av_buffer_pool_get;
	__typeof__(av_buffer_pool_uninit) *av_buffer_pool_uninit;
	__typeof__(av_buffer_ref) *av_buffer_ref;
	__typeof__(av_buffer_unref) *av_buffer_unref;
	__typeof__(av_log_set_level) *av_log_set_level;
	__typeof__(av_strerror) *av_strerror;
	__typeof__(avutil_version) *avutil_version;
};

extern struct dd_av dd_av;

/*
 * Load both libraries and resolve the table.  `avcodec_path` / `avutil_path`
 * override the sonames (NULL: the sonames of the build headers).  Returns 0
 * or -1 after printing which library or symbol is missing.
 */
int dd_av_load(const char *avcodec_path, const char *avutil_path);

#endif /* DD_AV_H */
