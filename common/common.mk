# common/: the device model, built as a static library for the userspace
# front end, the daemon and the unit tests.  kernel/Kbuild compiles the same
# sources (minus dd_os_user.c) into the module.

COMMON_SRCS	:= $(sort $(filter-out common/dd_os_user.c,$(wildcard common/*.c)))
COMMON_HDRS	:= $(wildcard common/*.h)
COMMON_LIB	:= $(BUILD)/libdaedalus-common.a
COMMON_OBJS	:= $(patsubst common/%.c,$(BUILD)/common/%.o,$(COMMON_SRCS) common/dd_os_user.c)

$(BUILD)/common/%.o: common/%.c $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

ALL_USER += $(COMMON_LIB)
