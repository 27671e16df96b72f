# daemon/: daedalusd, the libavcodec decoding daemon, and its host tests.
# libavcodec/libavutil are dlopen()ed at run time: only their headers are
# used at build time (pkg-config --cflags), never -lavcodec.

DAEMON_SRCS	:= $(sort $(wildcard daemon/*.c))
DAEMON_HDRS	:= $(wildcard daemon/*.h)
DAEMON_OBJS	:= $(patsubst daemon/%.c,$(BUILD)/daemon/%.o,$(DAEMON_SRCS))
DAEMON_LIB_OBJS	:= $(filter-out $(BUILD)/daemon/daedalusd.o,$(DAEMON_OBJS))
AV_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libavcodec libavutil)
DAEMON_CFLAGS	:= $(BASE_CFLAGS) $(AV_CFLAGS) -Idaemon

$(BUILD)/daemon/%.o: daemon/%.c $(DAEMON_HDRS) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -c -o $@ $<

DAEMON_COMMON	:= $(BUILD)/common/dd_proto.o $(BUILD)/common/dd_os_user.o

$(BUILD)/daedalusd: $(DAEMON_OBJS) $(DAEMON_COMMON)
	$(CC) $(BASE_LDFLAGS) -o $@ $(DAEMON_OBJS) $(DAEMON_COMMON) -ldl

ALL_USER += $(BUILD)/daedalusd

# Host tests (no V4L2 needed): Criterion suites for the daemon's pieces,
# and the end-to-end check that feeds generated H.264 streams through a
# running daedalusd exactly as a stateless client would, comparing every
# frame with ffmpeg's own decode.
DTEST_SRCS	:= $(sort $(wildcard tests/daemon/test_*.c))
DTEST_BIN	:= $(BUILD)/tests/daemon-tests
FEED_BIN	:= $(BUILD)/tests/dd-feed
GST_CP_CFLAGS	:= -DGST_USE_UNSTABLE_API $(shell $(PKG_CONFIG) --cflags gstreamer-codecparsers-1.0 glib-2.0)
GST_CP_LIBS	:= $(shell $(PKG_CONFIG) --libs gstreamer-codecparsers-1.0 glib-2.0)

# Built from source with the sanitizers, like the common/ unit tests.
DTEST_CODE	:= $(filter-out daemon/daedalusd.c,$(DAEMON_SRCS)) common/dd_proto.c \
		   common/dd_os_user.c
$(DTEST_BIN): $(DTEST_SRCS) $(DTEST_CODE) $(DAEMON_HDRS) $(COMMON_HDRS) $(wildcard tests/daemon/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) $(GST_CP_CFLAGS) -O1 $(SAN_FLAGS) -Itests/daemon -o $@ \
		$(DTEST_SRCS) $(DTEST_CODE) -ldl -lcriterion $(GST_CP_LIBS)

# The daemon itself under ASan/UBSan for the stream check (leaks at exit too).
DAEMON_ASAN	:= $(BUILD)/tests/daedalusd-asan
$(DAEMON_ASAN): $(DAEMON_SRCS) $(DAEMON_HDRS) common/dd_proto.c common/dd_os_user.c $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -O1 $(SAN_FLAGS) -o $@ $(DAEMON_SRCS) common/dd_proto.c \
		common/dd_os_user.c -ldl

$(FEED_BIN): tests/daemon/feed.c tools/dd_corrupt.c tools/dd_corrupt.h $(DAEMON_COMMON) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itools $(GST_CP_CFLAGS) -o $@ tests/daemon/feed.c tools/dd_corrupt.c \
		$(DAEMON_COMMON) \
		$(GST_CP_LIBS)

.PHONY: check-daemon check-daemon-unit check-daemon-streams
check-daemon-unit: $(DTEST_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(DTEST_BIN) --jobs 2

check-daemon-streams: $(DAEMON_ASAN) $(FEED_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/daemon/run-streams.sh $(BUILD) $(DAEMON_ASAN)

check-daemon: check-daemon-unit check-daemon-streams

# The daemon's host tests are unit tests of the tree: `make check-unit` runs them.
check-unit: check-daemon
