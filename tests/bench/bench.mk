# tests/bench/: `make bench` measures decode speed in one guest run and
# prints ratios against raw libavcodec measured in the same run (TCG makes
# absolute numbers meaningless; ratios taken side by side are not).
# Knobs (make bench BENCH_RUNS=5 ...), passed into the guest; their meaning
# is described at the top of tests/bench/bench-guest.sh.

BENCH_KERNEL		?= 6.12
BENCH_RUNS		?= 5
BENCH_TRACE		?= 1
BENCH_EXTRA		?= 1
BENCH_PROFILE		?= 0
BENCH_KERNEL_INFLIGHT	?= 4

.PHONY: bench
bench: kernel userspace
	tests/bench/make-stream.sh $(BUILD)/streams/bench-640x368.h264
	tests/vm/run --kernel $(BENCH_KERNEL) --timeout 2400 -- \
		env BENCH_RUNS=$(BENCH_RUNS) BENCH_TRACE=$(BENCH_TRACE) \
		BENCH_EXTRA=$(BENCH_EXTRA) BENCH_PROFILE=$(BENCH_PROFILE) \
		BENCH_KERNEL_INFLIGHT=$(BENCH_KERNEL_INFLIGHT) \
		tests/bench/bench-guest.sh $(BUILD)/streams/bench-640x368.h264
