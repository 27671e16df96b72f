#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# visl-trace-norm.py TRACE: turn visl's H.264 trace events (tracefs text:
# v4l2_ctrl_h264_decode_params + v4l2_h264_dpb_entry) into one line per
# decoded picture: the DECODE_PARAMS fields, then the valid DPB entries in
# reference_ts order.  Consecutive identical lines (one per slice when a
# client runs slice-based) collapse into one, so a frame-based client and a
# slice-based one (GStreamer's v4l2slh264dec picks visl's default) compare
# picture by picture.  PFRAME/BFRAME flags are dropped: they are optional
# hints GStreamer never sets.  reference_ts values become their rank among
# all timestamps seen: clients number pictures differently (GStreamer counts
# fields, daedalus-decode frames), only the identity of a reference matters.
import re
import sys

HINT_FLAGS = {"PFRAME", "BFRAME"}


def flags(s):
    return "|".join(sorted(f for f in s.split("|") if f and f not in HINT_FLAGS))


def main():
    text = open(sys.argv[1], errors="replace").read()
    out = []
    cur = None
    entries = []

    def flush():
        if cur is None:
            return
        dpb = " ".join("{" + e + "}" for e in sorted(entries, key=lambda e: int(e.split()[0])))
        line = cur + " dpb " + dpb
        if not out or out[-1] != line:
            out.append(line)

    # decode_params events span several lines: "name value" up to "flags ..."
    for block in re.split(r"\n(?=\s*\S+-\d+\s+\[\d+\])", text):
        if "v4l2_ctrl_h264_decode_params:" in block:
            flush()
            fields = []
            for ln in block.split("\n")[1:]:
                ln = ln.strip()
                if not ln:
                    continue
                k, _, v = ln.partition(" ")
                if k == "flags":
                    v = flags(v)
                fields.append(k + "=" + v)
            cur = " ".join(fields)
            entries = []
        elif "v4l2_h264_dpb_entry:" in block and cur is not None:
            m = re.search(r"reference_ts (\d+), pic_num (\d+) frame_num (\d+) fields (\S*) "
                          r"top_field_order_cnt (-?\d+) bottom_field_order_cnt (-?\d+) "
                          r"flags (\S*)", block)
            if m and "VALID" in m.group(7):
                entries.append(" ".join(m.groups()))
    flush()
    stamps = sorted({int(t) for ln in out for t in re.findall(r"\{(\d+) ", ln)})
    rank = {str(t): "ts%d" % i for i, t in enumerate(stamps)}
    for ln in out:
        print(re.sub(r"\{(\d+) ", lambda m: "{" + rank[m.group(1)] + " ", ln))


main()
