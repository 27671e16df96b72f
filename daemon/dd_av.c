// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_av.c - dlopen() libavcodec and libavutil and fill the dd_av table.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "dd_av.h"

#define DD_STR2(x)	#x
#define DD_STR(x)	DD_STR2(x)
#define DD_AVCODEC_SONAME	"libavcodec.so." DD_STR(LIBAVCODEC_VERSION_MAJOR)
#define DD_AVUTIL_SONAME	"libavutil.so." DD_STR(LIBAVUTIL_VERSION_MAJOR)

struct dd_av dd_av;

static int dd_av_sym(void *lib, const char *libname, const char *name, void **slot)
{
	*slot = dlsym(lib, name);
	if (!*slot) {
		fprintf(stderr, "daedalusd: %s has no symbol %s: %s\n", libname, name, dlerror());
		return -1;
	}
	return 0;
}

#define DD_AV_SYM(lib, libname, fn) \
	(dd_av_sym(lib, libname, #fn, (void **)&dd_av.fn))

int dd_av_load(const char *avcodec_path, const char *avutil_path)
{
	const char *cname = avcodec_path ? avcodec_path : DD_AVCODEC_SONAME;
	const char *uname = avutil_path ? avutil_path : DD_AVUTIL_SONAME;
	void *avutil, *avcodec;
	int err = 0;

	/* libavutil first: libavcodec depends on it. */
	avutil = dlopen(uname, RTLD_NOW | RTLD_GLOBAL);
	if (!avutil) {
		fprintf(stderr, "daedalusd: cannot load %s (install FFmpeg's libavutil): %s\n",
			uname, dlerror());
		return -1;
	}
	avcodec = dlopen(cname, RTLD_NOW | RTLD_GLOBAL);
	if (!avcodec) {
		fprintf(stderr, "daedalusd: cannot load %s (install FFmpeg's libavcodec): %s\n",
			cname, dlerror());
		dlclose(avutil);
		return -1;
	}
	err |= DD_AV_SYM(avcodec, cname, avcodec_find_decoder);
	err |= DD_AV_SYM(avcodec, cname, avcodec_alloc_context3);
	err |= DD_AV_SYM(avcodec, cname, avcodec_free_context);
	err |= DD_AV_SYM(avcodec, cname, avcodec_open2);
	err |= DD_AV_SYM(avcodec, cname, avcodec_send_packet);
	err |= DD_AV_SYM(avcodec, cname, avcodec_receive_frame);
	err |= DD_AV_SYM(avcodec, cname, avcodec_flush_buffers);
	err |= DD_AV_SYM(avcodec, cname, avcodec_align_dimensions2);
	err |= DD_AV_SYM(avcodec, cname, av_packet_alloc);
	err |= DD_AV_SYM(avcodec, cname, av_packet_free);
	err |= DD_AV_SYM(avcodec, cname, av_packet_unref);
	err |= DD_AV_SYM(avcodec, cname, avcodec_version);
	err |= DD_AV_SYM(avutil, uname, av_frame_alloc);
	err |= DD_AV_SYM(avutil, uname, av_frame_free);
	err |= DD_AV_SYM(avutil, uname, av_frame_unref);
	err |= DD_AV_SYM(avutil, uname, av_buffer_pool_init);
	err |= DD_AV_SYM(avutil, uname, av_buffer_allocz);
	err |= DD_AV_SYM(avutil, uname, av_buffer_pool_get);
	err |= DD_AV_SYM(avutil, uname, av_buffer_pool_uninit);
	err |= DD_AV_SYM(avutil, uname, av_buffer_ref);
	err |= DD_AV_SYM(avutil, uname, av_buffer_unref);
	err |= DD_AV_SYM(avutil, uname, av_log_set_level);
	err |= DD_AV_SYM(avutil, uname, av_strerror);
	err |= DD_AV_SYM(avutil, uname, avutil_version);
	if (err)
		return -1;
	if (dd_av.avcodec_version() >> 16 != LIBAVCODEC_VERSION_MAJOR) {
		fprintf(stderr, "daedalusd: %s is version %u, built for major %d\n", cname,
			dd_av.avcodec_version() >> 16, LIBAVCODEC_VERSION_MAJOR);
		return -1;
	}
	/* The libraries stay loaded for the life of the process. */
	return 0;
}
