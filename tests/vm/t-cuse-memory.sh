#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# t-cuse-memory: the three buffer memories on the CUSE device, each a
# different path through the server: MMAP (memfd buffers; daedalus-decode
# maps them through libv4l2, whose syscall(SYS_mmap) the preload shim
# routes), DMABUF (dma-heap buffers taken with pidfd_getfd) and USERPTR
# (process_vm_readv / the daemon's process_vm_writev).  Frame and field
# streams, 1 and 4 requests in flight, framemd5-exact against ffmpeg.
. tests/vm/lib.sh
. tests/vm/cuse-lib.sh

[ -x build/daedalus-cuse ] || { echo "build/daedalus-cuse not built"; exit 77; }
[ -x build/daedalus-decode ] || { echo "build/daedalus-decode not built"; exit 77; }

if [ "${1:-}" != inner ]; then
	cuse_streams
	exec tests/vm/with-device cuse -- bash "$0" inner
fi

mems="mmap userptr"
if [ -c /dev/dma_heap/system ]; then
	mems="$mems dmabuf"
else
	vm_note "no /dev/dma_heap/system in this kernel: DMABUF not tested"
fi
for m in $mems; do
	CUSE_MEMORY=$m
	vm_note "memory $m:"
	cuse_decode_test main paff
done
