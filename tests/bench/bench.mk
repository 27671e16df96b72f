# tests/bench/: `make bench` measures decode speed in one guest run and
# prints ratios against raw libavcodec measured in the same run (TCG makes
# absolute numbers meaningless; ratios taken side by side are not).

BENCH_KERNEL	?= 6.12

.PHONY: bench
bench: kernel userspace
	tests/bench/make-stream.sh $(BUILD)/streams/bench-640x368.h264
	tests/vm/run --kernel $(BENCH_KERNEL) --timeout 2400 -- \
		tests/bench/bench-guest.sh $(BUILD)/streams/bench-640x368.h264
