// SPDX-License-Identifier: GPL-2.0
/*
 * dd_v4l2_dev.c - stateless decoder device access for daedalus-decode.
 *
 * The video node is opened and driven through libv4l2 (v4l2_open,
 * v4l2_ioctl, v4l2_mmap, v4l2_close), so the tool exercises a device the way
 * libv4l2-based applications do (libv4l2 passes memory-to-memory devices
 * straight through; its plugins and its emulation layer are only engaged
 * for capture devices).  libv4l2 issues mmap() as a raw syscall, which is
 * why userptr and dmabuf memory exist as alternatives: a front end that
 * cannot back mmap (our CUSE device) gets userptr by default.
 * The media node and request fds are plain file descriptors (media
 * controller ioctls are outside libv4l2's scope).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libv4l2.h>
#include <linux/dma-heap.h>
#include <linux/media.h>

#include "dd_framemd5.h"
#include "dd_v4l2_dev.h"

#define DD_OUT_MIN_SIZE		(1024 * 1024)

static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = v4l2_ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static int mioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

const char *dd_mem_name(enum dd_mem mem)
{
	switch (mem) {
	case DD_MEM_MMAP:
		return "mmap";
	case DD_MEM_USERPTR:
		return "userptr";
	case DD_MEM_DMABUF:
		return "dmabuf";
	default:
		return "auto";
	}
}

static uint32_t v4l2_memory(enum dd_mem mem)
{
	switch (mem) {
	case DD_MEM_USERPTR:
		return V4L2_MEMORY_USERPTR;
	case DD_MEM_DMABUF:
		return V4L2_MEMORY_DMABUF;
	default:
		return V4L2_MEMORY_MMAP;
	}
}

/* Four characters of a fourcc, for messages. */
static const char *fourcc_str(uint32_t f, char buf[5])
{
	for (unsigned int i = 0; i < 4; i++)
		buf[i] = (char)((f >> (8 * i)) & 0xff);
	buf[4] = 0;
	return buf;
}

/* Does this open video fd take `fourcc` on its OUTPUT queue (stateless)? */
static bool is_stateless(int fd, uint32_t fourcc, bool *mplane)
{
	struct v4l2_capability cap = { 0 };
	struct v4l2_fmtdesc fd_desc;
	uint32_t caps;

	if (xioctl(fd, VIDIOC_QUERYCAP, &cap))
		return false;
	caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
	if (!(caps & V4L2_CAP_STREAMING))
		return false;
	if (caps & V4L2_CAP_VIDEO_M2M_MPLANE)
		*mplane = true;
	else if (caps & V4L2_CAP_VIDEO_M2M)
		*mplane = false;
	else
		return false;

	for (unsigned int i = 0; i < 64; i++) {
		memset(&fd_desc, 0, sizeof(fd_desc));
		fd_desc.index = i;
		fd_desc.type = *mplane ? V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE :
					 V4L2_BUF_TYPE_VIDEO_OUTPUT;
		if (xioctl(fd, VIDIOC_ENUM_FMT, &fd_desc))
			break;
		if (fd_desc.pixelformat == fourcc)
			return true;
	}
	return false;
}

/* /dev/<prefix>N node numbers, ascending (CUSE front ends use high ones). */
static unsigned int dev_nodes(const char *prefix, unsigned int *nums, unsigned int max)
{
	size_t plen = strlen(prefix);
	struct dirent *de;
	unsigned int n = 0;
	DIR *dir = opendir("/dev");

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		char *end;
		unsigned long v;

		if (strncmp(de->d_name, prefix, plen) || !de->d_name[plen])
			continue;
		v = strtoul(de->d_name + plen, &end, 10);
		if (*end || v > 65535)
			continue;
		nums[n++] = v;
	}
	closedir(dir);
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && nums[j - 1] > nums[j]; j--) {
			unsigned int t = nums[j];

			nums[j] = nums[j - 1];
			nums[j - 1] = t;
		}
	return n;
}

