#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/bench-guest.sh STREAM: runs inside the guest (make bench).
# Decodes STREAM with raw libavcodec (ffmpeg, one thread, null output),
# through the CUSE device and through the kernel module with
# daedalus-decode, then four concurrent clients on the module, and prints
# fps and ratios against raw libavcodec.  Each run of a front end follows
# a raw libavcodec run (bench-run.sh); the ratio printed as cuse_ratio /
# kernel_ratio is the MEDIAN over the $BENCH_RUNS (default 5) runs of
# raw_time / front_end_time of each such pair, with every pair's ratio and
# their spread next to it: TCG speed drifts on a shared host, a pair of
# neighbours in time drifts little, and the median ignores the odd
# disturbed pair.  Both times are decode loops without process start-up
# (ffmpeg -benchmark's rtime, daedalus-decode --benchmark's rtime: from
# opening the decoder to closing it), since loading libraries over 9p
# under TCG takes ffmpeg about a second and is no part of decoding.  The
# ratio of the whole processes follows as *_ratio_vs_process.
# The fps figures are the best run's.  Then where the time goes: CPU
# time of the client, the daemon and the CUSE server in the best run, the
# daemon's own per-job decode time split into libavcodec and the copy,
# and (BENCH_TRACE=1, the default) system call counts per frame from an
# untimed strace run.
# BENCH_EXTRA=1 (default) adds two variants: CUSE with MMAP buffers, the
# module with BENCH_KERNEL_INFLIGHT (default 4) jobs in flight per context.
# BENCH_PROFILE=1 adds a system-wide perf profile of one decode per front
# end (CPU share per process and object: idle, kernel, libavcodec, ours).
# A front end that fails is reported and does not stop the others.
set -uo pipefail

stream=$1
runs=${BENCH_RUNS:-5}
trace=${BENCH_TRACE:-1}
frames=$(ffprobe -v error -count_packets -select_streams v:0 \
	-show_entries stream=nb_read_packets -of csv=p=0 "$stream")
tmp=$(mktemp -d)
here=tests/bench

