"""Forgetting, measured (paper §5.5): one drifted update cycle on the embedded sample data, every update strategy
trained from the same version 1 on the same re-selection, each measured on the new distribution and on the old.

The scenario (paper appendix D.1 in miniature): a Swahili adapter is selected and trained for usage on eight of the
ten topics; then traffic drifts to the other two, the topics sw's training data was thin in (cooking, math). The
recent window is those topics' rows that version 1 never trained on; half of its distinct rows are held out of every
update to measure the new distribution. The old distribution is measured on version 1's anchor buffer and on the usage
proxy's rows of the eight topics (usage only weights the selection: no version trains on them).
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
    ewc_term: float | None = None
    """(λ/2) Σ F (θ − θ_v1)² at the end of the update, with F the anchors' diagonal Fisher under version 1 (conflict
    scenario only): the size EWC's penalty would have had, whether or not the strategy used it."""


@dataclass
class ForgettingRun:
    version1: StrategyLosses
    """Version 1 itself, before any update (the same numbers as ``static``)."""
    rows: list[StrategyLosses]
    new_examples: int
    old_usage_examples: int
    anchors: int
    training_examples: int
    fisher_mean: float | None = None
    """Mean diagonal Fisher of the adapter's parameters on the anchors under version 1 (conflict scenario only)."""


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
    train, pool = SAMPLE_DIR / "train.jsonl", SAMPLE_DIR / "pool.jsonl"
    old_usage_rows = [r for r in _sample_rows("usage.jsonl", "swh") if r["topic"] not in DRIFT_TOPICS]
    usage = workdir / "usage-before-drift.jsonl"
    write_jsonl(usage, old_usage_rows)
    selection = run_select(SelectJob(target="sw", train=[train], usage=[usage], pool=[pool], out=workdir / "select", n_clusters=n_clusters,
                                     seed=cfg.seed), log=log)  # fmt: skip
    v1 = workdir / "sw-v1"
    train_job(selection.data_path, str(base), v1, "sw", replace(cfg, epochs=version1_epochs, patience=version1_epochs),
              cluster_model=workdir / "select" / "cluster_model.json", update=update)  # fmt: skip
    seen = {json.loads(line)["inputs"] for line in selection.data_path.read_text(encoding="utf-8").splitlines()}
    drifted = [r for r in _sample_rows("pool.jsonl", "swh") + _sample_rows("usage.jsonl", "swh") if r["topic"] in DRIFT_TOPICS and r["inputs"] not in seen]
    window = workdir / "window.jsonl"
    write_jsonl(window, drifted)
    old_usage = [(r["inputs"], r["targets"]) for r in old_usage_rows]
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


# The conflicting-answer scenario: what version 1 learned (each question's answer is its topic word) and what the
# drift brings (a new kind of question whose answer is always "wind") pull the same outputs in different directions,
# which is where catastrophic forgetting shows even in a tiny model. The sample data cannot show it: every Swahili
# answer shares one template, so any further training on Swahili helps the old topics too.
CONFLICT_TOPICS = ("rain", "rice", "maize")


def conflict_scenario() -> dict[str, list[tuple[str, str]]]:
    """old (trained by version 1), old_heldout (never trained), new (the update's data), new_heldout, anchors (one
    prototype question per old topic)."""
    def old(i: int, t: str) -> tuple[str, str]:
        return (f"question {i} about {t}", f"{t} {t} {t}")

    def new(i: int) -> tuple[str, str]:
        return (f"new question {i} about wind", "wind wind wind")

    return {"old": [old(i, t) for i in range(10) for t in CONFLICT_TOPICS], "old_heldout": [old(i, t) for i in range(10, 14) for t in CONFLICT_TOPICS],
            "new": [new(i) for i in range(12)], "new_heldout": [new(i) for i in range(12, 16)], "anchors": [old(0, t) for t in CONFLICT_TOPICS]}  # fmt: skip


def measure_conflict_forgetting(base: str | Path, cfg: TrainConfig, update: UpdateConfig, strategies: Sequence[str] = tuple(STRATEGIES),
                                log: Callable[[str], None] = print) -> ForgettingRun:  # fmt: skip
    """Train version 1 on the old task once, then update a copy of it with each strategy (full-retrain: a fresh adapter)."""
    import torch

    from .training.loop import encode_examples, fit_adapter, load_base, make_adapter_model, mean_loss, trainable_parameters
    from .training.strategies import EWCPenalty, UpdateData, diagonal_fisher

    data = conflict_scenario()
    model, tokenizer = load_base(base, cfg)
    model = make_adapter_model(model, cfg)
    fit_adapter(model, tokenizer, data["old"], cfg, progress=False)
    params = trainable_parameters(model)
    version1_state = {name: p.detach().clone() for name, p in params.items()}
    device = next(model.parameters()).device
    sets = {name: encode_examples(tokenizer, data[key], cfg.max_length) for name, key in (("new_window", "new_heldout"), ("anchors", "anchors"), ("old_usage", "old_heldout"))}

    def measure() -> dict[str, float]:
        return {name: mean_loss(model, rows, cfg, tokenizer.pad_token_id, device) for name, rows in sets.items()}

    before = measure()
    fisher = diagonal_fisher(model, tokenizer, data["anchors"], cfg.max_length)
    ewc_term = EWCPenalty(model, fisher, update.lam)  # anchored at version 1's parameters
    fisher_mean = sum(float(f.sum()) for f in fisher.values()) / sum(f.numel() for f in fisher.values())
    rows = []
    for name in strategies:
        strategy = get_strategy(name, update)
        # Every strategy starts from version 1; full-retrain from a freshly initialised adapter instead.
        start_state = trainable_parameters(make_adapter_model(load_base(base, cfg)[0], cfg)) if strategy.starts_fresh else version1_state
        with torch.no_grad():
            for key, p in params.items():
                p.copy_(start_state[key])
        start = time.perf_counter()
        strategy.fit(model, tokenizer, UpdateData(data["new"], data["old"], data["anchors"]), cfg)
        seconds = time.perf_counter() - start
        after = measure()
        check = judge({"window": before["new_window"], "anchors": before["anchors"]}, {"window": after["new_window"], "anchors": after["anchors"]},
                      strategy.changes_adapter, 0.10)  # fmt: skip
        with torch.no_grad():
            term = float(ewc_term())
        rows.append(StrategyLosses(name, after["new_window"], after["anchors"], after["old_usage"], seconds, check.publishable, check.reason, term))
        log(f"{name:17s} new {after['new_window']:.3f}  anchors {after['anchors']:.3f}  old held-out {after['old_usage']:.3f}  ({seconds:.1f} s)")
    version1 = StrategyLosses("version 1", before["new_window"], before["anchors"], before["old_usage"], 0.0, False, "the previous version")
    return ForgettingRun(version1, rows, len(data["new_heldout"]), len(data["old_heldout"]), len(data["anchors"]), len(data["new"]), fisher_mean)
