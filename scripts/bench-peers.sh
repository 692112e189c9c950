#!/usr/bin/env bash
# Side-by-side speed against Brian2 (standalone, source-sorted connectivity,
# the scripts in ../shared/peers): each case runs REPS times, the two
# simulators alternating, and prints the median simulation wall time per
# model second of each and their ratio.
#   usage: scripts/bench-peers.sh [REPS]        (default 3)
# Needs: Debian's python3-brian and g++ (make deps-peers), bin/ built.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
PEERS=${PEERS:-../shared/peers}
[ -f "$PEERS/brunel.py" ] || { echo "bench-peers: no peer scripts in $PEERS (set PEERS=DIR)"; exit 1; }
export PEER_WORKDIR=${PEER_WORKDIR:-${TMPDIR:-/tmp}/brian2-peer} OMP_WAIT_POLICY=PASSIVE
OUT=out/bench-peers
mkdir -p "$OUT"

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
brian() { /usr/bin/python3 "$PEERS/$1" "${@:2}" 2>/dev/null | sed -n 's/^RESULT //p' | python3 -c 'import json,sys; print(json.load(sys.stdin)["sim_wall_s"])'; }
ours() { # NET THREADS PRESIM SIM
  bin/snn-run "$1" --threads "$2" --t-presim "$3" --t-sim "$4" -o "$OUT/run" --force --json 2>/dev/null \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["time_simulate"]/(r["t_sim"]/1000))'
}

case_() { # NAME BRIAN_SCRIPT BRIAN_MODEL_SECONDS NET THREADS BRIAN_ARGS...
  local name=$1 script=$2 bsec=$3 net=$4 threads=$5; shift 5
  local b=() o=()
  brian "$script" "$@" >/dev/null || true   # warm-up: compile once
  for ((i = 0; i < REPS; i++)); do
    b+=("$(python3 -c "print($(brian "$script" "$@") / $bsec)")")
    o+=("$(ours "$net" "$threads" 100 1000)")
  done
  local bm om
  bm=$(printf '%s\n' "${b[@]}" | median); om=$(printf '%s\n' "${o[@]}" | median)
  printf '%-44s Brian2 %7.2f s  snnkit %7.2f s  (per model second, medians of %d)  snnkit is %5.2fx faster\n' \
    "$name" "$bm" "$om" "$REPS" "$(python3 -c "print($bm/$om)")"
}

bin/snn-build --model brunel --set N=10000 --seed 1 -o "$OUT/brunel" --force >/dev/null 2>&1
bin/snn-build --model microcircuit --set N_scaling=0.1 --set K_scaling=1 --seed 1 -o "$OUT/mc" --force >/dev/null 2>&1
case_ "Brunel A, N 10,000, delta, 1 thread"      brunel.py 1.0 "$OUT/brunel" 1 standalone 1 delta 1 sorted
case_ "Brunel A, N 10,000, delta, 2 threads"     brunel.py 1.0 "$OUT/brunel" 2 standalone 2 delta 1 sorted
case_ "microcircuit N 0.1 K 1, 1 thread"          microcircuit.py 1.1 "$OUT/mc" 1 standalone 1 1 1 sorted
case_ "microcircuit N 0.1 K 1, 2 threads"         microcircuit.py 1.1 "$OUT/mc" 2 standalone 2 1 1 sorted
