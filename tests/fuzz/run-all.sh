#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# run-all.sh BUILD SECONDS smoke|grow TARGET... - tests/fuzz/run.sh on each
# target for SECONDS (smoke: from the committed seeds only, in a fresh
# working corpus under BUILD/fuzz/smoke; grow: the kept corpus under
# BUILD/fuzz/corpus), then one summary line over all of them:
#   fuzz: N targets, E executions in S s, cov C ft F (summed), K failed
# Exits non-zero if any target failed.
set -u

BUILD=$1
SECS=$2
MODE=$3
shift 3
n=0 fail=0 execs=0 cov=0 ft=0 secs=0
for t in "$@"; do
	if [ "$MODE" = smoke ]; then
		rm -rf "$BUILD/fuzz/smoke/$t"
		line=$(tests/fuzz/run.sh "$BUILD" "$t" "$SECS" "$BUILD/fuzz/smoke/$t") || fail=$((fail + 1))
	else
		line=$(tests/fuzz/run.sh "$BUILD" "$t" "$SECS") || fail=$((fail + 1))
	fi
	echo "$line"
	first=$(echo "$line" | head -n 1)
	e=$(echo "$first" | sed -n 's/^[^:]*: \([0-9]*\) executions.*/\1/p')
	c=$(echo "$first" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	f=$(echo "$first" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	execs=$((execs + ${e:-0}))
	cov=$((cov + ${c:-0}))
	ft=$((ft + ${f:-0}))
	secs=$((secs + SECS))
	n=$((n + 1))
done
echo "fuzz: $n targets, $execs executions in $secs s, cov $cov ft $ft (summed), $fail failed"
[ $fail = 0 ]
