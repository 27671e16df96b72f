#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-depth-fmt: the CAPTURE formats follow the bit depth of the HEVC SPS /
# VP9 FRAME set outside a request, through the kernel module and through
# CUSE (tests/vm/depth-fmt.c): 8 bits lists NV12 and YUV420, 10 bits only
# P010 (G_FMT, TRY_FMT and S_FMT answer P010 with 2-byte samples); a new
# depth while CAPTURE has buffers is EBUSY; a request whose SPS depth is
# not the CAPTURE format's is refused at MEDIA_REQUEST_IOC_QUEUE with a
# log line naming both; 12-bit and 4:2:2 stay refused.
. tests/vm/lib.sh

command -v cc >/dev/null || { echo "no C compiler in the guest"; exit 77; }

# The refusals log errors on purpose.
export DD_ALLOW_ERRORS='stream bit depth|request: hevc picture|hevc sps: |vp9 frame: '

if [ "${1:-}" != inner ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	cc -O1 -Wall -Werror -o "$tmp/depth-fmt" tests/vm/depth-fmt.c ||
		vm_fail "cannot build tests/vm/depth-fmt.c"
	check_log() {	# check_log FRONT LOG
		local want
		for want in 'request: hevc picture is 10-bit, the CAPTURE format NV12 is 8-bit' \
			    'request: hevc picture is 8-bit, the CAPTURE format P010 is 10-bit' \
			    'stream bit depth 8 while CAPTURE holds 10-bit buffers' \
			    'bit_depth_luma_minus8=4 unsupported' \
			    'bit_depth=12 unsupported'; do
			grep -qF -- "$want" "$2" || vm_fail "$1: no log line '$want'"
		done
		vm_note "$1: every refusal logged"
	}
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner kernel "$tmp" ||
		vm_fail "kernel module run failed"
	dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }' >"$tmp/kernel.log"
	check_log kernel "$tmp/kernel.log"
	vm_dmesg_clean_since "$mark"
	if [ -x build/daedalus-cuse ] && modprobe cuse 2>/dev/null; then
		tests/vm/with-device cuse --logs "$tmp/cuse" -- bash "$0" inner cuse "$tmp" ||
			vm_fail "CUSE run failed"
		check_log cuse "$tmp/cuse/cuse.log"
	else
		vm_note "no CUSE in this kernel or no server built: CUSE leg skipped"
	fi
	exit 0
fi

front=$2 tmp=$3
"$tmp/depth-fmt" "$DAEDALUS_VIDEO" "$DAEDALUS_MEDIA" >"$tmp/out.$front" ||
	{ cat "$tmp/out.$front" >&2; vm_fail "$front: the CAPTURE formats did not follow the depth"; }
vm_note "$front: $(grep -c '^ok' "$tmp/out.$front") cases behaved"
