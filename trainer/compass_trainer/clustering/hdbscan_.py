from __future__ import annotations

import numpy as np

from ..geometry import member_centroids
from .base import Clusterer, fit_projection, partition_score, register_clusterer, validate_matrix


@register_clusterer("hdbscan")
class HDBSCANClusterer(Clusterer):
    """HDBSCAN (the ``hdbscan`` package: the only one with ``approximate_predict`` and DBCV) over the paper's grid,
    both of its cluster-selection rules, and a score that lets the data choose.

    Args:
        min_cluster_sizes, min_samples: the grid (paper appendix E).
        selection_methods: HDBSCAN's cluster selection, "eom" (excess of mass, its default) and "leaf" **[choice:
            both]**: on topics that group into a few broad themes EOM returns the themes, leaf the topics.
        score: "partition" **[choice, default]**: silhouette (cosine, in the clustering space) of the whole partition,
            each noise point joined to its nearest cluster, × (1 − noise fraction), since noise is never selected;
            candidates with fewer than ``min_clusters`` clusters lose to any with more. "dbcv": the paper's DBCV × (1 − noise), which
            on ten topics in two themes chose 2 clusters and put no more of the budget on thin topics than random.
        min_clusters: see ``score`` **[choice: 10, the smallest K of the paper's k-means grid]**.
        pca_dims: project to this many dimensions first **[choice: 64]**; HDBSCAN degrades above ~50 dims.
        score_sample: silhouette and DBCV (O(n²)) are scored on at most this many points.
        random_state: seed for the PCA and the scoring subsample.
    """

    job_params = {"random_state": "seed"}

    def __init__(
        self,
        min_cluster_sizes: tuple[int, ...] = (5, 10, 15, 20),
        min_samples: tuple[int, ...] = (1, 5, 10),
        selection_methods: tuple[str, ...] = ("eom", "leaf"),
        score: str = "partition",
        min_clusters: int = 10,
        pca_dims: int | None = 64,
        score_sample: int = 2000,
        random_state: int | None = 0,
    ):
        self.min_cluster_sizes = min_cluster_sizes
        self.min_samples = min_samples
        self.selection_methods = selection_methods
        self.score = score
        self.min_clusters = min_clusters
        self.pca_dims = pca_dims
        self.score_sample = score_sample
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> HDBSCANClusterer:
        import hdbscan

        if self.score not in ("partition", "dbcv"):
            raise ValueError(f"score must be 'partition' or 'dbcv', got {self.score!r}")
        X = np.asarray(validate_matrix(X, min_rows=3), dtype=np.float32)
        self.projection_ = fit_projection(X, self.pca_dims, self.random_state)
        Z = self._project(X).astype(np.float64)
        rng = np.random.default_rng(self.random_state)
        rows = rng.choice(len(Z), min(len(Z), self.score_sample), replace=False)
        self.scores_ = {}
        best = None
        for method in self.selection_methods:
            for mcs in self.min_cluster_sizes:
                for ms in self.min_samples:
                    if mcs >= len(Z):
                        continue
                    model = hdbscan.HDBSCAN(min_cluster_size=mcs, min_samples=ms, cluster_selection_method=method, prediction_data=True).fit(Z)
                    labels = model.labels_
                    k = int(labels.max()) + 1
                    if k < 2:  # fewer than two clusters: no score is defined
                        continue
                    noise = float((labels < 0).mean())
                    score = self._score(Z, labels, rows, noise)
                    if score is None:
                        continue
                    self.scores_[f"{method}/{mcs}/{ms}"] = {"clusters": k, "noise": noise, "score": score}
                    # Lexicographic: enough clusters first (partition score only), then the score.
                    key = (self.score == "dbcv" or k >= self.min_clusters, score)
                    if best is None or key > best[0]:
                        best = (key, method, mcs, ms, model)
        if best is None:
            raise ValueError("HDBSCAN found fewer than two clusters for every setting of the grid; try k-means")
        _, self.selection_method_, self.min_cluster_size_, self.min_samples_, self.model_ = best
        self.labels_ = self.model_.labels_.astype(np.int64)
        self.centroids_ = member_centroids(X, self.labels_, int(self.labels_.max()) + 1)
        return self

    def _score(self, Z: np.ndarray, labels: np.ndarray, rows: np.ndarray, noise: float) -> float | None:
        sub = labels[rows]
        if self.score == "dbcv":
            from hdbscan.validity import validity_index

            keep = sub >= 0
            if len(np.unique(sub[keep])) < 2:
                return None
            try:
                return float(validity_index(Z[rows][keep], sub[keep])) * (1.0 - noise)
            except ValueError:
                return None
        return partition_score(Z, labels, rows)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Where new points would fall in the condensed tree (``approximate_predict``); noise stays -1."""
        import hdbscan

        self._check_fitted()
        Z = self._project(np.asarray(validate_matrix(X, min_rows=1), dtype=np.float32)).astype(np.float64)
        labels, _ = hdbscan.approximate_predict(self.model_, Z)
        return np.asarray(labels, dtype=np.int64)

    def _project(self, X: np.ndarray) -> np.ndarray:
        return self.projection_.transform(X) if self.projection_ is not None else X

    def _chosen(self) -> dict:
        return {
            "selection_method_": getattr(self, "selection_method_", None),
            "min_cluster_size_": getattr(self, "min_cluster_size_", None),
            "min_samples_": getattr(self, "min_samples_", None),
            "n_clusters_": int(self.labels_.max()) + 1 if hasattr(self, "labels_") else 0,
        }
