from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from .base import Clusterer, fit_projection, member_centroids, nearest_centroid, register_clusterer, validate_matrix


@register_clusterer("kmeans")
class KMeansClusterer(Clusterer):
    """k-means with K picked by silhouette (paper appendix E: K = 10..120 step 5, k-means++, 10 seeds).

    Args:
        n_clusters: a fixed K; None searches ``k_grid``.
        k_grid: candidate K values (those ≥ the number of points are skipped).
        metric: "cosine" (k-means on L2-normalised rows, i.e. spherical) or "euclidean".
        n_init: seeds per fit (k-means++ in scikit-learn; random restarts in faiss).
        silhouette_sample: silhouette is scored on at most this many points **[choice]** (O(n²) otherwise).
        search_sample: K is searched on at most this many points; the chosen K is then fitted on all **[choice]**.
        backend: "sklearn", "faiss", or "auto" (faiss above 50,000 points).
        pca_dims: cluster on a PCA projection to this many dimensions **[choice]**, as METHOD prescribes for density
            clustering at scale; centroids stay in the input space (normalised member means).
        random_state: seed.
    """

    def __init__(self, n_clusters: int | None = None, k_grid: range | tuple[int, ...] = range(10, 125, 5), metric: str = "cosine",
                 n_init: int = 10, silhouette_sample: int = 20_000, search_sample: int = 50_000, backend: str = "auto",
                 pca_dims: int | None = None, random_state: int | None = 0):  # fmt: skip
        self.n_clusters = n_clusters
        self.k_grid = k_grid
        self.metric = metric
        self.n_init = n_init
        self.silhouette_sample = silhouette_sample
        self.search_sample = search_sample
        self.backend = backend
        self.pca_dims = pca_dims
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> KMeansClusterer:
        X = validate_matrix(X)
        if self.metric not in ("cosine", "euclidean"):
            raise ValueError(f"metric must be 'cosine' or 'euclidean', got {self.metric!r}")
        # One normalised copy serves the projection, the clustering and the centroids: at 1M × 1024 each copy is 4 GiB.
        rows = _normalise(X) if self.metric == "cosine" else X
        self.projection_ = fit_projection(rows, self.pca_dims, self.random_state)
        X = self._project(rows)
        rng = np.random.default_rng(self.random_state)
        backend = self.backend if self.backend != "auto" else ("faiss" if len(X) > 50_000 else "sklearn")
        if self.n_clusters is not None:
            k = min(self.n_clusters, len(X))
            self.silhouettes_ = {}
        else:
            search = X if len(X) <= self.search_sample else X[rng.choice(len(X), self.search_sample, replace=False)]
            grid = [k for k in self.k_grid if 2 <= k < len(search)] or [min(2, len(search) - 1)]
            sil_rows = rng.choice(len(search), min(len(search), self.silhouette_sample), replace=False)
            self.silhouettes_ = {}
            for k in grid:
                labels = self._fit_centers(search, k, backend)[1]
                if len(np.unique(labels[sil_rows])) < 2:
                    continue
                self.silhouettes_[k] = float(silhouette_score(search[sil_rows], labels[sil_rows], metric=self.metric))
            k = max(self.silhouettes_, key=self.silhouettes_.get) if self.silhouettes_ else grid[0]
        self.cluster_centers_, self.labels_ = self._fit_centers(X, k, backend)
        self.n_clusters_ = k
        # Without projection, centres of k-means on normalised rows are member means: normalised, the cosine centroids.
        self.centroids_ = _normalise(self.cluster_centers_) if self.projection_ is None else member_centroids(rows, self.labels_, k)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        self._check_fitted()
        X = self._prepare(validate_matrix(X, min_rows=1))
        if self.metric == "cosine":
            return nearest_centroid(X, _normalise(self.cluster_centers_))[0]
        d = ((X[:, None, :] - self.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
        return d.argmin(axis=1)

    def partial_update(self, X_new: np.ndarray, eta: float = 0.1) -> np.ndarray:
        """Incremental centroids (METHOD §5): ``μ_k ← (1−η)μ_k + η·mean(X_k^new)`` for clusters that received points.
        Returns the new points' labels."""
        labels = self.predict(X_new)
        X_new = validate_matrix(X_new, min_rows=1)
        Z, original = self._prepare(X_new), _normalise(X_new)
        for j in np.unique(labels):
            members = labels == j
            self.cluster_centers_[j] = (1 - eta) * self.cluster_centers_[j] + eta * Z[members].mean(axis=0)
            self.centroids_[j] = _normalise(((1 - eta) * self.centroids_[j] + eta * original[members].mean(axis=0))[None])[0]
        return labels

    def _prepare(self, X: np.ndarray) -> np.ndarray:
        """Rows in the space k-means runs in: normalised for the cosine metric, then projected when pca_dims is set."""
        return self._project(_normalise(X) if self.metric == "cosine" else X)

    def _project(self, rows: np.ndarray) -> np.ndarray:
        if getattr(self, "projection_", None) is None:
            return rows
        Z = self.projection_.transform(rows).astype(np.float32)
        return _normalise(Z) if self.metric == "cosine" else Z

    def _fit_centers(self, X: np.ndarray, k: int, backend: str) -> tuple[np.ndarray, np.ndarray]:
        if backend == "faiss":
            import faiss

            km = faiss.Kmeans(X.shape[1], k, niter=20, nredo=self.n_init, spherical=self.metric == "cosine",
                              seed=int(self.random_state or 0), verbose=False)  # fmt: skip
            km.train(np.ascontiguousarray(X, dtype=np.float32))
            labels = km.index.search(np.ascontiguousarray(X, dtype=np.float32), 1)[1][:, 0]
            return km.centroids.astype(np.float32), labels.astype(np.int64)
        km = KMeans(n_clusters=k, init="k-means++", n_init=self.n_init, random_state=self.random_state).fit(X)
        return km.cluster_centers_.astype(np.float32), km.labels_.astype(np.int64)

    def _chosen(self) -> dict:
        return {"n_clusters_": int(getattr(self, "n_clusters_", 0)), "silhouettes_": getattr(self, "silhouettes_", {})}


def _normalise(X: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return (X / np.where(norms > 0, norms, 1.0)).astype(np.float32)
