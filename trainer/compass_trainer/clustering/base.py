from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from ..geometry import Rows, as_rows, check_finite
from ..registry import Registry, from_job_params


class Clusterer:
    """Base class. ``fit(X)`` → self with ``labels_`` (n,), ``centroids_`` (K × d, in the input space, L2-normalised
    for cosine use); ``predict(X)`` → labels, -1 for noise where the method has noise."""

    name: str = ""
    job_params: dict[str, str] = {}
    """Constructor argument → the job setting it takes (``seed``, ``n_clusters``, ...)."""

    @classmethod
    def from_job(cls, settings: Mapping[str, Any]) -> Clusterer:
        return from_job_params(cls, settings)

    def fit(self, X: np.ndarray) -> Clusterer:
        raise NotImplementedError(f"{type(self).__name__} must implement fit()")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement predict()")

    def describe(self) -> dict[str, Any]:
        """Parameters and what fit chose, for reports."""
        params = {k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")}
        return {"method": self.name, **{k: (list(v) if isinstance(v, tuple | range) else v) for k, v in params.items()}, **self._chosen()}

    def _chosen(self) -> dict[str, Any]:
        return {}

    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit() first")


def validate_matrix(X: np.ndarray | Rows, min_rows: int = 2) -> Rows:
    """The rows to cluster as :class:`~compass_trainer.geometry.Rows` (no copy), checked: 2-D, enough rows, finite.
    Methods that need one matrix take ``np.asarray(rows, dtype=np.float32)``."""
    if not isinstance(X, Rows):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"expected a 2-D embedding matrix, got shape {X.shape}")
    if len(X) < min_rows:
        raise ValueError(f"need at least {min_rows} points to cluster, got {len(X)}")
    rows = as_rows(X)
    check_finite(rows)
    return rows


def partition_score(Z: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> float | None:
    """Silhouette (cosine) on the sampled ``rows`` of the whole partition, each noise point joined to its nearest
    cluster, × (1 − noise fraction): noise is never selected, so a method should not win by declaring it.
    None when fewer than two clusters are left."""
    from sklearn.metrics import silhouette_score

    from ..geometry import member_centroids, nearest_centroid

    if labels.max() < 1:
        return None
    sub = labels[rows].copy()
    if (sub < 0).any():
        centroids = member_centroids(Z, labels, int(labels.max()) + 1)
        sub[sub < 0] = nearest_centroid(Z[rows][sub < 0], centroids)[0]
    if len(np.unique(sub)) < 2:
        return None
    return float(silhouette_score(Z[rows], sub, metric="cosine")) * (1.0 - float((labels < 0).mean()))


def fit_projection(X: np.ndarray, dims: int | None, random_state: int | None, sample: int = 50_000) -> PCA | None:
    """PCA to ``dims`` dimensions (fitted on at most ``sample`` rows), or None when no projection is wanted/needed."""
    if not dims or dims >= X.shape[1]:
        return None
    rng = np.random.default_rng(random_state)
    rows = X if len(X) <= sample else X[rng.choice(len(X), sample, replace=False)]
    return PCA(n_components=min(dims, len(rows)), svd_solver="randomized", random_state=random_state).fit(rows)


_registry: Registry[Clusterer] = Registry("clustering method")
CLUSTERERS = _registry.classes
register_clusterer = _registry.register
get_clusterer = _registry.get
clusterer_from_job = _registry.from_job