static int probe_video(uint32_t fourcc, char *path, size_t len)
{
	unsigned int nums[256];
	unsigned int n = dev_nodes("video", nums, 256);

	for (unsigned int i = 0; i < n; i++) {
		char p[64];
		bool mplane;
		int fd;

		snprintf(p, sizeof(p), "/dev/video%u", nums[i]);
		fd = v4l2_open(p, O_RDWR | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (is_stateless(fd, fourcc, &mplane)) {
			v4l2_close(fd);
			snprintf(path, len, "%s", p);
			return 0;
		}
		v4l2_close(fd);
	}
	return -ENODEV;
}

/* Does media node 'fd' expose a devnode interface for device number 'rdev'? */
static bool media_has_devnode(int fd, dev_t rdev)
{
	struct media_v2_topology topo = { 0 };
	struct media_v2_interface *intfs;
	bool found = false;

	if (mioctl(fd, MEDIA_IOC_G_TOPOLOGY, &topo) || !topo.num_interfaces)
		return false;
	intfs = calloc(topo.num_interfaces, sizeof(*intfs));
	if (!intfs)
		return false;
	topo.ptr_interfaces = (uintptr_t)intfs;
	topo.num_entities = 0;
	topo.num_pads = 0;
	topo.num_links = 0;
	if (!mioctl(fd, MEDIA_IOC_G_TOPOLOGY, &topo)) {
		for (unsigned int i = 0; i < topo.num_interfaces; i++) {
			if (intfs[i].devnode.major == major(rdev) &&
			    intfs[i].devnode.minor == minor(rdev))
				found = true;
		}
	}
	free(intfs);
	return found;
}

/* The media node whose topology holds the video node (G_TOPOLOGY, then sysfs). */
static int find_media(const char *video, char *path, size_t len)
{
	struct stat st;
	char sys[320];
	DIR *dir;
	struct dirent *de;

	if (stat(video, &st))
		return -errno;
	unsigned int nums[256];
	unsigned int n = dev_nodes("media", nums, 256);

	for (unsigned int i = 0; i < n; i++) {
		char p[64];
		int fd;

		snprintf(p, sizeof(p), "/dev/media%u", nums[i]);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (media_has_devnode(fd, st.st_rdev)) {
			close(fd);
			snprintf(path, len, "%s", p);
			return 0;
		}
		close(fd);
	}
	/* sysfs: the media device registered on the video device's parent */
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/device", major(st.st_rdev),
		 minor(st.st_rdev));
	dir = opendir(sys);
	if (!dir)
		return -ENODEV;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "media", 5) && de->d_name[5] >= '0' &&
		    de->d_name[5] <= '9') {
			snprintf(path, len, "/dev/%.32s", de->d_name);
			closedir(dir);
			return 0;
		}
	}
	closedir(dir);
	return -ENODEV;
}

/* A CUSE character device sits under /sys/devices/virtual/cuse/. */
static bool is_cuse_node(const char *path)
{
	char sys[64], real[PATH_MAX];
	struct stat st;

	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return false;
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(sys, real))
		return false;
	return strstr(real, "/cuse/") != NULL;
}

static int query_caps(struct dd_v4l2 *d)
{
	struct v4l2_requestbuffers rb = { 0 };
	static const uint32_t mems[] = { V4L2_MEMORY_MMAP, V4L2_MEMORY_USERPTR,
					 V4L2_MEMORY_DMABUF };

	for (unsigned int i = 0; i < 3; i++) {
		memset(&rb, 0, sizeof(rb));
		rb.type = d->out_type;
		rb.memory = mems[i];
		if (!xioctl(d->video_fd, VIDIOC_REQBUFS, &rb)) {
			d->out_caps = rb.capabilities;
			return 0;
		}
	}
	return -ENOTSUP;
}

int dd_v4l2_open(struct dd_v4l2 *d, const char *video, const char *media, enum dd_mem mem,
		 int verbose)
{
	return dd_v4l2_open_codec(d, V4L2_PIX_FMT_H264_SLICE, video, media, mem, verbose);
}

