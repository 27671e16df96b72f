# SPDX-License-Identifier: GPL-2.0-only
# packaging/: `make install` / `make uninstall` (DESTDIR and PREFIX honoured)
# and `make check-dkms`.
#   PREFIX/sbin     daedalusd, daedalus-cuse
#   PREFIX/bin      daedalus-decode
#   PREFIX/lib/daedalus-v4l2/libdaedalus-preload.so  (LD_PRELOAD by path)
#   PREFIX/lib/{systemd/system,udev/rules.d,sysusers.d,modules-load.d,modprobe.d}
#                   daedalusd.service, 60-daedalus-v4l2.rules, the daedalus
#                   user, boot-time loading, a commented options example.
#                   systemd 252, udev and kmod search /usr/local/lib/... too.
#   /usr/src/daedalus-v4l2-$(DD_VERSION)/  the module's DKMS source tree:
#                   kernel/*.[ch] and Kbuild at the top, common/ in common/,
#                   packaging/dkms/Makefile, dkms.conf.
# With an empty DESTDIR, install also creates the user (systemd-sysusers)
# and reloads systemd and udev; the module itself is built and installed by
# `dkms install daedalus-v4l2/$(DD_VERSION)` (docs/install.md).
#
# The binaries are named by path: tools/tools.mk is read after this file.

DD_VERSION	?= 0.1.0
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
PKGLIBDIR	?= $(PREFIX)/lib/daedalus-v4l2
SYSTEMLIBDIR	?= $(PREFIX)/lib
UNITDIR		?= $(SYSTEMLIBDIR)/systemd/system
UDEVRULESDIR	?= $(SYSTEMLIBDIR)/udev/rules.d
SYSUSERSDIR	?= $(SYSTEMLIBDIR)/sysusers.d
MODLOADDIR	?= $(SYSTEMLIBDIR)/modules-load.d
MODPROBEDIR	?= $(SYSTEMLIBDIR)/modprobe.d
DKMS_NAME	:= daedalus-v4l2
DKMSDIR		?= /usr/src/$(DKMS_NAME)-$(DD_VERSION)
INSTALL		?= install

INSTALL_SBIN	:= $(BUILD)/daedalusd $(BUILD)/daedalus-cuse
INSTALL_BIN	:= $(BUILD)/daedalus-decode
INSTALL_LIB	:= $(BUILD)/libdaedalus-preload.so
# The module tree: kernel/ and common/ minus the userspace half of the shim.
DKMS_KSRCS	:= $(wildcard kernel/*.c kernel/*.h)
DKMS_CSRCS	:= $(filter-out common/dd_os_user.c,$(wildcard common/*.c common/*.h))

.PHONY: install uninstall install-dkms-tree check-dkms

install: $(INSTALL_SBIN) $(INSTALL_BIN) $(INSTALL_LIB) install-dkms-tree
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(MODLOADDIR) $(DESTDIR)$(MODPROBEDIR)
	$(INSTALL) -m 0755 $(INSTALL_SBIN) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0644 $(INSTALL_LIB) $(DESTDIR)$(PKGLIBDIR)/
	sed 's|/usr/local/sbin/daedalusd|$(SBINDIR)/daedalusd|' packaging/daedalusd.service \
		>$(DESTDIR)$(UNITDIR)/daedalusd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/daedalusd.service
	$(INSTALL) -m 0644 packaging/60-daedalus-v4l2.rules $(DESTDIR)$(UDEVRULESDIR)/
	$(INSTALL) -m 0644 packaging/daedalus.sysusers $(DESTDIR)$(SYSUSERSDIR)/daedalus-v4l2.conf
	$(INSTALL) -m 0644 packaging/daedalus-v4l2.modules-load \
		$(DESTDIR)$(MODLOADDIR)/daedalus-v4l2.conf
	$(INSTALL) -m 0644 packaging/daedalus-v4l2.conf $(DESTDIR)$(MODPROBEDIR)/daedalus-v4l2.conf
	@if [ -z "$(DESTDIR)" ]; then \
		if command -v systemd-sysusers >/dev/null; then \
			systemd-sysusers $(SYSUSERSDIR)/daedalus-v4l2.conf || exit 1; \
		fi; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		if command -v udevadm >/dev/null; then udevadm control --reload-rules || true; fi; \
		echo "installed; build the module with: dkms install $(DKMS_NAME)/$(DD_VERSION)"; \
	fi

install-dkms-tree: $(DKMS_KSRCS) $(DKMS_CSRCS) kernel/Kbuild packaging/dkms/Makefile \
		packaging/dkms.conf
	@[ -n "$(DKMSDIR)" ] && [ "$(DKMSDIR)" != / ] || { echo "bad DKMSDIR"; exit 1; }
	rm -rf $(DESTDIR)$(DKMSDIR)
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/common
	$(INSTALL) -m 0644 $(DKMS_KSRCS) kernel/Kbuild $(DESTDIR)$(DKMSDIR)/
	$(INSTALL) -m 0644 $(DKMS_CSRCS) $(DESTDIR)$(DKMSDIR)/common/
	$(INSTALL) -m 0644 packaging/dkms/Makefile $(DESTDIR)$(DKMSDIR)/Makefile
	sed 's/@VERSION@/$(DD_VERSION)/' packaging/dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMSDIR)/dkms.conf

# Removes what install put there.  The daedalus user stays (a later owner of
# its uid could otherwise inherit files); an edited /etc/modprobe.d copy of
# the options example is the administrator's and stays too.
uninstall:
	@if [ -z "$(DESTDIR)" ]; then \
		if [ -d /run/systemd/system ]; then \
			systemctl disable --now daedalusd.service 2>/dev/null || true; \
		fi; \
		if command -v dkms >/dev/null && \
		   [ -n "$$(dkms status -m $(DKMS_NAME) -v $(DD_VERSION) 2>/dev/null)" ]; then \
			dkms remove $(DKMS_NAME)/$(DD_VERSION) --all || exit 1; \
		fi; \
	fi
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(notdir $(INSTALL_SBIN))) \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(INSTALL_BIN))) \
		$(DESTDIR)$(PKGLIBDIR)/$(notdir $(INSTALL_LIB)) \
		$(DESTDIR)$(UNITDIR)/daedalusd.service \
		$(DESTDIR)$(UDEVRULESDIR)/60-daedalus-v4l2.rules \
		$(DESTDIR)$(SYSUSERSDIR)/daedalus-v4l2.conf \
		$(DESTDIR)$(MODLOADDIR)/daedalus-v4l2.conf \
		$(DESTDIR)$(MODPROBEDIR)/daedalus-v4l2.conf
	-rmdir $(DESTDIR)$(PKGLIBDIR) 2>/dev/null
	@[ -n "$(DKMSDIR)" ] && [ "$(DKMSDIR)" != / ] || { echo "bad DKMSDIR"; exit 1; }
	rm -rf $(DESTDIR)$(DKMSDIR)
	@if [ -z "$(DESTDIR)" ]; then \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		if command -v udevadm >/dev/null; then udevadm control --reload-rules || true; fi; \
	fi

# Stage the DKMS tree and let dkms build it for every installed kernel with
# headers, in private dkms/source trees under build/ (the system's DKMS
# state is not touched).
check-dkms:
	packaging/check-dkms.sh $(DD_VERSION)
