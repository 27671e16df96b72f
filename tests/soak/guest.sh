#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/soak/guest.sh: the soak itself, inside the guest (started by
# tests/soak/run.sh through tests/vm/run).  daedalus_v4l2.ko and daedalusd
# come up through tests/vm/with-device; SOAK_CLIENTS client slots then
# decode, for SOAK_SECONDS, streams drawn from build/soak/list (mixed
# profiles, sizes, MBAFF, PAFF), each run with a random memory type,
# requests in flight, --seek-random seed, and some runs SIGKILLed at a
# random moment.  Checked:
#   - every frame a client printed is ffmpeg's frame of that number
#     (tests/soak/check-client.awk), a client not killed exits 0 with the
#     whole stream, no client sees EBUSY (or hangs);
#   - daedalusd's memory is flat.  Its VmRSS, sampled every SOAK_RSS_PERIOD
#     s, swings with the streams open at that moment (a 1280x720 decoder is
#     several MB) and climbs while the allocator's per-thread arenas reach
#     their high-water marks, so two measures: the mean of the last quarter
#     of the samples within SOAK_RSS_PCT % (default 20) of the second
#     quarter's (the first quarter is warm-up), and VmRSS at rest (every
#     client gone, 3 s later) at the end within SOAK_RSS_REST_PCT % (default
#     10) of the same at the end of the first quarter, when all clients
#     are stopped once.  A leak of one picture per client run or of 2 KiB
#     per job fails the second; the chardev mappings left at rest are
#     printed and must stay within the daemon's mapping cache (64);
#   - /sys/kernel/debug/daedalus-v4l2/stats at the end: jobs = done +
#     errors, no timeouts, no job failed for want of a daemon, no context
#     left (nor jobs in flight, nor live contexts, requests, buffers,
#     ready or running jobs) once every client is gone; refused DONEs
#     (bad_done) only as late answers to jobs a client cancelled (seek
#     STREAMOFF, SIGKILL): at most `errors` of them, and the kernel log
#     names no other reason (wrong owner, never dispatched, size, status);
#   - the daemon never died and logged no error line; the kernel log is clean.
# Last line: "soak: N s, N clients, N frames exact, N seeks, N kills,
# rss START/END KiB, errors N"; exit status 0 only with errors 0.

. tests/vm/lib.sh

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_CLIENTS=${SOAK_CLIENTS:-8}
SOAK_SEED=${SOAK_SEED:-$(date +%s)}
SOAK_KILL_PCT=${SOAK_KILL_PCT:-15}
SOAK_RSS_PCT=${SOAK_RSS_PCT:-20}
SOAK_RSS_REST_PCT=${SOAK_RSS_REST_PCT:-10}
SOAK_RSS_PERIOD=${SOAK_RSS_PERIOD:-5}
SOAK_LIST=${SOAK_LIST:-build/soak/list}
SOAK_MMAP_RACE='mmap capture \(offset [0-9]+, [0-9]+ bytes\): Invalid argument'
export SOAK_SECONDS SOAK_CLIENTS SOAK_SEED SOAK_KILL_PCT SOAK_RSS_PCT SOAK_RSS_REST_PCT \
	SOAK_RSS_PERIOD SOAK_LIST SOAK_TIMEOUT_MS

if [ "${1:-}" != inner ]; then
	[ -x build/daedalus-decode ] || vm_fail "build/daedalus-decode not built"
	[ -s "$SOAK_LIST" ] || vm_fail "$SOAK_LIST missing (tests/soak/run.sh makes it)"
	mark=$(vm_dmesg_mark)
	export SOAK_MARK=$mark
	# diagnosis knob: the daemon's glibc arenas (with-device passes the env)
	[ -z "${SOAK_MALLOC_ARENA_MAX:-}" ] || export MALLOC_ARENA_MAX=$SOAK_MALLOC_ARENA_MAX
	rm -rf build/soak/logs
	# A client SIGKILLed after its job went to the daemon frees the CAPTURE
	# buffer before the daemon maps it: the daemon logs the failed mmap as
	# an error.  Allowed here, counted against the kills below.
	export DD_ALLOW_ERRORS="$SOAK_MMAP_RACE"
	set +e
	tests/vm/with-device kernel --logs build/soak/logs -- bash "$0" inner
	st=$?
	set -e
	[ ! -d /sys/module/daedalus_v4l2 ] || vm_fail "daedalus_v4l2 still loaded after the soak"
	vm_dmesg_clean_since "$mark"
	exit $st
fi

# The slots and the checks below look at every status themselves.
set +e

