#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-concurrent: two clients decode different streams through the same
# CUSE device at the same time (4 requests in flight each); both must stay
# frame-exact against ffmpeg.
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
a=$VM_STREAMS/high.h264
b=$VM_STREAMS/odd-642x362.h264
cuse_ref "$a" "$tmp/a.ref"
cuse_ref "$b" "$tmp/b.ref"
for round in 1 2; do
	cuse_decode "$a" 4 "$tmp/a.md5" & pa=$!
	cuse_decode "$b" 4 "$tmp/b.md5" & pb=$!
	wait $pa || vm_fail "client A (high) failed"
	wait $pb || vm_fail "client B (642x362) failed"
	cuse_compare "round $round client A high" "$tmp/a.ref" "$tmp/a.md5"
	cuse_compare "round $round client B 642x362" "$tmp/b.ref" "$tmp/b.md5"
done
