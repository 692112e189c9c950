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
# their ratio. SNN_BENCH_N, SNN_BENCH_THREADS, SNN_BENCH_NSCALING and
# SNN_BENCH_NET pass through to the benchmarks (see pkg/sim/sim_test.go);
# for the full-scale microcircuit on 2 threads, for instance:
#
#   snn-build --model microcircuit --seed 1 -o /tmp/mc-full
#   SNN_BENCH_NET=/tmp/mc-full SNN_BENCH_THREADS=2 \
#     scripts/bench-compare.sh OLD work 5 BenchmarkMicrocircuit
#
# BENCH snn-run instead builds the snn-run command at both commits and runs
# it on the network SNN_BENCH_NET (100 ms warm-up, 1 s measured, with
# SNN_BENCH_THREADS threads): it compares commits older than these
# variables too.
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
	if [ "$bench" = snn-run ]; then
		(cd "$src" && go build -o "$tmp/$2.bin" ./cmd/snn-run)
	else
		(cd "$src" && go test -c -o "$tmp/$2.bin" ./pkg/sim)
	fi
}
if [ "$bench" = snn-run ] && [ ! -f "${SNN_BENCH_NET:-}/manifest.json" ]; then
	echo "$0: BENCH snn-run needs SNN_BENCH_NET, a network directory from snn-build" >&2
	exit 2
fi
# rtf SIDE prints the real-time factor of one run of SIDE's binary.
rtf() {
	if [ "$bench" = snn-run ]; then
		rm -rf "$tmp/run"
		"$tmp/$1.bin" "$SNN_BENCH_NET" --threads "${SNN_BENCH_THREADS:-1}" --t-presim 100 --t-sim 1000 -o "$tmp/run" >/dev/null 2>&1 &&
			sed -n 's/^  "real_time_factor": \([0-9.e+-]*\),*$/\1/p' "$tmp/run/result.json"
	else
		(cd "$root/pkg/sim" && "$tmp/$1.bin" -test.run '^$' -test.bench "^$bench\$" -test.benchtime 1x |
			awk '{for (i = 1; i < NF; i++) if ($(i+1) == "RTF") print $i}')
	fi
}
build "$old" old
build "$new" new

declare -A rtf
for i in $(seq "$reps"); do
	for side in old new; do
		r=$(rtf "$side")
		[ -n "$r" ] || { echo "$0: $bench printed no RTF" >&2; exit 1; }
		rtf[$side]+="$r "
		echo "$side $r"
	done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mo=$(echo "${rtf[old]}" | median)
mn=$(echo "${rtf[new]}" | median)
echo "$bench, $reps runs each, alternating: real-time factor median $old $mo, $new $mn; new/old $(awk -v a="$mn" -v b="$mo" 'BEGIN {printf "%.3f", a / b}')"
