# tests/fuzz/: libFuzzer targets for common/ (clang, ASan + UBSan):
#   fuzz_ioctl  ioctl sequences on contexts, requests and a fake daemon
#   fuzz_ctrls  EXT_CTRLS payloads and the H.264 validators
#   fuzz_proto  daemon protocol messages: decode, re-encode round trip
# `make fuzz` runs each for FUZZ_SECONDS and prints executions and
# coverage; `make fuzz-smoke` (part of check-unit) runs each for 20 s.
# Seeds are committed in tests/fuzz/corpus/<target>/ (`make fuzz-seeds`
# rewrites them); what the fuzzers find goes to build/fuzz/corpus/ only.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 300
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TARGETS	:= fuzz_ioctl fuzz_ctrls fuzz_proto
FUZZ_BINS	:= $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_CFLAGS	:= $(filter-out -O2,$(BASE_CFLAGS)) -O1 -Itests/fuzz \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		   -fno-omit-frame-pointer
FUZZ_SRCS_ALL	:= $(COMMON_SRCS) common/dd_os_user.c

$(BUILD)/fuzz/fuzz_ioctl $(BUILD)/fuzz/fuzz_ctrls: $(BUILD)/fuzz/%: tests/fuzz/%.c \
		tests/fuzz/fuzz_fe.h $(FUZZ_SRCS_ALL) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_ALL)

$(BUILD)/fuzz/fuzz_proto: tests/fuzz/fuzz_proto.c common/dd_proto.c common/dd_os_user.c \
		$(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< common/dd_proto.c common/dd_os_user.c

$(BUILD)/fuzz/gen-seeds: tests/fuzz/gen_seeds.c $(FUZZ_SRCS_ALL) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -o $@ $< $(FUZZ_SRCS_ALL)

.PHONY: fuzz fuzz-smoke fuzz-seeds
fuzz: $(FUZZ_BINS)
	@fail=0; for t in $(FUZZ_TARGETS); do \
		tests/fuzz/run.sh $(BUILD) $$t $(FUZZ_SECONDS) || fail=1; \
	done; exit $$fail

# From the seeds only (a fresh working corpus): replaying what `make fuzz`
# grew could alone outlast the time given.
fuzz-smoke: $(FUZZ_BINS)
	@fail=0; for t in $(FUZZ_TARGETS); do \
		rm -rf $(BUILD)/fuzz/smoke/$$t; \
		tests/fuzz/run.sh $(BUILD) $$t $(FUZZ_SMOKE_SECONDS) $(BUILD)/fuzz/smoke/$$t || fail=1; \
	done; exit $$fail

fuzz-seeds: $(BUILD)/fuzz/gen-seeds
	mkdir -p $(addprefix tests/fuzz/corpus/,$(FUZZ_TARGETS))
	$(BUILD)/fuzz/gen-seeds tests/fuzz/corpus

check-unit: fuzz-smoke
