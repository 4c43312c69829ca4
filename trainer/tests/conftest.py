import json

import pytest

from compass_trainer.cli import SAMPLE_DIR


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    """A 2-layer Llama (hidden 64) with a BPE tokenizer trained on the sample data: CPU, seconds."""
    from compass_trainer.training import build_tiny_base

    texts = [json.loads(line)["inputs"] + "\n" + json.loads(line)["targets"] for line in (SAMPLE_DIR / "pool.jsonl").read_text(encoding="utf-8").splitlines()]
    return build_tiny_base(tmp_path_factory.mktemp("tiny-base"), texts, vocab_size=600)


@pytest.fixture(scope="session")
def version_one(tiny_base, tmp_path_factory):
    """Version 1 of the sw adapter (one epoch: the watch tests are about the loop, not quality) and a drifted window
    (sw rows on cooking and math, the topics sw is thin in), shared by the watch tests."""
    from dataclasses import replace

    from compass_trainer.pipeline import SelectJob, run_select
    from compass_trainer.training import preset
    from compass_trainer.training.jobs import train_job

    root = tmp_path_factory.mktemp("watch")
    sel = run_select(SelectJob(target="sw", train=[SAMPLE_DIR / "train.jsonl"], usage=[SAMPLE_DIR / "usage.jsonl"], pool=[SAMPLE_DIR / "pool.jsonl"],
                               out=root / "select", n_clusters=60), log=lambda _: None)  # fmt: skip
    _, cfg = preset("tiny")
    train_job(sel.data_path, str(tiny_base), root / "v1", "sw", replace(cfg, epochs=1, dtype="float32"), cluster_model=root / "select" / "cluster_model.json")
    pool = [json.loads(line) for line in (SAMPLE_DIR / "pool.jsonl").read_text(encoding="utf-8").splitlines()]
    drifted = [{"inputs": r["inputs"], "targets": r["targets"]} for r in pool if r["language_code"] == "swh" and r["topic"] in ("cooking", "math")]
    (root / "window.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in drifted * 4), encoding="utf-8")
    return root