int dd_v4l2_open_codec(struct dd_v4l2 *d, uint32_t out_fourcc, const char *video,
		       const char *media, enum dd_mem mem, int verbose)
{
	struct v4l2_capability cap = { 0 };
	char fcc[5];
	int ret;

	memset(d, 0, sizeof(*d));
	d->video_fd = -1;
	d->media_fd = -1;
	d->verbose = verbose;
	d->out_fourcc = out_fourcc;
	fourcc_str(out_fourcc, fcc);

	if (!video || !*video)
		video = getenv("DAEDALUS_VIDEO");
	if (video && *video) {
		snprintf(d->video_path, sizeof(d->video_path), "%s", video);
	} else if (probe_video(out_fourcc, d->video_path, sizeof(d->video_path))) {
		fprintf(stderr, "daedalus-decode: no V4L2 stateless decoder found "
			"(no /dev/video* whose OUTPUT queue offers %s); use -d\n", fcc);
		return -ENODEV;
	}

	d->video_fd = v4l2_open(d->video_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (d->video_fd < 0) {
		ret = -errno;
		fprintf(stderr, "daedalus-decode: cannot open %s: %s\n", d->video_path,
			strerror(errno));
		return ret;
	}
	if (!is_stateless(d->video_fd, out_fourcc, &d->mplane)) {
		fprintf(stderr, "daedalus-decode: %s is not a stateless %s decoder\n",
			d->video_path, fcc);
		return -ENODEV;
	}
	xioctl(d->video_fd, VIDIOC_QUERYCAP, &cap);
	snprintf(d->driver, sizeof(d->driver), "%s", (const char *)cap.driver);
	d->out_type = d->mplane ? V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE : V4L2_BUF_TYPE_VIDEO_OUTPUT;
	d->cap_type = d->mplane ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE :
				  V4L2_BUF_TYPE_VIDEO_CAPTURE;

	if (!media || !*media)
		media = getenv("DAEDALUS_MEDIA");
	if (media && *media) {
		snprintf(d->media_path, sizeof(d->media_path), "%s", media);
	} else if (find_media(d->video_path, d->media_path, sizeof(d->media_path))) {
		fprintf(stderr, "daedalus-decode: no media node found for %s; use -m\n",
			d->video_path);
		return -ENODEV;
	}
	d->media_fd = open(d->media_path, O_RDWR | O_CLOEXEC);
	if (d->media_fd < 0) {
		ret = -errno;
		fprintf(stderr, "daedalus-decode: cannot open %s: %s\n", d->media_path,
			strerror(errno));
		return ret;
	}

	ret = query_caps(d);
	if (ret) {
		fprintf(stderr, "daedalus-decode: %s: VIDIOC_REQBUFS on OUTPUT failed for every "
			"memory type\n", d->video_path);
		return ret;
	}
	if (!(d->out_caps & V4L2_BUF_CAP_SUPPORTS_REQUESTS)) {
		fprintf(stderr, "daedalus-decode: %s: OUTPUT queue does not support requests\n",
			d->video_path);
		return -ENOTSUP;
	}
	d->hold_capture = d->out_caps & V4L2_BUF_CAP_SUPPORTS_M2M_HOLD_CAPTURE_BUF;

	if (mem == DD_MEM_AUTO) {
		/*
		 * A CUSE front end cannot back mmap() (libv4l2 maps with a raw
		 * syscall, past any LD_PRELOAD shim): userptr is its memory.
		 */
		if (is_cuse_node(d->video_path) || !(d->out_caps & V4L2_BUF_CAP_SUPPORTS_MMAP))
			mem = DD_MEM_USERPTR;
		else
			mem = DD_MEM_MMAP;
	}
	d->mem = mem;
	if ((mem == DD_MEM_MMAP && !(d->out_caps & V4L2_BUF_CAP_SUPPORTS_MMAP)) ||
	    (mem == DD_MEM_USERPTR && !(d->out_caps & V4L2_BUF_CAP_SUPPORTS_USERPTR)) ||
	    (mem == DD_MEM_DMABUF && !(d->out_caps & V4L2_BUF_CAP_SUPPORTS_DMABUF))) {
		fprintf(stderr, "daedalus-decode: %s does not support %s memory\n",
			d->video_path, dd_mem_name(mem));
		return -ENOTSUP;
	}
	if (verbose)
		fprintf(stderr, "daedalus-decode: %s (%s) media %s, %s, %s memory%s\n",
			d->video_path, d->driver, d->media_path,
			d->mplane ? "mplane" : "single-plane", dd_mem_name(mem),
			d->hold_capture ? ", hold-capture" : "");
	return 0;
}

int dd_v4l2_set_output_format(struct dd_v4l2 *d, unsigned int w, unsigned int h)
{
	struct v4l2_format f = { 0 };
	size_t size = (size_t)w * h * 3 / 2;
	int ret;

	if (size < DD_OUT_MIN_SIZE)
		size = DD_OUT_MIN_SIZE;
	f.type = d->out_type;
	if (d->mplane) {
		f.fmt.pix_mp.pixelformat = d->out_fourcc;
		f.fmt.pix_mp.width = w;
		f.fmt.pix_mp.height = h;
		f.fmt.pix_mp.num_planes = 1;
		f.fmt.pix_mp.plane_fmt[0].sizeimage = size;
	} else {
		f.fmt.pix.pixelformat = d->out_fourcc;
		f.fmt.pix.width = w;
		f.fmt.pix.height = h;
		f.fmt.pix.sizeimage = size;
	}
	ret = xioctl(d->video_fd, VIDIOC_S_FMT, &f);
	if (ret) {
		char fcc[5];

		fprintf(stderr, "daedalus-decode: VIDIOC_S_FMT(OUTPUT, %s %ux%u): %s\n",
			fourcc_str(d->out_fourcc, fcc), w, h, strerror(-ret));
		return ret;
	}
	d->out_size = d->mplane ? f.fmt.pix_mp.plane_fmt[0].sizeimage : f.fmt.pix.sizeimage;
	return 0;
}

int dd_v4l2_ctrl_range(struct dd_v4l2 *d, uint32_t id, int64_t *min, int64_t *max)
{
	struct v4l2_query_ext_ctrl q = { .id = id };
	int ret = xioctl(d->video_fd, VIDIOC_QUERY_EXT_CTRL, &q);

	if (ret)
		return ret;
	*min = q.minimum;
	*max = q.maximum;
	return 0;
}

int dd_v4l2_set_ctrls(struct dd_v4l2 *d, int request_fd, struct v4l2_ext_control *c,
		      unsigned int n)
{
	struct v4l2_ext_controls ec = { 0 };
	int ret;

	ec.which = request_fd >= 0 ? V4L2_CTRL_WHICH_REQUEST_VAL : V4L2_CTRL_WHICH_CUR_VAL;
	ec.request_fd = request_fd >= 0 ? request_fd : 0;
	ec.count = n;
	ec.controls = c;
	ret = xioctl(d->video_fd, VIDIOC_S_EXT_CTRLS, &ec);
	if (ret)
		fprintf(stderr, "daedalus-decode: VIDIOC_S_EXT_CTRLS(%s, control %#x): %s\n",
			request_fd >= 0 ? "request" : "current",
			ec.error_idx < n ? c[ec.error_idx].id : 0, strerror(-ret));
	return ret;
}

/* Is `f` a CAPTURE format for a stream of `depth` bits? */
static bool cap_fourcc_fits(const struct dd_v4l2 *d, uint32_t f, unsigned int depth)
{
	if (depth == 10)
		return f == V4L2_PIX_FMT_P010;
	return f == V4L2_PIX_FMT_NV12 || (d->mplane && f == V4L2_PIX_FMT_NV12M);
}

/*
 * CAPTURE: NV12 (or NV12M) for an 8-bit stream, P010 for a 10-bit one,
 * among what the driver offers once it knows the stream (rkvdec and hantro
 * list P010 only after a 10-bit SPS / VP9 FRAME control is set; their
 * G_FMT then answers it).  The driver's current format is kept when it
 * fits, else S_FMT asks for the first fitting one it enumerates.
 */
static int set_capture_format(struct dd_v4l2 *d)
{
	unsigned int depth = d->depth ? d->depth : 8;
	const char *want_name = depth == 10 ? "P010" : "NV12";
	struct v4l2_format f = { 0 };
	struct v4l2_fmtdesc desc;
	uint32_t want = 0, cur;
	unsigned int bpl_min;
	char fcc[5];
	int ret;

	for (unsigned int i = 0; i < 64 && !want; i++) {
		memset(&desc, 0, sizeof(desc));
		desc.index = i;
		desc.type = d->cap_type;
		if (xioctl(d->video_fd, VIDIOC_ENUM_FMT, &desc))
			break;
		if (cap_fourcc_fits(d, desc.pixelformat, depth))
			want = desc.pixelformat;
	}
	if (!want) {
		fprintf(stderr, "daedalus-decode: %s offers no %s CAPTURE format for this "
			"%u-bit stream\n", d->video_path, want_name, depth);
		return -ENOTSUP;
	}
	f.type = d->cap_type;
	ret = xioctl(d->video_fd, VIDIOC_G_FMT, &f);
	if (ret)
		return ret;
	cur = d->mplane ? f.fmt.pix_mp.pixelformat : f.fmt.pix.pixelformat;
	if (!cap_fourcc_fits(d, cur, depth)) {
		if (d->mplane)
			f.fmt.pix_mp.pixelformat = want;
		else
			f.fmt.pix.pixelformat = want;
		ret = xioctl(d->video_fd, VIDIOC_S_FMT, &f);
		if (ret) {
			fprintf(stderr, "daedalus-decode: VIDIOC_S_FMT(CAPTURE, %s): %s\n",
				fourcc_str(want, fcc), strerror(-ret));
			return ret;
		}
	}
	if (d->mplane) {
		d->cap_fourcc = f.fmt.pix_mp.pixelformat;
		d->cap_width = f.fmt.pix_mp.width;
		d->cap_height = f.fmt.pix_mp.height;
		d->cap_stride = f.fmt.pix_mp.plane_fmt[0].bytesperline;
		d->cap_planes = f.fmt.pix_mp.num_planes;
	} else {
		d->cap_fourcc = f.fmt.pix.pixelformat;
		d->cap_width = f.fmt.pix.width;
		d->cap_height = f.fmt.pix.height;
		d->cap_stride = f.fmt.pix.bytesperline;
		d->cap_planes = 1;
	}
	if (!cap_fourcc_fits(d, d->cap_fourcc, depth)) {
		fprintf(stderr, "daedalus-decode: driver chose CAPTURE format %s, not %s, for "
			"a %u-bit stream\n", fourcc_str(d->cap_fourcc, fcc), want_name, depth);
		return -ENOTSUP;
	}
	d->cap_sample_bytes = depth == 10 ? 2 : 1;
	bpl_min = d->cap_width * d->cap_sample_bytes;
	if (!d->cap_stride)
		d->cap_stride = bpl_min;
	if (d->cap_stride < bpl_min) {
		fprintf(stderr, "daedalus-decode: CAPTURE %s bytesperline %u is less than %u "
			"for width %u\n", fourcc_str(d->cap_fourcc, fcc), d->cap_stride, bpl_min,
			d->cap_width);
		return -EINVAL;
	}
	return 0;
}

static int dmabuf_alloc(size_t len)
{
	struct dma_heap_allocation_data a = { 0 };
	int heap, ret;

	heap = open("/dev/dma_heap/system", O_RDWR | O_CLOEXEC);
	if (heap < 0) {
		fprintf(stderr, "daedalus-decode: dmabuf memory needs /dev/dma_heap/system: %s\n",
			strerror(errno));
		return -errno;
	}
	a.len = len;
	a.fd_flags = O_RDWR | O_CLOEXEC;
	ret = mioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a);
	close(heap);
	return ret ? ret : (int)a.fd;
}

