#!/usr/bin/env bash
# Validates the full-scale microcircuit (N_scaling = K_scaling = 1, Poisson
# input) against NEST's published rates (Potjans & Diesmann 2014, NEST
# runs): per population, the mean rate over SEEDS seeds (presimulate 500 ms,
# measure 1000 ms) must lie within 10 % of the published value.
#   usage: scripts/validate-microcircuit.sh [SEEDS] [THREADS]     (default 3 seeds, 2 threads)
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-3}
THREADS=${2:-2}
OUT=out/validate
mkdir -p "$OUT"
for ((s = 1; s <= SEEDS; s++)); do
  bin/snn-build --model microcircuit --seed "$s" --threads "$THREADS" -o "$OUT/net" --force >/dev/null 2>&1
  bin/snn-run "$OUT/net" --threads "$THREADS" --t-presim 500 --t-sim 1000 -o "$OUT/run-$s" --force --json > "$OUT/run-$s.json"
  echo "seed $s: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("RTF %.2f, " % r["real_time_factor"] + ", ".join("%s %.3f" % (p["population"], p["rate_hz"]) for p in r["rates"]))' "$OUT/run-$s.json")"
done
python3 - "$OUT" "$SEEDS" <<'PY'
import json, sys
out, seeds = sys.argv[1], int(sys.argv[2])
published = {"L23E": 0.903, "L23I": 2.965, "L4E": 4.414, "L4I": 5.876, "L5E": 7.569, "L5I": 8.633, "L6E": 1.105, "L6I": 7.829}
runs = [json.load(open(f"{out}/run-{s}.json")) for s in range(1, seeds + 1)]
ok = True
print(f"{'population':>10} {'snnkit (mean of %d)' % seeds:>20} {'NEST published':>15} {'deviation':>10}")
for pop, ref in published.items():
    mean = sum(next(p["rate_hz"] for p in r["rates"] if p["population"] == pop) for r in runs) / seeds
    dev = (mean - ref) / ref
    ok &= abs(dev) <= 0.10
    print(f"{pop:>10} {mean:20.3f} {ref:15.3f} {dev:+10.1%}{'' if abs(dev) <= 0.10 else '  OUTSIDE 10 %'}")
print("validation", "passed" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
