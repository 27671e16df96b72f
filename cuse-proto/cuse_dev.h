/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_dev.h - the device behind the two CUSE nodes: one common/ device
 * model (contexts, queues, requests, scheduler) shared by the video node
 * and the media node, the memory hooks that make client buffers reachable,
 * and the job transport to the daemon.  cuse_main.c only moves bytes
 * between FUSE and these calls.
 */
#ifndef CUSE_DEV_H
#define CUSE_DEV_H

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <sys/types.h>

struct dd_cuse_config {
	const char *video_name;		/* DEVNAME of the video node */
	const char *media_name;		/* DEVNAME of the media node */
	unsigned int video_major, video_minor;
	unsigned int media_major, media_minor;
	const char *daemon_sock;	/* daedalusd's front-end socket */
	const char *fd_sock;		/* where the shim redeems buffer tokens */
	unsigned int max_in_flight;	/* per context jobs at the daemon */
	unsigned int timeout_ms;	/* watchdog: unanswered jobs fail after it */
	bool debug;
};

/* Who is calling (from the FUSE request). */
struct dd_cuse_call {
	fuse_req_t req;
	pid_t tid;
	pid_t tgid;
	uid_t uid;
};

enum dd_cuse_node { DD_CUSE_VIDEO = 1, DD_CUSE_MEDIA = 2 };

struct dd_cuse_file;

int dd_cuse_dev_init(const struct dd_cuse_config *cfg);
int dd_cuse_open(enum dd_cuse_node node, int flags, const struct dd_cuse_call *c,
		 struct dd_cuse_file **fp);
void dd_cuse_release(struct dd_cuse_file *f);
/* arg is the server-local copy (see cuse_marshal.h); may block (DQBUF). */
long dd_cuse_ioctl(struct dd_cuse_file *f, unsigned int cmd, void *arg,
		   const struct dd_cuse_call *c);
/* Current events; ph (may be NULL) is kept and notified on the next change. */
unsigned int dd_cuse_poll(struct dd_cuse_file *f, struct fuse_pollhandle *ph);

/*
 * SIGUSR1: one stats line (open files, live contexts, requests, buffer
 * memories, unredeemed tokens, jobs ready/at the daemon, DONE counts,
 * timeouts, jobs failed on a lost daemon connection).
 */
void dd_cuse_dev_log_stats(void);

#endif /* CUSE_DEV_H */