/* REQBUFS + backing memory for one queue. */
static int alloc_queue(struct dd_v4l2 *d, uint32_t type, struct dd_buf *bufs,
		       unsigned int *count, unsigned int want)
{
	struct v4l2_requestbuffers rb = { 0 };
	int ret;

	rb.type = type;
	rb.memory = v4l2_memory(d->mem);
	rb.count = want;
	ret = xioctl(d->video_fd, VIDIOC_REQBUFS, &rb);
	if (ret) {
		fprintf(stderr, "daedalus-decode: VIDIOC_REQBUFS(%s, %u, %s): %s\n",
			type == d->out_type ? "OUTPUT" : "CAPTURE", want, dd_mem_name(d->mem),
			strerror(-ret));
		return ret;
	}
	if (rb.count < want && type == d->out_type) {
		fprintf(stderr, "daedalus-decode: driver gave %u OUTPUT buffers, %u needed\n",
			rb.count, want);
		return -ENOMEM;
	}
	*count = rb.count;

	for (unsigned int i = 0; i < rb.count; i++) {
		struct v4l2_plane planes[VIDEO_MAX_PLANES] = { 0 };
		struct v4l2_buffer b = { 0 };
		struct dd_buf *db = &bufs[i];

		b.type = type;
		b.memory = rb.memory;
		b.index = i;
		if (d->mplane) {
			b.m.planes = planes;
			b.length = VIDEO_MAX_PLANES;
		}
		ret = xioctl(d->video_fd, VIDIOC_QUERYBUF, &b);
		if (ret) {
			fprintf(stderr, "daedalus-decode: VIDIOC_QUERYBUF: %s\n", strerror(-ret));
			return ret;
		}
		db->n_planes = d->mplane ? b.length : 1;
		for (unsigned int p = 0; p < db->n_planes; p++) {
			size_t len = d->mplane ? planes[p].length : b.length;
			void *m;

			db->length[p] = len;
			db->dmabuf_fd[p] = -1;
			if (d->mem == DD_MEM_MMAP) {
				off_t off = d->mplane ? planes[p].m.mem_offset : b.m.offset;

				m = v4l2_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
					      d->video_fd, off);
				if (m == MAP_FAILED) {
					fprintf(stderr, "daedalus-decode: mmap: %s\n",
						strerror(errno));
					return -errno;
				}
			} else if (d->mem == DD_MEM_USERPTR) {
				len = (len + 4095) & ~(size_t)4095;
				m = aligned_alloc(4096, len);
				if (!m)
					return -ENOMEM;
				memset(m, 0, len);
				db->length[p] = len;
			} else {
				int fd = dmabuf_alloc(len);

				if (fd < 0)
					return fd;
				m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
				if (m == MAP_FAILED) {
					close(fd);
					return -errno;
				}
				db->dmabuf_fd[p] = fd;
			}
			db->start[p] = m;
		}
	}
	return 0;
}

