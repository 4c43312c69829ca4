from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ..geometry import member_centroids, nearest_centroid, normalise
from .base import Clusterer, partition_score, register_clusterer, validate_matrix


@register_clusterer("butina")
class TaylorButinaClusterer(Clusterer):
    """Taylor-Butina sphere exclusion on a sparse radius graph (no dense n×n matrix; RDKit's is dense).

    Points are taken in decreasing order of neighbour count; each unassigned point becomes a centre and claims its
    unassigned neighbours (cosine similarity ≥ the cut-off). Clusters smaller than ``min_cluster_size`` are noise
    (-1). New points join the most similar centroid if within the cut-off, else noise.

    Args:
        threshold: the cosine cut-off; None chooses it from the data **[choice]**: candidates are the median over
            points of the similarity to their k-th nearest neighbour, k in ``neighbours``; the one whose partition
            scores best (silhouette of the partition with noise joined to its nearest cluster, × (1 − noise), the
            HDBSCAN score) wins, candidates with fewer than ``min_clusters`` clusters losing to any with more. A fixed
            cut-off (the cheminformatics 0.8) means nothing across embedding spaces: in sketch space no two questions
            are that similar; a single small k fragments every topic into spheres of a few points.
        neighbours: see ``threshold``; None: 5, 10, 20, … doubling while below a quarter of the points **[choice]**.
        min_cluster_size: smaller clusters are noise.
        min_clusters: see ``threshold`` **[choice: 10]**.
        score_sample: the silhouette is scored on at most this many points.
        max_points: the radius graph is quadratic in time; larger inputs are refused.
    """

    def __init__(
        self,
        threshold: float | None = None,
        neighbours: tuple[int, ...] | None = None,
        min_cluster_size: int = 2,
        min_clusters: int = 10,
        score_sample: int = 2000,
        max_points: int = 50_000,
    ):
        self.threshold = threshold
        self.neighbours = neighbours
        self.min_cluster_size = min_cluster_size
        self.min_clusters = min_clusters
        self.score_sample = score_sample
        self.max_points = max_points

    def fit(self, X: np.ndarray) -> TaylorButinaClusterer:
        rows = validate_matrix(X)
        if len(rows) > self.max_points:
            raise ValueError(f"Taylor-Butina needs O(n²) time; {len(rows)} points exceed max_points={self.max_points}: use k-means")
        Xn = normalise(np.asarray(rows))
        if self.threshold is not None:
            candidates = [float(self.threshold)]
        else:
            ks = self.neighbours or tuple(5 * 2**i for i in range(20) if 5 * 2**i < max(len(Xn) // 4, 6))
            candidates = sorted({round(s, 6) for s in _neighbour_similarities(Xn, ks)}, reverse=True)
        sample = np.random.default_rng(0).choice(len(Xn), min(len(Xn), self.score_sample), replace=False)
        self.scores_ = {}
        best = None
        for threshold in candidates:
            labels = self._sphere_exclusion(Xn, threshold)
            k = int(labels.max()) + 1
            if k == 0:
                continue
            score = partition_score(Xn, labels, sample) if len(candidates) > 1 else 0.0
            if score is None:
                continue
            self.scores_[f"{threshold:.4f}"] = {"clusters": k, "noise": float((labels < 0).mean()), "score": score}
            key = (k >= self.min_clusters, score)
            if best is None or key > best[0]:
                best = (key, threshold, labels)
        if best is None:
            raise ValueError(f"no cluster of at least {self.min_cluster_size} points at similarity {', '.join(f'{c:.3f}' for c in candidates)}")
        _, self.threshold_, self.labels_ = best
        self.centroids_ = member_centroids(Xn, self.labels_, int(self.labels_.max()) + 1)
        return self

    def _sphere_exclusion(self, Xn: np.ndarray, threshold: float) -> np.ndarray:
        graph = NearestNeighbors(radius=1.0 - threshold, metric="cosine").fit(Xn).radius_neighbors_graph(Xn, mode="connectivity").tocsr()
        order = np.argsort(-np.diff(graph.indptr), kind="stable")
        labels = np.full(len(Xn), -1, dtype=np.int64)
        clusters: list[np.ndarray] = []
        for centre in order:
            if labels[centre] >= 0:
                continue
            neighbours = graph.indices[graph.indptr[centre] : graph.indptr[centre + 1]]
            members = np.union1d(neighbours[labels[neighbours] < 0], [centre])
            labels[members] = len(clusters)
            clusters.append(members)
        final = np.full(len(Xn), -1, dtype=np.int64)
        k = 0
        for members in clusters:
            if len(members) >= self.min_cluster_size:
                final[members] = k
                k += 1
        # Each clustered point then joins its most similar centre: the claim order leaves points in the first sphere
        # that reached them, however close a later centre is, and predict() assigns new points this way too.
        if k > 1:
            clustered = final >= 0
            final[clustered] = nearest_centroid(Xn[clustered], member_centroids(Xn, final, k))[0]
        return final

    def predict(self, X: np.ndarray) -> np.ndarray:
        self._check_fitted()
        labels, sims = nearest_centroid(validate_matrix(X, min_rows=1), self.centroids_)
        labels[sims < self.threshold_] = -1
        return labels

    def _chosen(self) -> dict:
        return {"threshold_": getattr(self, "threshold_", None), "n_clusters_": int(self.labels_.max()) + 1 if hasattr(self, "labels_") else 0}


def _neighbour_similarities(Xn: np.ndarray, ks: tuple[int, ...], sample: int = 2_000, seed: int = 0) -> list[float]:
    """For each k: the median over (at most ``sample``) points of the cosine similarity to their k-th nearest other point."""
    rng = np.random.default_rng(seed)
    probe = Xn if len(Xn) <= sample else Xn[rng.choice(len(Xn), sample, replace=False)]
    sims = -np.sort(-(probe @ Xn.T), axis=1)
    # Column 0 is the point itself (similarity 1), so the k-th other point is column k.
    return [float(np.median(sims[:, min(k, len(Xn) - 1)])) for k in ks]
