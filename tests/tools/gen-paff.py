#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# gen-paff.py OUT.h264: write a small PAFF (field picture) H.264 stream,
# which libx264 cannot make, to test daedalus-decode's field handling: an IDR
# field pair, P and non-reference B field pairs (B decoded after the P they
# precede in display), top- and bottom-first pairs, long-term field
# references set with MMCO 4/6 and dropped with MMCO 2, and a second IDR.
# Main profile, CAVLC; I fields are all I_PCM, P/B fields all skipped, so
# the stream is valid yet tiny (64x96, 12 macroblocks per field).
import sys

W_MBS = 4
MAP_UNITS = 3                    # field height in MBs; frame is twice that
FIELD_MBS = W_MBS * MAP_UNITS
LOG2_MAX_FN = 4
LOG2_MAX_POC_LSB = 6


class Bits:
    def __init__(self):
        self.bits = []

    def u(self, n, v):
        for i in range(n - 1, -1, -1):
            self.bits.append((v >> i) & 1)

    def ue(self, v):
        v += 1
        n = v.bit_length()
        self.u(n - 1, 0)
        self.u(n, v)

    def se(self, v):
        self.ue(2 * v - 1 if v > 0 else -2 * v)

    def align_zero(self):
        while len(self.bits) % 8:
            self.bits.append(0)

    def trailing(self):
        self.bits.append(1)
        self.align_zero()

    def bytes(self):
        out = bytearray()
        for i in range(0, len(self.bits), 8):
            b = 0
            for bit in self.bits[i:i + 8]:
                b = (b << 1) | bit
            out.append(b)
        return bytes(out)


def nal(ref_idc, typ, rbsp):
    out = bytearray([0, 0, 0, 1, (ref_idc << 5) | typ])
    zeros = 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def sps():
    b = Bits()
    b.u(8, 77)                   # Main
    b.u(8, 0)                    # constraint flags
    b.u(8, 30)                   # level 3.0
    b.ue(0)                      # sps id
    b.ue(LOG2_MAX_FN - 4)
    b.ue(0)                      # poc type 0
    b.ue(LOG2_MAX_POC_LSB - 4)
    b.ue(3)                      # max_num_ref_frames
    b.u(1, 0)                    # gaps not allowed
    b.ue(W_MBS - 1)
    b.ue(MAP_UNITS - 1)
    b.u(1, 0)                    # frame_mbs_only_flag = 0: fields
    b.u(1, 0)                    # no MBAFF
    b.u(1, 1)                    # direct_8x8_inference
    b.u(1, 0)                    # no cropping
    b.u(1, 0)                    # no VUI
    b.trailing()
    return nal(3, 7, b.bytes())


def pps():
    b = Bits()
    b.ue(0)
    b.ue(0)
    b.u(1, 0)                    # CAVLC
    b.u(1, 0)                    # bottom_field_pic_order_in_frame_present
    b.ue(0)                      # one slice group
    b.ue(0)                      # num_ref_idx_l0_default_active_minus1
    b.ue(0)                      # l1
    b.u(1, 0)                    # weighted_pred
    b.u(2, 0)                    # weighted_bipred_idc
    b.se(0)                      # pic_init_qp_minus26
    b.se(0)                      # pic_init_qs_minus26
    b.se(0)                      # chroma_qp_index_offset
    b.u(1, 1)                    # deblocking_filter_control_present
    b.u(1, 0)                    # constrained_intra_pred
    b.u(1, 0)                    # redundant_pic_cnt_present
    b.trailing()
    return nal(3, 8, b.bytes())


