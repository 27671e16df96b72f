#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/bench-profile.sh OUT STREAM [CLIENT ARGS]: runs inside
# tests/vm/with-device.  One untimed decode of STREAM under a system-wide
# perf record (cpu-clock, every CPU); writes to OUT the CPU share per
# process, per process and DSO (kernel vs libavcodec vs ours), and the
# hottest symbols.
set -euo pipefail

out=$1 stream=$2
shift 2
data=$out.data
perf record -q -a -e cpu-clock -F 1000 -o "$data" -- \
	build/daedalus-decode --inflight 4 "$@" "$stream" >/dev/null 2>"$out.err"
{
	echo "-- CPU share by process"
	perf report -i "$data" --no-children --sort comm --percent-limit 1 2>/dev/null |
		grep -v '^#' | grep -v '^$'
	echo "-- by process and object"
	perf report -i "$data" --no-children --sort comm,dso --percent-limit 1.5 2>/dev/null |
		grep -v '^#' | grep -v '^$'
	echo "-- hottest symbols"
	perf report -i "$data" --no-children --sort comm,sym --percent-limit 0.7 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 40
} >"$out"
rm -f "$data"
