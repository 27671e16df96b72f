# tests/vm/: tests against real Debian kernels in a QEMU guest.
#   make check-vm                     every tests/vm/t-*.sh on every kernel
#   make check-vm VM_TESTS="t-module" a subset (names without .sh)
#   make check-vm VM_KERNELS=6.1      (or 6.12, or a full version)
#   VM_TIMEOUT=1200 (per boot), VM_TEST_TIMEOUT=300 (per test), seconds
# One guest boot per kernel runs all selected tests (tests/vm/check.sh,
# tests/vm/guest-runner.sh); how to add a test is described at the top of
# tests/vm/guest-runner.sh.  The last line is "vm: N passed, N failed".

VM_TESTS	?=

check-vm: kernel userspace
	@VM_KERNELS="$(VM_KERNELS)" tests/vm/check.sh $(VM_TESTS)
