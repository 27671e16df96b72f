# cuse-proto/: the CUSE front end (daedalus-cuse) and the LD_PRELOAD shim
# that gives unmodified clients mmap, EXPBUF and request fds on it.

CUSE_SRCS	:= $(sort $(filter-out cuse-proto/dd_preload.c,$(wildcard cuse-proto/*.c)))
CUSE_HDRS	:= $(wildcard cuse-proto/*.h)
CUSE_BIN	:= $(BUILD)/daedalus-cuse
PRELOAD_LIB	:= $(BUILD)/libdaedalus-preload.so
FUSE_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags fuse3)
FUSE_LIBS	:= $(shell $(PKG_CONFIG) --libs fuse3)

$(CUSE_BIN): $(CUSE_SRCS) $(CUSE_HDRS) $(COMMON_LIB) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FUSE_CFLAGS) -Icuse-proto -o $@ $(CUSE_SRCS) \
		$(COMMON_LIB) $(BASE_LDFLAGS) $(FUSE_LIBS)

$(PRELOAD_LIB): cuse-proto/dd_preload.c cuse-proto/dd_cuse_priv.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -fPIC -shared -fvisibility=hidden -Icuse-proto -o $@ \
		cuse-proto/dd_preload.c -ldl

ALL_USER += $(PRELOAD_LIB)
# The server links the whole device model; build it once that exists.
ifeq ($(words $(wildcard common/dd_ioctl.c common/dd_ctx.c common/dd_request.c)),3)
ALL_USER += $(CUSE_BIN)
endif

# The guest decode tests read their streams from here (the guest sees the
# tree); generating them on the host spares the TCG guest the encoding.
$(BUILD)/streams/.stamp: tests/vm/gen-streams.sh $(wildcard tests/tools/gen-paff.py)
	tests/vm/gen-streams.sh $(BUILD)/streams
	@touch $@
check-vm: $(BUILD)/streams/.stamp

# Host-side Criterion tests of the marshalling (ASan/UBSan), part of `make check`.
CUSE_TEST_BIN	:= $(BUILD)/tests/cuse-tests
$(CUSE_TEST_BIN): $(wildcard tests/cuse/*.c) cuse-proto/cuse_marshal.c cuse-proto/cuse_marshal.h \
		cuse-proto/cuse_direct.c cuse-proto/cuse_direct.h \
		$(COMMON_SRCS) common/dd_os_user.c $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 $(SAN_FLAGS) -Icuse-proto -o $@ $(wildcard tests/cuse/*.c) \
		cuse-proto/cuse_marshal.c cuse-proto/cuse_direct.c $(COMMON_SRCS) common/dd_os_user.c \
		-lcriterion

.PHONY: check-cuse
check-cuse: $(CUSE_TEST_BIN)
	ASAN_OPTIONS=detect_leaks=1 $(CUSE_TEST_BIN) --jobs 2
check: check-cuse
