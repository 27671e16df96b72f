#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/bench-run.sh LOGDIR OUT STREAM RUNS [CLIENTS [ARGS...]]: runs
# inside tests/vm/with-device (the daemon and the front end are up; LOGDIR
# is with-device's --logs directory).  Decodes STREAM RUNS times with
# daedalus-decode (CLIENTS concurrent clients, default 1, extra client
# ARGS such as --memory mmap) and writes the best run as shell assignments
# to OUT.  BENCH_MAX_IN_FLIGHT=N sets the kernel module's max_in_flight
# parameter (read at open) first.  Each run is preceded by a raw
# libavcodec decode (ffmpeg -threads 1) in the same window, so that the
# ratio is taken between neighbours: on a loaded host TCG speed drifts by
# a factor of two within minutes.  OUT holds:
#   raw_ns           the best raw libavcodec wall time of this session
#   pairs            every run as RAW_NS:LOOP_NS:WALL_NS:OURS_NS: the raw
#                    ffmpeg run right before it (whole process; its decode
#                    loop alone, -benchmark's rtime, which leaves out
#                    ffmpeg's start-up) and the run itself (whole process;
#                    daedalus-decode --benchmark's rtime, the slowest
#                    client's, which leaves out its start-up)
#   wall_ns          wall time of the run
#   cli_user_ms cli_sys_ms      the client processes' CPU time
#   dmn_cpu_ms srv_cpu_ms       daedalusd's / daedalus-cuse's CPU time
#   jobs dec_us copy_us         jobs the daemon answered in the run, the sum
#                               of their decode times (whole job) and of the
#                               copy part of it (daemon log)
set -euo pipefail

logdir=$1 out=$2 stream=$3 runs=$4 clients=${5:-1}
shift 5 || shift $#
param=/sys/module/daedalus_v4l2/parameters/max_in_flight
if [ -n "${BENCH_MAX_IN_FLIGHT:-}" ] && [ -w "$param" ]; then
	echo "$BENCH_MAX_IN_FLIGHT" >"$param"
fi
dlog=$logdir/daemon.log
dpid=$(pgrep -x daedalusd | head -n1)
spid=$(pgrep -x daedalus-cuse | head -n1 || true)
tick=$(getconf CLK_TCK)

now_ns() { date +%s%N; }
# CPU ms (user+system) of a process so far.
cpu_ms() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
	# Fields after the ")" of the command name: utime is the 12th, stime the 13th.
	sed 's/.*) //' "/proc/$1/stat" |
		awk -v t="$tick" '{ printf "%d", ($12 + $13) * 1000 / t }'
}

best= raw_best= pairs=
for r in $(seq "$runs"); do
	t0=$(now_ns)
	ffmpeg -nostdin -hide_banner -loglevel info -nostats -benchmark -threads 1 \
		-i "$stream" -f null - >"$out.raw" 2>&1
	t1=$(now_ns)
	raw=$((t1 - t0))
	# "bench: utime=1.234s stime=0.010s rtime=1.300s"
	loop=$(awk '/^bench: utime=/ { for (i = 1; i <= NF; i++) if ($i ~ /^rtime=/) {
			v = substr($i, 7); sub(/s$/, "", v); printf "%.0f", v * 1e9 } }' "$out.raw")
	[ -n "$loop" ] || { cat "$out.raw" >&2; echo "bench-run: no ffmpeg -benchmark line" >&2; exit 1; }
	rm -f "$out.raw"
	if [ -z "$raw_best" ] || [ "$raw" -lt "$raw_best" ]; then
		raw_best=$raw
	fi
	l0=$(wc -l <"$dlog")
	d0=$(cpu_ms "$dpid")
	s0=$(cpu_ms "$spid")
	t0=$(now_ns)
	for c in $(seq "$clients"); do
		/usr/bin/time -f "%U %S" -o "$out.time.$c" \
			build/daedalus-decode --inflight 4 --benchmark "$@" "$stream" \
			>/dev/null 2>"$out.err.$c" &
	done
	wait
	t1=$(now_ns)
	# "daedalus-decode: bench: rtime=1.234s"; the slowest client's.
	ours=$(cat "$out".err.* | awk '/^daedalus-decode: bench: rtime=/ {
			v = substr($3, 7); sub(/s$/, "", v); if (v > m) m = v; n++ }
		END { if (n) printf "%.0f", m * 1e9 }')
	[ -n "$ours" ] || { cat "$out".err.* >&2; echo "bench-run: no daedalus-decode rtime" >&2; exit 1; }
	rm -f "$out".err.*
	d1=$(cpu_ms "$dpid")
	s1=$(cpu_ms "$spid")
	wall=$((t1 - t0))
	pairs="$pairs${pairs:+ }$raw:$loop:$wall:$ours"
	if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then
		best=$wall
		cat "$out".time.* | awk '{ u += $1; s += $2 }
			END { printf "cli_user_ms=%d\ncli_sys_ms=%d\n", u * 1000, s * 1000 }' >"$out"
		{
			echo "wall_ns=$wall"
			echo "dmn_cpu_ms=$((d1 - d0))"
			echo "srv_cpu_ms=$((s1 - s0))"
			tail -n +$((l0 + 1)) "$dlog" | awk '
				/ hash ([0-9a-f]+|-) [0-9]+ us/ {
					for (i = 1; i < NF; i++) {
						if ($(i + 1) == "us" && $(i - 2) == "hash")
							d += $i
						if ($i == "copy")
							c += $(i + 1)
					}
					n++
				}
				END { printf "jobs=%d\ndec_us=%d\ncopy_us=%d\n", n, d, c }'
		} >>"$out"
	fi
	rm -f "$out".time.*
done
echo "raw_ns=$raw_best" >>"$out"
echo "pairs='$pairs'" >>"$out"
