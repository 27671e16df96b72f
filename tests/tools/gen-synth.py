#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# gen-synth.py KIND OUT.h264: write a small synthetic H.264 stream covering
# what libx264 cannot make, to test daedalus-decode's DPB model:
#   paff   field pictures: an IDR field pair, P and non-reference B field
#          pairs (B decoded after the P they precede in display), top- and
#          bottom-first pairs, long-term fields set with MMCO 4/6 and dropped
#          with MMCO 2, a second IDR
#   poc1   frames with picture order count type 1, B frames placed by
#          delta_pic_order_cnt[0], frame_num wrapping twice
#   mmco5  frames with MMCO 5 (POC and frame_num reset without an IDR)
#   gaps   frames with gaps_in_frame_num_value_allowed_flag and frame_num
#          gaps (non-existing frames), POC type 2
#   unpaired  field pictures with an unpaired top field mid-stream and an
#          unpaired bottom field at the end
# Main profile, CAVLC; I pictures are all I_PCM, P/B pictures all skipped, so
# the streams are valid yet tiny (64x48 frames or 64x96 field pairs).
import sys

W_MBS = 4
MAP_UNITS = 3                    # field height in MBs (paff), frame height otherwise
LOG2_MAX_FN = 4
LOG2_MAX_POC_LSB = 6


class Seq:
    fields = True                # frame_mbs_only_flag = 0, field pictures
    poc_type = 0
    gaps = False
    max_refs = 3
    poc1_ref_offset = 6
    poc1_nonref_offset = -4


SEQ = Seq()


def mbs():
    return W_MBS * MAP_UNITS


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
    b.ue(SEQ.poc_type)
    if SEQ.poc_type == 0:
        b.ue(LOG2_MAX_POC_LSB - 4)
    elif SEQ.poc_type == 1:
        b.u(1, 0)                # delta_pic_order_always_zero_flag
        b.se(SEQ.poc1_nonref_offset)
        b.se(0)                  # offset_for_top_to_bottom_field
        b.ue(1)                  # one frame per POC cycle
        b.se(SEQ.poc1_ref_offset)
    b.ue(SEQ.max_refs)           # max_num_ref_frames
    b.u(1, 1 if SEQ.gaps else 0)
    b.ue(W_MBS - 1)
    b.ue(MAP_UNITS - 1)
    if SEQ.fields:
        b.u(1, 0)                # frame_mbs_only_flag = 0: fields allowed
        b.u(1, 0)                # no MBAFF
    else:
        b.u(1, 1)                # frames only
    b.u(1, 1)                    # direct_8x8_inference
    b.u(1, 0)                    # no cropping
    b.u(1, 1)                    # VUI: timing and reorder bounds, as encoders write
    b.u(1, 0)                    # aspect_ratio_info_present
    b.u(1, 0)                    # overscan_info_present
    b.u(1, 0)                    # video_signal_type_present
    b.u(1, 0)                    # chroma_loc_info_present
    b.u(1, 1)                    # timing_info_present: 25 frames/s
    b.u(32, 1)
    b.u(32, 50)
    b.u(1, 1)
    b.u(1, 0)                    # nal_hrd
    b.u(1, 0)                    # vcl_hrd
    b.u(1, 0)                    # pic_struct_present
    b.u(1, 1)                    # bitstream_restriction
    b.u(1, 1)                    # motion_vectors_over_pic_boundaries
    b.ue(0)
    b.ue(0)
    b.ue(16)
    b.ue(16)
    b.ue(2)                      # max_num_reorder_frames
    b.ue(SEQ.max_refs + 1)       # max_dec_frame_buffering
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


def field(kind, idr, ref, frame_num, bottom, poc, mmco=(), idr_id=0, seed=0, frame=False,
          delta0=0, reorder=None):
    """kind: 'I' (all I_PCM), 'P' or 'B' (all skipped); frame: a frame picture;
    poc: the lsb (type 0); delta0: delta_pic_order_cnt[0] (type 1);
    reorder: abs_diff_pic_num_minus1 of one list 0 modification (P)."""
    b = Bits()
    b.ue(0)                                      # first_mb_in_slice
    b.ue({'P': 5, 'B': 6, 'I': 7}[kind])
    b.ue(0)                                      # pps id
    b.u(LOG2_MAX_FN, frame_num)
    if SEQ.fields:
        b.u(1, 0 if frame else 1)                # field_pic_flag
        if not frame:
            b.u(1, 1 if bottom else 0)
    if idr:
        b.ue(idr_id)
    if SEQ.poc_type == 0:
        b.u(LOG2_MAX_POC_LSB, poc % (1 << LOG2_MAX_POC_LSB))
    elif SEQ.poc_type == 1:
        b.se(delta0)
    if kind == 'B':
        b.u(1, 1)                                # direct_spatial_mv_pred
    if kind in 'PB':
        b.u(1, 0)                                # num_ref_idx_active_override
        if reorder is None:
            b.u(1, 0)                            # ref_pic_list_modification_l0
        else:
            b.u(1, 1)
            b.ue(0)                              # subtract from picNumPred
            b.ue(reorder)
            b.ue(3)
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
        for mb in range(mbs()):
            b.ue(25)                             # I_PCM
            b.align_zero()
            for i in range(384):
                b.u(8, 1 + (i * 7 + mb * 31 + seed * 53) % 254)
    else:
        b.ue(mbs())                              # mb_skip_run: all skipped
    b.trailing()
    return nal(2 if ref else 0, 5 if idr else 1, b.bytes())


