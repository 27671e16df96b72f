#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# visl-trace-norm.py [--slices] TRACE: turn visl's H.264 trace events
# (tracefs text) into one line per request: the DECODE_PARAMS fields, then
# the valid DPB entries in reference_ts order; with --slices also the
# SLICE_PARAMS fields and both reference lists, each entry named by the
# reference_ts of the DPB entry it points at (clients order their DPB arrays
# differently).  Without --slices consecutive identical lines (one per slice
# of a slice-based client such as GStreamer's v4l2slh264dec on visl)
# collapse, so frame- and slice-based clients compare picture by picture.
# PFRAME/BFRAME flags are dropped: optional hints GStreamer never sets.
# reference_ts values become their rank among all timestamps seen: clients
# number pictures differently (GStreamer counts fields, daedalus-decode
# frames), only the identity of a reference matters.
import re
import sys

HINT_FLAGS = {"PFRAME", "BFRAME"}
slices = "--slices" in sys.argv[1:]
path = [a for a in sys.argv[1:] if a != "--slices"][0]


def flags(s):
    return "|".join(sorted(f for f in s.split("|") if f and f not in HINT_FLAGS))


def fields_of(block):
    out = []
    for ln in block.split("\n")[1:]:
        ln = ln.strip()
        if not ln:
            continue
        k, _, v = ln.partition(" ")
        if k == "flags":
            v = flags(v)
        out.append(k + "=" + v)
    return " ".join(out)


class Rec:
    def __init__(self):
        self.slice = ""
        self.lists = [[], []]
        self.decode = None
        self.dpb = {}

    def line(self):
        dpb = sorted(self.dpb.values(), key=lambda e: int(e.split()[0]))
        s = self.decode + " dpb " + " ".join("{" + e + "}" for e in dpb)
        if slices:
            ts = {i: e.split()[0] for i, e in self.dpb.items()}
            for n, lst in enumerate(self.lists):
                s += " l%d" % n + "".join(
                    " [%s %s]" % (ts.get(idx, "missing"), f) for f, idx in lst)
            s = self.slice + " " + s
        return s


def main():
    text = open(path, errors="replace").read()
    out = []
    rec = None

    def flush():
        if rec is not None and rec.decode is not None:
            line = rec.line()
            if slices or not out or out[-1] != line:
                out.append(line)

    for block in re.split(r"\n(?=\s*\S+-\d+\s+\[\d+\])", text):
        if "v4l2_ctrl_h264_slice_params:" in block:
            flush()
            rec = Rec()
            rec.slice = fields_of(block)
        elif "v4l2_h264_ref_pic_list" in block and rec is not None:
            m = re.search(r"v4l2_h264_ref_pic_list(\d): \[(\d+)\]: fields (\S*) index (\d+)",
                          block)
            if m and int(m.group(4)) != 255:
                rec.lists[int(m.group(1))].append((m.group(3), int(m.group(4))))
        elif "v4l2_ctrl_h264_decode_params:" in block:
            if rec is None or rec.decode is not None:
                flush()
                rec = Rec()
            rec.decode = fields_of(block)
        elif "v4l2_h264_dpb_entry:" in block and rec is not None:
            m = re.search(r"\[(\d+)\]: reference_ts (\d+), pic_num (\d+) frame_num (\d+) "
                          r"fields (\S*) top_field_order_cnt (-?\d+) "
                          r"bottom_field_order_cnt (-?\d+) flags (\S*)", block)
            if m and "VALID" in m.group(8):
                rec.dpb[int(m.group(1))] = " ".join(m.groups()[1:])
    flush()
    stamps = sorted({int(t) for ln in out for t in re.findall(r"[{\[](\d+) ", ln)})
    rank = {str(t): "ts%d" % i for i, t in enumerate(stamps)}
    for ln in out:
        print(re.sub(r"([{\[])(\d+) ", lambda m: m.group(1) + rank[m.group(2)] + " ", ln))


main()