# Under TCG on a loaded host the guest's sched_clock runs off (vCPUs are
# descheduled for seconds), and the soft-lockup and RCU-stall detectors
# report CPUs "stuck" that were only not run.  They are off for the soak;
# a real hang still fails it: a client waits at most 10 s for a picture.
soft_wd=$(cat /proc/sys/kernel/soft_watchdog 2>/dev/null)
stall=/sys/module/rcupdate/parameters/rcu_cpu_stall_suppress
stall_old=$(cat $stall 2>/dev/null)
echo 0 >/proc/sys/kernel/soft_watchdog 2>/dev/null
echo 1 >$stall 2>/dev/null
restore_watchdogs() {
	[ -z "$soft_wd" ] || echo "$soft_wd" >/proc/sys/kernel/soft_watchdog
	[ -z "$stall_old" ] || echo "$stall_old" >$stall
}
trap restore_watchdogs EXIT

# The module's job watchdog (timeout_ms, 5 s by default) is tested by
# t-fault-*; here a starved TCG guest can take seconds over one picture
# (3.5 s seen), so the soak gives jobs SOAK_TIMEOUT_MS (default 30 s).
# Any timeout still fails the soak.
echo "${SOAK_TIMEOUT_MS:-30000}" >/sys/module/daedalus_v4l2/parameters/timeout_ms ||
	vm_fail "cannot set timeout_ms"

