#!/usr/bin/env bash
# The main job on the embedded sample data, end to end on CPU: the closed loop through the real worker.
#   select (COMPASS) → train v1 (DoRA) → publish → multilingual traffic from two regions → one region's Swahili drifts
#   → the edge fires a drift trigger → `compass-trainer watch`: window, ECDA update, check, v2 as a canary → the guard
#   promotes it → a broken v3 is rolled back by the guard. Timeline on the terminal, figure in out/demo/loop.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
CT=.venv/bin/compass-trainer
OUT="$PWD/out/demo"
rm -rf "$OUT"
mkdir -p "$OUT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
start=$(date +%s)

step "1. COMPASS selection for Swahili (sketch encoder; K fixed at 60 because the sketch space is lexical)"
$CT select --target sw --sample --n-clusters 60 --out "$OUT/select-sw" | tail -4

step "2. A tiny Llama base (random weights; no hub here) and DoRA adapter v1 for sw"
$CT init-base --sample --out "$OUT/tiny-base"
$CT train --data "$OUT/select-sw/selected.jsonl" --language sw --base "$OUT/tiny-base" --out "$OUT/adapter-sw-v1" \
  --cluster-model "$OUT/select-sw/cluster_model.json" --report "$OUT/select-sw/report.json" | tail -2

step "3. The loop through the edge: publish, traffic, drift, trigger, watch (ECDA update), canary, guard"
.venv/bin/python trainer/scripts/make_demo_stream.py "$OUT"
node scripts/demo.mjs "$OUT"

echo
echo "make demo: $(($(date +%s) - start)) s in all"
