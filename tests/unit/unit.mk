# tests/unit/: Criterion suites for common/.  All suites link into one
# binary (one summary line), built against common/ compiled with ASan and
# UBSan; `make coverage` builds it once more with gcov instrumentation.

UNIT_SRCS	:= $(sort $(wildcard tests/unit/*.c))
UNIT_HDRS	:= $(wildcard tests/unit/*.h)
SAN_FLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
UNIT_BIN	:= $(BUILD)/tests/unit-tests
COV_BIN		:= $(BUILD)/cov/unit-tests

$(UNIT_BIN): $(UNIT_SRCS) $(UNIT_HDRS) $(COMMON_SRCS) common/dd_os_user.c $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 $(SAN_FLAGS) -Itests/unit -o $@ \
		$(UNIT_SRCS) $(COMMON_SRCS) common/dd_os_user.c -lcriterion

check-unit: $(UNIT_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(UNIT_BIN) --jobs 2

$(COV_BIN): $(UNIT_SRCS) $(UNIT_HDRS) $(COMMON_SRCS) common/dd_os_user.c $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	rm -f $(BUILD)/cov/*.gcda
	cd $(BUILD)/cov && $(CC) $(filter-out -O2,$(BASE_CFLAGS)) -O0 --coverage \
		-I$(CURDIR)/common -I$(CURDIR)/tests/unit -o unit-tests \
		$(addprefix $(CURDIR)/,$(UNIT_SRCS) $(COMMON_SRCS) common/dd_os_user.c) -lcriterion

coverage: $(COV_BIN)
	rm -f $(BUILD)/cov/*.gcda
	$(COV_BIN) --jobs 1 >/dev/null 2>&1 || $(COV_BIN) --jobs 1
	gcovr --root . --object-directory $(BUILD)/cov --filter 'common/' \
		--exclude common/dd_os_user.c --print-summary \
		--fail-under-line 85
