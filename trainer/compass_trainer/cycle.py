"""One update cycle (METHOD §5), the orchestration that ``compass-trainer update`` and ``watch`` share: re-select
against the recent window, train the next adapter version with an update strategy, check it against the previous
version on a held-out slice of the window and on the anchors, and write it — adapter, cluster model with the new
reference distribution and θ, fresh anchors, and ``cycle.json`` — into its directory in one rename, so a killed cycle
never leaves half a version behind."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import contracts
from .data import Example, Schema, deduplicate, read_examples, write_jsonl
from .clustering.edge_model import edge_assign
from .drift import calibrate_theta
from .encoders.base import SketchEncoder
from .errors import DataError
from .geometry import normalise
from .training.anchors import anchors_for
from .training.artifacts import data_hash, read_metadata, save_adapter
from .training.config import TrainConfig
from .training.jobs import TRAINING_DATA, fit_metrics, read_pairs, write_pairs
from .training.loop import encode_examples, load_base, make_adapter_model, mean_loss
from .training.strategies import STRATEGIES, Pair, UpdateConfig, UpdateData, UpdateStrategy, get_strategy

CYCLE_FILE = "cycle.json"
ANCHORS = Schema(input_field="inputs", target_field="targets", language_field=None)
WINDOW = Schema(input_field="inputs", target_field="targets", language_field=None)
"""The window is the adapter's own language by construction: its rows' language codes are not read."""


@dataclass
class CheckConfig:
    """How a new version is judged against the previous one before it may be published."""

    heldout_fraction: float = 0.25
    """[choice] Share of the window's distinct labelled rows held out of training to judge the new version (at least
    one; a window with fewer than two labelled rows is judged on a held-out slice of the re-selection instead)."""
    max_forgetting: float = 0.10
    """[choice] Largest relative rise of the anchors' loss (the previous distribution) a publishable version may show."""
    seed: int = 0


