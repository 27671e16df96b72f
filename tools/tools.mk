# tools/: daedalus-decode, the project's V4L2 stateless H.264 client, and its
# host-side self-test (stream splitting + DPB output order vs ffprobe).

TOOLS_PKGS	:= gstreamer-codecparsers-1.0 libv4l2
TOOLS_CFLAGS	:= $(BASE_CFLAGS) -Itools -DGST_USE_UNSTABLE_API $(shell $(PKG_CONFIG) --cflags $(TOOLS_PKGS))
TOOLS_LIBS	:= $(shell $(PKG_CONFIG) --libs $(TOOLS_PKGS))
TOOLS_HDRS	:= $(wildcard tools/*.h)
# Everything except the CLI is shared with the self-test.
TOOLS_CORE	:= tools/dd_h264_au.c tools/dd_h264_ctrls.c tools/dd_h264_dpb.c \
		   tools/dd_h264_reflist.c
TOOLS_SRCS	:= $(TOOLS_CORE) tools/dd_v4l2_dev.c tools/dd_framemd5.c tools/dd_frame_dec.c \
		   tools/dd_decode_main.c \
		   tools/dd_seek.c
# daedalus-decode --corrupt (hostile-input tests).
TOOLS_SRCS	+= tools/dd_corrupt.c
# Containers shared by the frame-based codecs.
TOOLS_SRCS	+= tools/dd_ivf.c
TOOLS_SRCS	+= tools/dd_mpeg2_decode.c tools/dd_vp8_decode.c tools/dd_vp9_decode.c \
		   tools/dd_vp9_probs.c
TOOLS_SRCS	+= tools/dd_hevc_decode.c
DECODE_BIN	:= $(BUILD)/daedalus-decode
DPB_ORDER_BIN	:= $(BUILD)/tests/tools/dd-dpb-order

$(BUILD)/tools/%.o: tools/%.c $(TOOLS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -c -o $@ $<

$(DECODE_BIN): $(patsubst tools/%.c,$(BUILD)/tools/%.o,$(TOOLS_SRCS))
	$(CC) $(BASE_LDFLAGS) -o $@ $^ $(TOOLS_LIBS)

$(DPB_ORDER_BIN): tests/tools/dd_dpb_order.c $(patsubst tools/%.c,$(BUILD)/tools/%.o,$(TOOLS_CORE))
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

ALL_USER += $(DECODE_BIN) $(DPB_ORDER_BIN)

# DPB output order vs ffprobe's coded_picture_number on x264-made streams.
.PHONY: check-tools
check-tools: $(DPB_ORDER_BIN)
	tests/tools/check-dpb-order.sh $(DPB_ORDER_BIN) $(BUILD)/tests/tools/streams

check-unit: check-tools

# VP9 compressed-header reading vs the zero padding that must follow it
# (spec 9.2.3), on the libvpx-made streams of t-vp9 and t-10bit (tests/vm/gen-vp9.sh,
# made here in the guest tests' stream directory: check-vm depends on
# check-tools, so the guest finds them made).
VP9_PROBS_BIN	:= $(BUILD)/tests/tools/dd-vp9-probs-check
$(VP9_PROBS_BIN): tests/tools/dd_vp9_probs_check.c $(BUILD)/tools/dd_vp9_probs.o
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)
ALL_USER += $(VP9_PROBS_BIN)

.PHONY: check-vp9-probs
check-vp9-probs: $(VP9_PROBS_BIN)
	tests/vm/gen-vp9.sh $(BUILD)/streams
	$(VP9_PROBS_BIN) $(BUILD)/streams/vp9-altref.ivf $(BUILD)/streams/vp9-tiles.ivf \
		$(BUILD)/streams/vp9-resize.ivf $(BUILD)/streams/vp9-showex.ivf \
		$(BUILD)/streams/vp9p2-altref.ivf $(BUILD)/streams/vp9p2-odd.ivf \
		$(BUILD)/streams/vp9p2-switch.ivf

check-tools: check-vp9-probs

# Picture output (--framemd5, -o) of NV12 and P010 pictures in a padded
# driver layout, cropped, vs ffmpeg's framemd5 and raw output.
FRAMEMD5_CHECK_BIN	:= $(BUILD)/tests/tools/dd-framemd5-check
$(FRAMEMD5_CHECK_BIN): tests/tools/dd_framemd5_check.c $(BUILD)/tools/dd_framemd5.o
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)
ALL_USER += $(FRAMEMD5_CHECK_BIN)

.PHONY: check-framemd5
check-framemd5: $(FRAMEMD5_CHECK_BIN)
	tests/tools/check-framemd5.sh $(FRAMEMD5_CHECK_BIN) $(BUILD)/tests/tools/framemd5

check-tools: check-framemd5

# The guest test t-visl-decode needs visl (tests/vm/build-visl.sh) and the
# MMCO-heavy streams check-tools makes.
.PHONY: visl
visl:
	tests/vm/build-visl.sh --optional

check-vm: visl check-tools

# The main job (README): decode a clip through the device, pixel-checked.
.PHONY: demo
demo: userspace kernel
	tools/demo.sh $(if $(DEMO_FRONT),--front $(DEMO_FRONT)) $(DEMO_CLIP)
