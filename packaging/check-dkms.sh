#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# packaging/check-dkms.sh VERSION: stage the module's DKMS source tree the
# way `make install` lays it out and have dkms add and build it for every
# kernel with headers in /lib/modules/*/build.  dkms runs on private source
# and dkms trees under build/dkms-check/, so /usr/src and /var/lib/dkms stay
# untouched.  Prints one line per kernel; exit 0 only if every build gave a
# daedalus_v4l2.ko.
set -euo pipefail

ver=${1:?usage: check-dkms.sh VERSION}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v dkms >/dev/null || { echo "check-dkms: dkms not installed (apt-get install dkms)" >&2; exit 1; }

top=$PWD/build/dkms-check
rm -rf "$top"
mkdir -p "$top/stage" "$top/dkms"
make -s install-dkms-tree DESTDIR="$top/stage" DD_VERSION="$ver"
src=$top/stage/usr/src
tree=(--sourcetree "$src" --dkmstree "$top/dkms")

# The staged tree must be all a build needs: nothing may point back here.
if grep -rn '\.\./\|/work/\|'"$PWD" "$src/daedalus-v4l2-$ver" >/dev/null; then
	echo "check-dkms: staged tree refers outside itself" >&2
	exit 1
fi

# dkms signs what it builds with a machine owner key it creates on first
# use; one made just for this check is removed again.
mok=/var/lib/dkms/mok.key
[ -e $mok ] && had_mok=1 || had_mok=0

dkms add -m daedalus-v4l2 -v "$ver" "${tree[@]}" >"$top/add.log" 2>&1 ||
	{ cat "$top/add.log" >&2; exit 1; }

fail=0 n=0
for kb in /lib/modules/*/build; do
	[ -d "$kb" ] || continue
	kver=${kb#/lib/modules/}
	kver=${kver%/build}
	n=$((n + 1))
	log=$top/build-$kver.log
	if dkms build --verbose -m daedalus-v4l2 -v "$ver" -k "$kver" "${tree[@]}" >"$log" 2>&1; then
		ko=$(find "$top/dkms/daedalus-v4l2/$ver/$kver" -name 'daedalus_v4l2.ko*' | head -n1)
		if [ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ]; then
			echo "check-dkms: $kver: built $(basename "$ko") ($(stat -c %s "$ko") bytes)"
		else
			echo "check-dkms: $kver: dkms build passed but no module for $kver" >&2
			fail=1
		fi
	else
		cat "$log" >&2
		echo "check-dkms: $kver: dkms build failed (log: $log)" >&2
		fail=1
	fi
done
[ $n -gt 0 ] || { echo "check-dkms: no /lib/modules/*/build (install linux-headers)" >&2; exit 1; }
dkms remove -m daedalus-v4l2 -v "$ver" --all "${tree[@]}" >/dev/null 2>&1 || true
[ $had_mok = 1 ] || rm -f $mok /var/lib/dkms/mok.pub
exit $fail
