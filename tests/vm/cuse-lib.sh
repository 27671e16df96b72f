# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/cuse-lib.sh: helpers of the CUSE decode tests (t-cuse-*.sh).
# Source after tests/vm/lib.sh.

VM_STREAMS=${VM_STREAMS:-build/streams}

# Make sure the test streams exist (normally made on the host by make).
cuse_streams() {
	tests/vm/gen-streams.sh "$VM_STREAMS" || vm_fail "cannot generate test streams"
}

# The md5 column of a framemd5 listing, one line per frame.
cuse_md5_column() {
	grep -v '^#' "$1" | awk -F, 'NF >= 6 { gsub(/ /, "", $6); print $6 }'
}

# cuse_ref STREAM OUT: ffmpeg's reference framemd5 (NV12).
cuse_ref() {
	ffmpeg -nostdin -hide_banner -loglevel error -i "$1" -f framemd5 -pix_fmt nv12 - >"$2" ||
		vm_fail "ffmpeg reference for $1 failed"
}

# cuse_compare NAME REF GOT: every frame's md5 identical, same frame count.
# (Plain files: the guest has no /dev/fd for process substitution.)
cuse_compare() {
	local name=$1 ref=$2 got=$3 nr ng first
	cuse_md5_column "$ref" >"$ref.col"
	cuse_md5_column "$got" >"$got.col"
	nr=$(wc -l <"$ref.col")
	ng=$(wc -l <"$got.col")
	[ "$nr" -gt 0 ] || vm_fail "$name: empty reference"
	if ! cmp -s "$ref.col" "$got.col"; then
		# diff's status 1 must not end the test before vm_fail (pipefail).
		first=$(diff "$ref.col" "$got.col" | head -4 | tr '\n' ' ' || true)
		vm_fail "$name: framemd5 differs (ffmpeg $nr frames, device $ng frames): $first"
	fi
	vm_note "$name: $ng/$nr frames exact"
}

# cuse_decode STREAM INFLIGHT OUT: decode through $DAEDALUS_VIDEO.
cuse_decode() {
	build/daedalus-decode --memory "${CUSE_MEMORY:-userptr}" --framemd5 --inflight "$2" "$1" >"$3"
}

# cuse_decode_test STREAM...: run inside tests/vm/with-device cuse; each
# stream decoded with 1 and 4 requests in flight, compared with ffmpeg.
cuse_decode_test() {
	local tmp s f n t0 t1
	tmp=$(mktemp -d)
	for s in "$@"; do
		f=$VM_STREAMS/$s.h264
		[ -f "$f" ] || vm_fail "missing stream $f"
		cuse_ref "$f" "$tmp/$s.ref"
		for n in 1 4; do
			t0=$(date +%s.%N)
			cuse_decode "$f" "$n" "$tmp/$s.$n.md5" ||
				vm_fail "$s: daedalus-decode --inflight $n failed"
			t1=$(date +%s.%N)
			cuse_compare "$s --inflight $n ($(echo "$t1 - $t0" | bc | cut -c1-4) s)" \
				"$tmp/$s.ref" "$tmp/$s.$n.md5"
		done
	done
	rm -rf "$tmp"
}
