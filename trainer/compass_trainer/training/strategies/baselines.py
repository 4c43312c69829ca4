"""The comparison strategies of paper §5.5 that need no Fisher: static, naive fine-tuning, full retraining and random
rehearsal."""

from __future__ import annotations

import random

from ..config import TrainConfig
from ..loop import FitResult, fit_adapter
from .base import UpdateData, UpdateStrategy, register_strategy


@register_strategy("static")
class StaticStrategy(UpdateStrategy):
    """No update: the previous version stays as it is (the lower bound on adaptation)."""

    changes_adapter = False

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> None:
        return None


@register_strategy("naive")
class NaiveStrategy(UpdateStrategy):
    """Fine-tune the previous version on the new data only."""

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult:
        return fit_adapter(model, tokenizer, data.new, self.run_config(cfg), progress=progress)


@register_strategy("full-retrain")
class FullRetrainStrategy(UpdateStrategy):
    """A fresh adapter trained on the previous cycle's data and the new data together (the cost upper bound)."""

    starts_fresh = True

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult:
        return fit_adapter(model, tokenizer, [*data.old, *data.new], self.run_config(cfg), progress=progress)


@register_strategy("random-rehearsal")
class RandomRehearsalStrategy(UpdateStrategy):
    """Fine-tune on the new data while replaying a random ``rehearsal_fraction`` of the previous cycle's data."""

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult:
        old = list(data.old)
        size = max(1, round(self.config.rehearsal_fraction * len(old))) if old else 0
        replay = random.Random(cfg.seed).sample(old, size)
        # [choice] rehearsal examples are mixed in at full weight: that is what "rehearsal" means in the baselines.
        return fit_adapter(model, tokenizer, data.new, self.run_config(cfg), replay=replay, replay_weight=1.0, progress=progress)
