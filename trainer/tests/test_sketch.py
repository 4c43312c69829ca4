import json
from pathlib import Path

import numpy as np
import pytest

from compass_trainer import sketch

VECTORS = json.loads((Path(__file__).parents[2] / "test" / "vectors" / "sketch.json").read_text(encoding="utf-8"))


def test_parameters_match_the_shared_spec():
    assert (VECTORS["version"], VECTORS["dim"], tuple(VECTORS["orders"]), VECTORS["projections"], VECTORS["seed"]) == (
        sketch.SKETCH_VERSION,
        sketch.SKETCH_DIM,
        sketch.SKETCH_ORDERS,
        sketch.SKETCH_PROJECTIONS,
        sketch.SKETCH_SEED,
    )


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_bit_identical_to_the_typescript_encoder(case):
    normalized = sketch.normalize(case["text"])
    assert normalized == case["normalized"]
    hashes = sketch.ngram_hashes(normalized)
    assert len(hashes) == case["ngrams"]
    assert hashes[: len(case["first_hashes"])].tolist() == case["first_hashes"]
    embedding = sketch.embed(case["text"])
    assert embedding.dtype == np.float32
    # Exact equality, bit for bit: each stored value is the f32 written as a double.
    assert embedding.astype(np.float64).tolist() == case["embedding"]


def test_long_text_is_cut_at_4096_code_points():
    assert len(sketch.normalize("😀" * 5000)) == 4096
