#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/check.sh [NAME...]: `make check-vm`.  Boots each installed
# Debian kernel once (tests/vm/run) and runs the guest tests there
# (tests/vm/guest-runner.sh), then prints the total over all kernels as
# the last line, exactly "vm: N passed, N failed".  A guest that dies,
# times out or logs a kernel problem outside a test counts as one failure.
# VM_KERNELS (default: every kernel with headers; 6.1, 6.12 or full
# versions) selects kernels, VM_TIMEOUT the per-boot limit (s) and
# VM_TEST_TIMEOUT the per-test limit (s).

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1

# Default: every kernel we can boot and built the module for (headers
# installed), the same set `make kernel` builds.
kernels=()
for f in /boot/vmlinuz-*; do
	[ -e "$f" ] || continue
	v=${f#/boot/vmlinuz-}
	[ -f "/lib/modules/$v/modules.dep" ] && [ -d "/lib/modules/$v/build" ] && kernels+=("$v")
done
if [ -n "${VM_KERNELS:-}" ] && [ "${VM_KERNELS}" != all ]; then
	kernels=()
	for k in $VM_KERNELS; do kernels+=("$k"); done
fi
if [ ${#kernels[@]} = 0 ]; then
	echo "vm: no installed kernel with headers"
	echo "vm: 0 passed, 1 failed"
	exit 1
fi

mkdir -p build/vm
pass=0 fail=0
for k in "${kernels[@]}"; do
	log=build/vm/check-$k.log
	log=${log//+/_}
	echo "== vm: kernel $k"
	tests/vm/run --kernel "$k" --timeout "${VM_TIMEOUT:-1200}" -- \
		env VM_TEST_TIMEOUT="${VM_TEST_TIMEOUT:-300}" tests/vm/guest-runner.sh "$@" 2>&1 |
		tee "$log"
	st=${PIPESTATUS[0]}
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	if ! grep -q "^vm-kernel " "$log"; then
		echo "FAIL boot-$k (guest did not finish the tests, status $st)"
		f=$((f + 1))
	elif [ "$st" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL guest-$k (status $st)"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done

echo "vm: $pass passed, $fail failed"
[ $fail = 0 ]
