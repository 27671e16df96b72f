#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/bench/bench-trace.sh OUT STREAM: runs inside tests/vm/with-device.
# One untimed decode of STREAM under strace -c: the client's system calls
# (-f: all its threads), and, on the CUSE front end, daedalus-cuse's (all
# its threads, attached by tid), whose read()s of /dev/cuse are the FUSE
# requests the kernel sent it.  Writes OUT.client and OUT.server (strace
# summaries).
set -euo pipefail

out=$1 stream=$2
spid=$(pgrep -x daedalus-cuse | head -n1 || true)
spid_strace=
if [ -n "$spid" ]; then
	args=()
	for t in /proc/"$spid"/task/*; do
		args+=(-p "${t##*/}")
	done
	strace -c -f -o "$out.server" "${args[@]}" 2>/dev/null &
	spid_strace=$!
	sleep 1
fi
strace -c -f -o "$out.client" build/daedalus-decode --inflight 4 "$stream" >/dev/null
if [ -n "$spid_strace" ]; then
	kill -INT "$spid_strace"
	wait "$spid_strace" || true
fi
