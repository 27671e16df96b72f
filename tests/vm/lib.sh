# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/lib.sh: helpers for guest tests (t-*.sh).  Source it:
#   . tests/vm/lib.sh
# Tests run as root at the repository root inside the guest, with
# DAEDALUS_GUEST=1 and DAEDALUS_KVER=<running Debian kernel> exported.

set -euo pipefail

vm_fail() {
	echo "  error: $*" >&2
	exit 1
}

vm_note() {
	echo "  $*"
}

# Guard: these scripts change the running kernel, never run them on the host.
[ "${DAEDALUS_GUEST:-}" = 1 ] || vm_fail "guest test run outside the VM (use tests/vm/run)"

VM_KO=build/kernel/$DAEDALUS_KVER/daedalus_v4l2.ko

# Load daedalus_v4l2.ko (and the Debian modules it needs) with PARAMS.
vm_load_module() {
	[ -f "$VM_KO" ] || vm_fail "$VM_KO missing (run make kernel)"
	modprobe -a videodev mc videobuf2-v4l2 videobuf2-vmalloc ||
		vm_fail "modprobe of the V4L2 core modules failed"
	insmod "$VM_KO" "$@" || vm_fail "insmod $VM_KO $* failed"
}

vm_unload_module() {
	if [ -d /sys/module/daedalus_v4l2 ]; then
		rmmod daedalus_v4l2 || vm_fail "rmmod daedalus_v4l2 failed"
	fi
}

# Our platform device's /dev node: vm_dev_node video | vm_dev_node media.
vm_dev_node() {
	local d p=/sys/bus/platform/devices/daedalus-v4l2
	case $1 in
	video) set -- "$p"/video4linux/video* ;;
	media) set -- "$p"/media* ;;
	*) vm_fail "vm_dev_node: unknown kind '$1'" ;;
	esac
	for d in "$@"; do
		[ -e "$d" ] || continue
		echo "/dev/${d##*/}"
		return 0
	done
	return 1
}

# Put a marker in the kernel log and print it; pass it to
# vm_dmesg_clean_since later.
vm_dmesg_mark() {
	local m="daedalus-vm: mark $RANDOM$RANDOM"
	echo "$m" >/dev/kmsg
	echo "$m"
}

# Fail if the kernel logged a warning/oops after MARK.
vm_dmesg_clean_since() {
	local since bad
	since=$(dmesg | awk -v m="$1" 'f; index($0, m) { f = 1 }')
	bad=$(grep -E 'BUG:|WARNING:|Oops|Call Trace' <<<"$since" || true)
	[ -z "$bad" ] || { echo "$since" >&2; vm_fail "kernel problem in dmesg: $bad"; }
}
