// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * fuzz_proto.c - libFuzzer target: daemon protocol messages from an
 * untrusted peer.  The input is one message: dd_proto_check_hdr, then the
 * decoder of its type (and, to reach the body checks with any header, of
 * every type) on an 8-byte-aligned copy of exactly the input's length, as
 * the transports hand it over.  Whatever decodes must re-encode to the
 * same bytes (the wire format is canonical: reserved fields and padding
 * are zero), and the encoders must agree with dd_proto_job_size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd_os.h"
#include "dd_proto.h"

static void fz_quiet(enum dd_log_level level, const char *line)
{
	(void)level;
	(void)line;
}

static void fz_check_job(const void *buf, size_t len)
{
	struct dd_proto_job job;
	void *out;
	long n;

	if (dd_proto_decode_job(buf, len, &job))
		return;
	n = dd_proto_job_size(&job);
	if (n != (long)len)
		abort();
	out = malloc(len);
	if (dd_proto_encode_job(out, len, &job) != n || memcmp(out, buf, len))
		abort();
	/* One byte short never fits. */
	if (dd_proto_encode_job(out, len - 1, &job) >= 0)
		abort();
	free(out);
}

static void fz_check_done(const void *buf, size_t len)
{
	struct dd_proto_done done;
	struct dd_wire_done out;

	if (dd_proto_decode_done(buf, len, &done))
		return;
	if (dd_proto_encode_done(&out, sizeof(out), &done) != (long)len ||
	    memcmp(&out, buf, len))
		abort();
}

static void fz_check_hello(const void *buf, size_t len)
{
	struct dd_proto_hello hello;
	struct dd_wire_hello out, in;

	if (dd_proto_decode_hello(buf, len, &hello))
		return;
	if (!memchr(hello.name, 0, sizeof(hello.name)))
		abort();	/* the name must come out terminated */
	/* The header's ctx_id/cookie are not part of the HELLO view. */
	if (len != sizeof(in))
		abort();
	memcpy(&in, buf, len);
	in.hdr.ctx_id = 0;
	in.hdr.cookie = 0;
	if (dd_proto_encode_hello(&out, sizeof(out), &hello) != (long)len ||
	    memcmp(&out, &in, len))
		abort();
}

static void fz_check_ctx_close(const void *buf, size_t len)
{
	struct dd_msg_hdr out[2], in;
	u32 ctx_id;
	long n;

	if (dd_proto_decode_ctx_close(buf, len, &ctx_id))
		return;
	if (len != sizeof(in))
		abort();
	/* The cookie is not part of the CTX_CLOSE view. */
	memcpy(&in, buf, len);
	in.cookie = 0;
	n = dd_proto_encode_ctx_close(out, sizeof(out), ctx_id);
	if (n != (long)len || memcmp(out, &in, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf;
	u32 type = 0;

	dd_log_sink = fz_quiet;
	if (size > DD_PROTO_MAX_MSG)
		return 0;
	/* An exact-size heap block (malloc aligns to 16): ASan catches overreads. */
	buf = malloc(size ? size : 1);
	if (!buf || ((uintptr_t)buf & 7))
		abort();
	memcpy(buf, data, size);
	if (!dd_proto_check_hdr(buf, size, &type)) {
		switch (type) {
		case DD_MSG_JOB:
			fz_check_job(buf, size);
			break;
		case DD_MSG_DONE:
			fz_check_done(buf, size);
			break;
		case DD_MSG_HELLO:
			fz_check_hello(buf, size);
			break;
		case DD_MSG_CTX_CLOSE:
			fz_check_ctx_close(buf, size);
			break;
		}
	}
	/* Every decoder against every message, whatever the header says. */
	fz_check_job(buf, size);
	fz_check_done(buf, size);
	fz_check_hello(buf, size);
	fz_check_ctx_close(buf, size);
	free(buf);
	return 0;
}
