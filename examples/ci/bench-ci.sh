#!/usr/bin/env bash
# bench-ci.sh — continuous benchmarking on each commit (the job the CI files
# next to this script run; see the README's "Continuous benchmarking").
#
#   examples/ci/bench-ci.sh STORE [BRANCH]
#
# 1. builds the toolkit (make build);
# 2. runs the matrix examples/ci/bench.yaml with snn-bench into
#    STORE/MACHINE/COMMIT (MACHINE: $SNNKIT_CI_MACHINE, default the host name;
#    COMMIT: $SNNKIT_CI_COMMIT, default git rev-parse HEAD), so results are keyed by machine and commit and
#    every record carries the full metadata;
# 3. on the main branch (BRANCH, default $CI_COMMIT_BRANCH / $GITHUB_REF_NAME /
#    the checked-out branch, equal to $SNNKIT_CI_MAIN, default "main") records the
#    commit as STORE/MACHINE/main, the baseline;
#    on any other branch compares against that baseline with
#    snn-report compare --fail-on-regression $SNNKIT_CI_THRESHOLD (default 10%),
#    writes the table to STORE/MACHINE/COMMIT/compare.md (for a PR comment) and
#    exits 1 on a significant regression (of the metrics in $SNNKIT_CI_METRICS,
#    comma-separated, when set; of every metric otherwise).
# STORE is kept between CI jobs (a cache, an artifact or a shared folder).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 STORE [BRANCH]" >&2; exit 2; }
store=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
branch=${2:-${CI_COMMIT_BRANCH:-${GITHUB_REF_NAME:-$(git rev-parse --abbrev-ref HEAD)}}}
main=${SNNKIT_CI_MAIN:-main}
machine=${SNNKIT_CI_MACHINE:-$(hostname -s)}
threshold=${SNNKIT_CI_THRESHOLD:-10%}
metrics=()
[ -z "${SNNKIT_CI_METRICS:-}" ] || metrics=(--metrics "$SNNKIT_CI_METRICS")
commit=${SNNKIT_CI_COMMIT:-$(git rev-parse HEAD)}
[[ $machine =~ ^[A-Za-z0-9._-]+$ ]] || { echo "$0: machine name '$machine': want letters, digits, . _ -" >&2; exit 2; }

make --no-print-directory build
out=$store/$machine/$commit
bin/snn-bench run examples/ci/bench.yaml -o "$out" --force
bin/snn-report "$out" -o "$out/report.md" -o "$out/report.html" >/dev/null

if [ "$branch" = "$main" ]; then
	ln -sfn "$commit" "$store/$machine/main.tmp" && mv -T "$store/$machine/main.tmp" "$store/$machine/main"
	echo "bench-ci: $commit on $machine is the new baseline ($store/$machine/main)"
	exit 0
fi
if [ ! -e "$store/$machine/main" ]; then
	echo "bench-ci: no baseline for $machine yet (run this on $main first); results in $out"
	exit 0
fi
echo "bench-ci: $branch ($commit) against $main ($(readlink "$store/$machine/main")) on $machine"
bin/snn-report compare "$store/$machine/main" "$out" "${metrics[@]}" --fail-on-regression "$threshold" -o - -o "$out/compare.md"
