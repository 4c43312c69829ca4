#!/usr/bin/env bash
# The main job on the embedded sample data, end to end on CPU:
#   select (COMPASS) → train a DoRA adapter → replay drifted traffic → re-select + ECDA update → export LoRA
#   → the edge worker routing requests by language, with the trained cluster model in its bucket.
set -euo pipefail
cd "$(dirname "$0")/.."
CT=.venv/bin/compass-trainer
OUT=out/demo
mkdir -p "$OUT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. COMPASS selection for Swahili (sketch encoder; K fixed at 60 because the sketch space is lexical)"
$CT select --target sw --sample --n-clusters 60 --out "$OUT/select-sw"

step "2. A tiny Llama base (random weights; no hub here) and a DoRA adapter for sw"
$CT init-base --sample --out "$OUT/tiny-base"
$CT train --data "$OUT/select-sw/selected.jsonl" --language sw --base "$OUT/tiny-base" --out "$OUT/adapter-sw-v1" \
  --cluster-model "$OUT/select-sw/cluster_model.json" --report "$OUT/select-sw/report.json"

step "3. Replaying Swahili traffic that drifts towards cooking and math"
.venv/bin/python trainer/scripts/make_demo_stream.py "$OUT"
$CT drift --cluster-model "$OUT/adapter-sw-v1/cluster_model.json" --stream "$OUT/stream.jsonl" --window 300 | tail -8

step "4. Re-selection against the recent window, then an ECDA update (anchors + EWC)"
$CT update --adapter "$OUT/adapter-sw-v1" --base "$OUT/tiny-base" --window "$OUT/window.jsonl" --n-clusters 60 \
  --previous-data "$OUT/select-sw/selected.jsonl" --out "$OUT/adapter-sw-v2" --epochs 2 | grep -E "re-selected|update →|target sw"

step "5. DoRA → LoRA export for LoRA-only servers (vLLM, Workers AI)"
$CT export-lora --adapter "$OUT/adapter-sw-v2" --base "$OUT/tiny-base" --out "$OUT/adapter-sw-v2-lora" --rank auto --for vllm --max-rank 16

step "6. Drift-trigger protocol of paper table 11 (synthetic T1–T5 stream)"
$CT drift-sim --runs 5

step "7. The edge: requests in several languages routed to adapters (worker under wrangler dev)"
COMPASS_CLUSTER_MODEL_SW="$OUT/adapter-sw-v2/cluster_model.json" node scripts/demo.mjs

step "8. Serverless rollout: publish sw v1 (stable), v2 as a 10% canary the guard promotes, a broken v3 it rolls back"
node scripts/rollout-demo.mjs "$OUT/adapter-sw-v1" "$OUT/adapter-sw-v2"
