#!/usr/bin/env bash
# bench-compare.sh — one engine benchmark at two commits, side by side.
#
#   scripts/bench-compare.sh OLD NEW [REPS] [BENCH]
#
# Builds pkg/sim's test binary at commits OLD and NEW (NEW may be "work" for
# the working tree) in temporary git worktrees, then runs BENCH (default
# BenchmarkBrunel: Brunel A, N 10,000, 1 s of model time, 1 thread) REPS
# times each (default 5), alternating OLD and NEW so that load on a shared
# machine hits both alike, and prints every real-time factor, the medians and
# their ratio. SNN_BENCH_N, SNN_BENCH_THREADS and SNN_BENCH_NSCALING pass
# through to the benchmarks (see pkg/sim/sim_test.go).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OLD NEW [REPS] [BENCH]" >&2; exit 2; }
old=$1 new=$2 reps=${3:-5} bench=${4:-BenchmarkBrunel}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'for w in "$tmp"/wt-*; do [ -d "$w" ] && git -C "$root" worktree remove --force "$w"; done; rm -rf "$tmp"' EXIT

build() { # build REV NAME
	local src=$root
	if [ "$1" != work ]; then
		src=$tmp/wt-$2
		git -C "$root" worktree add -q --detach "$src" "$1"
	fi
	(cd "$src" && go test -c -o "$tmp/$2.test" ./pkg/sim)
}
build "$old" old
build "$new" new

declare -A rtf
for i in $(seq "$reps"); do
	for side in old new; do
		r=$(cd "$root/pkg/sim" && "$tmp/$side.test" -test.run '^$' -test.bench "^$bench\$" -test.benchtime 1x |
			awk '{for (i = 1; i < NF; i++) if ($(i+1) == "RTF") print $i}')
		[ -n "$r" ] || { echo "$0: $bench printed no RTF" >&2; exit 1; }
		rtf[$side]+="$r "
		echo "$side $r"
	done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mo=$(echo "${rtf[old]}" | median)
mn=$(echo "${rtf[new]}" | median)
echo "$bench, $reps runs each, alternating: real-time factor median $old $mo, $new $mn; new/old $(awk -v a="$mn" -v b="$mo" 'BEGIN {printf "%.3f", a / b}')"
