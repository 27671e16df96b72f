# tests/fuzz/: libFuzzer targets for common/ (clang, ASan + UBSan):
#   fuzz_ioctl  ioctl sequences on contexts, requests and a fake daemon
#   fuzz_ctrls  EXT_CTRLS payloads and the H.264 validators
#   fuzz_proto  daemon protocol messages: decode, re-encode round trip
# `make fuzz` runs each for FUZZ_SECONDS, `make fuzz-smoke` (part of
# check-unit) each for 20 s (60 s in all); both print each target's
# executions and coverage (cov/ft) and a "fuzz: ..." total line
# (tests/fuzz/run-all.sh).
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
	@tests/fuzz/run-all.sh $(BUILD) $(FUZZ_SECONDS) grow $(FUZZ_TARGETS)

# From the seeds only (a fresh working corpus): replaying what `make fuzz`
# grew could alone outlast the time given.
fuzz-smoke: $(FUZZ_BINS)
	@tests/fuzz/run-all.sh $(BUILD) $(FUZZ_SMOKE_SECONDS) smoke $(FUZZ_TARGETS)

fuzz-seeds: $(BUILD)/fuzz/gen-seeds
	mkdir -p $(addprefix tests/fuzz/corpus/,$(FUZZ_TARGETS))
	$(BUILD)/fuzz/gen-seeds tests/fuzz/corpus

check-unit: fuzz-smoke
