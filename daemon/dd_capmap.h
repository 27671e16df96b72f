/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dd_capmap.h - a small cache of CAPTURE buffer mappings per front end.
 *
 * Mapping a buffer and faulting its pages in costs more than the copy of a
 * small picture, so mappings are kept and looked up by (device, inode,
 * offset, size): device/inode are 0 for the kernel transport's mmap
 * offsets, and the fstat() identity of a passed fd otherwise (the cached
 * mapping keeps the file alive, so the identity cannot be recycled while
 * cached).  Least recently used entries not in use are evicted, and a
 * closed context's entries are dropped (dd_capmap_drop_owner) so a client's
 * freed buffers are not kept alive by the daemon.
 */
#ifndef DD_CAPMAP_H
#define DD_CAPMAP_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>

#define DD_CAPMAP_ENTRIES	64

struct dd_capmap_key {
	uint64_t dev;
	uint64_t ino;
	uint64_t offset;
	uint64_t size;
};

struct dd_capmap_entry {
	struct dd_capmap_key key;
	void *map;		/* page-aligned mapping */
	size_t map_len;
	uint8_t *ptr;		/* start of the buffer inside map */
	unsigned int users;
	uint32_t owner;		/* ctx_id that last used it */
	uint64_t stamp;
	int used;
};

struct dd_capmap {
	pthread_mutex_t lock;
	struct dd_capmap_entry e[DD_CAPMAP_ENTRIES];
	uint64_t clock;
	unsigned long hits, misses;
};

void dd_capmap_init(struct dd_capmap *cm);
/* Unmap everything (no entry may be in use). */
void dd_capmap_destroy(struct dd_capmap *cm);

/*
 * Map `size` bytes at `offset` of `fd` (identity `key`), or reuse a cached
 * mapping.  Returns the entry (release with dd_capmap_put) or NULL with
 * errno set.
 */
struct dd_capmap_entry *dd_capmap_get(struct dd_capmap *cm, int fd,
				      const struct dd_capmap_key *key, uint32_t owner);
void dd_capmap_put(struct dd_capmap *cm, struct dd_capmap_entry *e);
/* Unmap the idle entries last used by context `owner`; returns how many. */
unsigned int dd_capmap_drop_owner(struct dd_capmap *cm, uint32_t owner);

#endif /* DD_CAPMAP_H */
