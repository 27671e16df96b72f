#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# make-paff.py IN.h264 OUT.h264 - turn an all-intra CAVLC x264 stream of
# half-height pictures into a PAFF (field picture) stream: picture 2k becomes
# the top field (IDR) and picture 2k+1 the bottom field (non-IDR reference)
# of frame k.  No encoder on the host writes field pictures; this one is
# valid H.264 whose pixels are whatever a conforming decoder makes of it,
# and ffmpeg's decode of the SAME file is the reference, so it exercises a
# decoder's field-pair handling exactly.
#
# Input requirements (x264 -profile:v baseline -g 1, one slice, poc type 2):
# checked, and the script fails loudly otherwise.
import sys


class BitReader:
    def __init__(self, data):
        self.bits = ''.join(f'{b:08b}' for b in data)
        self.pos = 0

    def u(self, n):
        v = int(self.bits[self.pos:self.pos + n], 2) if n else 0
        self.pos += n
        return v

    def ue(self):
        zeros = 0
        while self.bits[self.pos] == '0':
            zeros += 1
            self.pos += 1
        self.pos += 1
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self):
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)

    def rest_payload(self):
        # Everything up to (not including) rbsp_stop_one_bit.
        tail = self.bits[self.pos:].rstrip('0')
        assert tail.endswith('1'), 'no rbsp_stop_one_bit'
        return tail[:-1]


class BitWriter:
    def __init__(self):
        self.bits = []

    def u(self, n, v):
        if n:
            self.bits.append(f'{v:0{n}b}')

    def ue(self, v):
        s = f'{v + 1:b}'
        self.bits.append('0' * (len(s) - 1) + s)

    def raw(self, s):
        self.bits.append(s)

    def rbsp(self):
        s = ''.join(self.bits) + '1'
        s += '0' * (-len(s) % 8)
        return bytes(int(s[i:i + 8], 2) for i in range(0, len(s), 8))


def split_nals(data):
    nals, i, n = [], 0, len(data)
    starts = []
    while i + 3 <= n:
        if data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 1:
            starts.append(i + 3)
            i += 3
        else:
            i += 1
    for k, s in enumerate(starts):
        e = starts[k + 1] - 3 if k + 1 < len(starts) else n
        nal = data[s:e]
        while nal and nal[-1] == 0:  # zero_byte of the next 4-byte start code
            nal = nal[:-1]
        nals.append(nal)
    return nals


def unescape(nal):
    out, zeros = bytearray(), 0
    for b in nal:
        if zeros >= 2 and b == 3:
            zeros = 0
            continue
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def escape(rbsp):
    out, zeros = bytearray(), 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def rewrite_sps(rbsp):
    r, w = BitReader(rbsp), BitWriter()
    profile = r.u(8)
    assert profile == 66, 'expects a Baseline input stream'
    r.u(8)
    w.u(8, 77)          # Main: interlaced coding, still CAVLC
    w.u(8, 0)           # no constraint flags
    w.u(8, r.u(8))      # level_idc
    w.ue(r.ue())        # seq_parameter_set_id
    log2_fn = r.ue()
    w.ue(log2_fn)
    poc_type = r.ue()
    assert poc_type == 2, 'expects pic_order_cnt_type 2 (x264 without B-frames)'
    w.ue(poc_type)
    w.ue(r.ue())        # max_num_ref_frames
    w.u(1, r.u(1))      # gaps_in_frame_num_value_allowed_flag
    w.ue(r.ue())        # pic_width_in_mbs_minus1
    w.ue(r.ue())        # pic_height_in_map_units_minus1: field height in MBs
    assert r.u(1) == 1
    w.u(1, 0)           # frame_mbs_only_flag
    w.u(1, 0)           # mb_adaptive_frame_field_flag: PAFF, not MBAFF
    r.u(1)
    w.u(1, 1)           # direct_8x8_inference_flag (required when !frame_mbs_only)
    w.raw(r.rest_payload())  # cropping, VUI
    return w.rbsp(), log2_fn + 4


def rewrite_slice(rbsp, frame_num_bits, bottom, frame_idx):
    r, w = BitReader(rbsp), BitWriter()
    first_mb = r.ue()
    assert first_mb == 0, 'expects one slice per picture'
    w.ue(first_mb)
    slice_type = r.ue()
    assert slice_type % 5 == 2, 'expects I slices only'
    w.ue(slice_type)
    w.ue(r.ue())        # pic_parameter_set_id
    r.u(frame_num_bits)
    w.u(frame_num_bits, 0)  # an IDR frame's two fields both have frame_num 0
    w.u(1, 1)           # field_pic_flag
    w.u(1, bottom)      # bottom_field_flag
    r.ue()              # idr_pic_id (input pictures are all IDR)
    if not bottom:
        w.ue(frame_idx % 65536)
    # poc type 2: nothing; I slice: no ref lists, no weights.
    no_output, long_term = r.u(1), r.u(1)
    if bottom:
        w.u(1, 0)       # adaptive_ref_pic_marking_mode_flag
    else:
        w.u(1, no_output)
        w.u(1, long_term)
    w.raw(r.bits[r.pos:].rstrip('0')[:-1])  # qp delta, deblocking, slice data
    return w.rbsp()


def main():
    data = open(sys.argv[1], 'rb').read()
    out = bytearray()
    frame_num_bits = None
    pic = 0
    for nal in split_nals(data):
        hdr, t = nal[0], nal[0] & 0x1f
        if t == 7:
            rbsp, frame_num_bits = rewrite_sps(unescape(nal[1:]))
            out += b'\x00\x00\x00\x01' + bytes([hdr]) + escape(rbsp)
        elif t == 8:
            out += b'\x00\x00\x00\x01' + nal
        elif t == 5:
            bottom = pic & 1
            rbsp = rewrite_slice(unescape(nal[1:]), frame_num_bits, bottom, pic // 2)
            # Top field: IDR (type 5); bottom field: non-IDR reference (type 1).
            new_hdr = (hdr & 0xe0) | (1 if bottom else 5)
            out += b'\x00\x00\x00\x01' + bytes([new_hdr]) + escape(rbsp)
            pic += 1
        elif t in (1, 2, 3, 4):
            sys.exit('make-paff: non-IDR slice in input; encode with -g 1')
        # SEI, AUD: dropped
    if pic % 2:
        sys.exit('make-paff: odd number of pictures')
    open(sys.argv[2], 'wb').write(out)


if __name__ == '__main__':
    main()
