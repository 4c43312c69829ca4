"""Cosine geometry shared by encoders, clusterers, selection and the cluster model: row normalisation, nearest
centroid, member centroids, and :class:`Rows`, several matrices read as one without concatenating them.

Every function works one block of rows at a time, so a 1M × 1024 input never gets a second full-size copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

BLOCK = 65_536
"""Rows per block: 256 MiB of float32 at 1024 dims."""


class Rows:
    """Matrices with the same number of columns, read as their row-wise concatenation (no copy is made).

    ``np.asarray(rows)`` materialises the concatenation for the methods that need one matrix anyway (HDBSCAN, Ward,
    Butina, all of which are quadratic and refuse sizes where the copy would matter).
    """

    def __init__(self, parts: Sequence[np.ndarray]):
        if not parts:
            raise ValueError("no matrices")
        parts = [np.asarray(p) for p in parts]
        parts = [p for p in parts if len(p)] or parts[:1]
        widths = {p.shape[1] if p.ndim == 2 else -1 for p in parts}
        if len(widths) != 1 or -1 in widths:
            raise ValueError(f"expected 2-D matrices with one width, got shapes {[p.shape for p in parts]}")
        self.parts = parts
        self.offsets = np.cumsum([0] + [len(p) for p in parts])

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.offsets[-1]), int(self.parts[0].shape[1])

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        out = np.concatenate(self.parts) if len(self.parts) > 1 else np.array(self.parts[0])
        return out if dtype is None else out.astype(dtype, copy=False)

    def blocks(self, size: int = BLOCK) -> Iterator[tuple[int, np.ndarray]]:
        """``(start, block)`` over all rows in order; a block never spans two parts."""
        for offset, part in zip(self.offsets, self.parts):
            for start in range(0, len(part), size):
                yield int(offset) + start, part[start : start + size]

    def take(self, indices: np.ndarray) -> np.ndarray:
        """The rows at ``indices`` (a copy), in the order given."""
        indices = np.asarray(indices, dtype=np.int64)
        out = np.empty((len(indices), self.shape[1]), dtype=self.parts[0].dtype)
        which = np.searchsorted(self.offsets, indices, side="right") - 1
        for j, part in enumerate(self.parts):
            mask = which == j
            if mask.any():
                out[mask] = part[indices[mask] - self.offsets[j]]
        return out


def as_rows(X: np.ndarray | Rows) -> Rows:
    return X if isinstance(X, Rows) else Rows([np.asarray(X)])


def normalise(X: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm, as float32 (a new array); all-zero rows stay zero."""
    X = np.asarray(X, dtype=np.float32)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, np.float32(1.0))


def check_finite(X: np.ndarray | Rows) -> None:
    """Raise ValueError when any entry is NaN or Inf (checked block by block: no n × d boolean temporary)."""
    for _, block in as_rows(X).blocks():
        if not np.isfinite(block).all():
            raise ValueError("embeddings contain NaN or Inf")


def nearest_centroid(X: np.ndarray | Rows, centroids: np.ndarray, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Index of, and cosine similarity to, the most similar centroid for each row (rows normalised on the fly)."""
    rows = as_rows(X)
    labels = np.empty(len(rows), dtype=np.int64)
    best = np.empty(len(rows), dtype=np.float32)
    centroids = np.asarray(centroids, dtype=np.float32)
    for start, chunk in rows.blocks(block):
        sims = normalise(chunk) @ centroids.T
        labels[start : start + len(chunk)] = sims.argmax(axis=1)
        best[start : start + len(chunk)] = sims.max(axis=1)
    return labels, best


def member_centroids(X: np.ndarray | Rows, labels: np.ndarray, k: int, block: int = BLOCK) -> np.ndarray:
    """Normalised mean of each cluster's normalised members (cosine centroids); noise (-1) is left out, a cluster
    without members gets the zero vector (never nearest to anything)."""
    from scipy.sparse import csr_matrix

    rows = as_rows(X)
    labels = np.asarray(labels)
    sums = np.zeros((k, rows.shape[1]), dtype=np.float64)
    for start, chunk in rows.blocks(block):
        lab = labels[start : start + len(chunk)]
        keep = np.flatnonzero(lab >= 0)
        if len(keep):
            onehot = csr_matrix((np.ones(len(keep), dtype=np.float32), (lab[keep], keep)), shape=(k, len(chunk)))
            sums += onehot @ normalise(chunk)
    return normalise(sums)
