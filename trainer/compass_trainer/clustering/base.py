from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from ..registry import Registry


class Clusterer:
    """Base class. ``fit(X)`` → self with ``labels_`` (n,), ``centroids_`` (K × d, in the input space, L2-normalised
    for cosine use); ``predict(X)`` → labels, -1 for noise where the method has noise."""

    name: str = ""

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


def validate_matrix(X: np.ndarray, min_rows: int = 2) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"expected a 2-D embedding matrix, got shape {X.shape}")
    if len(X) < min_rows:
        raise ValueError(f"need at least {min_rows} points to cluster, got {len(X)}")
    if not np.isfinite(X).all():
        raise ValueError("embeddings contain NaN or Inf")
    return X


def member_centroids(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Mean of each cluster's members, L2-normalised (cosine geometry)."""
    centroids = np.zeros((k, X.shape[1]), dtype=np.float32)
    for j in range(k):
        members = X[labels == j]
        if len(members):
            centroids[j] = members.mean(axis=0)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    return centroids / np.where(norms > 0, norms, 1.0)


def nearest_centroid(X: np.ndarray, centroids: np.ndarray, block: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """Index of and cosine similarity to the most similar centroid, in blocks of rows."""
    labels = np.empty(len(X), dtype=np.int64)
    best = np.empty(len(X), dtype=np.float32)
    for start in range(0, len(X), block):
        sims = X[start : start + block] @ centroids.T
        labels[start : start + block] = sims.argmax(axis=1)
        best[start : start + block] = sims.max(axis=1)
    return labels, best


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
