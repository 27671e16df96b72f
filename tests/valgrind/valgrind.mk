# tests/valgrind/: memcheck over daedalusd through full decodes on the host
# (the plain build, not the ASan one).  The CUSE server's memcheck needs the
# guest: tests/vm/t-valgrind-cuse.sh.

.PHONY: check-valgrind
check-valgrind: $(BUILD)/daedalusd $(FEED_BIN)
	tests/valgrind/run-daemon.sh $(BUILD)

# About 20-30 s on the host, so it runs with the unit tests.
check-unit: check-valgrind
