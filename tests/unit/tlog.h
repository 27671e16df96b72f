/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * tlog.h - capture dd_log lines in unit tests, to assert that a rejection
 * logged the name of what it rejected.  Criterion runs each test in its own
 * process, so the static buffer is per test.
 */
#ifndef TLOG_H
#define TLOG_H

#include <string.h>

#include "dd_os.h"

#define TLOG_SIZE 8192

static char tlog_buf[TLOG_SIZE];
static unsigned int tlog_lines;

static inline void tlog_sink(enum dd_log_level level, const char *line)
{
	size_t len = strlen(tlog_buf);

	(void)level;
	snprintf(tlog_buf + len, sizeof(tlog_buf) - len, "%s\n", line);
	tlog_lines++;
}

/* Start capturing (and forget earlier lines). */
static inline void tlog_start(void)
{
	tlog_buf[0] = '\0';
	tlog_lines = 0;
	dd_log_sink = tlog_sink;
}

static inline bool tlog_has(const char *needle)
{
	return strstr(tlog_buf, needle) != NULL;
}

#endif /* TLOG_H */
