# kernel/: daedalus_v4l2.ko, built for every kernel that has headers
# installed (/lib/modules/<kver>/build), each in build/kernel/<kver>/.
# The build directory links kernel/*.[ch] + Kbuild at its top and
# common/*.[ch] under common/, so kbuild proves common/ compiles unchanged
# in the kernel.  Any compiler warning (W=1) fails the build.

KERNEL_VERSIONS	:= $(sort $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build))))
KERNEL_SRCS	:= $(wildcard kernel/*.c kernel/*.h kernel/Kbuild common/*.c common/*.h)
KERNEL_MODULES	:= $(foreach v,$(KERNEL_VERSIONS),$(BUILD)/kernel/$(v)/daedalus_v4l2.ko)

kernel: $(KERNEL_MODULES)
	@[ -n "$(KERNEL_VERSIONS)" ] || \
		{ echo "kernel: no /lib/modules/*/build (install linux-headers)"; exit 1; }

# One rule per kernel version; kbuild decides what to recompile.
define kernel_module_rule
$(BUILD)/kernel/$(1)/daedalus_v4l2.ko: $(KERNEL_SRCS) kernel/kernel.mk FORCE_KERNEL
	@kernel/kbuild.sh "$(1)" "$(CURDIR)/$(BUILD)/kernel/$(1)"
endef
$(foreach v,$(KERNEL_VERSIONS),$(eval $(call kernel_module_rule,$(v))))

.PHONY: FORCE_KERNEL
FORCE_KERNEL:
