from __future__ import annotations

import numpy as np

from .base import Clusterer, fit_projection, member_centroids, register_clusterer, validate_matrix


@register_clusterer("hdbscan")
class HDBSCANClusterer(Clusterer):
    """HDBSCAN (the ``hdbscan`` package: the only one with ``approximate_predict`` and DBCV) over the paper's grid,
    picked by noise-penalised DBCV.

    Args:
        min_cluster_sizes, min_samples: the grid (paper appendix E).
        pca_dims: project to this many dimensions first **[choice: 64]**; HDBSCAN degrades above ~50 dims.
        dbcv_sample: DBCV (O(n²) per cluster) is scored on at most this many points.
        noise_penalty: score = DBCV × (1 − noise fraction) **[choice]**.
        random_state: seed for the PCA and the DBCV subsample.
    """

    def __init__(self, min_cluster_sizes: tuple[int, ...] = (5, 10, 15, 20), min_samples: tuple[int, ...] = (1, 5, 10),
                 pca_dims: int | None = 64, dbcv_sample: int = 2000, noise_penalty: bool = True, random_state: int | None = 0):  # fmt: skip
        self.min_cluster_sizes = min_cluster_sizes
        self.min_samples = min_samples
        self.pca_dims = pca_dims
        self.dbcv_sample = dbcv_sample
        self.noise_penalty = noise_penalty
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> HDBSCANClusterer:
        import hdbscan
        from hdbscan.validity import validity_index

        X = validate_matrix(X, min_rows=3)
        self.projection_ = fit_projection(X, self.pca_dims, self.random_state)
        Z = self._project(X).astype(np.float64)
        rng = np.random.default_rng(self.random_state)
        rows = rng.choice(len(Z), min(len(Z), self.dbcv_sample), replace=False)
        self.scores_ = {}
        best = None
        for mcs in self.min_cluster_sizes:
            for ms in self.min_samples:
                if mcs >= len(Z):
                    continue
                model = hdbscan.HDBSCAN(min_cluster_size=mcs, min_samples=ms, prediction_data=True).fit(Z)
                labels = model.labels_
                if labels.max() < 1:  # fewer than two clusters: DBCV is undefined
                    continue
                sub = labels[rows]
                keep = sub >= 0
                if len(np.unique(sub[keep])) < 2:
                    continue
                try:
                    dbcv = float(validity_index(Z[rows][keep], sub[keep]))
                except ValueError:
                    continue
                noise = float((labels < 0).mean())
                score = dbcv * (1.0 - noise) if self.noise_penalty else dbcv
                self.scores_[(mcs, ms)] = {"dbcv": dbcv, "noise": noise, "score": score}
                if best is None or score > best[0]:
                    best = (score, mcs, ms, model)
        if best is None:
            raise ValueError("HDBSCAN found fewer than two clusters for every setting of the grid; try k-means")
        _, self.min_cluster_size_, self.min_samples_, self.model_ = best
        self.labels_ = self.model_.labels_.astype(np.int64)
        self.centroids_ = member_centroids(X, self.labels_, int(self.labels_.max()) + 1)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Where new points would fall in the condensed tree (``approximate_predict``); noise stays -1."""
        import hdbscan

        self._check_fitted()
        labels, _ = hdbscan.approximate_predict(self.model_, self._project(validate_matrix(X, min_rows=1)).astype(np.float64))
        return np.asarray(labels, dtype=np.int64)

    def _project(self, X: np.ndarray) -> np.ndarray:
        return self.projection_.transform(X) if self.projection_ is not None else X

    def _chosen(self) -> dict:
        return {"min_cluster_size_": getattr(self, "min_cluster_size_", None), "min_samples_": getattr(self, "min_samples_", None),
                "n_clusters_": int(self.labels_.max()) + 1 if hasattr(self, "labels_") else 0}  # fmt: skip
