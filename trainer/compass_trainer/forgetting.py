"""Forgetting, measured (paper §5.5): one drifted update cycle on the embedded sample data, every update strategy
trained from the same version 1 on the same re-selection, each measured on the new distribution and on the old.

The scenario: a Swahili adapter is selected and trained for the usage proxy (all ten topics); then traffic drifts to
the two topics sw's training data was thin in (cooking, math). The recent window is those topics' rows; half of its
distinct rows are held out of training to measure the new distribution. The old distribution is measured on the
anchor buffer and on the usage proxy's rows of the other eight topics, which no version ever trains on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cycle import CheckConfig, UpdateRequest, gather_inputs, judge, train_version
from .data import write_jsonl
from .training.config import TrainConfig
from .training.jobs import train_job
from .training.strategies import STRATEGIES, UpdateConfig, get_strategy

SAMPLE_DIR = Path(__file__).parent / "data"
DRIFT_TOPICS = ("cooking", "math")


@dataclass
class StrategyLosses:
    strategy: str
    new_window: float
    """Mean token loss on the held-out slice of the recent window (the new distribution)."""
    anchors: float
    """On the anchor buffer of version 1 (the old distribution's prototypes)."""
    old_usage: float
    """On the usage proxy's rows of the topics that did not drift (the old distribution, never trained on)."""
    seconds: float
    publishable: bool
    reason: str


@dataclass
class ForgettingRun:
    version1: StrategyLosses
    """Version 1 itself, before any update (the same numbers as ``static``)."""
    rows: list[StrategyLosses]
    new_examples: int
    old_usage_examples: int
    anchors: int
    training_examples: int


def _sample_rows(name: str, language_code: str) -> list[dict]:
    rows = [json.loads(line) for line in (SAMPLE_DIR / name).read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["language_code"] == language_code]


def measure_forgetting(base: str | Path, workdir: Path, cfg: TrainConfig, update: UpdateConfig, strategies: Sequence[str] = tuple(STRATEGIES),
                       version1_epochs: int = 3, n_clusters: int = 60, heldout_fraction: float = 0.5, max_forgetting: float = 0.10,
                       log: Callable[[str], None] = print) -> ForgettingRun:  # fmt: skip
    """Select and train version 1 for sw, drift the window, and update it with each strategy (see the module doc)."""
    from dataclasses import replace

    from .pipeline import SelectJob, run_select

    workdir = Path(workdir)
    train, usage, pool = (SAMPLE_DIR / f"{n}.jsonl" for n in ("train", "usage", "pool"))
    selection = run_select(SelectJob(target="sw", train=[train], usage=[usage], pool=[pool], out=workdir / "select", n_clusters=n_clusters,
                                     seed=cfg.seed), log=log)  # fmt: skip
    v1 = workdir / "sw-v1"
    train_job(selection.data_path, str(base), v1, "sw", replace(cfg, epochs=version1_epochs, patience=version1_epochs),
              cluster_model=workdir / "select" / "cluster_model.json", update=update)  # fmt: skip
    drifted = [r for r in _sample_rows("pool.jsonl", "swh") + _sample_rows("usage.jsonl", "swh") if r["topic"] in DRIFT_TOPICS]
    window = workdir / "window.jsonl"
    write_jsonl(window, drifted)
    old_usage = [(r["inputs"], r["targets"]) for r in _sample_rows("usage.jsonl", "swh") if r["topic"] not in DRIFT_TOPICS]
    request = UpdateRequest(adapter=v1, base=str(base), out=workdir / "unused", previous_data=selection.data_path, window=window, train=[train],
                            pool=[pool], n_clusters=n_clusters, train_config=cfg, update=update,
                            check=CheckConfig(heldout_fraction=heldout_fraction, max_forgetting=max_forgetting, seed=cfg.seed))  # fmt: skip
    inputs = gather_inputs(request, workdir / "cycle", log)
    rows = []
    version1 = None
    for name in strategies:
        strategy = get_strategy(name, update)
        start = time.perf_counter()
        trained = train_version(request, inputs, strategy, {"old_usage": old_usage})
        seconds = time.perf_counter() - start
        check = judge(trained.losses_previous, trained.losses_next, strategy.changes_adapter, max_forgetting)
        after = trained.losses_next
        rows.append(StrategyLosses(name, after["window"], after["anchors"], after["old_usage"], seconds, check.publishable, check.reason))
        before = trained.losses_previous
        version1 = StrategyLosses("version 1", before["window"], before["anchors"], before["old_usage"], 0.0, False, "the previous version")
        log(f"{name:17s} new window {after['window']:.3f}  anchors {after['anchors']:.3f}  old usage {after['old_usage']:.3f}  ({seconds:.1f} s)")
    return ForgettingRun(version1, rows, len(inputs.new_eval), len(old_usage), len(inputs.anchors), len(inputs.new))
