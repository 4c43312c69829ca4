from __future__ import annotations

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import silhouette_score

from ..geometry import member_centroids, nearest_centroid
from .base import Clusterer, register_clusterer, validate_matrix


@register_clusterer("ward")
class WardClusterer(Clusterer):
    """Agglomerative clustering with Ward linkage, cut at the K of ``k_grid`` that maximises silhouette; centres are
    member means; new points go to the nearest centre. Quadratic memory: refused above ``max_points``."""

    def __init__(self, k_grid: range | tuple[int, ...] = range(10, 125, 5), max_points: int = 20_000):
        self.k_grid = k_grid
        self.max_points = max_points

    def fit(self, X: np.ndarray) -> WardClusterer:
        rows = validate_matrix(X, min_rows=3)
        if len(rows) > self.max_points:
            raise ValueError(f"Ward clustering needs O(n²) memory; {len(rows)} points exceed max_points={self.max_points}: use k-means")
        X = np.asarray(rows, dtype=np.float32)
        grid = [k for k in self.k_grid if 2 <= k < len(X)] or [2]
        tree = AgglomerativeClustering(linkage="ward", compute_full_tree=True, n_clusters=grid[0]).fit(X)
        self.silhouettes_ = {}
        best_labels, best_k = tree.labels_, grid[0]
        for k in grid:
            labels = AgglomerativeClustering(linkage="ward", n_clusters=k).fit(X).labels_ if k != grid[0] else tree.labels_
            score = float(silhouette_score(X, labels))
            self.silhouettes_[k] = score
            if score >= max(self.silhouettes_.values()):
                best_labels, best_k = labels, k
        self.labels_ = best_labels.astype(np.int64)
        self.n_clusters_ = best_k
        self.centroids_ = member_centroids(X, self.labels_, best_k)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return nearest_centroid(validate_matrix(X, min_rows=1), self.centroids_)[0]

    def _chosen(self) -> dict:
        return {"n_clusters_": int(getattr(self, "n_clusters_", 0))}
