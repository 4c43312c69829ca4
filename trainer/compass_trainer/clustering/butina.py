from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from .base import Clusterer, member_centroids, nearest_centroid, register_clusterer, validate_matrix


@register_clusterer("butina")
class TaylorButinaClusterer(Clusterer):
    """Taylor-Butina sphere exclusion on a sparse radius graph (no dense n×n matrix; RDKit's is dense).

    Points are taken in decreasing order of neighbour count; each unassigned point becomes a centre and claims its
    unassigned neighbours (cosine similarity ≥ ``threshold`` **[choice: 0.8]**). Clusters smaller than
    ``min_cluster_size`` are noise (-1). New points join the most similar centroid if within the threshold, else noise.
    """

    def __init__(self, threshold: float = 0.8, min_cluster_size: int = 2):
        self.threshold = threshold
        self.min_cluster_size = min_cluster_size

    def fit(self, X: np.ndarray) -> TaylorButinaClusterer:
        X = validate_matrix(X)
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        Xn = X / np.where(norms > 0, norms, 1.0)
        graph = NearestNeighbors(radius=1.0 - self.threshold, metric="cosine").fit(Xn).radius_neighbors_graph(Xn, mode="connectivity")
        graph = graph.tocsr()
        order = np.argsort(-np.diff(graph.indptr), kind="stable")
        labels = np.full(len(X), -1, dtype=np.int64)
        clusters: list[np.ndarray] = []
        for centre in order:
            if labels[centre] >= 0:
                continue
            neighbours = graph.indices[graph.indptr[centre] : graph.indptr[centre + 1]]
            members = np.union1d(neighbours[labels[neighbours] < 0], [centre])
            labels[members] = len(clusters)
            clusters.append(members)
        final = np.full(len(X), -1, dtype=np.int64)
        k = 0
        for members in clusters:
            if len(members) >= self.min_cluster_size:
                final[members] = k
                k += 1
        if k == 0:
            raise ValueError(f"no cluster of at least {self.min_cluster_size} points at similarity {self.threshold}")
        self.labels_ = final
        self.centroids_ = member_centroids(Xn, final, k)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        self._check_fitted()
        X = validate_matrix(X, min_rows=1)
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        labels, sims = nearest_centroid(X / np.where(norms > 0, norms, 1.0), self.centroids_)
        labels[sims < self.threshold] = -1
        return labels
