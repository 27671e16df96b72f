#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""gen-mpeg2-fields.py OUT: write a small MPEG-2 stream made of field pictures.

ffmpeg's mpeg2video encoder only writes frame pictures, so this writes the
field-picture path of a stateless decoder by hand: 64x64 4:2:0 interlaced,
six frames, each a pair of field pictures (one request per field):
  0: I top, I bottom      1: P bottom, P top (bottom field first)
  2: P top, P bottom      3: I bottom, P top (P second field of an I frame)
  4: P top, P bottom      5: P bottom, P top
Intra macroblocks carry DC coefficients only (flat 8x8 blocks of
pseudo-random levels); the P fields code the first and last macroblock of
each row as intra and skip the two between, which copies them from the
previous field of the same parity (zero motion).  Deterministic output.
"""
import sys

W, H = 64, 64
MBW, FIELD_MB_ROWS = W // 16, H // 32


class Bits:
    def __init__(self):
        self.bits = []

    def u(self, n, v):
        for i in range(n - 1, -1, -1):
            self.bits.append((v >> i) & 1)

    def s(self, code):
        for c in code:
            self.bits.append(int(c))

    def align(self):
        while len(self.bits) % 8:
            self.bits.append(0)

    def start_code(self, code):
        self.align()
        self.u(24, 1)
        self.u(8, code)

    def data(self):
        self.align()
        out = bytearray()
        for i in range(0, len(self.bits), 8):
            b = 0
            for bit in self.bits[i:i + 8]:
                b = b << 1 | bit
            out.append(b)
        return bytes(out)


# Table B.1 (macroblock_address_increment), B.12/B.13 (dct_dc_size).
MBA = {1: '1', 2: '011', 3: '010', 4: '0011'}
DC_LUMA = ['100', '00', '01', '101', '110', '1110']
DC_CHROMA = ['00', '01', '10', '110', '1110', '11110']
EOB = '10'                      # Table B.14, intra_vlc_format 0


class Rand:
    def __init__(self, seed):
        self.x = seed

    def next(self, n):
        self.x = (self.x * 1103515245 + 12345) & 0x7fffffff
        return (self.x >> 8) % n


def dc_diff(b, table, diff):
    size = abs(diff).bit_length()
    b.s(table[size])
    if size:
        b.u(size, diff if diff > 0 else diff + (1 << size) - 1)


def intra_mb(b, rnd, dc):
    # dc: predictors [Y, Cb, Cr] in DC units (8-bit precision), updated.
    for blk in range(6):
        c = 0 if blk < 4 else blk - 3
        target = max(16, min(235, dc[c] + rnd.next(31) - 15))
        dc_diff(b, DC_LUMA if c == 0 else DC_CHROMA, target - dc[c])
        dc[c] = target
        b.s(EOB)


def sequence(b):
    b.start_code(0xb3)
    b.u(12, W)
    b.u(12, H)
    b.u(4, 1)                   # square pixels
    b.u(4, 3)                   # 25 Hz
    b.u(18, 0x3ffff)
    b.u(1, 1)
    b.u(10, 20)                 # vbv_buffer_size_value
    b.u(3, 0)                   # constrained, no matrices
    b.start_code(0xb5)
    b.u(4, 1)
    b.u(8, 0x48)                # Main profile, Main level
    b.u(1, 0)                   # interlaced sequence
    b.u(2, 1)                   # 4:2:0
    b.u(4, 0)
    b.u(12, 0)
    b.u(1, 1)
    b.u(8, 0)
    b.u(1, 1)                   # low_delay: no B pictures
    b.u(7, 0)
    b.start_code(0xb8)          # GOP: closed, 00:00:00:00
    b.u(25, 1 << 12)
    b.u(2, 2)                   # closed_gop, broken_link 0
    b.u(5, 0)


def field(b, rnd, temporal_ref, ptype, structure):
    b.start_code(0x00)
    b.u(10, temporal_ref)
    b.u(3, ptype)
    b.u(16, 0xffff)
    if ptype == 2:
        b.u(1, 0)
        b.u(3, 7)
    b.u(1, 0)
    b.start_code(0xb5)
    b.u(4, 8)
    fwd = 1 if ptype == 2 else 15
    for f in (fwd, fwd, 15, 15):
        b.u(4, f)
    b.u(2, 0)                   # intra_dc_precision 8 bits
    b.u(2, structure)
    b.u(8, 0)                   # tff, frame_pred_frame_dct, ... all 0
    b.u(2, 0)                   # chroma_420_type, progressive_frame
    b.u(1, 0)                   # composite_display_flag
    for row in range(FIELD_MB_ROWS):
        b.start_code(row + 1)
        b.u(5, 8)               # quantiser_scale_code
        b.u(1, 0)
        dc = [128, 128, 128]
        if ptype == 1:
            for _ in range(MBW):
                b.s(MBA[1])
                b.s('1')        # intra
                intra_mb(b, rnd, dc)
        else:
            b.s(MBA[1])
            b.s('00011')        # intra in a P picture
            intra_mb(b, rnd, dc)
            dc = [128, 128, 128]    # skipped macroblocks reset the predictors
            b.s(MBA[MBW - 1])
            b.s('00011')
            intra_mb(b, rnd, dc)


def main():
    top, bottom = 1, 2
    frames = [((1, top), (1, bottom)), ((2, bottom), (2, top)), ((2, top), (2, bottom)),
              ((1, bottom), (2, top)), ((2, top), (2, bottom)), ((2, bottom), (2, top))]
    b = Bits()
    rnd = Rand(2026)
    sequence(b)
    for n, pair in enumerate(frames):
        for ptype, structure in pair:
            field(b, rnd, n, ptype, structure)
    b.start_code(0xb7)
    with open(sys.argv[1], 'wb') as f:
        f.write(b.data())


main()
