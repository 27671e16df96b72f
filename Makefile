# daedalus-v4l2 top-level build.
#
# Each part of the tree owns a fragment (common/common.mk, daemon/daemon.mk,
# cuse-proto/cuse.mk, tools/tools.mk, kernel/kernel.mk, tests/unit/unit.mk,
# tests/vm/vm.mk) that adds its programs to ALL_USER and its checks to the
# check targets below.  Everything built lands in build/.

BUILD		:= build
CC		?= gcc
PKG_CONFIG	?= pkg-config

WARN		:= -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
BASE_CFLAGS	:= -std=gnu11 -O2 -g -D_GNU_SOURCE -pthread $(WARN) -Icommon
BASE_LDFLAGS	:= -pthread

ALL_USER	:=

.PHONY: all deps kernel check check-unit check-vm coverage bench clean install
all: userspace

include $(sort $(wildcard common/*.mk daemon/*.mk cuse-proto/*.mk tools/*.mk kernel/*.mk packaging/*.mk tests/*/*.mk))

.PHONY: userspace
userspace: $(ALL_USER)

# Debian packages the build, the tests and the guest need.  Idempotent.
DEB_PACKAGES := build-essential pkg-config git ca-certificates \
	libfuse3-dev fuse3 libavcodec-dev libavutil-dev libavformat-dev \
	libv4l-dev libcriterion-dev gcovr \
	libgstreamer1.0-dev libgstreamer-plugins-bad1.0-dev \
	linux-image-amd64 linux-headers-amd64 \
	linux-image-6.12-amd64 linux-headers-6.12-amd64 \
	qemu-system-x86 busybox-static kmod cpio zstd xz-utils \
	v4l-utils ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base \
	gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
	python3 clang libclang-rt-14-dev valgrind strace \
	linux-source-6.12

deps:
	@if ! dpkg-query -W -f='$${Status}\n' $(DEB_PACKAGES) 2>/dev/null | \
		grep -qv '^install ok installed$$' && \
	     [ "$$(dpkg-query -W -f='$${Status}\n' $(DEB_PACKAGES) 2>/dev/null | wc -l)" -eq "$(words $(DEB_PACKAGES))" ]; then \
		echo "deps: all $(words $(DEB_PACKAGES)) packages present"; \
	else \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $(DEB_PACKAGES); \
	fi

check: check-unit check-vm

clean:
	rm -rf $(BUILD)
