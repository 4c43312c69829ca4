"""COMPASS-ECDA continual updates (METHOD §5, paper 3.3 and appendix D): anchor buffer, diagonal Fisher, EWC, and
the update strategies compared in paper §5.5."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..selection.math import quotas_largest_remainder
from .config import TrainConfig
from .formatting import collate
from .loop import FitResult, batch_loss, encode_examples, fit_adapter, trainable_parameters

STRATEGIES = ("static", "naive", "full-retrain", "ewc", "random-rehearsal", "ecda")


@dataclass
class ECDAConfig:
    lam: float = 2.0
    """λ of the EWC term (appendix D.4)."""
    beta: float = 0.1
    """β, weight of the anchor replay loss (appendix D.4)."""
    epochs: int = 5
    anchor_fraction: float = 0.05
    """Anchor buffer size as a share of the training set (appendix D.3: 5% is the knee)."""


def select_anchors(embeddings: np.ndarray, centroids: np.ndarray, reference: np.ndarray, size: int) -> np.ndarray:
    """Indices of the anchor buffer: prototypical examples nearest the centroids of the high-density clusters of
    ``reference`` (P_ref). Slots go to clusters in proportion to P_ref (largest remainder, so the densest clusters are
    served first) **[choice]**; within a cluster, the members nearest its centroid are taken."""
    if size <= 0 or len(embeddings) == 0:
        return np.zeros(0, dtype=np.int64)
    sims = embeddings @ centroids.T
    labels = sims.argmax(axis=1)
    quotas = quotas_largest_remainder(np.asarray(reference, dtype=np.float64), min(size, len(embeddings)))
    chosen: list[int] = []
    for k in np.argsort(-np.asarray(reference), kind="stable"):
        members = np.flatnonzero(labels == k)
        take = members[np.argsort(-sims[members, k], kind="stable")][: quotas[k]]
        chosen += take.tolist()
    # Clusters with fewer members than their slots leave room: fill it with the most prototypical of the rest.
    if len(chosen) < size:
        rest = np.setdiff1d(np.arange(len(embeddings)), chosen)
        best = rest[np.argsort(-sims[rest, labels[rest]], kind="stable")]
        chosen += best[: size - len(chosen)].tolist()
    return np.asarray(chosen, dtype=np.int64)


def diagonal_fisher(model, tokenizer, pairs: Sequence[tuple[str, str]], max_length: int) -> dict[str, torch.Tensor]:
    """Diagonal Fisher of the adapter's parameters: the mean over examples of the squared gradient of each example's
    log-likelihood (one backward pass per example — not the square of a batch-mean gradient, which underestimates it)."""
    if not pairs:
        raise ValueError("the Fisher needs at least one anchor example")
    device = next(model.parameters()).device
    params = trainable_parameters(model)
    fisher = {name: torch.zeros_like(p, dtype=torch.float32) for name, p in params.items()}
    was_training = model.training
    model.eval()
    for encoded in encode_examples(tokenizer, pairs, max_length):
        model.zero_grad(set_to_none=True)
        batch_loss(model, collate([encoded], tokenizer.pad_token_id), device).backward()
        for name, p in params.items():
            if p.grad is not None:
                fisher[name] += p.grad.detach().float() ** 2
    model.zero_grad(set_to_none=True)
    model.train(was_training)
    return {name: f / len(pairs) for name, f in fisher.items()}


class EWCPenalty:
    """``(λ/2) Σ_j F_j (θ_j − θ_j^prev)²`` over the adapter's parameters (LoRA A/B and DoRA magnitudes)."""

    def __init__(self, model, fisher: dict[str, torch.Tensor], lam: float):
        self.params = trainable_parameters(model)
        self.fisher = fisher
        self.anchor = {name: p.detach().clone() for name, p in self.params.items()}
        self.lam = lam

    def __call__(self) -> torch.Tensor:
        total = None
        for name, p in self.params.items():
            term = (self.fisher[name].to(p.dtype) * (p - self.anchor[name]) ** 2).sum()
            total = term if total is None else total + term
        return 0.5 * self.lam * total


def continual_update(model, tokenizer, strategy: str, new_pairs: Sequence[tuple[str, str]], old_pairs: Sequence[tuple[str, str]],
                     anchor_pairs: Sequence[tuple[str, str]], cfg: TrainConfig, ecda: ECDAConfig, progress: bool = False) -> FitResult | None:  # fmt: skip
    """Update ``model``'s adapter for new data with one of :data:`STRATEGIES`.

    static: no update. naive: fine-tune on the new data. full-retrain: train on old ∪ new (pass a fresh adapter).
    ewc: new data + EWC on the anchors' Fisher. random-rehearsal: new data + replay of a random 5% of the old data.
    ecda: new data + β·anchor replay + EWC (λ) — METHOD §5.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy '{strategy}'; choose from {STRATEGIES}")
    if strategy == "static":
        return None
    run_cfg = TrainConfig(**{**cfg.__dict__, "epochs": ecda.epochs, "patience": ecda.epochs})
    if strategy == "naive":
        return fit_adapter(model, tokenizer, new_pairs, run_cfg, progress=progress)
    if strategy == "full-retrain":
        return fit_adapter(model, tokenizer, [*old_pairs, *new_pairs], run_cfg, progress=progress)
    if strategy == "random-rehearsal":
        rng = random.Random(cfg.seed)
        replay = rng.sample(list(old_pairs), max(1, round(ecda.anchor_fraction * len(old_pairs)))) if old_pairs else []
        # [choice] rehearsal examples are mixed in at full weight: that is what "rehearsal" means in the baselines.
        return fit_adapter(model, tokenizer, new_pairs, run_cfg, replay=replay, replay_weight=1.0, progress=progress)
    penalty = EWCPenalty(model, diagonal_fisher(model, tokenizer, anchor_pairs, cfg.max_length), ecda.lam)
    if strategy == "ewc":
        return fit_adapter(model, tokenizer, new_pairs, run_cfg, extra_loss=penalty, progress=progress)
    return fit_adapter(model, tokenizer, new_pairs, run_cfg, extra_loss=penalty, replay=anchor_pairs, replay_weight=ecda.beta, progress=progress)
