#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# run.sh BUILD TARGET SECONDS [WORK] - run one libFuzzer target for SECONDS
# over the committed seeds (tests/fuzz/corpus/TARGET, read only) and its
# working corpus (WORK, default BUILD/fuzz/corpus/TARGET, where new inputs
# go), then print the executions and the coverage reached.  Exits non-zero
# on any crash, leak, timeout or sanitizer report; the reproducer lands in
# BUILD/fuzz/artifacts/.
set -eu

BUILD=$1
T=$2
SECS=$3
BIN=$BUILD/fuzz/$T
WORK=${4:-$BUILD/fuzz/corpus/$T}
ART=$BUILD/fuzz/artifacts
LOG=$BUILD/fuzz/$T.log
mkdir -p "$WORK" "$ART"

rc=0
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$BIN" -max_total_time="$SECS" -print_final_stats=1 -timeout=10 \
	-rss_limit_mb=2048 -malloc_limit_mb=512 -artifact_prefix="$ART/$T-" \
	"$WORK" "tests/fuzz/corpus/$T" >"$LOG" 2>&1 || rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG")
last=$(grep -E '^#[0-9]+.*cov: ' "$LOG" | tail -n 1)
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p')
echo "$T: ${execs:-?} executions (${rate:-?}/s) in ${SECS}s, cov: ${cov:-?} ft: ${ft:-?}," \
	"corpus ${corp:-?} inputs"
if [ $rc != 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$LOG"; then
	echo "$T: FAILED (exit $rc), log $LOG:"
	grep -E -A25 'ERROR: |runtime error:' "$LOG" | head -n 40
	ls -t "$ART"/"$T"-* 2>/dev/null | head -n 1 | sed 's/^/reproducer: /'
	exit 1
fi
