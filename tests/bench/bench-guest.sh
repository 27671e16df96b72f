#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/bench-guest.sh STREAM: runs inside the guest (make bench).
# Decodes STREAM with raw libavcodec (ffmpeg, one thread, null output),
# through the CUSE device and through the kernel module with
# daedalus-decode, then four concurrent clients on the module, and prints
# fps and ratios against raw libavcodec.  Each figure is the best of
# $BENCH_RUNS runs (TCG timing is noisy; the best run is the least
# disturbed one).
set -euo pipefail

stream=$1
runs=${BENCH_RUNS:-2}
frames=$(ffprobe -v error -count_packets -select_streams v:0 \
	-show_entries stream=nb_read_packets -of csv=p=0 "$stream")
tmp=$(mktemp -d)

now_ns() { date +%s%N; }

# best_ns CMD...: the shortest wall time of $runs runs of CMD, in ns.
best_ns() {
	local best= i s e
	for i in $(seq "$runs"); do
		s=$(now_ns)
		"$@" >/dev/null
		e=$(now_ns)
		if [ -z "$best" ] || [ $((e - s)) -lt "$best" ]; then
			best=$((e - s))
		fi
	done
	echo "$best"
}

fps() { awk -v f="$1" -v ns="$2" 'BEGIN { printf "%.1f", f * 1e9 / ns }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

raw_ns=$(best_ns ffmpeg -nostdin -hide_banner -loglevel error -threads 1 \
	-i "$stream" -f null -)

# The decode command run inside with-device; writes its best time to a file.
cat >"$tmp/one.sh" <<EOS
#!/bin/bash
set -euo pipefail
$(declare -f now_ns best_ns)
runs=$runs
best_ns build/daedalus-decode --inflight 4 "$stream" >"$tmp/\$1"
EOS
cat >"$tmp/four.sh" <<EOS
#!/bin/bash
set -euo pipefail
$(declare -f now_ns)
s=\$(now_ns)
for i in 1 2 3 4; do build/daedalus-decode --inflight 4 "$stream" >/dev/null & done
wait
e=\$(now_ns)
echo \$((e - s)) >"$tmp/four_ns"
EOS
chmod +x "$tmp/one.sh" "$tmp/four.sh"

tests/vm/with-device cuse -- "$tmp/one.sh" cuse_ns
tests/vm/with-device kernel -- "$tmp/one.sh" kernel_ns
tests/vm/with-device kernel -- "$tmp/four.sh"

cuse_ns=$(cat "$tmp/cuse_ns")
kernel_ns=$(cat "$tmp/kernel_ns")
four_ns=$(cat "$tmp/four_ns")
raw_fps=$(fps "$frames" "$raw_ns")
cuse_fps=$(fps "$frames" "$cuse_ns")
kernel_fps=$(fps "$frames" "$kernel_ns")
four_fps=$(fps $((frames * 4)) "$four_ns")

echo "bench: $(basename "$stream"), $frames frames, kernel $DAEDALUS_KVER, $(nproc) vCPUs (TCG), best of $runs"
echo "raw_fps=$raw_fps (ffmpeg -threads 1, libavcodec alone)"
echo "cuse_fps=$cuse_fps cuse_ratio=$(ratio "$cuse_fps" "$raw_fps")"
echo "kernel_fps=$kernel_fps kernel_ratio=$(ratio "$kernel_fps" "$raw_fps")"
echo "kernel_4clients_fps=$four_fps (aggregate) vs_one_client=$(ratio "$four_fps" "$kernel_fps")"
rm -rf "$tmp"
