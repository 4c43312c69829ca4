"""The selector interface every selection strategy shares (COMPASS and the baselines), and its registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Mapping

import numpy as np

from ..data import Example
from ..registry import Registry, from_job_params


@dataclass
class Corpus:
    """Examples plus, where a selector needs them, their L2-normalised embeddings (n × d float32)."""

    examples: list[Example]
    embeddings: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def languages(self) -> np.ndarray:
        return np.array([e.language or "und" for e in self.examples], dtype=object)

    @property
    def texts(self) -> list[str]:
        return [e.text for e in self.examples]


@dataclass
class Selection:
    """Auxiliary examples chosen from the pool: one entry per pick (an example picked twice appears twice)."""

    pool_indices: np.ndarray
    clusters: np.ndarray
    scores: np.ndarray
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def times_selected(self) -> dict[int, int]:
        unique, counts = np.unique(self.pool_indices, return_counts=True)
        return dict(zip(unique.tolist(), counts.tolist()))

    def __len__(self) -> int:
        return len(self.pool_indices)


class Selector:
    """Base class: ``fit(target, usage, pool)`` learns what to take, ``select()`` takes it.

    Subclasses store parameters in ``__init__`` only, validate and work in ``fit`` (setting trailing-underscore
    attributes) and start ``select`` with :meth:`_check_fitted`.
    """

    name: str = ""
    needs_embeddings: bool = False
    job_params: dict[str, str] = {}
    """Constructor argument → the job setting it takes (``budget``, ``seed``, ``target``, ...)."""

    @classmethod
    def from_job(cls, settings: Mapping[str, Any]) -> Selector:
        return from_job_params(cls, settings)

    def fit(self, target: Corpus, usage: Corpus, pool: Corpus) -> Selector:
        raise NotImplementedError(f"{type(self).__name__} must implement fit()")

    def select(self) -> Selection:
        raise NotImplementedError(f"{type(self).__name__} must implement select()")

    def fit_select(self, target: Corpus, usage: Corpus, pool: Corpus) -> Selection:
        return self.fit(target, usage, pool).select()

    def _check_fitted(self) -> None:
        if not getattr(self, "fitted_", False):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit() first")

    @staticmethod
    def _check_corpora(target: Corpus, usage: Corpus, pool: Corpus, needs_embeddings: bool) -> None:
        if len(target) == 0:
            raise ValueError("the target training set is empty")
        if needs_embeddings:
            for name, corpus in (("target", target), ("usage", usage), ("pool", pool)):
                if corpus.embeddings is None or len(corpus.embeddings) != len(corpus):
                    raise ValueError(f"the {name} corpus needs one embedding per example")


def budget_size(budget: float, n_target: int) -> int:
    """``round(B · |D_t|)`` auxiliary examples."""
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    return int(round(budget * n_target))


_registry: Registry[Selector] = Registry("selection method")
SELECTORS = _registry.classes
register_selector = _registry.register  # class decorator: available by name (CLI ``--method``)
get_selector = _registry.get
selector_from_job = _registry.from_job
