/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * cuse_fdsock.h - the socket on which the preload shim redeems a buffer
 * token for the buffer's memfd (SCM_RIGHTS).  The peer is identified by
 * SO_PEERCRED; the token decides which buffer and whether that process may
 * have it (see dd_cuse_priv.h).
 */
#ifndef CUSE_FDSOCK_H
#define CUSE_FDSOCK_H

#include <stdint.h>
#include <sys/types.h>

/* Returns a new fd (the caller's to send and close) or -errno. */
typedef int (*dd_cuse_redeem_fn)(uint64_t token, pid_t peer, uint64_t *length);

int dd_cuse_fdsock_start(const char *path, dd_cuse_redeem_fn redeem);

#endif /* CUSE_FDSOCK_H */