static void free_queue(struct dd_v4l2 *d, uint32_t type, struct dd_buf *bufs,
		       unsigned int *count)
{
	struct v4l2_requestbuffers rb = { 0 };

	for (unsigned int i = 0; i < *count; i++) {
		for (unsigned int p = 0; p < bufs[i].n_planes; p++) {
			if (!bufs[i].start[p])
				continue;
			if (d->mem == DD_MEM_MMAP)
				v4l2_munmap(bufs[i].start[p], bufs[i].length[p]);
			else if (d->mem == DD_MEM_USERPTR)
				free(bufs[i].start[p]);
			else
				munmap(bufs[i].start[p], bufs[i].length[p]);
			if (bufs[i].dmabuf_fd[p] >= 0)
				close(bufs[i].dmabuf_fd[p]);
		}
		memset(&bufs[i], 0, sizeof(bufs[i]));
	}
	*count = 0;
	rb.type = type;
	rb.memory = v4l2_memory(d->mem);
	xioctl(d->video_fd, VIDIOC_REQBUFS, &rb);
}

int dd_v4l2_setup_buffers(struct dd_v4l2 *d, unsigned int n_out, unsigned int n_cap)
{
	int ret;

	ret = set_capture_format(d);
	if (ret)
		return ret;
	if (n_cap > DD_MAX_CAP_BUFS)
		n_cap = DD_MAX_CAP_BUFS;
	ret = alloc_queue(d, d->out_type, d->out, &d->n_out, n_out);
	if (ret)
		return ret;
	ret = alloc_queue(d, d->cap_type, d->cap, &d->n_cap, n_cap);
	if (ret)
		return ret;
	if (d->verbose)
		fprintf(stderr, "daedalus-decode: %u OUTPUT x %zu bytes, %u CAPTURE %.4s %ux%u "
			"stride %u\n", d->n_out, d->out_size, d->n_cap,
			(const char *)&d->cap_fourcc, d->cap_width, d->cap_height,
			d->cap_stride);
	return 0;
}

