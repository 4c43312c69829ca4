"""The anchor buffer B_anchor (METHOD §5): prototypical examples of the high-density clusters of P_ref."""

from __future__ import annotations

import numpy as np

from ..encoders.base import SketchEncoder
from ..geometry import nearest_centroid
from ..selection.math import quotas_largest_remainder


def select_anchors(embeddings: np.ndarray, centroids: np.ndarray, reference: np.ndarray, size: int) -> np.ndarray:
    """Indices of the anchor buffer: prototypical examples nearest the centroids of the high-density clusters of
    ``reference`` (P_ref). Slots go to clusters in proportion to P_ref (largest remainder, so the densest clusters are
    served first) **[choice]**; within a cluster, the members nearest its centroid are taken."""
    if size <= 0 or len(embeddings) == 0:
        return np.zeros(0, dtype=np.int64)
    labels, similarity = nearest_centroid(embeddings, centroids)
    quotas = quotas_largest_remainder(np.asarray(reference, dtype=np.float64), min(size, len(embeddings)))
    chosen: list[int] = []
    for k in np.argsort(-np.asarray(reference), kind="stable"):
        members = np.flatnonzero(labels == k)
        take = members[np.argsort(-similarity[members], kind="stable")][: quotas[k]]
        chosen += take.tolist()
    # Clusters with fewer members than their slots leave room: fill it with the most prototypical of the rest.
    if len(chosen) < size:
        rest = np.setdiff1d(np.arange(len(embeddings)), chosen)
        best = rest[np.argsort(-similarity[rest], kind="stable")]
        chosen += best[: size - len(chosen)].tolist()
    return np.asarray(chosen, dtype=np.int64)


def anchors_for(pairs: list[tuple[str, str]], cluster_model: dict, fraction: float) -> list[tuple[str, str]]:
    """The anchor buffer for ``pairs`` under a (sketch-space) cluster model: ``fraction`` of ``len(pairs)``, at least 1."""
    unique = list(dict.fromkeys(pairs))
    X = SketchEncoder(cluster_model["dim"]).encode([f"{p}\n{r}" if r else p for p, r in unique])
    idx = select_anchors(X, np.asarray(cluster_model["centroids"], dtype=np.float32), np.asarray(cluster_model["reference"]),
                         max(1, round(fraction * len(pairs))))  # fmt: skip
    return [unique[i] for i in idx]