fps() { awk -v f="$1" -v ns="$2" 'BEGIN { printf "%.1f", f * 1e9 / ns }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# paired PAIRS NUM DEN: "median=M min=A max=B all=r1,r2,..." of field NUM
# over field DEN of each RAW:LOOP:WALL:OURS run (bench-run.sh): 1 3 for
# the whole processes, 2 4 for the decode loops.
paired() {
	tr ' ' '\n' <<<"$1" | awk -F: -v k="$2" -v d="$3" 'NF == 4 && $d > 0 { printf "%.3f\n", $k / $d }' | sort -n |
		awk '{ r[NR] = $1; all = all (NR > 1 ? "," : "") $1 }
			END {
				if (!NR) { print "median=? min=? max=? all="; exit }
				m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
				printf "median=%.3f min=%s max=%s all=%s\n", m, r[1], r[NR], all
			}'
}
ms_per_frame() { awk -v ms="$1" -v f="$2" 'BEGIN { printf "%.2f", ms / f }'; }

# Raw libavcodec: best wall time and its user/sys.
raw_ns=
for i in $(seq "$runs"); do
	s=$(date +%s%N)
	/usr/bin/time -f "%U %S" -o "$tmp/raw.time" ffmpeg -nostdin -hide_banner \
		-loglevel error -threads 1 -i "$stream" -f null -
	e=$(date +%s%N)
	if [ -z "$raw_ns" ] || [ $((e - s)) -lt "$raw_ns" ]; then
		raw_ns=$((e - s))
		read -r raw_user raw_sys <"$tmp/raw.time"
	fi
done
raw_fps=$(fps "$frames" "$raw_ns")
# ffmpeg's own start-up (loading its many libraries is slow under TCG) is
# part of raw_ns; a one-frame decode measures it, for the breakdown.
start_ns=
for i in $(seq "$runs"); do
	s=$(date +%s%N)
	ffmpeg -nostdin -hide_banner -loglevel error -threads 1 -i "$stream" -frames:v 1 -f null -
	e=$(date +%s%N)
	if [ -z "$start_ns" ] || [ $((e - s)) -lt "$start_ns" ]; then
		start_ns=$((e - s))
	fi
done

# measure MODE NAME CLIENTS [CLIENT ARGS]: the best of $runs runs on one front end.
measure() {
	local mode=$1 name=$2 clients=$3
	shift 3
	mkdir -p "$tmp/$name-logs"
	if ! tests/vm/with-device "$mode" --logs "$tmp/$name-logs" -- \
		"$here/bench-run.sh" "$tmp/$name-logs" "$tmp/$name" "$stream" "$runs" \
		"$clients" "$@" >"$tmp/$name.out" 2>&1; then
		echo "bench: $name FAILED:" >&2
		tail -n 30 "$tmp/$name.out" >&2
		rm -f "$tmp/$name"
	fi
}

measure cuse cuse 1
measure kernel kernel 1
measure kernel four 4
# Variants, reported as extra lines: CUSE with MMAP buffers through the
# preload shim (the default there is USERPTR), the module with more jobs
# in flight per context.
extra=${BENCH_EXTRA:-1}
if [ "$extra" = 1 ]; then
	measure cuse cuse-mmap 1 --memory mmap
	BENCH_MAX_IN_FLIGHT=${BENCH_KERNEL_INFLIGHT:-4} measure kernel kernel-mif 1
fi
if [ "$trace" = 1 ]; then
	tests/vm/with-device cuse -- "$here/bench-trace.sh" "$tmp/trace-cuse" "$stream" \
		>/dev/null 2>&1 || echo "bench: strace run on cuse failed" >&2
	tests/vm/with-device kernel -- "$here/bench-trace.sh" "$tmp/trace-kernel" "$stream" \
		>/dev/null 2>&1 || echo "bench: strace run on kernel failed" >&2
fi

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	tests/vm/with-device cuse -- "$here/bench-profile.sh" "$tmp/prof-cuse" "$stream" \
		>/dev/null 2>&1 || echo "bench: perf run on cuse failed" >&2
	tests/vm/with-device kernel -- "$here/bench-profile.sh" "$tmp/prof-kernel" "$stream" \
		>/dev/null 2>&1 || echo "bench: perf run on kernel failed" >&2
fi

# breakdown NAME FPS_OF_ONE: where the time of the best run went.
breakdown() {
	local name=$1 wall_ns dmn_cpu_ms srv_cpu_ms cli_user_ms cli_sys_ms jobs dec_us copy_us
	# shellcheck disable=SC1090
	. "$tmp/$name"
	local wall_ms=$((wall_ns / 1000000))
	local n=$((frames * ${2:-1}))
	echo "  $name: wall $(ms_per_frame "$wall_ms" "$n") ms/frame;" \
		"CPU ms/frame: client user $(ms_per_frame "$cli_user_ms" "$n")" \
		"sys $(ms_per_frame "$cli_sys_ms" "$n"), daemon $(ms_per_frame "$dmn_cpu_ms" "$n")," \
		"cuse server $(ms_per_frame "$srv_cpu_ms" "$n")"
	[ "$jobs" -gt 0 ] || return 0
	echo "  $name: daemon $jobs jobs, per job $(ms_per_frame $((dec_us / 1000)) "$jobs") ms" \
		"= libavcodec+packet $(ms_per_frame $(((dec_us - copy_us) / 1000)) "$jobs")" \
		"+ copy $(ms_per_frame $((copy_us / 1000)) "$jobs");" \
		"daemon busy $(ratio $((dec_us / 1000)) "$wall_ms") of wall"
}

# syscalls FILE: calls per frame of the busiest system calls in a summary.
syscalls() {
	[ -s "$1" ] || return 0
	awk -v f="$frames" '
		$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
			calls = $4; name = $NF
			if (calls / f >= 0.5)
				printf "%s %.1f\n", name, calls / f
		}' "$1" | sort -k2 -nr | head -n 8 | tr '\n' ' '
}

echo "bench: $(basename "$stream"), $frames frames, kernel $DAEDALUS_KVER, $(nproc) vCPUs (TCG), $runs runs each," \
	"meltdown: $(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null || echo '?')"
