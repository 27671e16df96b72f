// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_capmap.c - the CAPTURE buffer mapping cache (see dd_capmap.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dd_capmap.h"

void dd_capmap_init(struct dd_capmap *cm)
{
	memset(cm, 0, sizeof(*cm));
	pthread_mutex_init(&cm->lock, NULL);
}

static void dd_capmap_drop(struct dd_capmap_entry *e)
{
	munmap(e->map, e->map_len);
	memset(e, 0, sizeof(*e));
}

void dd_capmap_destroy(struct dd_capmap *cm)
{
	unsigned int i;

	for (i = 0; i < DD_CAPMAP_ENTRIES; i++)
		if (cm->e[i].used)
			dd_capmap_drop(&cm->e[i]);
	pthread_mutex_destroy(&cm->lock);
}

struct dd_capmap_entry *dd_capmap_get(struct dd_capmap *cm, int fd,
				      const struct dd_capmap_key *key, uint32_t owner)
{
	struct dd_capmap_entry *e, *victim = NULL;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = key->offset & ~(page - 1);
	size_t len;
	void *map;
	unsigned int i;

	if (!key->size) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&cm->lock);
	cm->clock++;
	for (i = 0; i < DD_CAPMAP_ENTRIES; i++) {
		e = &cm->e[i];
		if (e->used && !memcmp(&e->key, key, sizeof(*key))) {
			e->users++;
			e->owner = owner;
			e->stamp = cm->clock;
			cm->hits++;
			pthread_mutex_unlock(&cm->lock);
			return e;
		}
		if (!e->used) {
			if (!victim || victim->used)
				victim = e;
		} else if (!e->users && (!victim || (victim->used && e->stamp < victim->stamp))) {
			victim = e;
		}
	}
	cm->misses++;
	if (!victim) {
		pthread_mutex_unlock(&cm->lock);
		errno = EBUSY;
		return NULL;
	}
	if (victim->used)
		dd_capmap_drop(victim);
	len = (size_t)(key->offset - start + key->size);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
	if (map == MAP_FAILED) {
		pthread_mutex_unlock(&cm->lock);
		return NULL;
	}
	victim->key = *key;
	victim->map = map;
	victim->map_len = len;
	victim->ptr = (uint8_t *)map + (key->offset - start);
	victim->users = 1;
	victim->owner = owner;
	victim->stamp = cm->clock;
	victim->used = 1;
	pthread_mutex_unlock(&cm->lock);
	return victim;
}

void dd_capmap_put(struct dd_capmap *cm, struct dd_capmap_entry *e)
{
	pthread_mutex_lock(&cm->lock);
	if (e->users)
		e->users--;
	pthread_mutex_unlock(&cm->lock);
}

unsigned int dd_capmap_drop_owner(struct dd_capmap *cm, uint32_t owner)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&cm->lock);
	for (i = 0; i < DD_CAPMAP_ENTRIES; i++) {
		struct dd_capmap_entry *e = &cm->e[i];

		if (e->used && !e->users && e->owner == owner) {
			dd_capmap_drop(e);
			n++;
		}
	}
	pthread_mutex_unlock(&cm->lock);
	return n;
}
