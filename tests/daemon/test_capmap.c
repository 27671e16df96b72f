// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * test_capmap.c - the CAPTURE mapping cache: hits, offsets inside pages,
 * LRU eviction of idle entries, never evicting an entry in use.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "dd_capmap.h"

static struct dd_capmap tcm;
static int tcm_fd;

static void tcm_setup(void)
{
	dd_capmap_init(&tcm);
	tcm_fd = memfd_create("tcm", MFD_CLOEXEC);
	cr_assert_geq(tcm_fd, 0);
	cr_assert_eq(ftruncate(tcm_fd, 1 << 20), 0);
}

static void tcm_teardown(void)
{
	dd_capmap_destroy(&tcm);
	close(tcm_fd);
}

TestSuite(capmap, .init = tcm_setup, .fini = tcm_teardown);

Test(capmap, maps_shared_memory_at_unaligned_offset)
{
	struct dd_capmap_key key = { .dev = 1, .ino = 2, .offset = 4096 + 100, .size = 5000 };
	struct dd_capmap_entry *e = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	uint8_t check[4];

	cr_assert_not_null(e);
	memcpy(e->ptr, "abcd", 4);
	cr_assert_eq(pread(tcm_fd, check, 4, 4096 + 100), 4);
	cr_assert_arr_eq(check, "abcd", 4);
	dd_capmap_put(&tcm, e);
}

Test(capmap, same_key_hits_the_cache)
{
	struct dd_capmap_key key = { .offset = 0, .size = 8192 };
	struct dd_capmap_entry *a, *b;

	a = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	dd_capmap_put(&tcm, a);
	b = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	cr_assert_eq(a, b);
	cr_assert_eq(tcm.hits, 1);
	cr_assert_eq(tcm.misses, 1);
	dd_capmap_put(&tcm, b);
	/* A different size is a different buffer. */
	key.size = 4096;
	b = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	cr_assert_neq(a, b);
	cr_assert_eq(tcm.misses, 2);
	dd_capmap_put(&tcm, b);
}

Test(capmap, evicts_least_recently_used_idle_entry)
{
	struct dd_capmap_key key = { .size = 4096 };
	struct dd_capmap_entry *e, *first;
	unsigned int i;

	for (i = 0; i < DD_CAPMAP_ENTRIES; i++) {
		key.offset = (uint64_t)i * 4096;
		e = dd_capmap_get(&tcm, tcm_fd, &key, 1);
		cr_assert_not_null(e);
		dd_capmap_put(&tcm, e);
	}
	/* Touch entry 0 so entry 1 is the oldest. */
	key.offset = 0;
	first = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	dd_capmap_put(&tcm, first);
	key.offset = (uint64_t)DD_CAPMAP_ENTRIES * 4096;
	e = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	cr_assert_not_null(e);
	dd_capmap_put(&tcm, e);
	/* Entry 0 survived, entry 1 was evicted (a miss now). */
	key.offset = 0;
	e = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	cr_assert_eq(e, first);
	dd_capmap_put(&tcm, e);
	i = tcm.misses;
	key.offset = 4096;
	e = dd_capmap_get(&tcm, tcm_fd, &key, 1);
	cr_assert_eq(tcm.misses, i + 1);
	dd_capmap_put(&tcm, e);
}

Test(capmap, entries_in_use_are_never_evicted)
{
	struct dd_capmap_entry *held[DD_CAPMAP_ENTRIES];
	struct dd_capmap_key key = { .size = 4096 };
	unsigned int i;

	for (i = 0; i < DD_CAPMAP_ENTRIES; i++) {
		key.offset = (uint64_t)i * 4096;
		held[i] = dd_capmap_get(&tcm, tcm_fd, &key, 1);
		cr_assert_not_null(held[i]);
	}
	key.offset = (uint64_t)DD_CAPMAP_ENTRIES * 4096;
	errno = 0;
	cr_assert_null(dd_capmap_get(&tcm, tcm_fd, &key, 1));
	cr_assert_eq(errno, EBUSY);
	dd_capmap_put(&tcm, held[5]);
	cr_assert_not_null(dd_capmap_get(&tcm, tcm_fd, &key, 1));
	/* held[5]'s slot was reused; release the rest. */
	for (i = 0; i < DD_CAPMAP_ENTRIES; i++)
		if (i != 5)
			dd_capmap_put(&tcm, held[i]);
}

Test(capmap, mmap_failure_and_zero_size)
{
	struct dd_capmap_key key = { .size = 4096 };

	cr_assert_null(dd_capmap_get(&tcm, -1, &key, 1));
	key.size = 0;
	cr_assert_null(dd_capmap_get(&tcm, tcm_fd, &key, 1));
	cr_assert_eq(errno, EINVAL);
}

Test(capmap, closed_context_mappings_are_dropped)
{
	struct dd_capmap_key key = { .size = 4096 };
	struct dd_capmap_entry *a, *b, *busy;

	key.offset = 0;
	a = dd_capmap_get(&tcm, tcm_fd, &key, 7);
	dd_capmap_put(&tcm, a);
	key.offset = 4096;
	b = dd_capmap_get(&tcm, tcm_fd, &key, 8);
	dd_capmap_put(&tcm, b);
	key.offset = 8192;
	busy = dd_capmap_get(&tcm, tcm_fd, &key, 7);
	/* Only ctx 7's idle entry goes; the one in use and ctx 8's stay. */
	cr_assert_eq(dd_capmap_drop_owner(&tcm, 7), 1);
	cr_assert_eq(a->used, 0);
	cr_assert_eq(b->used, 1);
	cr_assert_eq(busy->used, 1);
	dd_capmap_put(&tcm, busy);
	cr_assert_eq(dd_capmap_drop_owner(&tcm, 7), 1);
	cr_assert_eq(dd_capmap_drop_owner(&tcm, 9), 0);
}
