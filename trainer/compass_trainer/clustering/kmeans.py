from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_score

from ..geometry import Rows, member_centroids, nearest_centroid, normalise
from .base import Clusterer, fit_projection, register_clusterer, validate_matrix

MAX_POINTS_PER_CENTROID = 256
"""faiss trains on at most 256 points per centroid (its own default); the remaining rows are only assigned."""


@register_clusterer("kmeans")
class KMeansClusterer(Clusterer):
    """k-means with K picked by silhouette (paper appendix E: K = 10..120 step 5, k-means++, 10 seeds).

    One path at every size **[choice]**: faiss k-means (random restarts), K searched on a sample of at most ``search_sample`` rows with
    ``search_n_init`` restarts per K, silhouette scored on at most ``silhouette_sample`` of them; only the chosen K
    gets the full ``n_init`` restarts, on all rows. ``exhaustive=True`` restores the paper's settings: scikit-learn's
    k-means++, every K fitted on all rows with ``n_init`` restarts (slow above a few thousand rows).

    Args:
        n_clusters: a fixed K; None searches ``k_grid``.
        k_grid: candidate K values (those ≥ the number of points are skipped).
        metric: "cosine" (k-means on L2-normalised rows, i.e. spherical) or "euclidean".
        n_init: restarts of the final fit.
        search_n_init: restarts per K during the search **[choice: 2]**.
        search_sample: K is searched on at most this many rows **[choice: 10,000]**.
        silhouette_sample: silhouette is scored on at most this many rows **[choice: 5,000]** (O(n²)).
        exhaustive: the paper's search (all rows, ``n_init`` restarts per K).
        pca_dims: cluster on a PCA projection to this many dimensions **[choice]**, as METHOD prescribes for density
            clustering at scale; centroids stay in the input space (normalised member means).
        random_state: seed.
    """

    job_params = {"n_clusters": "n_clusters", "exhaustive": "exhaustive_search", "random_state": "seed"}

    def __init__(
        self,
        n_clusters: int | None = None,
        k_grid: range | tuple[int, ...] = range(10, 125, 5),
        metric: str = "cosine",
        n_init: int = 10,
        search_n_init: int = 2,
        search_sample: int = 10_000,
        silhouette_sample: int = 5_000,
        exhaustive: bool = False,
        pca_dims: int | None = None,
        random_state: int | None = 0,
    ):
        self.n_clusters = n_clusters
        self.k_grid = k_grid
        self.metric = metric
        self.n_init = n_init
        self.search_n_init = search_n_init
        self.search_sample = search_sample
        self.silhouette_sample = silhouette_sample
        self.exhaustive = exhaustive
        self.pca_dims = pca_dims
        self.random_state = random_state

    def fit(self, X: np.ndarray | Rows) -> KMeansClusterer:
        """Cluster the rows of ``X`` (a matrix or :class:`~compass_trainer.geometry.Rows`). Rows are normalised and
        projected one block at a time: beyond the input, memory holds samples, labels and centroids only."""
        rows = validate_matrix(X)
        if self.metric not in ("cosine", "euclidean"):
            raise ValueError(f"metric must be 'cosine' or 'euclidean', got {self.metric!r}")
        n = len(rows)
        rng = np.random.default_rng(self.random_state)
        self.projection_ = None
        if self.pca_dims and self.pca_dims < rows.shape[1]:
            fit_rows = rng.choice(n, min(n, 50_000), replace=False) if n > 50_000 else np.arange(n)
            self.projection_ = fit_projection(self._space(rows.take(np.sort(fit_rows)), project=False), self.pca_dims, self.random_state)
        self.silhouettes_ = {}
        if self.n_clusters is not None:
            k = min(self.n_clusters, n)
        else:
            size = n if self.exhaustive else min(n, self.search_sample)
            search = self._space(rows.take(np.sort(rng.choice(n, size, replace=False))) if size < n else np.asarray(rows))
            grid = [k for k in self.k_grid if 2 <= k < len(search)] or [min(2, len(search) - 1)]
            sil_rows = rng.choice(len(search), min(len(search), self.silhouette_sample), replace=False)
            restarts = self.n_init if self.exhaustive else self.search_n_init
            # The silhouette sample's distances are the same for every K: computed once (at 5,000 rows, 95 MiB).
            distances = pairwise_distances(search[sil_rows], metric=self.metric).astype(np.float32)
            np.fill_diagonal(distances, 0.0)
            for k in grid:
                labels = self._fit_centers(search, k, restarts)[1]
                if len(np.unique(labels[sil_rows])) < 2:
                    continue
                self.silhouettes_[k] = float(silhouette_score(distances, labels[sil_rows], metric="precomputed"))
            k = max(self.silhouettes_, key=self.silhouettes_.get) if self.silhouettes_ else grid[0]
        # The final fit: trained on up to 256 rows per centroid (faiss's own bound), then every row assigned block by block.
        train_size = n if self.exhaustive else min(n, MAX_POINTS_PER_CENTROID * k)
        train = self._space(rows.take(np.sort(rng.choice(n, train_size, replace=False))) if train_size < n else np.asarray(rows))
        self.cluster_centers_, _ = self._fit_centers(train, k, self.n_init)
        self.labels_ = self._assign(rows)
        self.n_clusters_ = k
        self.centroids_ = member_centroids(rows, self.labels_, k)
        return self

    def predict(self, X: np.ndarray | Rows) -> np.ndarray:
        self._check_fitted()
        return self._assign(validate_matrix(X, min_rows=1))

    def partial_update(self, X_new: np.ndarray, eta: float = 0.1) -> np.ndarray:
        """Incremental centroids (METHOD §5): ``μ_k ← (1−η)μ_k + η·mean(X_k^new)`` for clusters that received points.
        Returns the new points' labels."""
        labels = self.predict(X_new)
        X_new = np.asarray(validate_matrix(X_new, min_rows=1))
        Z, original = self._space(X_new), normalise(X_new)
        for j in np.unique(labels):
            members = labels == j
            self.cluster_centers_[j] = (1 - eta) * self.cluster_centers_[j] + eta * Z[members].mean(axis=0)
            self.centroids_[j] = normalise(((1 - eta) * self.centroids_[j] + eta * original[members].mean(axis=0))[None])[0]
        return labels

    def _assign(self, rows: Rows) -> np.ndarray:
        """Labels of all rows under the fitted centres, one block at a time."""
        labels = np.empty(len(rows), dtype=np.int64)
        centers = normalise(self.cluster_centers_) if self.metric == "cosine" else self.cluster_centers_
        for start, block in rows.blocks():
            Z = self._space(block)
            if self.metric == "cosine":
                labels[start : start + len(Z)] = nearest_centroid(Z, centers)[0]
            else:
                d = (Z**2).sum(1)[:, None] - 2 * Z @ centers.T + (centers**2).sum(1)[None, :]
                labels[start : start + len(Z)] = d.argmin(axis=1)
        return labels

    def _space(self, X: np.ndarray, project: bool = True) -> np.ndarray:
        """Rows in the space k-means runs in: normalised for the cosine metric, then projected when pca_dims is set."""
        Z = normalise(X) if self.metric == "cosine" else np.asarray(X, dtype=np.float32)
        if not project or getattr(self, "projection_", None) is None:
            return Z
        Z = self.projection_.transform(Z).astype(np.float32)
        return normalise(Z) if self.metric == "cosine" else Z

    def _fit_centers(self, X: np.ndarray, k: int, restarts: int) -> tuple[np.ndarray, np.ndarray]:
        if self.exhaustive:
            km = KMeans(n_clusters=k, init="k-means++", n_init=restarts, random_state=self.random_state).fit(X)
            return km.cluster_centers_.astype(np.float32), km.labels_.astype(np.int64)
        import faiss

        # min_points_per_centroid=1: small inputs are fine (faiss would only warn); one OpenMP thread, because at
        # these sizes (≤ 256·K training rows) threads cost more than they give, and on a busy machine their
        # spin-waiting made a 1,100-row search 14× slower (12.5 s against 0.9 s).
        km = faiss.Kmeans(
            X.shape[1],
            k,
            niter=20,
            nredo=restarts,
            spherical=self.metric == "cosine",
            seed=int(self.random_state or 0),
            max_points_per_centroid=MAX_POINTS_PER_CENTROID,
            min_points_per_centroid=1,
            verbose=False,
        )
        X = np.ascontiguousarray(X, dtype=np.float32)
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            km.train(X)
            labels = km.index.search(X, 1)[1][:, 0].astype(np.int64)
        finally:
            faiss.omp_set_num_threads(threads)
        return km.centroids.astype(np.float32), labels

    def _chosen(self) -> dict:
        return {"n_clusters_": int(getattr(self, "n_clusters_", 0)), "silhouettes_": getattr(self, "silhouettes_", {})}
