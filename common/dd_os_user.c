// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_os_user.c - userspace half of the dd_os.h shim: the log sink.
 * Built only into userspace programs and tests; the kernel uses printk.
 */
#include <stdarg.h>

#include "dd_os.h"

static void dd_log_stderr(enum dd_log_level level, const char *line)
{
	static const char * const tag[] = { "error", "warning", "info", "debug" };

	fprintf(stderr, "daedalus: %s: %s\n", tag[level], line);
}

void (*dd_log_sink)(enum dd_log_level level, const char *line) = dd_log_stderr;
int dd_log_debug;

void dd_log(enum dd_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (level == DD_LOG_DBG && !dd_log_debug)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	dd_log_sink(level, line);
}
