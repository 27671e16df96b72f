#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel/kbuild.sh KVER OUTDIR: build daedalus_v4l2.ko against
# /lib/modules/KVER/build in OUTDIR with W=1, failing on any warning.
# OUTDIR gets symlinks to kernel/*.[ch], kernel/Kbuild and common/*.[ch]
# (re-made every run, so removed or new files are noticed).
set -euo pipefail

kver=$1
out=$2
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
kdir=/lib/modules/$kver/build

[ -d "$kdir" ] || { echo "kernel: $kdir missing (install linux-headers-$kver)" >&2; exit 1; }

mkdir -p "$out/common"
find "$out" -maxdepth 2 -type l -delete
for f in "$src"/kernel/*.c "$src"/kernel/*.h "$src"/kernel/Kbuild; do
	[ -e "$f" ] && ln -s "$f" "$out/"
done
for f in "$src"/common/*.c "$src"/common/*.h; do
	[ -e "$f" ] && ln -s "$f" "$out/common/"
done
# Objects of sources that no longer exist would otherwise linger unseen.
for o in "$out"/*.o "$out"/common/*.o; do
	[ -e "$o" ] || continue
	case $o in *.mod.o|*/daedalus_v4l2.o) continue ;; esac
	[ -e "${o%.o}.c" ] || rm -f "$o" "$(dirname "$o")/.$(basename "$o").cmd"
done

# The headers were built with gcc-12 (CONFIG_CC_VERSION_TEXT); kbuild
# refuses or miscompiles with another major version.
cc=gcc
want=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$kdir/.config" 2>/dev/null || true)
if [ -n "$want" ] && command -v "$want" >/dev/null; then
	cc=$want
fi

log=$out/build.log
echo "  KBUILD  $kver"
if ! make -s -C "$kdir" M="$out" W=1 CC="$cc" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "kernel: build for $kver failed (log: $log)" >&2
	exit 1
fi
# Compiler and modpost warnings; not make's own note that a parallel
# parent make keeps its jobserver to itself.
if grep -v '^make\[[0-9]*\]: warning: jobserver unavailable' "$log" | grep -q 'warning:'; then
	cat "$log" >&2
	echo "kernel: build for $kver has warnings (log: $log)" >&2
	# Drop every object so the next run recompiles and warns again.
	find "$out" -name '*.o' -delete
	rm -f "$out/daedalus_v4l2.ko"
	exit 1
fi
