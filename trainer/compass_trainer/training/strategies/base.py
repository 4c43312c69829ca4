"""The update-strategy interface of continual adaptation (METHOD §5, paper §5.5) and its registry: adding a strategy
is one class with a ``@register_strategy("name")`` line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...registry import Registry
from ..config import TrainConfig
from ..loop import FitResult

Pair = tuple[str, str]


@dataclass
class UpdateConfig:
    """Hyperparameters of an update cycle, shared by every strategy (each reads the ones it uses)."""

    lam: float = 2.0
    """λ of the EWC term (appendix D.4)."""
    beta: float = 0.1
    """β, weight of the anchor replay loss (appendix D.4)."""
    epochs: int = 5
    """Epochs per update (appendix D.4); every epoch runs (no early stop), the best held-out epoch is kept."""
    anchor_fraction: float = 0.05
    """Anchor buffer size as a share of the training set (appendix D.3: 5% is the knee)."""
    rehearsal_fraction: float = 0.05
    """random-rehearsal: share of the previous cycle's data replayed (paper §5.5: "random rehearsal 5%")."""


@dataclass
class UpdateData:
    """What an update may learn from: ``new`` (D_new, the re-selection for the recent window), ``old`` (the previous
    cycle's training data) and ``anchors`` (B_anchor, prototypes of the previous reference distribution)."""

    new: Sequence[Pair]
    old: Sequence[Pair] = ()
    anchors: Sequence[Pair] = ()


class UpdateStrategy:
    """Base class: ``fit`` updates the adapter of a PEFT model in place and returns the training record.

    Subclasses set ``starts_fresh`` when they train a new adapter instead of continuing the previous version, and
    ``changes_adapter = False`` when they leave it as it is.
    """

    name: str = ""
    starts_fresh: bool = False
    changes_adapter: bool = True

    def __init__(self, config: UpdateConfig | None = None):
        self.config = config or UpdateConfig()

    def fit(self, model, tokenizer, data: UpdateData, cfg: TrainConfig, progress: bool = False) -> FitResult | None:
        raise NotImplementedError(f"{type(self).__name__} must implement fit()")

    def run_config(self, cfg: TrainConfig) -> TrainConfig:
        """The training settings of an update: ``epochs`` from the update config, patience that never stops early."""
        return replace(cfg, epochs=self.config.epochs, patience=self.config.epochs, extra=dict(cfg.extra))


_registry: Registry[UpdateStrategy] = Registry("update strategy")
STRATEGIES = _registry.classes
register_strategy = _registry.register  # class decorator: available by name (CLI ``--strategy``)


def get_strategy(name: str, config: UpdateConfig | None = None) -> UpdateStrategy:
    return _registry.get(name, config=config)


__all__ = ["Pair", "UpdateConfig", "UpdateData", "UpdateStrategy", "STRATEGIES", "register_strategy", "get_strategy"]
