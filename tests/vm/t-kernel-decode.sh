#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-kernel-decode: every stream of tests/vm/gen-streams.sh decoded through
# daedalus_v4l2.ko (daemon on /dev/daedalus-v4l2) by build/daedalus-decode
# with MMAP buffers, 1 and 4 requests in flight, then (three streams) with
# USERPTR and DMABUF buffers; each frame's md5 must equal
# `ffmpeg -f framemd5 -pix_fmt nv12`.  The debugfs counters must show every
# job done, none failed, and the kernel log no warning.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

STREAMS="baseline-slices main high cqm-jvt odd-642x362 hd-1280x720 mbaff paff"

if [ "${1:-}" != inner ]; then
	cuse_streams
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner || exit 1
	vm_dmesg_clean_since "$mark"
	exit 0
fi

stats=/sys/kernel/debug/daedalus-v4l2/stats
[ -r $stats ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
stat() { awk -v k="$1:" '$1 == k { print $2 }' $stats; }

# DMABUF buffers come from a dma-heap; Debian's 6.1 has none.
dmabuf=dmabuf:4
[ -c /dev/dma_heap/system ] || { dmabuf=; vm_note "no /dev/dma_heap/system: DMABUF runs skipped"; }

tmp=$(mktemp -d)
frames=0
for s in $STREAMS; do
	f=$VM_STREAMS/$s.h264
	[ -f "$f" ] || vm_fail "missing stream $f"
	cuse_ref "$f" "$tmp/$s.ref"
	runs="mmap:1 mmap:4"
	case $s in main|high|odd-642x362) runs="$runs userptr:4 $dmabuf" ;; esac
	for r in $runs; do
		mem=${r%:*} n=${r#*:}
		t0=$(date +%s.%N)
		build/daedalus-decode --memory "$mem" --framemd5 --inflight "$n" "$f" \
			>"$tmp/$s.$mem.$n.md5" 2>"$tmp/err" ||
			{ cat "$tmp/err" >&2; vm_fail "$s: daedalus-decode --memory $mem --inflight $n failed"; }
		t1=$(date +%s.%N)
		cuse_compare "$s $mem --inflight $n ($(echo "$t1 - $t0" | bc | cut -c1-4) s)" \
			"$tmp/$s.ref" "$tmp/$s.$mem.$n.md5"
		frames=$((frames + $(wc -l <"$tmp/$s.$mem.$n.md5.col")))
	done
done

cat $stats
[ "$(stat errors)" = 0 ] || vm_fail "debugfs: $(stat errors) jobs failed"
[ "$(stat timeouts)" = 0 ] || vm_fail "debugfs: $(stat timeouts) jobs timed out"
[ "$(stat bad_done)" = 0 ] || vm_fail "debugfs: $(stat bad_done) DONE messages refused"
[ "$(stat done)" = "$(stat jobs)" ] || vm_fail "debugfs: $(stat jobs) jobs issued, $(stat done) done"
[ "$(stat done)" -ge "$frames" ] || vm_fail "debugfs: $(stat done) jobs done for $frames frames"
vm_note "$frames frames exact, $(stat done) jobs"
