// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * cuse_main.c - daedalus-cuse: the V4L2 stateless decoder as two CUSE
 * character devices (video and media node) in one process.  Each node is
 * a cuse_lowlevel session served by its own thread pool; both share the
 * one device model in cuse_dev.c.  This file parses options, runs the
 * sessions and turns FUSE requests into dd_cuse_* calls, fetching ioctl
 * arguments with cuse_marshal.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cuse_dev.h"
#include <cuse_lowlevel.h>

#include "dd_os.h"
#include "cuse_direct.h"
#include "cuse_marshal.h"
#include "cuse_mem.h"

static void dd_cuse_call_init(fuse_req_t req, struct dd_cuse_call *c)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	c->req = req;
	c->tid = ctx->pid;
	c->uid = ctx->uid;
	c->tgid = dd_cuse_tgid(ctx->pid);
	if (c->tgid < 0)
		c->tgid = ctx->pid;
}

static void dd_cuse_do_open(fuse_req_t req, struct fuse_file_info *fi,
			    enum dd_cuse_node node)
{
	struct dd_cuse_call c;
	struct dd_cuse_file *f;
	int ret;

	dd_cuse_call_init(req, &c);
	ret = dd_cuse_open(node, fi->flags, &c, &f);
	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	fi->fh = (uintptr_t)f;
	fi->direct_io = 1;
	fi->nonseekable = 1;
	fuse_reply_open(req, fi);
}

static void dd_cuse_video_open(fuse_req_t req, struct fuse_file_info *fi)
{
	dd_cuse_do_open(req, fi, DD_CUSE_VIDEO);
}

static void dd_cuse_media_open(fuse_req_t req, struct fuse_file_info *fi)
{
	dd_cuse_do_open(req, fi, DD_CUSE_MEDIA);
}

