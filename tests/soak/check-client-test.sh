#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/soak/check-client-test.sh: host self-test of check-client.awk, the
# soak's frame checker (part of make check-unit): exact runs, seeks, SIGKILL
# cut-offs pass; a wrong md5, a wrong restart frame, a missing tail, a skipped
# frame and a partial line of a client that was not killed fail.

set -euo pipefail

awkf=$(dirname "${BASH_SOURCE[0]}")/check-client.awk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

md5() { printf '%032x' "$1"; }
line() { printf '0, %10u, %10u, %8d, %8d, %s\n' "$1" "$1" 1 115200 "${2:-$(md5 "$1")}"; }

{
	echo "#format: frame checksums"
	for i in $(seq 0 9); do line "$i"; done
} >"$tmp/ref"

# expect NAME KILLED WANT_BAD(0|1) WANT_FRAMES: check the output in $tmp/out
expect() {
	local got bad frames
	got=$(awk -v killed="$2" -f "$awkf" "$tmp/ref" "$tmp/out" | tail -n1)
	frames=$(awk '{ print $2 }' <<<"$got")
	bad=$(awk '{ print $6 }' <<<"$got")
	if { [ "$3" = 0 ] && [ "$bad" != 0 ]; } || { [ "$3" = 1 ] && [ "$bad" = 0 ]; } ||
	   [ "$frames" != "$4" ]; then
		echo "check-client-test: $1: got '$got', want bad $3 frames $4" >&2
		fails=$((fails + 1))
	fi
}

for i in $(seq 0 9); do line "$i"; done >"$tmp/out"
expect "whole stream" 0 0 10

{ for i in 0 1 2; do line "$i"; done
  echo "#seek: stop before picture 5, drain, restart at IDR picture 6"
  for i in 6 7 8 9; do line "$i"; done; } >"$tmp/out"
expect "seek" 0 0 7

{ for i in 0 1; do line "$i"; done
  echo "#seek: stop before picture 3, streamoff, restart at IDR picture 6"
  for i in 5 6 7 8 9; do line "$i"; done; } >"$tmp/out"
expect "wrong frame after a seek" 0 1 7

{ line 0; line 1 "$(md5 77)"; for i in $(seq 2 9); do line "$i"; done; } >"$tmp/out"
expect "wrong md5" 0 1 9

{ for i in 0 1 3 4 5 6 7 8 9; do line "$i"; done; } >"$tmp/out"
expect "skipped frame" 0 1 9

{ for i in 0 1 2; do line "$i"; done; } >"$tmp/out"
expect "missing tail" 0 1 3
expect "missing tail, killed" 1 0 3

{ for i in 0 1 2; do line "$i"; done; line 3 | head -c 40; } >"$tmp/out"
expect "killed mid-line" 1 0 3
expect "partial line, not killed" 0 1 3

{ for i in 0 1 2; do line "$i"; done; line 3 | head -c 60; } >"$tmp/out"
expect "killed mid-md5" 1 0 3

if [ $fails != 0 ]; then
	echo "check-client-test: $fails cases failed" >&2
	exit 1
fi
echo "check-client-test: 10 cases passed"
