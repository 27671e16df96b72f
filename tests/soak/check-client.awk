# SPDX-License-Identifier: GPL-2.0-only
#
# tests/soak/check-client.awk: one soak client's framemd5 output against
# ffmpeg's reference of the same stream.
#   awk -v killed=0|1 -f check-client.awk REF OUT
# Every frame line printed must carry the md5 of ffmpeg's frame of the same
# number (daedalus-decode --seek-random keeps a full decode's numbering);
# frames follow each other one by one, except that after a "#seek: ...
# restart at IDR picture M" line the next frame is M; a client that was not
# killed ends with ffmpeg's last frame.  Only complete lines count: a
# SIGKILLed client may leave a partial last line.
# Prints "frames N seeks N bad N" and, per problem, a "bad: ..." line.

function bad(msg) {
	nbad++
	if (nbad <= 5)
		print "bad: " msg
}

FNR == NR {
	if ($0 !~ /^#/ && split($0, f, ",") >= 6) {
		gsub(/ /, "", f[6])
		ref[nref++] = f[6]
	}
	next
}

{
	line = $0
	if (line ~ /^#seek:/) {
		seeks++
		n = split(line, w, " ")
		expect = w[n] + 0
		next
	}
	if (line ~ /^#/)
		next
	if (split(line, f, ",") < 6) {
		partial = line
		next
	}
	gsub(/ /, "", f[3])
	gsub(/ /, "", f[6])
	pts = f[3] + 0
	if (partial != "")
		bad("a partial line before frame " pts)
	if (pts != expect)
		bad("frame " pts " where frame " expect " was due")
	if (!(pts in ref))
		bad("frame " pts " beyond ffmpeg's " nref " frames")
	else if (length(f[6]) != 32)
		last_short = pts
	else if (ref[pts] != f[6])
		bad("frame " pts " md5 " f[6] " != ffmpeg's " ref[pts])
	else
		exact++
	expect = pts + 1
}

END {
	if (nref == 0)
		bad("empty reference")
	# A partial last frame line (cut by SIGKILL) is not a frame.
	if (last_short != "" && (!killed || last_short != expect - 1))
		bad("frame " last_short " has a short md5")
	if (!killed && partial != "")
		bad("a partial line: " partial)
	if (!killed && expect != nref)
		bad("ended at frame " expect " of " nref)
	printf "frames %d seeks %d bad %d\n", exact, seeks, nbad
}
