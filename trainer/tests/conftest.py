import json

import pytest

from compass_trainer.cli import SAMPLE_DIR


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    """A 2-layer Llama (hidden 64) with a BPE tokenizer trained on the sample data: CPU, seconds."""
    from compass_trainer.training import build_tiny_base

    texts = [json.loads(line)["inputs"] + "\n" + json.loads(line)["targets"] for line in (SAMPLE_DIR / "pool.jsonl").read_text(encoding="utf-8").splitlines()]
    return build_tiny_base(tmp_path_factory.mktemp("tiny-base"), texts, vocab_size=600)
