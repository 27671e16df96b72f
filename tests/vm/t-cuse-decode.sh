#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-decode: every test stream (tests/vm/gen-streams.sh) decoded through
# the CUSE device by build/daedalus-decode with 1 and 4 requests in flight;
# each frame's md5 must equal `ffmpeg -f framemd5 -pix_fmt nv12`.
# CUSE_STREAMS="name ..." picks a subset.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

if [ "${1:-}" != inner ]; then
	cuse_streams
	exec tests/vm/with-device cuse -- bash "$0" inner
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
streams=${CUSE_STREAMS:-"baseline-slices main high cqm-jvt odd-642x362 hd-1280x720 mbaff"}
for s in $streams; do
	f=$VM_STREAMS/$s.h264
	[ -f "$f" ] || vm_fail "missing stream $f"
	cuse_ref "$f" "$tmp/$s.ref"
	for n in 1 4; do
		t0=$(date +%s.%N)
		cuse_decode "$f" "$n" "$tmp/$s.$n.md5" || vm_fail "$s: daedalus-decode --inflight $n failed"
		t1=$(date +%s.%N)
		cuse_compare "$s --inflight $n ($(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s)" \
			"$tmp/$s.ref" "$tmp/$s.$n.md5"
	done
done