def field(kind, idr, ref, frame_num, bottom, poc, mmco=(), idr_id=0, seed=0):
    """kind: 'I' (all I_PCM), 'P' or 'B' (all skipped)."""
    b = Bits()
    b.ue(0)                                      # first_mb_in_slice
    b.ue({'P': 5, 'B': 6, 'I': 7}[kind])
    b.ue(0)                                      # pps id
    b.u(LOG2_MAX_FN, frame_num)
    b.u(1, 1)                                    # field_pic_flag
    b.u(1, 1 if bottom else 0)
    if idr:
        b.ue(idr_id)
    b.u(LOG2_MAX_POC_LSB, poc % (1 << LOG2_MAX_POC_LSB))
    if kind == 'B':
        b.u(1, 1)                                # direct_spatial_mv_pred
    if kind in 'PB':
        b.u(1, 0)                                # num_ref_idx_active_override
        b.u(1, 0)                                # ref_pic_list_modification_l0
        if kind == 'B':
            b.u(1, 0)                            # ..._l1
    if ref:
        if idr:
            b.u(1, 0)                            # no_output_of_prior_pics
            b.u(1, 0)                            # long_term_reference_flag
        elif mmco:
            b.u(1, 1)                            # adaptive_ref_pic_marking
            for op in mmco:
                b.ue(op[0])
                if op[0] in (1, 3):
                    b.ue(op[1])
                if op[0] == 2:
                    b.ue(op[1])
                if op[0] in (3, 6):
                    b.ue(op[-1])
                if op[0] == 4:
                    b.ue(op[1])
            b.ue(0)
        else:
            b.u(1, 0)
    b.se(0)                                      # slice_qp_delta
    b.ue(1)                                      # disable_deblocking_filter_idc
    if kind == 'I':
        for mb in range(FIELD_MBS):
            b.ue(25)                             # I_PCM
            b.align_zero()
            for i in range(384):
                b.u(8, 1 + (i * 7 + mb * 31 + seed * 53) % 254)
    else:
        b.ue(FIELD_MBS)                          # mb_skip_run: all skipped
    b.trailing()
    return nal(2 if ref else 0, 5 if idr else 1, b.bytes())


def main():
    s = [sps(), pps()]
    # decode order; POC per field; frame_num counts reference frames
    s.append(field('I', True, True, 0, False, 0, seed=1))
    s.append(field('I', False, True, 0, True, 1, seed=2))
    # P pair, first one also made long-term (MMCO 4 then 6)
    s.append(field('P', False, True, 1, False, 12, mmco=((4, 1), (6, 0))))
    s.append(field('P', False, True, 1, True, 13, mmco=((6, 0),)))
    s.append(field('B', False, False, 2, False, 4))
    s.append(field('B', False, False, 2, True, 5))
    s.append(field('B', False, False, 2, True, 9))     # bottom-first pair
    s.append(field('B', False, False, 2, False, 8))
    s.append(field('P', False, True, 2, False, 24))
    s.append(field('P', False, True, 2, True, 25))
    s.append(field('B', False, False, 3, False, 16))
    s.append(field('B', False, False, 3, True, 17))
    s.append(field('B', False, False, 3, False, 20))
    s.append(field('B', False, False, 3, True, 21))
    # bottom-first P pair; drop the long-term pair (both parities) on the way
    s.append(field('P', False, True, 3, True, 37, mmco=((2, 0), (2, 1))))
    s.append(field('P', False, True, 3, False, 36))
    s.append(field('B', False, False, 4, False, 28))
    s.append(field('B', False, False, 4, True, 29))
    s.append(field('I', False, True, 4, False, 48, seed=3))
    s.append(field('P', False, True, 4, True, 49))
    s.append(field('B', False, False, 5, False, 40))
    s.append(field('B', False, False, 5, True, 41))
    s.append(field('B', False, False, 5, True, 45))
    s.append(field('B', False, False, 5, False, 44))
    # second IDR period, bottom field first
    s.append(field('I', True, True, 0, True, 0, idr_id=1, seed=4))
    s.append(field('I', False, True, 0, False, 1, seed=5))
    s.append(field('P', False, True, 1, True, 8))
    s.append(field('P', False, True, 1, False, 9))
    s.append(field('B', False, False, 2, True, 4))
    s.append(field('B', False, False, 2, False, 5))
    with open(sys.argv[1], 'wb') as f:
        f.write(b''.join(s))


main()
