"""The shared drift vector (test/vectors/drift-sw.json): the trainer's replay reaches the same checks, JS values and
trigger positions as the worker's drift windows (test/worker/drift-parity.test.ts asserts the same file)."""

import json
from pathlib import Path

import pytest

from compass_trainer.drift import assign_sketch, replay

VECTOR = Path(__file__).parents[2] / "test" / "vectors" / "drift-sw.json"


@pytest.fixture(scope="module")
def vector() -> dict:
    return json.loads(VECTOR.read_text(encoding="utf-8"))


def test_sketch_assignment_matches_the_vector_labels(vector):
    assert assign_sketch(vector["clusterModel"], vector["texts"]).tolist() == vector["labels"]


def test_replay_checks_and_triggers_match_the_vector(vector):
    texts = [vector["texts"][i] for i in vector["stream"]]
    _, events = replay(vector["clusterModel"], texts, window=vector["window"], check_every=vector["checkEvery"])
    assert [e.sample for e in events] == [c["sample"] for c in vector["checks"]]
    assert [e.triggered for e in events] == [c["triggered"] for c in vector["checks"]]
    assert [e.js for e in events] == pytest.approx([c["js"] for c in vector["checks"]], abs=1e-12)


def test_the_vector_triggers_after_the_drift_and_again_after_the_restart(vector):
    fired = [c["sample"] for c in vector["checks"] if c["triggered"]]
    assert len(fired) == 2 and fired[0] > 1500 and fired[1] - fired[0] >= vector["window"]