@dataclass
class UpdateRequest:
    """Everything one cycle needs. ``window`` drives the re-selection (its rows are the usage distribution); pass
    ``new_data`` (a selected.jsonl) instead to skip re-selection."""

    adapter: Path
    base: str
    out: Path
    previous_data: Path | None = None
    """The previous version's training data; by default the ``training_data.jsonl`` stored beside it."""
    window: Path | None = None
    new_data: Path | None = None
    train: list[Path] = field(default_factory=list)
    pool: list[Path] = field(default_factory=list)
    n_clusters: int | None = None
    budget: float = 0.8
    strategy: str = "ecda"
    train_config: TrainConfig = field(default_factory=TrainConfig)
    update: UpdateConfig = field(default_factory=UpdateConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    eta: float = 0.1
    """Incremental k-means step: centroids move by η towards the window's members (METHOD §5)."""


@dataclass
class VersionCheck:
    """The new version against the previous one: mean token loss on the held-out new-distribution slice and on the
    anchors (the previous distribution), and the verdict."""

    new_source: str
    """"window" (held-out labelled window rows) or "reselection" (a held-out slice of D_new: the window was unlabelled)."""
    new_examples: int
    old_examples: int
    new_loss_previous: float
    new_loss_next: float
    old_loss_previous: float
    old_loss_next: float
    forgetting: float
    """Relative rise of the anchors' loss, ``(next − previous) / previous``; negative when it fell."""
    max_forgetting: float
    publishable: bool
    reason: str


@dataclass
class CycleResult:
    adapter_dir: Path
    version: int
    parent_version: int
    strategy: str
    check: VersionCheck
    metrics: dict
    selection: dict | None
    """The re-selection's summary (selected, js_before, js_after), or None when ``new_data`` was given."""

    def to_dict(self) -> dict:
        return {**asdict(self), "adapter_dir": str(self.adapter_dir)}


@dataclass
class CycleInputs:
    """The data of one cycle, read and split once (the forgetting bench trains every strategy on the same inputs)."""

    language: str
    metadata: dict
    cluster_model: dict
    anchors: list[Pair]
    old: list[Pair]
    new: list[Pair]
    new_eval: list[Pair]
    new_source: str
    window_texts: list[str]
    selection: dict | None


@dataclass
class TrainedVersion:
    model: object
    fit_metrics: dict | None
    losses_previous: dict[str, float]
    losses_next: dict[str, float]


def update_cycle(request: UpdateRequest, log: Callable[[str], None] = print) -> CycleResult:
    """Run one cycle and write the new version to ``request.out`` (replacing what was there only once it is complete).

    Returns the result (also written as ``cycle.json`` in the version): version numbers, the strategy's training record,
    and the check, whose ``publishable`` verdict is False — with the reason — when the anchors' loss rose by more than
    ``check.max_forgetting``, when the version gained nothing on the new distribution, or when it did not change.
    """
    strategy = _validate(request)
    out = Path(request.out)
    staging = out.parent / f".{out.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)  # what a killed cycle left: never published, safe to drop
    staging.mkdir(parents=True)
    inputs = gather_inputs(request, staging, log)
    log(f"training version {int(inputs.metadata.get('version', 1)) + 1} with '{strategy.name}' on {len(inputs.new)} examples "
        f"({len(inputs.anchors)} anchors, {len(inputs.old)} previous examples)")  # fmt: skip
    trained = train_version(request, inputs, strategy, {})
    check = judge(trained.losses_previous, trained.losses_next, strategy.changes_adapter, request.check.max_forgetting,
                  inputs.new_source, len(inputs.new_eval), len(inputs.anchors))  # fmt: skip
    log(f"check: {'publishable' if check.publishable else 'NOT publishable'} ({check.reason})")
    result = _write_version(request, inputs, strategy, trained, check, staging)
    _commit(staging, out)
    return result


def _validate(request: UpdateRequest) -> UpdateStrategy:
    if request.strategy not in STRATEGIES:
        raise ValueError(f"unknown update strategy '{request.strategy}'; choose from {sorted(STRATEGIES)}")
    if request.new_data is None and request.window is None:
        raise ValueError("pass a window (the recent traffic to re-select for) or new data (a selection made already)")
    if request.new_data is None and not (request.train and request.pool):
        raise ValueError("re-selection needs the target training data and the auxiliary pool")
    if not 0 < request.check.heldout_fraction < 1:
        raise ValueError(f"the held-out fraction must be in (0, 1), got {request.check.heldout_fraction}")
    for name in ("cluster_model.json", "anchors.jsonl"):
        if not (Path(request.adapter) / name).exists():
            raise FileNotFoundError(f"{Path(request.adapter) / name}: missing (train the adapter with --cluster-model to enable updates)")
    if not previous_data(request).exists():
        raise FileNotFoundError(f"{previous_data(request)}: the previous version's training data is missing (pass it explicitly)")
    return get_strategy(request.strategy, request.update)


def gather_inputs(request: UpdateRequest, workdir: Path, log: Callable[[str], None] = print) -> CycleInputs:
    """Read the previous version, hold out the check's slice of the window, re-select against the rest (into
    ``workdir/reselection``) and return the cycle's data."""
    from .pipeline import SelectJob, run_select

    adapter = Path(request.adapter)
    metadata = read_metadata(adapter)
    cluster_model = json.loads((adapter / "cluster_model.json").read_text(encoding="utf-8"))
    anchors = read_pairs(adapter / "anchors.jsonl", ANCHORS)
    old = read_pairs(previous_data(request))
    window = deduplicate(read_examples(request.window, WINDOW))[0] if request.window else []
    held, kept = split_heldout(window, request.check.heldout_fraction, request.check.seed)
    selection = None
    new_path = request.new_data
    if new_path is None:
        usage = workdir / "window-fit.jsonl"
        write_jsonl(usage, [{"inputs": e.inputs, "targets": e.targets} for e in kept])
        result = run_select(SelectJob(target=metadata["language"], train=list(request.train), usage=[usage], pool=list(request.pool),
                                      out=workdir / "reselection", n_clusters=request.n_clusters, budget=request.budget,
                                      seed=request.check.seed), log=log)  # fmt: skip
        new_path = result.data_path
        selection = {key: result.report.get(key) for key in ("selected", "js_before", "js_after")}
        log(f"re-selected for the recent window: {selection['selected']} auxiliary examples, JS {selection['js_before']:.3f} → {selection['js_after']:.3f}")
    new = read_pairs(new_path)
    if held:
        source = "window"
        new_eval = [(e.inputs, e.targets or "") for e in held]
        held_inputs = {e.inputs for e in held}
        new = [pair for pair in new if pair[0] not in held_inputs]  # the judged rows never train
    else:
        source = "reselection"
        distinct = list(dict.fromkeys(new))
        random.Random(request.check.seed).shuffle(distinct)
        n_eval = max(1, round(request.check.heldout_fraction * len(distinct))) if len(distinct) > 1 else 0
        held_pairs = set(distinct[:n_eval])
        new_eval = distinct[:n_eval]
        new = [pair for pair in new if pair not in held_pairs]
    if not new:
        raise DataError("no training examples left for the update after holding out the check's slice")
    return CycleInputs(metadata["language"], metadata, cluster_model, anchors, old, new, new_eval, source, [e.text for e in window], selection)


def previous_data(request: UpdateRequest) -> Path:
    return Path(request.previous_data) if request.previous_data else Path(request.adapter) / TRAINING_DATA


def split_heldout(window: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """(held-out, kept): a seeded ``fraction`` (at least one) of the window's labelled rows, and everything else. No
    rows are held out when fewer than two are labelled (the check then uses a slice of the re-selection)."""
    labelled = [i for i, e in enumerate(window) if e.targets]
    if len(labelled) < 2:
        return [], list(window)
    random.Random(seed).shuffle(labelled)
    chosen = set(labelled[: max(1, round(fraction * len(labelled)))])
    return [window[i] for i in sorted(chosen)], [e for i, e in enumerate(window) if i not in chosen]


def train_version(request: UpdateRequest, inputs: CycleInputs, strategy: UpdateStrategy, extra_eval: dict[str, list[Pair]]) -> TrainedVersion:
    """Load the previous version, measure it, update it with ``strategy`` and measure the result. Losses are the
    mean token loss on ``window`` (the held-out new-distribution slice), ``anchors`` and each set of ``extra_eval``."""
    from peft import PeftModel

    cfg = request.train_config
    model, tokenizer = load_base(request.base, cfg)
    peft_model = PeftModel.from_pretrained(model, str(request.adapter), is_trainable=True)
    sets = {"window": inputs.new_eval, "anchors": inputs.anchors, **extra_eval}
    encoded = {name: encode_examples(tokenizer, pairs, cfg.max_length) for name, pairs in sets.items()}
    before = losses(peft_model, tokenizer, encoded, cfg)
    if strategy.starts_fresh:
        peft_model = make_adapter_model(peft_model.unload(), cfg)
    fit = strategy.fit(peft_model, tokenizer, UpdateData(inputs.new, inputs.old, inputs.anchors), cfg)
    return TrainedVersion(peft_model, fit_metrics(fit) if fit else None, before, losses(peft_model, tokenizer, encoded, cfg))


def losses(model, tokenizer, encoded: dict[str, list[dict]], cfg: TrainConfig) -> dict[str, float]:
    device = next(model.parameters()).device
    return {name: mean_loss(model, rows, cfg, tokenizer.pad_token_id, device) if rows else math.nan for name, rows in encoded.items()}


def judge(previous: dict[str, float], next_: dict[str, float], changed: bool, max_forgetting: float, new_source: str = "window",
          new_examples: int = 0, old_examples: int = 0) -> VersionCheck:  # fmt: skip
    """The publish verdict from the losses before and after, with its reason. Publishable only when the adapter
    changed, its loss on the new distribution fell, and the anchors' loss rose by at most ``max_forgetting``."""
    new_prev, new_next = previous["window"], next_["window"]
    old_prev, old_next = previous["anchors"], next_["anchors"]
    forgetting = (old_next - old_prev) / old_prev if old_prev > 0 else 0.0
    summary = (
        f"new-distribution loss {new_prev:.3f} → {new_next:.3f}, anchors' loss {old_prev:.3f} → {old_next:.3f} ({forgetting:+.1%}, bound {max_forgetting:+.0%})"
    )
    if not changed:
        verdict, reason = False, "the strategy left the adapter unchanged; nothing to publish"
    elif math.isnan(new_next) or math.isnan(old_next):
        verdict, reason = False, "no held-out data to judge the new version on"
    elif forgetting > max_forgetting:
        verdict, reason = False, f"forgetting beyond the bound: {summary}"
    elif not new_next < new_prev:
        verdict, reason = False, f"no gain on the new distribution: {summary}"
    else:
        verdict, reason = True, summary
    return VersionCheck(new_source, new_examples, old_examples, new_prev, new_next, old_prev, old_next, forgetting, max_forgetting, verdict, reason)


def next_cluster_model(cluster_model: dict, window_texts: list[str], new: list[Pair], version: int, eta: float) -> dict:
    """The next cycle's cluster model: k-means centroids moved by η towards the window's members, P_ref from the
    window and the new training data, θ recalibrated on the window (the new cycle's in-distribution traffic).
    Assignments are the edge's (its ``edge`` layers when the model has them, else the nearest centroid), so P_ref and θ
    are over the clusters the edge will count."""
    centroids = np.asarray(cluster_model["centroids"], dtype=np.float32)
    encoder = SketchEncoder(cluster_model["dim"])
    counts = np.zeros(len(centroids))
    for texts, move in ((window_texts, True), ([f"{p}\n{r}" if r else p for p, r in new], False)):
        if not texts:
            continue
        X = encoder.encode(texts)
        labels = edge_assign(cluster_model, X)
        counts += np.bincount(labels, minlength=len(centroids))
        if move:
            for j in np.unique(labels):
                mixed = (1 - eta) * centroids[j] + eta * X[labels == j].mean(axis=0)
                centroids[j] = normalise(mixed[None])[0]
    reference = counts / counts.sum() if counts.sum() else np.asarray(cluster_model["reference"])
    model = {**cluster_model, "version": str(version), "centroids": centroids.astype(np.float64).tolist(), "reference": reference.tolist()}
    if window_texts:
        model["theta"] = calibrate_theta(reference, edge_assign(model, encoder.encode(window_texts)))
    return model


def _write_version(request: UpdateRequest, inputs: CycleInputs, strategy: UpdateStrategy, trained: TrainedVersion, check: VersionCheck,
                   staging: Path) -> CycleResult:  # fmt: skip
    parent_version = int(inputs.metadata.get("version", 1))
    version = parent_version + 1
    model = next_cluster_model(inputs.cluster_model, inputs.window_texts, inputs.new, version, request.eta)
    update = request.update
    metadata = {**inputs.metadata, "version": version, "parent": str(request.adapter), "strategy": strategy.name, "data_sha256": data_hash(inputs.new),
                "examples": len(inputs.new), "metrics": trained.fit_metrics or {"skipped": strategy.name},
                "update": {"lambda": update.lam, "beta": update.beta, "epochs": update.epochs, "anchors": len(inputs.anchors)},
                "check": asdict(check)}  # fmt: skip
    save_adapter(trained.model, staging, metadata)
    onnx = (inputs.cluster_model.get("edge") or {}).get("onnx")
    if onnx and (Path(request.adapter) / onnx).exists():  # the edge model's ONNX twin travels with the cluster model
        shutil.copyfile(Path(request.adapter) / onnx, staging / onnx)
    (staging / "cluster_model.json").write_text(json.dumps(contracts.validate("cluster-model", model)), encoding="utf-8")
    write_pairs(staging / TRAINING_DATA, inputs.new)
    write_pairs(staging / "anchors.jsonl", anchors_for([*inputs.old, *inputs.new], model, update.anchor_fraction))
    result = CycleResult(Path(request.out), version, parent_version, strategy.name, check, metadata["metrics"], inputs.selection)
    (staging / CYCLE_FILE).write_text(json.dumps(result.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    return result


def _commit(staging: Path, out: Path) -> None:
    """Move the finished version into place; a previous directory at ``out`` is replaced only after that."""
    if out.exists():
        replaced = out.parent / f".{out.name}.replaced-{os.getpid()}"
        out.rename(replaced)
        staging.rename(out)
        shutil.rmtree(replaced)
    else:
        staging.rename(out)


def read_cycle(version_dir: Path) -> dict:
    """The ``cycle.json`` of a version written by :func:`update_cycle`."""
    return json.loads((Path(version_dir) / CYCLE_FILE).read_text(encoding="utf-8"))
