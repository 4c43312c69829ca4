"""Scale bench for COMPASS selection: synthetic pools of 200,000 (Aya's size) and 1,000,000 examples × 1024 dims.

Reports wall time and peak traced memory (tracemalloc: numpy's allocations included) per stage: clustering (PCA to
64 dims, K searched by silhouette on a 50k sample with k-means, final faiss k-means on all points), cluster weights
and quotas, instance scores + sampling (COMPASS-S with the τ-neighbour penalty). HDBSCAN/Ward are not run at this
scale (O(n²) pieces); the bench says so rather than pretend.

Usage: python benchmarks/bench_selection.py [--sizes 200000 1000000] [--dim 1024] [--target 10000] [--usage 2000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from compass_trainer.clustering import KMeansClusterer
from compass_trainer.data import Example
from compass_trainer.selection import CompassSelector, Corpus, SelectionConfig


def mixture(n: int, dim: int, centres: np.ndarray, weights: np.ndarray, rng: np.random.Generator, chunk: int = 100_000) -> np.ndarray:
    """n unit rows from a mixture of unit-sphere Gaussians, generated in float32 chunks (no 8-byte temporaries at n×d)."""
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        comp = rng.choice(len(centres), m, p=weights)
        block = centres[comp] + rng.standard_normal((m, dim), dtype=np.float32) * np.float32(0.6 / np.sqrt(dim))
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
    return out


def corpus(X: np.ndarray, lang: str) -> Corpus:
    examples = [Example(inputs="", targets=None, language=lang, source="synthetic", row=i) for i in range(len(X))]
    return Corpus(examples, X)


class Stage:
    def __init__(self, name: str, rows: list):
        self.name, self.rows = name, rows

    def __enter__(self):
        tracemalloc.reset_peak()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.rows.append((self.name, time.perf_counter() - self.start, tracemalloc.get_traced_memory()[1] / 2**30))


def run(n_pool: int, dim: int, n_target: int, n_usage: int, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((100, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    w_pool = rng.dirichlet(np.ones(100))
    w_target = rng.dirichlet(np.ones(100) * 0.3)  # the target's training data is lumpy: thin topics exist
    w_usage = rng.dirichlet(np.ones(100))
    pool = corpus(mixture(n_pool, dim, centres, w_pool, rng), "xx")
    target = corpus(mixture(n_target, dim, centres, w_target, rng), "sw")
    usage = corpus(mixture(n_usage, dim, centres, w_usage, rng), "sw")
    rows: list = []
    tracemalloc.start()
    clusterer = KMeansClusterer(k_grid=range(60, 125, 20), metric="cosine", n_init=3, pca_dims=64, search_sample=50_000,
                                silhouette_sample=20_000, backend="faiss", random_state=seed)  # fmt: skip
    selector = CompassSelector(SelectionConfig(budget=0.8, variant="S"), clusterer=clusterer, random_state=seed)
    total = time.perf_counter()
    with Stage("cluster + weights + quotas (fit)", rows):
        selector.fit(target, usage, pool)
    with Stage("scores + sampling (select)", rows):
        selection = selector.select()
    rows.append(("total", time.perf_counter() - total, max(peak for _, _, peak in rows)))
    tracemalloc.stop()
    assert len(selection) == round(0.8 * n_target)
    print(f"\npool {n_pool:,} × {dim} (+ target {n_target:,}, usage {n_usage:,}); K={clusterer.n_clusters_} "
          f"(searched {sorted(clusterer.silhouettes_)}); selected {len(selection):,}; JS {selection.report['js_before']:.3f} → {selection.report['js_after']:.3f}")  # fmt: skip
    print(f"  input embeddings: {(n_pool + n_target + n_usage) * dim * 4 / 2**30:.2f} GiB")
    for name, seconds, peak in rows:
        print(f"  {name:<36} {seconds:8.1f} s   peak traced memory {peak:6.2f} GiB")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--target", type=int, default=10_000)
    parser.add_argument("--usage", type=int, default=2_000)
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.dim, args.target, args.usage)


if __name__ == "__main__":
    main()
