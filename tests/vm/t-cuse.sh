#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse: the guest kernel offers CUSE, which the userspace front end
# (cuse-proto/) needs: modprobe cuse gives /dev/cuse (char 10:203) and it
# opens read/write.
. tests/vm/lib.sh

modprobe cuse || vm_fail "modprobe cuse failed"
[ -c /dev/cuse ] || vm_fail "/dev/cuse missing after modprobe cuse"
dev=$(stat -c '%t:%T' /dev/cuse)
[ "$dev" = a:cb ] || vm_fail "/dev/cuse is char 0x$dev, want 10:203 (0xa:0xcb)"
# Opening the node starts a CUSE connection; closing it ends it again.
exec 3<>/dev/cuse || vm_fail "cannot open /dev/cuse read/write"
exec 3<&-
vm_note "/dev/cuse present and opens read/write"
