// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * daedalusd.c - the decoding daemon: option parsing, the transports' event
 * loop and message dispatch.  Decoding happens in per-context workers
 * (dd_ctx.c); the loop only receives, validates and routes messages.
 */
#include <getopt.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "dd_av.h"
#include "dd_ctx.h"

#define DD_DEFAULT_DEVICE	"/dev/daedalus-v4l2"
#define DD_DEFAULT_SOCKET	"/run/daedalus-v4l2/cuse.sock"
#define DD_MAX_PEERS		64

static struct dd_peer *dd_peers[DD_MAX_PEERS];
static unsigned int dd_num_peers;

/*
 * Fixed malloc thresholds, set before any worker thread exists.  glibc
 * raises its mmap threshold each time a mmap()ed block is freed (up to 32
 * MiB) and the trim threshold with it (twice that); a decoder's picture
 * pool (1.4 MB a 1280x720 buffer) is such a block.  From then on picture
 * buffers come from the per-thread arenas, and an arena's free top is given
 * back only above the raised trim threshold: malloc_trim() trims the main
 * arena's top but not the other arenas'.  In the soak each arena used by
 * a worker kept 2-4 MiB resident with no context open (RssAnon at rest
 * 6 -> 18 -> 14 MB over 48, 208, 368 client runs while memcheck showed the
 * same heap in use at rest each time).  Setting the thresholds turns the
 * adjustment off: large blocks stay mmap()ed and go back to the system
 * when freed, and each arena returns its top above 128 KiB on free().
 */
static void dd_malloc_setup(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
}

static void dd_usage(FILE *f)
{
	fprintf(f,
		"usage: daedalusd [options]\n"
		"  --device PATH     kernel module device (default " DD_DEFAULT_DEVICE
		" if present)\n"
		"  --no-device       do not open the kernel device\n"
		"  --socket PATH     listen for the CUSE server (default " DD_DEFAULT_SOCKET ")\n"
		"  --no-socket       do not listen on a socket\n"
		"  --ps-always       feed SPS/PPS before every H.264 job, not only on change\n"
		"  --threads N       slice threads per decoder (default 1; contexts always\n"
		"                    decode in parallel)\n"
		"  --hash            send each picture's FNV-1a 64 in DONE and the log (for\n"
		"                    tests: it costs more than the copy of the picture)\n"
		"  --avcodec LIB     libavcodec to dlopen (default: soname of the build)\n"
		"  --avutil LIB      libavutil to dlopen\n"
		"  --verbose         debug logging (also libavcodec's)\n"
		"SIGUSR1 logs a stats line: front ends, contexts, workers, queued jobs.\n"
		"  --help\n");
}

static void dd_add_peer(struct dd_peer *peer)
{
	if (dd_num_peers == DD_MAX_PEERS) {
		dd_err("%s: too many front ends, refusing", peer->name);
		dd_peer_put(peer);
		return;
	}
	dd_peers[dd_num_peers++] = peer;
	dd_info("%s: front end connected (%s)", peer->name, peer->ops->kind);
	dd_peer_send_hello(peer, dd_dec_codecs());
}

static void dd_drop_peer(unsigned int i)
{
	struct dd_peer *peer = dd_peers[i];

	dd_info("%s: front end gone, freeing its contexts", peer->name);
	__atomic_store_n(&peer->dead, true, __ATOMIC_RELEASE);
	dd_ctx_close_peer(peer);
	dd_peers[i] = dd_peers[--dd_num_peers];
	dd_peer_put(peer);
}

/*
 * SIGUSR1: one line a supervisor or a test can parse, e.g. to check that a
 * front end that went away left no context behind.
 */
static void dd_log_stats(void)
{
	unsigned int contexts, workers, queued;

	dd_ctx_stats(&contexts, &workers, &queued);
	dd_info("stats: front_ends %u contexts %u workers %u queued %u",
		dd_num_peers, contexts, workers, queued);
}

