"""Clusterers for COMPASS (paper appendix E), scikit-learn style: ``fit(X)`` sets ``labels_`` and ``centroids_``
(noise is label -1), ``predict(X)`` assigns new points (ECDA needs it)."""

from .base import CLUSTERERS, Clusterer, clusterer_from_job, get_clusterer, register_clusterer
from .butina import TaylorButinaClusterer
from .hdbscan_ import HDBSCANClusterer
from .kmeans import KMeansClusterer
from .ward import WardClusterer

__all__ = [
    "CLUSTERERS",
    "Clusterer",
    "HDBSCANClusterer",
    "KMeansClusterer",
    "TaylorButinaClusterer",
    "WardClusterer",
    "clusterer_from_job",
    "get_clusterer",
    "register_clusterer",
]