echo "raw_fps=$raw_fps (ffmpeg -threads 1, libavcodec alone; user $raw_user s sys $raw_sys s;" \
	"a one-frame ffmpeg run takes $(awk -v n="$start_ns" 'BEGIN { printf "%.2f", n / 1e9 }') s)"
# result NAME LABEL: fps and the ratio against the raw runs of the same
# session (neighbours in time); the global raw_fps is the best of all.
result() {
	local name=$1 label=$2 wall_ns raw_ns pairs f rf med min max all
	if ! [ -s "$tmp/$name" ]; then
		echo "${label}_fps=FAILED"
		return
	fi
	wall_ns=$(. "$tmp/$name"; echo "$wall_ns")
	raw_ns=$(. "$tmp/$name"; echo "$raw_ns")
	pairs=$(. "$tmp/$name"; echo "$pairs")
	f=$(fps "$frames" "$wall_ns")
	rf=$(fps "$frames" "$raw_ns")
	read -r med min max all <<<"$(paired "$pairs" 2 4)"
	echo "${label}_ratio=${med#median=} (median of $runs paired runs, decode loop against" \
		"ffmpeg's decode loop; ${min}, ${max}; each: ${all#all=})"
	read -r med min max all <<<"$(paired "$pairs" 1 3)"
	echo "  ${label}_ratio_vs_process=${med#median=} (against ffmpeg's whole process;" \
		"${min}, ${max}) ${label}_fps=$f (best run; best raw process of its window $rf fps)"
	# The same raw decode loop, run after run: how steady the host was.
	tr ' ' '\n' <<<"$pairs" | awk -F: -v l="$label" 'NF == 4 {
			v = $2 / 1e9; if (!n++ || v < lo) lo = v; if (v > hi) hi = v }
		END { if (!n) exit
			busy = (hi / lo > 1.3) ? "; host busy: TCG timing unreliable, rerun" : ""
			printf "  %s_raw_loop_s=%.2f..%.2f (spread %.2f%s)\n", l, lo, hi, hi / lo, busy }'
}
result cuse cuse
result kernel kernel
if [ -s "$tmp/four" ] && [ -s "$tmp/kernel" ]; then
	four_fps=$(fps $((frames * 4)) "$(. "$tmp/four"; echo "$wall_ns")")
	kernel_fps=$(fps "$frames" "$(. "$tmp/kernel"; echo "$wall_ns")")
	echo "kernel_4clients_fps=$four_fps (aggregate) vs_one_client=$(ratio "$four_fps" "$kernel_fps")"
else
	echo "kernel_4clients_fps=FAILED"
fi
[ -s "$tmp/cuse-mmap" ] && result cuse-mmap "variant_cuse_mmap"
[ -s "$tmp/kernel-mif" ] && result kernel-mif "variant_kernel_max_in_flight_${BENCH_KERNEL_INFLIGHT:-4}"
echo "where the time goes (raw libavcodec: $(ms_per_frame "$(awk -v n="$raw_ns" 'BEGIN { print n / 1e6 }')" "$frames") ms/frame):"
[ -s "$tmp/cuse" ] && breakdown cuse
[ -s "$tmp/kernel" ] && breakdown kernel
[ -s "$tmp/four" ] && breakdown four 4
[ -s "$tmp/cuse-mmap" ] && breakdown cuse-mmap
[ -s "$tmp/kernel-mif" ] && breakdown kernel-mif
for m in cuse kernel; do
	[ -s "$tmp/trace-$m.client" ] &&
		echo "  $m syscalls/frame, client: $(syscalls "$tmp/trace-$m.client")"
	[ -s "$tmp/trace-$m.server" ] &&
		echo "  $m syscalls/frame, daedalus-cuse (read = FUSE request): $(syscalls "$tmp/trace-$m.server")"
done
for m in cuse kernel; do
	[ -s "$tmp/prof-$m" ] || continue
	echo "profile of one decode on $m (perf, all CPUs; swapper = idle):"
	sed -n '/^-- by process and object/,/^-- hottest/p' "$tmp/prof-$m" | sed '1d;$d;s/^/  /'
done
rm -rf "$tmp"
