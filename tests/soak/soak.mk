# tests/soak/: `make soak`, the long-running reliability run (not part of
# `make check`): 8 clients on daedalus_v4l2.ko in a 6.12 guest for
# SOAK_SECONDS (default 600) with mixed streams, random seeks and SIGKILLs;
# see tests/soak/guest.sh for what it asserts.  Last line:
#   soak: N s, N clients, N frames exact, N seeks, N kills, rss S/E KiB, errors N
# Knobs: SOAK_SECONDS, SOAK_CLIENTS, SOAK_SEED, SOAK_KILL_PCT, SOAK_RSS_PCT,
# SOAK_RSS_PERIOD, SOAK_KERNEL (6.12; 6.1 works too).

.PHONY: soak
soak: kernel userspace
	@SOAK_SECONDS="$(SOAK_SECONDS)" tests/soak/run.sh

# The frame checker's own test runs with the unit tests (host, seconds).
.PHONY: check-soak-checker
check-soak-checker:
	@tests/soak/check-client-test.sh

check-unit: check-soak-checker
