"""Synthetic mixtures where the right selection is computable: well-separated Gaussian clusters on the unit sphere.

d = 16 and 5 clusters keep fits to milliseconds while the clusters stay separable beyond doubt (centres orthogonal,
noise σ = 0.05).
"""

from __future__ import annotations

import numpy as np

from compass_trainer.data import Example
from compass_trainer.selection import Corpus

DIM = 16
CENTRES = np.eye(DIM, dtype=np.float32)[:5]


def points(counts: list[int], rng: np.random.Generator, sigma: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for k, n in enumerate(counts):
        x = CENTRES[k] + sigma * rng.standard_normal((n, DIM)).astype(np.float32)
        rows.append(x)
        labels += [k] * n
    X = np.concatenate(rows) if rows else np.zeros((0, DIM), np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.array(labels)


def corpus(X: np.ndarray, labels: np.ndarray, languages: list[str], prefix: str) -> Corpus:
    examples = [
        Example(inputs=f"{prefix} {i} topic {labels[i]}", targets=None, language=languages[i % len(languages)], source=prefix, row=i + 1) for i in range(len(X))
    ]
    return Corpus(examples, X.astype(np.float32))


def mixture(target=(40, 40, 40, 40, 2), usage=(20, 20, 20, 20, 20), pool=(100, 100, 100, 100, 100), seed=0):
    rng = np.random.default_rng(seed)
    Xt, lt = points(list(target), rng)
    Xu, lu = points(list(usage), rng)
    Xp, lp = points(list(pool), rng)
    return (corpus(Xt, lt, ["sw"], "target"), corpus(Xu, lu, ["sw"], "usage"), corpus(Xp, lp, ["de", "fr", "yo"], "pool"), lp)


def ten_topics(seed: int = 0, dim: int = 32, sigma: float = 0.15, themes: float = 1.0):
    """Ten topics in two themes of five (each topic centre leans ``themes`` towards its theme's axis), so that a
    method can mistake the two themes for the structure. Training has topics 8 and 9 thin (2 rows against 40); usage
    covers all ten evenly; the pool holds 60 rows of each. Returns target, usage, pool corpora and the pool's topics."""
    rng = np.random.default_rng(seed)
    axes = np.eye(dim, dtype=np.float32)
    centres = np.stack([themes * axes[t // 5] + axes[2 + t] for t in range(10)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def draw(counts):
        labels = np.repeat(np.arange(10), counts)
        X = centres[labels] + sigma * rng.standard_normal((len(labels), dim)).astype(np.float32)
        return X / np.linalg.norm(X, axis=1, keepdims=True), labels

    (Xt, lt), (Xu, lu), (Xp, lp) = draw([40] * 8 + [2, 2]), draw([20] * 10), draw([60] * 10)
    return corpus(Xt, lt, ["sw"], "target"), corpus(Xu, lu, ["sw"], "usage"), corpus(Xp, lp, ["de", "fr", "yo"], "pool"), lp
