"""Elastic weight consolidation on the adapter's parameters: the diagonal Fisher on the anchor buffer, the penalty,
and the two strategies that use it — EWC alone and COMPASS-ECDA (anchor replay + EWC, METHOD §5)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ..config import TrainConfig
from ..formatting import collate
from ..loop import FitResult, batch_loss, encode_examples, fit_adapter, trainable_parameters
from .base import Pair, UpdateData, UpdateStrategy, register_strategy


def diagonal_fisher(model, tokenizer, pairs: Sequence[Pair], max_length: int) -> dict[str, torch.Tensor]:
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


@register_strategy("ewc")
class EWCStrategy(UpdateStrategy):
    """Fine-tune on the new data with the EWC penalty (Fisher on the anchors), without replay."""

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult:
        penalty = EWCPenalty(model, diagonal_fisher(model, tokenizer, data.anchors, cfg.max_length), self.config.lam)
        return fit_adapter(model, tokenizer, data.new, self.run_config(cfg), extra_loss=penalty, progress=progress)


@register_strategy("ecda")
class ECDAStrategy(UpdateStrategy):
    """COMPASS-ECDA: ``L_task(D_new) + β·L_task(B_anchor) + (λ/2) Σ F_j (θ_j − θ_j^prev)²`` (METHOD §5)."""

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult:
        penalty = EWCPenalty(model, diagonal_fisher(model, tokenizer, data.anchors, cfg.max_length), self.config.lam)
        return fit_adapter(model, tokenizer, data.new, self.run_config(cfg), extra_loss=penalty, replay=data.anchors,
                           replay_weight=self.config.beta, progress=progress)  # fmt: skip