void dd_v4l2_free_buffers(struct dd_v4l2 *d)
{
	if (d->video_fd < 0)
		return;
	free_queue(d, d->out_type, d->out, &d->n_out);
	free_queue(d, d->cap_type, d->cap, &d->n_cap);
}

int dd_v4l2_stream(struct dd_v4l2 *d, bool on)
{
	uint32_t types[2] = { d->out_type, d->cap_type };
	int ret;

	for (unsigned int i = 0; i < 2; i++) {
		ret = xioctl(d->video_fd, on ? VIDIOC_STREAMON : VIDIOC_STREAMOFF, &types[i]);
		if (ret) {
			fprintf(stderr, "daedalus-decode: VIDIOC_STREAM%s(%s): %s\n",
				on ? "ON" : "OFF", i ? "CAPTURE" : "OUTPUT", strerror(-ret));
			return ret;
		}
	}
	d->streaming = on;
	return 0;
}

static void fill_buffer(struct dd_v4l2 *d, struct v4l2_buffer *b, struct v4l2_plane *planes,
			struct dd_buf *db, uint32_t type, unsigned int index, size_t bytes)
{
	memset(b, 0, sizeof(*b));
	b->type = type;
	b->memory = v4l2_memory(d->mem);
	b->index = index;
	if (d->mplane) {
		memset(planes, 0, sizeof(*planes) * VIDEO_MAX_PLANES);
		b->m.planes = planes;
		b->length = db->n_planes;
		for (unsigned int p = 0; p < db->n_planes; p++) {
			planes[p].length = db->length[p];
			planes[p].bytesused = p == 0 ? bytes : 0;
			if (d->mem == DD_MEM_USERPTR)
				planes[p].m.userptr = (unsigned long)db->start[p];
			else if (d->mem == DD_MEM_DMABUF)
				planes[p].m.fd = db->dmabuf_fd[p];
		}
	} else {
		b->length = db->length[0];
		b->bytesused = bytes;
		if (d->mem == DD_MEM_USERPTR)
			b->m.userptr = (unsigned long)db->start[0];
		else if (d->mem == DD_MEM_DMABUF)
			b->m.fd = db->dmabuf_fd[0];
	}
}

