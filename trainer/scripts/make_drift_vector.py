"""Write test/vectors/drift-sw.json: a Swahili cluster model in sketch space, a request stream that starts like the
usage proxy and drifts to the topics sw's training data is thin in (cooking, math), and the trainer's replay of it
(``compass_trainer.drift.replay``: the JS after each check and where it triggers). The worker's vitest suite feeds the
same stream through its recorder and drift windows and must reach the same checks; pytest re-runs the replay.
Usage: python trainer/scripts/make_drift_vector.py"""

import json
from pathlib import Path

import numpy as np

from compass_trainer.drift import assign_sketch, calibrate_theta, replay
from compass_trainer.encoders.base import SketchEncoder

root = Path(__file__).parents[2]
data = root / "trainer" / "compass_trainer" / "data"
rows = lambda name: [json.loads(line) for line in (data / name).read_text(encoding="utf-8").splitlines()]  # noqa: E731
sw = lambda name: [r for r in rows(name) if r["language_code"] == "swh"]  # noqa: E731
train, usage, pool = sw("train.jsonl"), sw("usage.jsonl"), sw("pool.jsonl")
topics = sorted({r["topic"] for r in train + usage + pool})

# One cluster per topic: the normalised mean sketch of its texts, as the trainer publishes selection clusters.
encoder = SketchEncoder(256)
centroids = []
for topic in topics:
    mean = encoder.encode([r["inputs"] for r in train + usage + pool if r["topic"] == topic]).mean(axis=0)
    centroids.append(mean / np.linalg.norm(mean))
# P_ref: the usage proxy plus what training covered, so cooking and math (1 training row each) are thin.
counts = np.array([sum(r["topic"] == t for r in train + usage) for t in topics], dtype=np.float64)
model = {"schemaVersion": 1, "language": "sw", "version": "vector-1", "encoder": "compass-sketch-v1", "dim": 256,
         "centroids": np.asarray(centroids, dtype=np.float64).tolist(), "reference": (counts / counts.sum()).tolist(), "theta": 0.15}  # fmt: skip

texts = sorted({r["inputs"] for r in usage + pool})
index = {t: i for i, t in enumerate(texts)}
steady = [index[r["inputs"]] for r in usage]
drifted = [index[r["inputs"]] for r in pool if r["topic"] in ("cooking", "math")]
rng = np.random.default_rng(8)
stream = rng.choice(steady, 1500).tolist() + rng.choice(drifted, 1700).tolist()
model["theta"] = round(calibrate_theta(np.asarray(model["reference"]), assign_sketch(model, [texts[i] for i in steady])), 6)

monitor, events = replay(model, [texts[i] for i in stream])
vector = {
    "about": "Drift parity (METHOD §5): the stream (indices into texts) through the sketch cluster model; window 1000, a "
    "check every 100 new samples once the window is full, and after a trigger the window it fired on becomes P_ref and "
    "the window restarts. Written by trainer/scripts/make_drift_vector.py from compass_trainer.drift.replay; asserted "
    "by test/worker/drift-parity.test.ts and trainer/tests/test_drift_vector.py.",
    "window": monitor.window,
    "checkEvery": monitor.check_every,
    "clusterModel": model,
    "texts": texts,
    "labels": assign_sketch(model, texts).tolist(),
    "stream": stream,
    "checks": [{"sample": e.sample, "js": e.js, "triggered": e.triggered} for e in events],
}
out = root / "test" / "vectors" / "drift-sw.json"
out.write_text(json.dumps(vector, ensure_ascii=False) + "\n", encoding="utf-8")
fired = [e.sample for e in events if e.triggered]
print(f"{len(stream)} requests, {len(events)} checks, triggers after {fired} samples, θ {model['theta']} → {out}")
