import json
from pathlib import Path

import numpy as np
import pytest

from compass_trainer import sketch
from compass_trainer.selection.math import js_divergence

ROOT = Path(__file__).parents[2] / "test" / "vectors"


def test_nearest_centroid_vectors():
    vectors = json.loads((ROOT / "nearest.json").read_text(encoding="utf-8"))
    centroids = np.stack([sketch.embed(t) for t in vectors["centroid_texts"]])
    for case in vectors["cases"]:
        dist = 1.0 - centroids.astype(np.float64) @ sketch.embed(case["query"]).astype(np.float64)
        order = np.argsort(dist)
        assert order[0] == case["index"]
        assert dist[order[0]] == pytest.approx(case["best"], abs=1e-6)
        assert dist[order[1]] == pytest.approx(case["second"], abs=1e-6)


def test_divergence_vectors():
    vectors = json.loads((ROOT / "divergence.json").read_text(encoding="utf-8"))
    assert any(case.get("nan") for case in vectors["cases"])
    for case in vectors["cases"]:
        js = js_divergence(np.array(case["p"]), np.array(case["q"]))
        if case.get("nan"):
            assert np.isnan(js)  # an all-zero vector is no distribution, at the edge and here
        else:
            assert js == pytest.approx(case["js"], abs=1e-12)
