#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-hostile-ctrls: out-of-range and contradictory H.264 controls through the
# kernel module and through CUSE (tests/vm/hostile-ctrls.c): every field
# boundary case is refused with EINVAL at VIDIOC_S_EXT_CTRLS (alone and in
# a request), every contradiction between the controls of one request at
# MEDIA_REQUEST_IOC_QUEUE; each refusal leaves a log line naming the field
# (dmesg for the module, the CUSE server's log); a consistent request still
# completes; the daemon survives and then decodes a stream framemd5-exact.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
command -v cc >/dev/null || { echo "no C compiler in the guest"; exit 77; }

# The refusals log errors on purpose; the garbage bitstream of the one
# consistent request makes the daemon complain too.
export DD_ALLOW_ERRORS='h264 (sps|pps|decode_params|scaling_matrix): |decoder: '

if [ "${1:-}" != inner ]; then
	cuse_streams
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	cc -O1 -Wall -Werror -o "$tmp/hostile-ctrls" tests/vm/hostile-ctrls.c ||
		vm_fail "cannot build tests/vm/hostile-ctrls.c"
	# Every refusal must be in the front end's log, naming the field.
	check_log() {	# check_log FRONT OUT LOG
		local n=0 field
		# (A file, not process substitution: the guest has no /dev/fd.)
		sed -n 's/^ok .*(\(.*\))$/\1/p' "$2" | grep -v '^-$' | sort -u >"$2.fields"
		while IFS= read -r field; do
			grep -qF -- "$field" "$3" ||
				vm_fail "$1: no log line naming '$field'"
			n=$((n + 1))
		done <"$2.fields"
		vm_note "$1: $n refused fields named in the log"
	}
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner kernel "$tmp" ||
		vm_fail "kernel module run failed"
	dmesg | awk -v m="$mark" 'f; index($0, m) { f = 1 }' >"$tmp/kernel.log"
	check_log kernel "$tmp/out.kernel" "$tmp/kernel.log"
	vm_dmesg_clean_since "$mark"
	if [ -x build/daedalus-cuse ] && modprobe cuse 2>/dev/null; then
		tests/vm/with-device cuse --logs "$tmp/cuse" -- bash "$0" inner cuse "$tmp" ||
			vm_fail "CUSE run failed"
		check_log cuse "$tmp/out.cuse" "$tmp/cuse/cuse.log"
	else
		vm_note "no CUSE in this kernel or no server built: CUSE leg skipped"
	fi
	exit 0
fi

front=$2 tmp=$3
"$tmp/hostile-ctrls" "$DAEDALUS_VIDEO" "$DAEDALUS_MEDIA" >"$tmp/out.$front" ||
	{ cat "$tmp/out.$front" >&2; vm_fail "$front: hostile controls not all refused"; }
vm_note "$front: $(grep -c '^ok' "$tmp/out.$front") cases behaved"
f=$VM_STREAMS/main.h264
cuse_ref "$f" "$tmp/main.ref"
[ "$front" = cuse ] && mem=userptr || mem=mmap
build/daedalus-decode --memory $mem --framemd5 "$f" >"$tmp/main.$front" ||
	vm_fail "$front: decode after the hostile controls failed"
cuse_compare "$front: main after the hostile controls" "$tmp/main.ref" "$tmp/main.$front"
