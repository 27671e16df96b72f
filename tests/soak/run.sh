#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/soak/run.sh: `make soak`.  On the host: make the streams (the guest
# tests' mixed set from tests/vm/gen-streams.sh plus the soak's multi-IDR
# ones from tests/soak/gen-streams.sh) and ffmpeg's framemd5 of each, list
# them in build/soak/list ("STREAM REF SEEKABLE", SEEKABLE 0 for the field-
# coded PAFF stream, which --seek-random refuses), then boot a guest
# (SOAK_KERNEL, default 6.12) and run tests/soak/guest.sh there.
# SOAK_SECONDS (default 600), SOAK_CLIENTS (8), SOAK_SEED, SOAK_KILL_PCT
# (15), SOAK_RSS_PCT (20), SOAK_RSS_REST_PCT (10), SOAK_RSS_PERIOD (5 s),
# SOAK_TIMEOUT_MS (30000) and SOAK_MALLOC_ARENA_MAX (unset) pass through
# (see tests/soak/guest.sh).

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SOAK_SECONDS=${SOAK_SECONDS:-600}
[[ $SOAK_SECONDS =~ ^[0-9]+$ ]] || { echo "soak: SOAK_SECONDS must be a number" >&2; exit 2; }
out=build/soak
vm_streams=build/streams
mkdir -p "$out/refs"

tests/vm/gen-streams.sh "$vm_streams"
tests/soak/gen-streams.sh "$out/streams"
list=$out/list.tmp
: >"$list"
for s in "$vm_streams"/*.h264; do
	n=${s##*/}
	n=${n%.h264}
	ref=$out/refs/$n.ref
	if [ ! -s "$ref" ] || [ "$s" -nt "$ref" ]; then
		ffmpeg -nostdin -hide_banner -loglevel error -i "$s" -f framemd5 -pix_fmt nv12 - \
			>"$ref.tmp"
		mv "$ref.tmp" "$ref"
	fi
	seekable=1
	[ "$n" = paff ] && seekable=0
	echo "$s $ref $seekable" >>"$list"
done
for s in "$out"/streams/*.h264; do
	echo "$s ${s%.h264}.ref 1" >>"$list"
done
mv "$list" "$out/list"

env_args=(SOAK_SECONDS="$SOAK_SECONDS")
for v in SOAK_CLIENTS SOAK_SEED SOAK_KILL_PCT SOAK_RSS_PCT SOAK_RSS_REST_PCT SOAK_RSS_PERIOD \
	 SOAK_MALLOC_ARENA_MAX SOAK_TIMEOUT_MS; do
	[ -z "${!v:-}" ] || env_args+=("$v=${!v}")
done
exec tests/vm/run --kernel "${SOAK_KERNEL:-6.12}" --timeout $((SOAK_SECONDS + 900)) -- \
	env "${env_args[@]}" bash tests/soak/guest.sh
