#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-kernel-compliance: Debian's v4l2-compliance (v4l-utils 1.22.1) on the
# module's video node and media device (-m tests every interface of the
# graph).  v4l-utils 1.22.1 is older than both kernels; the failures below
# are artifacts of that version and are the only ones allowed:
#   - ENUM_FMT: NV12's description.  The kernel fills it in
#     (v4l_fill_fmtdesc: "Y/UV 4:2:0"); 1.22.1 expects "Y/CbCr 4:2:0".
#   - G_FMT, TRY_FMT, S_FMT: "NV12 for buftype 9 not reported by ENUM_FMT".
#     The ENUM_FMT test stops at the description failure before recording
#     NV12, so every later format test misses it.
#   - DECODER_CMD: 1.22.1 expects TRY_DECODER_CMD(STOP) to succeed on every
#     decoder; a stateless decoder accepts only FLUSH (the kernel's own
#     v4l2_m2m_ioctl_stateless_try_decoder_cmd), and later v4l-utils
#     require exactly that.
#   - REQBUFS/CREATE_BUFS (6.8 and later only): crbufs.reserved is not
#     zero: since 6.8 the kernel returns max_num_buffers in what 1.22.1
#     still takes for reserved bytes.
# Anything else failing, or a different count, fails this test.
#
# A third run adds -s (streaming) with -e on our own node (DMABUF buffers
# exported by our CAPTURE queue), on both kernels.  What 1.22.1 streams on
# a stateless decoder, as traced with strace -e ioctl in the guest: the
# "blocking wait" test STREAMONs each queue, blocks in DQBUF in a second
# thread and expects STREAMOFF to wake it with EINVAL; the MMAP, USERPTR
# and DMABUF tests print OK without queueing a single buffer (it has no
# bitstream nor controls to make a request with; its Requests test stops
# at the ENOENT of a request without the required controls).  Real
# decoding through every memory type is t-kernel-decode's job.  The -s run
# must show the same known failures only, every streaming test OK, and
# both STREAMONs of the blocking-wait test.
. tests/vm/lib.sh

if [ "${1:-}" != inner ]; then
	command -v v4l2-compliance >/dev/null || { echo "no v4l2-compliance"; exit 77; }
	mark=$(vm_dmesg_mark)
	tests/vm/with-device kernel -- bash "$0" inner || exit 1
	vm_dmesg_clean_since "$mark"
	exit 0
fi

known='v4l2-test-formats\.cpp\([0-9]+\): fmtdesc\.description mismatch: was .Y/UV 4:2:0., expected .Y/CbCr 4:2:0.
v4l2-test-formats\.cpp\([0-9]+\): pixelformat 3231564e \(NV12\) for buftype 9 not reported by ENUM_FMT
v4l2-test-codecs\.cpp\([0-9]+\): ret != 0
v4l2-test-buffers\.cpp\([0-9]+\): check_0\(crbufs\.reserved, sizeof\(crbufs\.reserved\)\)'

tmp=$(mktemp -d)
check() {	# check NAME ARGS...: run, allow only the known failures
	local name=$1 out fails other total nfail nknown
	shift
	out=$tmp/$name.log
	# Non-zero whenever anything failed: judged below.
	${CHECK_WRAP:-} v4l2-compliance "$@" >"$out" 2>&1 || true
	total=$(grep -E '^(Grand )?Total for ' "$out" | tail -n1)
	[ -n "$total" ] || { tail -n 30 "$out" >&2; vm_fail "$name: v4l2-compliance printed no total"; }
	fails=$(grep -E '^[[:space:]]*fail: ' "$out" | sed 's/^[[:space:]]*fail: //' || true)
	other=$(grep -Ev "$known" <<<"$fails" | grep . || true)
	if [ -n "$other" ]; then
		cat "$out" >&2
		vm_fail "$name: unexpected v4l2-compliance failures: $other"
	fi
	nknown=$(grep -c . <<<"$fails" || true)
	nfail=$(sed -n 's/.*Failed: \([0-9]*\).*/\1/p' <<<"$total")
	# Each failed test prints exactly one fail: line (all known above).
	[ "$nfail" = "$nknown" ] ||
		{ cat "$out" >&2; vm_fail "$name: $nfail tests failed, $nknown known failure lines"; }
	grep -q 'test Cropping' "$out" || vm_fail "$name: the format tests did not run"
	vm_note "$name: $total (all failures are 1.22.1 artifacts)"
	vm_note "$name: $(grep -E 'test Requests:' "$out" | head -n1 | sed 's/^[[:space:]]*//')"
}

check video -d "$DAEDALUS_VIDEO"
check media -m "$DAEDALUS_MEDIA"

# Streaming: as above, plus every streaming test OK; trace what it queued.
command -v strace >/dev/null || vm_fail "strace is needed to trace v4l2-compliance -s"
st=$tmp/streaming.strace
check_streaming() {
	local out=$tmp/streaming.log t line
	for t in 'blocking wait' 'MMAP \(no poll\)' 'MMAP \(select\)' 'MMAP \(epoll\)' \
		 'USERPTR \(no poll\)' 'USERPTR \(select\)' 'DMABUF \(no poll\)' 'DMABUF \(select\)'; do
		line=$(grep -E "^[[:space:]]*test $t: " "$out" | head -n1)
		[[ $line == *": OK" ]] ||
			{ cat "$out" >&2; vm_fail "streaming: test $t: ${line:-not run}"; }
	done
	grep -q 'VIDIOC_STREAMON, \[V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE\]) = 0' "$st" &&
		grep -q 'VIDIOC_STREAMON, \[V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE\]) = 0' "$st" ||
		vm_fail "streaming: v4l2-compliance -s did not stream both queues"
	vm_note "streaming: every streaming test OK; v4l2-compliance queued" \
		"$(grep -c 'VIDIOC_QBUF' "$st") buffer(s), $(grep -c 'VIDIOC_STREAMON' "$st") STREAMON(s)"
}
CHECK_WRAP="strace -f -qq -e trace=ioctl -o $st" check streaming -d "$DAEDALUS_VIDEO" -s -e "$DAEDALUS_VIDEO"
check_streaming
grep -q 'Video Decoder' "$tmp/media.log" || vm_fail "media: no Video Decoder entity reported"
