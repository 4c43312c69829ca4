"""The train and update jobs behind the CLI: read data, train, write adapter + cluster model + anchors."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import contracts
from ..data import Schema, read_examples
from ..drift import calibrate_theta
from ..encoders.base import SketchEncoder
from .artifacts import data_hash, file_hash, read_metadata, save_adapter
from .config import TrainConfig
from .ecda import ECDAConfig, continual_update, select_anchors
from .loop import fit_adapter, load_base, make_adapter_model

SELECTED = Schema(input_field="inputs", target_field="targets", language_field="language", id_field="id")


def read_pairs(path: Path, schema: Schema = SELECTED) -> list[tuple[str, str]]:
    """Instruction/response pairs; rows with ``times_selected`` > 1 are repeated that many times."""
    pairs = []
    for e in read_examples(path, schema):
        pairs += [(e.inputs, e.targets or "")] * int(e.meta.get("times_selected", 1) or 1)
    return pairs


def anchors_for(pairs: list[tuple[str, str]], cluster_model: dict, fraction: float) -> list[tuple[str, str]]:
    unique = list(dict.fromkeys(pairs))
    X = SketchEncoder(cluster_model["dim"]).encode([f"{p}\n{r}" if r else p for p, r in unique])
    idx = select_anchors(X, np.asarray(cluster_model["centroids"], dtype=np.float32), np.asarray(cluster_model["reference"]),
                         max(1, round(fraction * len(pairs))))  # fmt: skip
    return [unique[i] for i in idx]


def write_pairs(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("".join(json.dumps({"inputs": p, "targets": r}, ensure_ascii=False) + "\n" for p, r in pairs), encoding="utf-8")


@dataclass
class TrainOutcome:
    adapter_dir: Path
    metadata: dict


def train_job(data: Path, base: str, out: Path, language: str, cfg: TrainConfig, cluster_model: Path | None = None,
              report: Path | None = None, ecda: ECDAConfig | None = None) -> TrainOutcome:  # fmt: skip
    """Train one language's adapter on ``data`` (selected.jsonl: D_t ∪ S) and write it with its metadata; when the
    selection's cluster model is given, also the cluster model and the anchor buffer for later ECDA updates."""
    pairs = read_pairs(data)
    model, tokenizer = load_base(base, cfg)
    peft_model = make_adapter_model(model, cfg)
    fit = fit_adapter(peft_model, tokenizer, pairs, cfg)
    metadata = {"base_model": str(base), "language": language, "version": 1, "parent": None, "method": cfg.method, "r": cfg.r,
                "lora_alpha": cfg.alpha, "data_sha256": data_hash(pairs), "selection_report_sha256": file_hash(report),
                "examples": len(pairs), "metrics": _metrics(fit)}  # fmt: skip
    save_adapter(peft_model, out, metadata)
    if cluster_model:
        model_json = json.loads(Path(cluster_model).read_text(encoding="utf-8"))
        shutil.copyfile(cluster_model, out / "cluster_model.json")
        write_pairs(out / "anchors.jsonl", anchors_for(pairs, model_json, (ecda or ECDAConfig()).anchor_fraction))
    return TrainOutcome(out, metadata)


def update_job(adapter: Path, base: str, new_data: Path, previous_data: Path, out: Path, strategy: str, cfg: TrainConfig,
               ecda: ECDAConfig, window: Path | None = None, eta: float = 0.1) -> TrainOutcome:  # fmt: skip
    """One ECDA cycle: train the next adapter version from ``adapter`` on ``new_data`` (the re-selection against the
    recent window) with ``strategy``; write the new adapter, the incrementally updated cluster model (k-means centroids
    moved by η towards the window's members) with the new cycle's reference distribution, and fresh anchors."""
    from peft import PeftModel

    meta = read_metadata(adapter)
    cluster_model = json.loads((adapter / "cluster_model.json").read_text(encoding="utf-8"))
    anchors = read_pairs(adapter / "anchors.jsonl", Schema(input_field="inputs", target_field="targets", language_field=None))
    new_pairs, old_pairs = read_pairs(new_data), read_pairs(previous_data)
    model, tokenizer = load_base(base, cfg)
    if strategy == "full-retrain":
        peft_model = make_adapter_model(model, cfg)
    else:
        peft_model = PeftModel.from_pretrained(model, str(adapter), is_trainable=True)
    fit = continual_update(peft_model, tokenizer, strategy, new_pairs, old_pairs, anchors, cfg, ecda)
    centroids = np.asarray(cluster_model["centroids"], dtype=np.float32)
    encoder = SketchEncoder(cluster_model["dim"])
    window_texts = [e.text for e in read_examples(window, Schema(target_field=None, language_field=None))] if window else []
    new_texts = [f"{p}\n{r}" if r else p for p, r in new_pairs]
    counts = np.zeros(len(centroids))
    for texts, move in ((window_texts, True), (new_texts, False)):
        if not texts:
            continue
        X = encoder.encode(texts)
        labels = (X @ centroids.T).argmax(axis=1)
        counts += np.bincount(labels, minlength=len(centroids))
        if move:
            for j in np.unique(labels):
                mixed = (1 - eta) * centroids[j] + eta * X[labels == j].mean(axis=0)
                centroids[j] = mixed / max(np.linalg.norm(mixed), 1e-12)
    reference = counts / counts.sum() if counts.sum() else np.asarray(cluster_model["reference"])
    theta = cluster_model["theta"]
    if window_texts:  # the window is the new cycle's in-distribution traffic: recalibrate θ on it
        theta = calibrate_theta(reference, (encoder.encode(window_texts) @ centroids.T).argmax(axis=1))
    version = int(meta.get("version", 1)) + 1
    new_model = {**cluster_model, "version": str(version), "centroids": centroids.astype(np.float64).tolist(), "reference": reference.tolist(), "theta": theta}
    metadata = {**meta, "version": version, "parent": str(adapter), "strategy": strategy, "data_sha256": data_hash(new_pairs),
                "examples": len(new_pairs), "metrics": _metrics(fit) if fit else {"skipped": "static"},
                "ecda": {"lambda": ecda.lam, "beta": ecda.beta, "epochs": ecda.epochs, "anchors": len(anchors)}}  # fmt: skip
    save_adapter(peft_model, out, metadata)
    (out / "cluster_model.json").write_text(json.dumps(contracts.validate("cluster-model", new_model)), encoding="utf-8")
    write_pairs(out / "anchors.jsonl", anchors_for([*old_pairs, *new_pairs], new_model, ecda.anchor_fraction))
    return TrainOutcome(out, metadata)


def _metrics(fit) -> dict:
    return {"train_losses": fit.train_losses, "heldout_losses": fit.heldout_losses, "best_epoch": fit.best_epoch, "steps": fit.steps,
            "tokens": fit.tokens, "seconds": round(fit.seconds, 3), "tokens_per_second": round(fit.tokens / fit.seconds, 1) if fit.seconds else None}  # fmt: skip
