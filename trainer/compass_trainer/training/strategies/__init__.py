"""Update strategies for continual adaptation (METHOD §5, paper §5.5), one class each, by name in a registry."""

from .base import STRATEGIES, Pair, UpdateConfig, UpdateData, UpdateStrategy, get_strategy, register_strategy
from .baselines import FullRetrainStrategy, NaiveStrategy, RandomRehearsalStrategy, StaticStrategy
from .ewc import ECDAStrategy, EWCPenalty, EWCStrategy, diagonal_fisher

__all__ = [
    "STRATEGIES", "Pair", "UpdateConfig", "UpdateData", "UpdateStrategy", "get_strategy", "register_strategy",
    "FullRetrainStrategy", "NaiveStrategy", "RandomRehearsalStrategy", "StaticStrategy",
    "ECDAStrategy", "EWCPenalty", "EWCStrategy", "diagonal_fisher",
]  # fmt: skip
