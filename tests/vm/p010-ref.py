#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/p010-ref.py W H RAW10 [OUT]: the exact P010 reference of a
# decoded 10-bit 4:2:0 stream.  RAW10 holds libavcodec's own pictures
# (`ffmpeg -i S -f rawvideo -pix_fmt yuv420p10le`); each sample becomes
# value << 6 and Cb, Cr are interleaved, which is the P010 contract.
# Prints framemd5-style lines (the md5 column is what tests compare) and
# writes the p010le pictures to OUT if given.  Needed for odd widths:
# FFmpeg 5.1's swscale yuv420p10le -> p010le leaves the last Cb/Cr pair of
# every chroma row 0 when the width is odd, so `-pix_fmt p010le` is not an
# exact reference there (it is for even widths).
import hashlib
import struct
import sys

w, h = int(sys.argv[1]), int(sys.argv[2])
cw, ch = (w + 1) // 2, (h + 1) // 2
frame = (w * h + 2 * cw * ch) * 2
data = open(sys.argv[3], 'rb').read()
out = open(sys.argv[4], 'wb') if len(sys.argv) > 4 else None
print('#format: frame checksums\n#hash: MD5\n#dimensions 0: %dx%d' % (w, h))
for n in range(len(data) // frame):
    f = data[n * frame:(n + 1) * frame]
    y = struct.unpack('<%dH' % (w * h), f[:w * h * 2])
    u = struct.unpack('<%dH' % (cw * ch), f[w * h * 2:(w * h + cw * ch) * 2])
    v = struct.unpack('<%dH' % (cw * ch), f[(w * h + cw * ch) * 2:])
    uv = [0] * (2 * cw * ch)
    uv[0::2] = u
    uv[1::2] = v
    pic = struct.pack('<%dH' % (w * h), *[s << 6 for s in y]) + \
        struct.pack('<%dH' % (2 * cw * ch), *[s << 6 for s in uv])
    if out:
        out.write(pic)
    print('0, %10d, %10d, %8d, %8d, %s' % (n, n, 1, len(pic), hashlib.md5(pic).hexdigest()))