static void dd_cuse_do_release(fuse_req_t req, struct fuse_file_info *fi)
{
	dd_cuse_release((struct dd_cuse_file *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void dd_cuse_do_read(fuse_req_t req, size_t size, off_t off,
			    struct fuse_file_info *fi)
{
	fuse_reply_err(req, EINVAL);	/* a stateless decoder has no read() */
}

static void dd_cuse_do_write(fuse_req_t req, const char *buf, size_t size, off_t off,
			     struct fuse_file_info *fi)
{
	fuse_reply_err(req, EINVAL);
}

static void dd_cuse_do_ioctl(fuse_req_t req, int scmd, void *arg,
			     struct fuse_file_info *fi, unsigned int flags,
			     const void *in, size_t in_len, size_t out_len)
{
	struct dd_cuse_file *f = (struct dd_cuse_file *)(uintptr_t)fi->fh;
	unsigned int cmd = (unsigned int)scmd, n_in, n_out;
	struct iovec iov_in[DD_CUSE_MAX_SEGS], iov_out[DD_CUSE_MAX_SEGS];
	struct dd_cuse_plan *plan;
	struct dd_cuse_call c;
	void *local, *direct_in = NULL;
	bool direct = false;
	pid_t tid = 0;
	long ret;
	int r;

	if (flags & FUSE_IOCTL_COMPAT) {
		fuse_reply_err(req, ENOTTY);	/* no 32-bit clients */
		return;
	}
	plan = malloc(sizeof(*plan));
	if (!plan) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r = dd_cuse_plan(plan, cmd, arg, in, in_len, out_len);
	if (r < 0) {
		fuse_reply_err(req, -r);
		goto out;
	}
	if (r == 0 && !in_len && !out_len) {
		/* First round: fetch everything ourselves (cuse_direct.h). */
		tid = fuse_req_ctx(req)->pid;
		r = dd_cuse_direct_fetch(plan, tid, cmd, arg, &direct_in, &in_len);
		if (r < 0) {
			fuse_reply_err(req, -r);
			goto out;
		}
		direct = r == 1;
		in = direct_in;
	}
	if (r == 0) {
		n_in = dd_cuse_plan_iov(plan, false, iov_in);
		n_out = dd_cuse_plan_iov(plan, true, iov_out);
		fuse_reply_ioctl_retry(req, iov_in, n_in, iov_out, n_out);
		goto out;
	}
	local = malloc(plan->total ? plan->total : 1);
	if (!local) {
		fuse_reply_err(req, ENOMEM);
		goto out;
	}
	dd_cuse_localize(plan, local, in, in_len);
	dd_cuse_call_init(req, &c);
	ret = dd_cuse_ioctl(f, cmd, plan->total ? local : NULL, &c);
	if (ret == -ENOIOCTLCMD)
		ret = -ENOTTY;
	n_out = dd_cuse_restore(plan, local, iov_out);
	if (ret < 0 && !dd_cuse_always_copy(cmd)) {
		fuse_reply_err(req, (int)-ret);
	} else if (n_out && direct) {
		r = dd_cuse_direct_store(plan, tid, iov_out, n_out);
		if (r)
			fuse_reply_err(req, -r);
		else
			fuse_reply_ioctl(req, (int)ret, NULL, 0);
	} else if (n_out) {
		fuse_reply_ioctl_iov(req, (int)ret, iov_out, n_out);
	} else {
		fuse_reply_ioctl(req, (int)ret, NULL, 0);
	}
	free(local);
out:
	free(direct_in);
	free(plan);
}

static void dd_cuse_do_poll(fuse_req_t req, struct fuse_file_info *fi,
			    struct fuse_pollhandle *ph)
{
	fuse_reply_poll(req, dd_cuse_poll((struct dd_cuse_file *)(uintptr_t)fi->fh, ph));
}

static const struct cuse_lowlevel_ops dd_cuse_video_ops = {
	.open		= dd_cuse_video_open,
	.release	= dd_cuse_do_release,
	.read		= dd_cuse_do_read,
	.write		= dd_cuse_do_write,
	.ioctl		= dd_cuse_do_ioctl,
	.poll		= dd_cuse_do_poll,
};

static const struct cuse_lowlevel_ops dd_cuse_media_ops = {
	.open		= dd_cuse_media_open,
	.release	= dd_cuse_do_release,
	.read		= dd_cuse_do_read,
	.write		= dd_cuse_do_write,
	.ioctl		= dd_cuse_do_ioctl,
	.poll		= dd_cuse_do_poll,
};

struct dd_cuse_node_run {
	const char *devname;
	struct fuse_session *se;
	pthread_t thread;
};

static struct fuse_session *dd_cuse_session(const char *devname, unsigned int major,
					    unsigned int minor,
					    const struct cuse_lowlevel_ops *ops, bool debug)
{
	char *argv[] = { "daedalus-cuse", debug ? "-d" : NULL, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(debug ? 2 : 1, argv);
	char info[160], path[32];
	const char *info_argv[] = { info };
	struct cuse_info ci = {
		.dev_major = major, .dev_minor = minor,
		.dev_info_argc = 1, .dev_info_argv = info_argv,
		.flags = CUSE_UNRESTRICTED_IOCTL,
	};
	struct fuse_session *se;
	int fd;

	snprintf(info, sizeof(info), "DEVNAME=%s", devname);
	se = cuse_lowlevel_new(&args, &ci, ops, NULL);
	fuse_opt_free_args(&args);
	if (!se)
		return NULL;
	fd = open("/dev/cuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		dd_err("cuse: cannot open /dev/cuse: %s (modprobe cuse?)", strerror(errno));
		fuse_session_destroy(se);
		return NULL;
	}
	/* One /dev/cuse channel per node: hand libfuse the fd itself. */
	snprintf(path, sizeof(path), "/dev/fd/%d", fd);
	if (fuse_session_mount(se, path)) {
		dd_err("cuse: cannot attach the session of %s", devname);
		close(fd);
		fuse_session_destroy(se);
		return NULL;
	}
	return se;
}

static void *dd_cuse_node_thread(void *arg)
{
	struct dd_cuse_node_run *n = arg;
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	int ret;

	fuse_loop_cfg_set_max_threads(cfg, 32);
	fuse_loop_cfg_set_idle_threads(cfg, 4);
	ret = fuse_session_loop_mt(n->se, cfg);
	fuse_loop_cfg_destroy(cfg);
	dd_err("cuse: session of /dev/%s ended (%d)", n->devname, ret);
	kill(getpid(), SIGTERM);
	return NULL;
}

static void dd_cuse_usage(FILE *f)
{
	fprintf(f,
		"usage: daedalus-cuse [options]\n"
		"  --name NAME          video node name (default video-daedalus0)\n"
		"  --media-name NAME    media node name (default media-daedalus0)\n"
		"  --major N --minor N  video node number (default: dynamic)\n"
		"  --media-major N --media-minor N\n"
		"  --socket PATH        daemon socket (default /run/daedalus-v4l2/cuse.sock)\n"
		"  --fd-socket PATH     buffer fd socket for the preload shim\n"
		"                       (default /run/daedalus-v4l2/cuse-fd-<name>.sock)\n"
		"  --max-in-flight N    jobs per context at the daemon (default 4)\n"
		"  --timeout-ms N       a job the daemon has not answered in N ms fails\n"
		"                       (default 5000)\n"
		"  -d, --debug          FUSE and device debug log\n"
		"SIGUSR1 logs a stats line (contexts, requests, buffers, jobs, DONE counts).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "media-name", required_argument, NULL, 'N' },
		{ "major", required_argument, NULL, 'M' },
		{ "minor", required_argument, NULL, 'm' },
		{ "media-major", required_argument, NULL, 'J' },
		{ "media-minor", required_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "fd-socket", required_argument, NULL, 'S' },
		{ "max-in-flight", required_argument, NULL, 'i' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct dd_cuse_config cfg = {
		.video_name = "video-daedalus0",
		.media_name = "media-daedalus0",
		.daemon_sock = "/run/daedalus-v4l2/cuse.sock",
		.max_in_flight = 4,
		.timeout_ms = 5000,
	};
	struct dd_cuse_node_run nodes[2];
	char fdsock[108];
	sigset_t set;
	int o, sig, i;

	while ((o = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (o) {
		case 'n': cfg.video_name = optarg; break;
		case 'N': cfg.media_name = optarg; break;
		case 'M': cfg.video_major = strtoul(optarg, NULL, 0); break;
		case 'm': cfg.video_minor = strtoul(optarg, NULL, 0); break;
		case 'J': cfg.media_major = strtoul(optarg, NULL, 0); break;
		case 'j': cfg.media_minor = strtoul(optarg, NULL, 0); break;
		case 's': cfg.daemon_sock = optarg; break;
		case 'S': cfg.fd_sock = optarg; break;
		case 'i': cfg.max_in_flight = strtoul(optarg, NULL, 0); break;
		case 't': cfg.timeout_ms = strtoul(optarg, NULL, 0); break;
		case 'd': cfg.debug = true; dd_log_debug = 1; break;
		case 'h': dd_cuse_usage(stdout); return 0;
		default: dd_cuse_usage(stderr); return 2;
		}
	}
	if (optind != argc || !cfg.max_in_flight || !cfg.timeout_ms) {
		dd_cuse_usage(stderr);
		return 2;
	}
	if (!cfg.fd_sock) {
		snprintf(fdsock, sizeof(fdsock), "/run/daedalus-v4l2/cuse-fd-%s.sock",
			 cfg.video_name);
		cfg.fd_sock = fdsock;
	}

	/* Signals go to this thread only (sigwait below). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (dd_cuse_dev_init(&cfg))
		return 1;

	nodes[0].devname = cfg.video_name;
	nodes[0].se = dd_cuse_session(cfg.video_name, cfg.video_major, cfg.video_minor,
				      &dd_cuse_video_ops, cfg.debug);
	nodes[1].devname = cfg.media_name;
	nodes[1].se = dd_cuse_session(cfg.media_name, cfg.media_major, cfg.media_minor,
				      &dd_cuse_media_ops, cfg.debug);
	if (!nodes[0].se || !nodes[1].se)
		return 1;
	for (i = 0; i < 2; i++) {
		if (pthread_create(&nodes[i].thread, NULL, dd_cuse_node_thread, &nodes[i])) {
			dd_err("cuse: cannot start the session thread");
			return 1;
		}
	}
	dd_info("cuse: serving /dev/%s and /dev/%s (daemon %s)", cfg.video_name,
		cfg.media_name, cfg.daemon_sock);

	while (!sigwait(&set, &sig) && sig == SIGUSR1)
		dd_cuse_dev_log_stats();
	dd_info("cuse: signal %d, exiting", sig);
	unlink(cfg.fd_sock);
	/* Closing the /dev/cuse channels (process exit) removes both nodes. */
	_exit(0);
}
