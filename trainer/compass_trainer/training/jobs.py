"""The train job behind the CLI (read data, train, write adapter + cluster model + anchors) and the pair I/O that the
update cycle (``compass_trainer.cycle``) shares with it."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..data import Schema, read_examples
from .anchors import anchors_for
from .artifacts import data_hash, file_hash, save_adapter
from .config import TrainConfig
from .loop import fit_adapter, load_base, make_adapter_model
from .strategies import UpdateConfig

TRAINING_DATA = "training_data.jsonl"
"""The pairs a version was trained on, kept beside it: the next update cycle's previous data (full-retrain, rehearsal)."""
SELECTED = Schema(input_field="inputs", target_field="targets", language_field="language", id_field="id")


def read_pairs(path: Path, schema: Schema = SELECTED) -> list[tuple[str, str]]:
    """Instruction/response pairs; rows with ``times_selected`` > 1 are repeated that many times."""
    pairs = []
    for e in read_examples(path, schema):
        pairs += [(e.inputs, e.targets or "")] * int(e.meta.get("times_selected", 1) or 1)
    return pairs


def write_pairs(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("".join(json.dumps({"inputs": p, "targets": r}, ensure_ascii=False) + "\n" for p, r in pairs), encoding="utf-8")


@dataclass
class TrainOutcome:
    adapter_dir: Path
    metadata: dict


def train_job(data: Path, base: str, out: Path, language: str, cfg: TrainConfig, cluster_model: Path | None = None,
              report: Path | None = None, update: UpdateConfig | None = None) -> TrainOutcome:  # fmt: skip
    """Train one language's adapter on ``data`` (selected.jsonl: D_t ∪ S) and write it with its metadata; when the
    selection's cluster model is given, also the cluster model and the anchor buffer for later ECDA updates."""
    pairs = read_pairs(data)
    model, tokenizer = load_base(base, cfg)
    peft_model = make_adapter_model(model, cfg)
    fit = fit_adapter(peft_model, tokenizer, pairs, cfg)
    metadata = {"base_model": str(base), "language": language, "version": 1, "parent": None, "method": cfg.method, "r": cfg.r,
                "lora_alpha": cfg.alpha, "data_sha256": data_hash(pairs), "selection_report_sha256": file_hash(report),
                "examples": len(pairs), "metrics": fit_metrics(fit)}  # fmt: skip
    save_adapter(peft_model, out, metadata)
    write_pairs(out / TRAINING_DATA, pairs)
    if cluster_model:
        model_json = json.loads(Path(cluster_model).read_text(encoding="utf-8"))
        shutil.copyfile(cluster_model, out / "cluster_model.json")
        write_pairs(out / "anchors.jsonl", anchors_for(pairs, model_json, (update or UpdateConfig()).anchor_fraction))
    return TrainOutcome(out, metadata)


def fit_metrics(fit) -> dict:
    """The training record as stored in an adapter's metadata."""
    return {"train_losses": fit.train_losses, "heldout_losses": fit.heldout_losses, "best_epoch": fit.best_epoch, "steps": fit.steps,
            "tokens": fit.tokens, "seconds": round(fit.seconds, 3), "tokens_per_second": round(fit.tokens / fit.seconds, 1) if fit.seconds else None}  # fmt: skip