int dd_v4l2_queue_capture(struct dd_v4l2 *d, unsigned int index)
{
	struct v4l2_plane planes[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	int ret;

	fill_buffer(d, &b, planes, &d->cap[index], d->cap_type, index, 0);
	ret = xioctl(d->video_fd, VIDIOC_QBUF, &b);
	if (ret)
		fprintf(stderr, "daedalus-decode: VIDIOC_QBUF(CAPTURE %u): %s\n", index,
			strerror(-ret));
	return ret;
}

int dd_v4l2_queue_output(struct dd_v4l2 *d, unsigned int index, size_t bytes, uint64_t ts_ns,
			 int request_fd, bool hold)
{
	struct v4l2_plane planes[VIDEO_MAX_PLANES];
	struct v4l2_buffer b;
	uint64_t us = ts_ns / 1000;
	int ret;

	fill_buffer(d, &b, planes, &d->out[index], d->out_type, index, bytes);
	b.timestamp.tv_sec = us / 1000000;
	b.timestamp.tv_usec = us % 1000000;
	b.flags = V4L2_BUF_FLAG_REQUEST_FD | (hold ? V4L2_BUF_FLAG_M2M_HOLD_CAPTURE_BUF : 0);
	b.request_fd = request_fd;
	ret = xioctl(d->video_fd, VIDIOC_QBUF, &b);
	if (ret)
		fprintf(stderr, "daedalus-decode: VIDIOC_QBUF(OUTPUT %u, request): %s\n", index,
			strerror(-ret));
	return ret;
}

int dd_v4l2_dequeue(struct dd_v4l2 *d, bool capture, struct dd_dqbuf *o)
{
	struct v4l2_plane planes[VIDEO_MAX_PLANES] = { 0 };
	struct v4l2_buffer b = { 0 };
	int ret;

	b.type = capture ? d->cap_type : d->out_type;
	b.memory = v4l2_memory(d->mem);
	if (d->mplane) {
		b.m.planes = planes;
		b.length = VIDEO_MAX_PLANES;
	}
	ret = xioctl(d->video_fd, VIDIOC_DQBUF, &b);
	if (ret) {
		if (ret != -EAGAIN)
			fprintf(stderr, "daedalus-decode: VIDIOC_DQBUF(%s): %s\n",
				capture ? "CAPTURE" : "OUTPUT", strerror(-ret));
		return ret;
	}
	o->index = b.index;
	o->flags = b.flags;
	o->ts_ns = (uint64_t)b.timestamp.tv_sec * 1000000000ull +
		   (uint64_t)b.timestamp.tv_usec * 1000ull;
	o->bytesused = d->mplane ? planes[0].bytesused : b.bytesused;
	return 0;
}

int dd_v4l2_wait_capture(struct dd_v4l2 *d, int timeout_ms)
{
	struct pollfd p = { .fd = d->video_fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&p, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret && (p.revents & POLLERR))
		return -EIO;
	return ret > 0;
}

int dd_v4l2_flush_held(struct dd_v4l2 *d)
{
	struct v4l2_decoder_cmd cmd = { .cmd = V4L2_DEC_CMD_FLUSH };

	return xioctl(d->video_fd, VIDIOC_DECODER_CMD, &cmd);
}

int dd_v4l2_out_capture(const struct dd_v4l2 *d, unsigned int index, struct dd_out *out,
			const struct dd_out_info *info, unsigned int x, unsigned int y)
{
	const struct dd_buf *b = &d->cap[index];
	struct dd_nv12_view v;

	v.y = b->start[0];
	v.uv = d->cap_planes > 1 ? b->start[1] :
		(const uint8_t *)b->start[0] + (size_t)d->cap_stride * d->cap_height;
	v.stride = d->cap_stride;
	v.x = x;
	v.y0 = y;
	v.w = info->width;
	v.h = info->height;
	if (v.x + v.w > d->cap_width || v.y0 + v.h > d->cap_height) {
		fprintf(stderr, "daedalus-decode: visible %ux%u+%u+%u exceeds CAPTURE %ux%u\n",
			v.w, v.h, v.x, v.y0, d->cap_width, d->cap_height);
		return -ERANGE;
	}
	if (d->cap_fourcc == V4L2_PIX_FMT_P010)
		return dd_out_frame_p010(out, info, &v);
	return dd_out_frame(out, info, &v);
}

void dd_v4l2_close(struct dd_v4l2 *d)
{
	if (d->video_fd >= 0) {
		if (d->streaming)
			dd_v4l2_stream(d, false);
		dd_v4l2_free_buffers(d);
		v4l2_close(d->video_fd);
	}
	if (d->media_fd >= 0)
		close(d->media_fd);
	d->video_fd = -1;
	d->media_fd = -1;
}

int dd_request_alloc(struct dd_v4l2 *d)
{
	int fd, ret;

	ret = mioctl(d->media_fd, MEDIA_IOC_REQUEST_ALLOC, &fd);
	if (ret) {
		fprintf(stderr, "daedalus-decode: MEDIA_IOC_REQUEST_ALLOC on %s: %s\n",
			d->media_path, strerror(-ret));
		return ret;
	}
	return fd;
}

int dd_request_queue(int request_fd)
{
	int ret = mioctl(request_fd, MEDIA_REQUEST_IOC_QUEUE, NULL);

	if (ret)
		fprintf(stderr, "daedalus-decode: MEDIA_REQUEST_IOC_QUEUE: %s\n", strerror(-ret));
	return ret;
}

int dd_request_wait(int request_fd, int timeout_ms)
{
	struct pollfd p = { .fd = request_fd, .events = POLLPRI };
	int ret;

	do {
		ret = poll(&p, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret && (p.revents & POLLERR))
		return -EIO;
	return ret > 0;
}

int dd_request_reinit(int request_fd)
{
	int ret = mioctl(request_fd, MEDIA_REQUEST_IOC_REINIT, NULL);

	if (ret)
		fprintf(stderr, "daedalus-decode: MEDIA_REQUEST_IOC_REINIT: %s\n", strerror(-ret));
	return ret;
}