def paff():
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
    return s


def frame(kind, idr, ref, fn, poc=0, **kw):
    return field(kind, idr, ref, fn, False, poc, frame=True, **kw)


def poc1():
    SEQ.fields = False
    SEQ.poc_type = 1
    s = [sps(), pps(), frame('I', True, True, 0, seed=1)]
    fn = 0
    # I0 P B B P B B ...: P at +6 per ref frame, B at -4 and -2 from it
    for i in range(14):
        fn = (fn + 1) % 16
        s.append(frame('P', False, True, fn))
        nfn = (fn + 1) % 16
        s.append(frame('B', False, False, nfn, delta0=0))
        s.append(frame('B', False, False, nfn, delta0=2))
        if i == 9:
            s.append(frame('I', False, True, nfn, seed=2))
            fn = nfn
    return s


def mmco5():
    SEQ.fields = False
    s = [sps(), pps(), frame('I', True, True, 0, 0, seed=1)]
    s.append(frame('P', False, True, 1, 12))
    s.append(frame('B', False, False, 2, 4))
    s.append(frame('B', False, False, 2, 8))
    s.append(frame('P', False, True, 2, 24))
    s.append(frame('B', False, False, 3, 16))
    s.append(frame('B', False, False, 3, 20))
    # P with MMCO 5: all before it are output first; it becomes POC 0, frame_num 0
    s.append(frame('P', False, True, 3, 36, mmco=((5,),)))
    s.append(frame('P', False, True, 1, 12))
    s.append(frame('B', False, False, 2, 4))
    s.append(frame('B', False, False, 2, 8))
    s.append(frame('P', False, True, 2, 24, mmco=((5,),)))
    s.append(frame('P', False, True, 1, 8))
    s.append(frame('B', False, False, 2, 4))
    s.append(frame('P', False, True, 2, 16))
    return s


def gaps():
    SEQ.fields = False
    SEQ.poc_type = 2
    SEQ.gaps = True
    SEQ.max_refs = 4
    s = [sps(), pps(), frame('I', True, True, 0, seed=1)]
    s.append(frame('P', False, True, 1))
    s.append(frame('P', False, True, 2))
    s.append(frame('P', False, True, 5, reorder=2))       # gap 3, 4: refer to 2
    s.append(frame('P', False, True, 6))
    s.append(frame('I', False, True, 10, seed=2))          # gap 7..9
    s.append(frame('P', False, True, 11))
    s.append(frame('P', False, False, 12))                 # non-reference
    s.append(frame('P', False, True, 12))
    s.append(frame('P', False, True, 15, reorder=2))       # gap 13, 14: refer to 12
    s.append(frame('P', False, True, 0))                   # frame_num wraps
    s.append(frame('P', False, True, 1))
    return s


def unpaired():
    s = [sps(), pps()]
    s.append(field('I', True, True, 0, False, 0, seed=1))
    s.append(field('I', False, True, 0, True, 1, seed=2))
    s.append(field('P', False, True, 1, False, 4))       # unpaired top field
    s.append(field('P', False, True, 2, False, 8))
    s.append(field('P', False, True, 2, True, 9))
    s.append(field('B', False, False, 3, False, 6))
    s.append(field('B', False, False, 3, True, 7))
    s.append(field('P', False, True, 3, True, 13))       # unpaired, last
    return s


def main():
    kinds = {'paff': paff, 'poc1': poc1, 'mmco5': mmco5, 'gaps': gaps,
             'unpaired': unpaired}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        sys.exit("usage: gen-synth.py paff|poc1|mmco5|gaps|unpaired OUT.h264")
    with open(sys.argv[2], 'wb') as f:
        f.write(b''.join(kinds[sys.argv[1]]()))


main()
