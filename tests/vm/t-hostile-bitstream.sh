#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-hostile-bitstream: hostile bitstreams through the kernel module and
# through CUSE.  daedalus-decode --corrupt (tools/dd_corrupt.h) damages 30%
# of the pictures of a valid stream (one per mode): the whole OUTPUT buffer
# replaced by random bytes, noise in the slice data, truncated pictures,
# slices swapped or dropped, SPS or PPS controls that disagree with the
# slice data.  Every
# run must finish (no request or CAPTURE buffer left hanging), each damaged
# job either fails (ERROR buffer) or is concealed, random bytes and
# truncation must produce ERROR buffers, the daemon and the CUSE server
# must survive, and afterwards clean streams decode framemd5-exact on the
# same daemon.  The fast host version is in tests/daemon/run-streams.sh.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }
[ -x build/daedalusd ] || { echo "build/daedalusd not built"; exit 77; }

# Mode:stream pairs: slices are swapped and dropped in the 4-slice CAVLC
# stream, the rest hits the CABAC B-pyramid one too.  One stream per mode
# keeps the test short under TCG.
RUNS="random:high noise:high truncate:baseline-slices swap:baseline-slices
      drop:baseline-slices sps:high pps:baseline-slices random:baseline-slices"
# What the daemon logs about the damage on purpose: libavcodec's complaints
# and the jobs it answers ERROR.
export DD_ALLOW_ERRORS='decoder: '

if [ "${1:-}" != inner ]; then
	cuse_streams
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner kernel || vm_fail "kernel module run failed"
	vm_dmesg_clean_since "$mark"
	if [ -x build/daedalus-cuse ] && modprobe cuse 2>/dev/null; then
		tests/vm/with-device cuse -- bash "$0" inner cuse || vm_fail "CUSE run failed"
	else
		vm_note "no CUSE in this kernel or no server built: CUSE leg skipped"
	fi
	exit 0
fi

front=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ "$front" = cuse ] && mem=userptr || mem=mmap
seed=1
for r in $RUNS; do
	m=${r%%:*} s=${r#*:}
	seed=$((seed + 1))
	f=$VM_STREAMS/$s.h264
	st=0
	timeout 120 build/daedalus-decode --memory $mem --inflight 4 --framemd5 \
		--corrupt "$m:$seed:30" "$f" >"$tmp/out" 2>"$tmp/err" || st=$?
	[ $st != 124 ] || vm_fail "$front $m $s: the client hung"
	[ $st = 0 ] || { cat "$tmp/err" >&2; vm_fail "$front $m $s: decode failed ($st)"; }
	sum=$(grep 'daedalus-decode: corrupt:' "$tmp/err") ||
		{ cat "$tmp/err" >&2; vm_fail "$front $m $s: no summary line"; }
	# (No process substitution: the guest has no /dev/fd.)
	read -r hit out_err cap_err <<<"$(sed -E \
		's/.*corrupt: ([0-9]+) of [0-9]+ pictures damaged, ([0-9]+) OUTPUT and ([0-9]+) CAPTURE.*/\1 \2 \3/' \
		<<<"$sum")"
	[ "$hit" -ge 1 ] || vm_fail "$front $m $s: nothing was damaged ($sum)"
	case $m in random|truncate)
		[ $((out_err + cap_err)) -ge 1 ] ||
			vm_fail "$front $m $s: damage answered without an ERROR buffer ($sum)" ;;
	esac
	vm_note "$front $m $s: ${sum#daedalus-decode: corrupt: }"
done
# The same daemon (and CUSE server) still decodes clean streams exactly.
for s in main baseline-slices; do
	f=$VM_STREAMS/$s.h264
	cuse_ref "$f" "$tmp/$s.ref"
	build/daedalus-decode --memory $mem --inflight 4 --framemd5 "$f" >"$tmp/$s.got" ||
		vm_fail "$front: clean decode of $s after the damage failed"
	cuse_compare "$front: $s after the damage" "$tmp/$s.ref" "$tmp/$s.got"
done