/* One message from a peer; returns -EPIPE if the peer must be dropped. */
static int dd_handle_message(struct dd_peer *peer, struct dd_rx *rx)
{
	struct dd_proto_hello hello;
	u32 type, ctx_id;
	int ret;

	ret = dd_proto_check_hdr(rx->buf, rx->len, &type);
	if (ret) {
		dd_rx_free(rx);
		/* A peer speaking another version cannot be talked to at all. */
		return ret == -EPROTO ? -EPIPE : 0;
	}
	switch (type) {
	case DD_MSG_JOB:
		dd_ctx_submit_job(peer, rx);
		return 0;
	case DD_MSG_CTX_CLOSE:
		if (!dd_proto_decode_ctx_close(rx->buf, rx->len, &ctx_id))
			dd_ctx_close(peer, ctx_id);
		break;
	case DD_MSG_HELLO:
		ret = dd_proto_decode_hello(rx->buf, rx->len, &hello);
		if (ret == -EPROTO) {
			dd_rx_free(rx);
			return -EPIPE;
		}
		if (!ret)
			dd_info("%s: peer \"%s\" speaks protocol %u", peer->name, hello.name,
				hello.proto_version);
		break;
	default:
		dd_warn("%s: unexpected message type %u ignored", peer->name, type);
		break;
	}
	dd_rx_free(rx);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "no-device", no_argument, NULL, 'D' },
		{ "socket", required_argument, NULL, 's' },
		{ "no-socket", no_argument, NULL, 'S' },
		{ "ps-always", no_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "hash", no_argument, NULL, 'H' },
		{ "avcodec", required_argument, NULL, 'c' },
		{ "avutil", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *sock_path = DD_DEFAULT_SOCKET;
	const char *avcodec = NULL, *avutil = NULL;
	bool no_device = false, device_given = false;
	struct pollfd pfd[DD_MAX_PEERS + 2];
	int listen_fd = -1, sig_fd, opt, status = 0;
	sigset_t mask;

	while ((opt = getopt_long(argc, argv, "d:s:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			device = optarg;
			device_given = true;
			break;
		case 'D':
			no_device = true;
			break;
		case 's':
			sock_path = optarg;
			break;
		case 'S':
			sock_path = NULL;
			break;
		case 'p':
			dd_ctx_dec_opts.ps_always = true;
			break;
		case 't':
			dd_ctx_dec_opts.slice_threads = atoi(optarg);
			if (dd_ctx_dec_opts.slice_threads < 1 || dd_ctx_dec_opts.slice_threads > 64) {
				dd_err("--threads takes 1..64");
				return 2;
			}
			break;
		case 'H':
			dd_ctx_dec_opts.hash = true;
			break;
		case 'c':
			avcodec = optarg;
			break;
		case 'u':
			avutil = optarg;
			break;
		case 'v':
			dd_log_debug = 1;
			dd_ctx_dec_opts.verbose = true;
			break;
		case 'h':
			dd_usage(stdout);
			return 0;
		default:
			dd_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		dd_usage(stderr);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	dd_malloc_setup();
	if (dd_av_load(avcodec, avutil))
		return 1;
	dd_av.av_log_set_level(dd_log_debug ? AV_LOG_VERBOSE : AV_LOG_ERROR);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGPIPE);
	sigaddset(&mask, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);	/* inherited by the workers */
	sigdelset(&mask, SIGPIPE);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sig_fd < 0) {
		dd_err("signalfd: %s", strerror(errno));
		return 1;
	}

	if (!no_device) {
		if (!device && !access(DD_DEFAULT_DEVICE, F_OK))
			device = DD_DEFAULT_DEVICE;
		if (device) {
			struct dd_peer *peer = dd_dev_open(device);

			if (!peer && device_given)
				return 1;
			if (peer)
				dd_add_peer(peer);
		}
	}
	if (sock_path) {
		listen_fd = dd_sock_listen(sock_path);
		if (listen_fd < 0)
			return 1;
		dd_info("listening on %s", sock_path);
	}
	if (!dd_num_peers && listen_fd < 0) {
		dd_err("no transport: no kernel device and no socket");
		return 1;
	}

	for (;;) {
		unsigned int i, n = 0;
		int ret;

		pfd[n++] = (struct pollfd){ .fd = sig_fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		for (i = 0; i < dd_num_peers; i++)
			pfd[n++] = (struct pollfd){ .fd = dd_peers[i]->fd, .events = POLLIN };
		ret = poll(pfd, n, -1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			dd_err("poll: %s", strerror(errno));
			status = 1;
			break;
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGUSR1) {
				dd_log_stats();
				continue;
			}
			dd_info("signal %u: shutting down", si.ssi_signo);
			break;
		}
		if (pfd[1].revents & POLLIN) {
			struct dd_peer *peer = dd_sock_accept(listen_fd);

			if (peer)
				dd_add_peer(peer);
		}
		/* Walk backwards: dd_drop_peer() moves the last peer into slot i. */
		for (i = n - 2; i-- > 0;) {
			struct dd_peer *peer;
			struct dd_rx rx;

			if (!pfd[i + 2].revents || i >= dd_num_peers)
				continue;
			peer = dd_peers[i];
			ret = peer->ops->recv(peer, &rx);
			if (ret == -EAGAIN)
				continue;
			if (ret == 0)
				ret = dd_handle_message(peer, &rx);
			if (ret == -EPIPE || (pfd[i + 2].revents & (POLLHUP | POLLERR) && ret)) {
				dd_drop_peer(i);
				if (!dd_num_peers && listen_fd < 0) {
					dd_err("the kernel device went away");
					status = 1;
					goto out;
				}
			}
		}
	}
out:
	while (dd_num_peers)
		dd_drop_peer(dd_num_peers - 1);
	dd_ctx_shutdown();
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(sock_path);
	}
	close(sig_fd);
	return status;
}
