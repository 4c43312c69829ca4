"""The issue's done-when scenario, end to end: two trained adapters and ``scripts/rollout-demo.mjs`` against the
worker under ``wrangler dev`` (free ports): publish, a 10% canary promoted by the guard, a broken canary rolled back
by the guard with no human step, and the history with the figures behind each decision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from compass_trainer.training import TrainConfig
from compass_trainer.training.jobs import train_job

ROOT = Path(__file__).resolve().parents[2]
CFG = TrainConfig(r=4, epochs=1, batch_size=4, max_length=48, heldout_fraction=0.1, dtype="float32")
SCENARIO_TIMEOUT_S = 300


def test_canary_is_promoted_and_a_broken_canary_is_rolled_back_by_the_guard(tiny_base, tmp_path):
    if not (ROOT / "node_modules/.bin/wrangler").exists() or not shutil.which("node"):
        pytest.fail("the scenario runs the worker under wrangler dev: run `npm install` (make test does) first")
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"inputs": f"swali {i} kuhusu mvua", "targets": "mvua mvua"}) + "\n" for i in range(16)), encoding="utf-8")
    v1 = train_job(data, str(tiny_base), tmp_path / "v1", "sw", CFG).adapter_dir
    v2 = train_job(data, str(tiny_base), tmp_path / "v2", "sw", CFG).adapter_dir
    meta = json.loads((v2 / "compass_adapter.json").read_text())
    (v2 / "compass_adapter.json").write_text(json.dumps({**meta, "version": 2}))
    run = subprocess.run(["node", "scripts/rollout-demo.mjs", str(v1), str(v2)], cwd=ROOT, capture_output=True, text=True,
                         timeout=SCENARIO_TIMEOUT_S)  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    out = run.stdout
    assert "rollout demo: canary promoted, broken canary rolled back by the guard" in out
    assert "guard  promote  → stable compass-sw-v2  (promote-clean)" in out
    assert "guard  rollback → stable compass-sw-v2  (regression-error-rate)" in out
    assert "error-rate z=" in out