stats=/sys/kernel/debug/daedalus-v4l2/stats
[ -r $stats ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
[ -r $stats ] || vm_fail "$stats not readable"
stat() { awk -v k="$1:" '$1 == k { print $2 }' $stats; }

dpid=
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = daedalusd ] && dpid=${p#/proc/}
done
[ -n "$dpid" ] || vm_fail "no daedalusd process"
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$dpid/status" 2>/dev/null; }

work=$(mktemp -d /tmp/soak.XXXXXX)
# A private copy: the tree's build/ may be rebuilt while the soak runs.
cp build/daedalus-decode "$work/daedalus-decode" || vm_fail "cannot copy build/daedalus-decode"
mapfile -t streams <"$SOAK_LIST"
mems="mmap userptr"
[ -c /dev/dma_heap/system ] && mems="$mems dmabuf"
read -r -a mems <<<"$mems"
inflights=(1 2 4 8)
t0=$(date +%s)
end=$((t0 + SOAK_SECONDS))
deadline=$end
vm_note "seed $SOAK_SEED, $SOAK_CLIENTS clients, ${SOAK_SECONDS} s, ${#streams[@]} streams," \
	"memory ${mems[*]}, daedalusd pid $dpid"

# One client slot: decode, check, repeat until the deadline.  Appends one
# line per run to $work/slot<ID>.res:
#   stream mem inflight seed killed status frames seeks bad ebusy
slot() {
	local id=$1 n=0 line stream ref seekable mem inflight seed kill_at pid st killed
	local out=$work/c$id.out err=$work/c$id.err res=$work/slot$id.res chk
	local -a args
	RANDOM=$(((SOAK_SEED + id * 7919) % 32768))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		n=$((n + 1))
		line=${streams[$((RANDOM % ${#streams[@]}))]}
		read -r stream ref seekable <<<"$line"
		mem=${mems[$((RANDOM % ${#mems[@]}))]}
		inflight=${inflights[$((RANDOM % ${#inflights[@]}))]}
		args=(--memory "$mem" --inflight "$inflight" --framemd5)
		seed=-
		if [ "$seekable" = 1 ] && [ $((RANDOM % 4)) != 0 ]; then
			seed=$((RANDOM * 32768 + RANDOM))
			args+=(--seek-random "$seed")
		fi
		kill_at=
		[ $((RANDOM % 100)) -lt "$SOAK_KILL_PCT" ] && kill_at=$((RANDOM % 30))
		# (a client waits at most 10 s for any one picture: it cannot hang)
		"$work/daedalus-decode" "${args[@]}" "$stream" >"$out" 2>"$err" &
		pid=$!
		killed=0
		if [ -n "$kill_at" ]; then
			sleep "$((kill_at / 10)).$((kill_at % 10))"
			kill -KILL "$pid" 2>/dev/null && killed=1
		fi
		# (bash's "Killed" notice is noise here)
		{ wait "$pid"; } 2>/dev/null
		st=$?
		# killed only if the client really died of it (not finished before)
		[ $killed = 1 ] && [ $st != 137 ] && killed=0
		chk=$(awk -v killed=$killed -f tests/soak/check-client.awk "$ref" "$out")
		local frames seeks bad ebusy=0
		read -r _ frames _ seeks _ bad <<<"$(tail -n1 <<<"$chk")"
		grep -qi 'busy' "$err" && ebusy=1
		echo "${stream##*/} $mem $inflight $seed $killed $st $frames $seeks $bad $ebusy" >>"$res"
		if [ "$bad" != 0 ] || [ $ebusy = 1 ] || { [ $killed = 0 ] && [ $st != 0 ]; }; then
			{
				echo "client $id run $n: ${stream##*/} --memory $mem --inflight $inflight" \
					"--seek-random $seed killed $killed status $st"
				grep '^bad:' <<<"$chk" || true
				tail -n 5 "$err"
			} >>"$work/failures"
			cp "$out" "$work/fail-$id-$n.out"
			cp "$err" "$work/fail-$id-$n.err"
		fi
	done
}

# The daemon at rest: RSS with its parts, and its mappings of the chardev.
# Its SIGUSR1 line says how many contexts and workers it still has.
idle() {
	local st
	sleep 3
	awk '$1 ~ /^(VmRSS|RssAnon|RssFile|RssShmem):$/ { printf "%s %s ", $1, $2 }' \
		"/proc/$dpid/status"
	kill -USR1 "$dpid"
	sleep 1
	st=$(grep -o 'stats: front_ends .*' build/soak/logs/daemon.log | tail -n1)
	echo "maps $(grep -c daedalus-v4l2 "/proc/$dpid/maps") ${st#stats: }"
}

# run_phase UNTIL: the client slots until UNTIL (epoch s), sampling RSS.
run_phase() {
	local until=$1 i p r
	local -a pids=()
	deadline=$until
	for i in $(seq 1 "$SOAK_CLIENTS"); do
		slot "$((i + phase * 100))" &
		pids+=($!)
	done
	while [ "$(date +%s)" -lt "$until" ]; do
		r=$(rss)
		[ -n "$r" ] || break
		echo "$r" >>"$work/rss"
		sleep "$SOAK_RSS_PERIOD"
	done
	for p in "${pids[@]}"; do
		wait "$p"
	done
}

# Two phases with every client gone in between: the daemon's RSS at rest
# after the first quarter and at the end must match too (see below).
: >"$work/rss"
phase=0
run_phase $((t0 + SOAK_SECONDS / 4))
idle1=$(idle)
phase=1
run_phase "$end"
t1=$(date +%s)
idle2=$(idle)

errors=0
fail() {
	echo "  soak error: $*"
	errors=$((errors + 1))
}

kill -0 "$dpid" 2>/dev/null || fail "daedalusd died"
cat "$work"/slot*.res >"$work/all.res" 2>/dev/null || true
read -r runs frames seeks kills bad ebusy clientfail <<<"$(awk '
	{ runs++; frames += $7; seeks += $8; kills += $5; bad += $9; ebusy += $10
	  if ($5 == 0 && $6 != 0) cf++ }
	END { printf "%d %d %d %d %d %d %d\n", runs, frames, seeks, kills, bad, ebusy, cf }
' "$work/all.res")"
[ "$runs" -gt 0 ] || fail "no client ran"
[ "$bad" = 0 ] || fail "$bad frame problems (wrong md5, order or count)"
[ "$ebusy" = 0 ] || fail "$ebusy clients saw EBUSY"
[ "$clientfail" = 0 ] || fail "$clientfail clients failed without being killed"
if [ -s "$work/failures" ]; then
	echo "  first failures:"
	head -n 40 "$work/failures" | sed 's/^/    /'
fi
vm_note "$runs client runs; by stream (runs, frames exact, seeks, kills):"
awk '{ r[$1]++; f[$1] += $7; s[$1] += $8; k[$1] += $5 }
     END { for (x in r) printf "    %-20s %4d %6d %4d %4d\n", x, r[x], f[x], s[x], k[x] }' \
	"$work/all.res" | sort

# Memory: last quarter vs second quarter of the samples.
read -r nrss rstart rend q2 q4 <<<"$(awk '
	{ v[n++] = $1 }
	END {
		q = int(n / 4)
		for (i = q; i < 2 * q; i++) a += v[i]
		for (i = n - q; i < n; i++) b += v[i]
		if (q > 0) { a /= q; b /= q }
		printf "%d %d %d %d %d\n", n, v[0], v[n - 1], a, b
	}' "$work/rss")"
vm_note "daedalusd VmRSS: $nrss samples, start $rstart KiB, end $rend KiB," \
	"second-quarter mean $q2 KiB, last-quarter mean $q4 KiB (limit +$SOAK_RSS_PCT %)"
vm_note "at rest after the first quarter: $idle1"
vm_note "at rest at the end:              $idle2"
rest1=$(awk '{ print $2 }' <<<"$idle1")
rest2=$(awk '{ print $2 }' <<<"$idle2")
if [ $((rest2 * 100)) -gt $((rest1 * (100 + SOAK_RSS_REST_PCT))) ]; then
	fail "daedalusd RSS at rest grew: $rest1 KiB after the first quarter, $rest2 KiB at the end (limit +$SOAK_RSS_REST_PCT %)"
fi
for st in "$idle1" "$idle2"; do
	grep -q 'contexts 0 workers 0 queued 0' <<<"$st" ||
		fail "daedalusd holds contexts, workers or jobs with no client: $st"
done
maps2=$(awk '{ for (i = 1; i < NF; i++) if ($i == "maps") print $(i + 1) }' <<<"$idle2")
# The capture mapping cache is bounded; it must not outgrow its bound.
[ "$maps2" -le 64 ] || fail "daedalusd keeps $maps2 mappings of /dev/daedalus-v4l2 with no client"
if [ "$nrss" -lt 8 ]; then
	fail "only $nrss RSS samples (run longer than $((8 * SOAK_RSS_PERIOD)) s)"
elif [ $((q4 * 100)) -gt $((q2 * (100 + SOAK_RSS_PCT))) ]; then
	fail "daedalusd RSS grew: last-quarter mean $q4 KiB > second-quarter mean $q2 KiB + $SOAK_RSS_PCT %"
fi

# Kernel counters once every client is gone (context teardown is synchronous
# in release, but give the daemon a moment to answer the last jobs).
for _ in $(seq 50); do
	[ "$(stat jobs)" = $(( $(stat done) + $(stat errors) )) ] && ! grep -q '^ctx ' $stats && break
	sleep 0.1
done
sed 's/^/    stats: /' $stats
jobs=$(stat jobs) done_=$(stat done) errs=$(stat errors)
[ "$jobs" = $((done_ + errs)) ] || fail "debugfs: jobs $jobs != done $done_ + errors $errs"
[ "$(stat timeouts)" = 0 ] || fail "debugfs: $(stat timeouts) watchdog timeouts"
[ "$(stat no_daemon)" = 0 ] || fail "debugfs: $(stat no_daemon) jobs failed for want of a daemon"
if grep -q '^ctx ' $stats; then
	fail "debugfs: contexts left after every client closed: $(grep '^ctx ' $stats | tr '\n' ';')"
fi
awk '$1 == "ctx" && $4 != 0 { exit 1 }' $stats || fail "debugfs: a context still has jobs in flight"
# Live object counters (where the module has them): nothing left.
for k in contexts requests buffers jobs_ready jobs_running; do
	v=$(stat $k)
	[ -z "$v" ] || [ "$v" = 0 ] || fail "debugfs: $k $v with no client"
done
# A client that stops streaming or dies cancels its jobs; the daemon's
# answer to one it was decoding arrives late and is refused (bad_done).
# Anything else refused is a protocol fault.
bad_done=$(stat bad_done)
[ "$bad_done" -le "$errs" ] || fail "debugfs: bad_done $bad_done > errors $errs (not all late answers)"
since=$(dmesg | awk -v m="$SOAK_MARK" 'f; index($0, m) { f = 1 }')
late=$(grep -cE 'daedalus: done: (cookie [0-9]+: unknown context|ctx [0-9]+: unknown or completed cookie)' <<<"$since")
other=$(grep -E 'daedalus: done:|daemon wrote [0-9]+ bytes|daemon sent message type' <<<"$since" |
	grep -vE 'unknown context|unknown or completed cookie' || true)
[ -z "$other" ] || fail "kernel refused DONEs for other reasons: $(head -n3 <<<"$other")"
vm_note "late DONEs of cancelled jobs refused: $bad_done (kernel log lines: $late)"

races=$(grep -cE "daedalus: error: .*$SOAK_MMAP_RACE" build/soak/logs/daemon.log)
[ "$races" -le "$kills" ] || fail "daedalusd failed $races capture mmaps, more than the $kills kills explain"
vm_note "capture buffers freed by a killed client before the daemon mapped them: $races"

if [ $errors != 0 ]; then
	rm -rf build/soak/last-failure
	cp -r "$work" build/soak/last-failure 2>/dev/null || true
	echo "  logs of the failing run kept in build/soak/last-failure"
fi
echo "soak: $((t1 - t0)) s, $SOAK_CLIENTS clients, $frames frames exact, $seeks seeks, $kills kills," \
	"rss $rstart/$rend KiB, errors $errors"
rm -rf "$work"
[ $errors = 0 ]
