"""Scale bench for COMPASS selection on synthetic embeddings (a mixture of 100 topics on the unit sphere).

Cases (``--cases``, default all three):
  45k    a 45,000-row pool × 256 dims (the sketch encoder's width) with the default K search (K = 10..120 step 5):
         the size that used to fall off the speed cliff (scikit-learn k-means, 10 restarts at each of 23 K).
  ratio  2,000 rows × 256: the default fast path beside the paper's exhaustive settings (``exhaustive=True``), same
         data: wall time, chosen K and the share of the budget on the target's thin topics, side by side.
  1m     a 1,000,000-row pool × 1024 dims, clustered on a PCA projection to 64 dims.

Per stage: wall time, peak traced memory (tracemalloc: numpy's allocations beyond the input) and the process's peak
resident memory (VmHWM, reset per stage; faiss's allocations included) as a multiple of the input embeddings.
HDBSCAN, Ward and Taylor-Butina are quadratic and refuse these sizes; the bench says so rather than pretend.

Usage: python benchmarks/bench_selection.py [--cases 45k ratio 1m] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np

from compass_trainer.clustering import KMeansClusterer
from compass_trainer.data import Example
from compass_trainer.selection import CompassSelector, Corpus, SelectionConfig

TOPICS = 100


def mixture(n: int, dim: int, centres: np.ndarray, weights: np.ndarray, rng: np.random.Generator, chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """n unit rows from a mixture of unit-sphere Gaussians, generated in float32 chunks (no 8-byte temporaries at n×d);
    returns the rows and their topics."""
    out = np.empty((n, dim), dtype=np.float32)
    topics = np.empty(n, dtype=np.int64)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        comp = rng.choice(len(centres), m, p=weights)
        block = centres[comp] + rng.standard_normal((m, dim), dtype=np.float32) * np.float32(0.6 / np.sqrt(dim))
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
        topics[start : start + m] = comp
    return out, topics


def corpus(X: np.ndarray, lang: str) -> Corpus:
    examples = [Example(inputs="", targets=None, language=lang, source="synthetic", row=i) for i in range(len(X))]
    return Corpus(examples, X)


def peak_rss() -> float:
    """Peak resident memory of this process since the last reset, GiB (Linux's VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def reset_peak_rss() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


class Stage:
    def __init__(self, name: str, rows: list):
        self.name, self.rows = name, rows

    def __enter__(self):
        tracemalloc.reset_peak()
        reset_peak_rss()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.rows.append((self.name, time.perf_counter() - self.start, tracemalloc.get_traced_memory()[1] / 2**30, peak_rss()))


def data(n_pool: int, dim: int, n_target: int, n_usage: int, seed: int):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((TOPICS, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    w_pool = rng.dirichlet(np.ones(TOPICS))
    w_target = rng.dirichlet(np.ones(TOPICS) * 0.3)  # the target's training data is lumpy: thin topics exist
    w_usage = rng.dirichlet(np.ones(TOPICS))
    (Xp, topics_p), (Xt, _), (Xu, _) = (mixture(n, dim, centres, w, rng) for n, w in ((n_pool, w_pool), (n_target, w_target), (n_usage, w_usage)))
    thin = np.flatnonzero(w_target / w_usage < 0.25)  # topics usage visits four times as often as training covers
    return corpus(Xt, "sw"), corpus(Xu, "sw"), corpus(Xp, "xx"), topics_p, thin


def run(label: str, n_pool: int, dim: int, n_target: int, n_usage: int, clusterer: KMeansClusterer, seed: int = 0) -> dict:
    target, usage, pool, topics_p, thin = data(n_pool, dim, n_target, n_usage, seed)
    input_gib = sum(c.embeddings.nbytes for c in (target, usage, pool)) / 2**30
    rows: list = []
    tracemalloc.start()
    selector = CompassSelector(SelectionConfig(budget=0.8, variant="S"), clusterer=clusterer, random_state=seed)
    total = time.perf_counter()
    with Stage("cluster + weights + quotas (fit)", rows):
        selector.fit(target, usage, pool)
    with Stage("scores + sampling (select)", rows):
        selection = selector.select()
    seconds = time.perf_counter() - total
    tracemalloc.stop()
    rows.append(("total", seconds, max(r[2] for r in rows), max(r[3] for r in rows)))
    on_thin = float(np.isin(topics_p[selection.pool_indices], thin).mean())
    print(
        f"\n[{label}] pool {n_pool:,} × {dim} (+ target {n_target:,}, usage {n_usage:,}); K={clusterer.n_clusters_} "
        f"(searched {len(clusterer.silhouettes_)} values of K); selected {len(selection):,}; JS {selection.report['js_before']:.3f} → "
        f"{selection.report['js_after']:.3f}; share on thin topics {on_thin:.2f}"
    )
    print(f"  input embeddings {input_gib:.2f} GiB; {os.cpu_count()} CPUs")
    for name, secs, traced, rss in rows:
        print(f"  {name:<34} {secs:8.1f} s   traced {traced:6.2f} GiB   peak RSS {rss:6.2f} GiB ({rss / input_gib:4.1f}× input)")
    return {"seconds": seconds, "k": clusterer.n_clusters_, "thin": on_thin, "rss": rows[-1][3], "input": input_gib}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", choices=["45k", "ratio", "1m"], default=["45k", "ratio", "1m"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if "45k" in args.cases:
        r = run("45k, default K search", 45_000, 256, 2_000, 1_000, KMeansClusterer(random_state=args.seed), args.seed)
        print(f"  target ≤ 60 s: {r['seconds']:.1f} s ({r['seconds'] / 60:.2f}× the target)")
    if "ratio" in args.cases:
        fast = run("2k, default fast path", 2_000, 256, 500, 250, KMeansClusterer(random_state=args.seed), args.seed)
        paper = run("2k, exhaustive (paper)", 2_000, 256, 500, 250, KMeansClusterer(exhaustive=True, random_state=args.seed), args.seed)
        print(
            f"\n  exhaustive / fast: {paper['seconds'] / fast['seconds']:.1f}× the time; K {paper['k']} vs {fast['k']}; "
            f"thin-topic share {paper['thin']:.2f} vs {fast['thin']:.2f}"
        )
    if "1m" in args.cases:
        r = run("1m, PCA 64 dims", 1_000_000, 1024, 10_000, 2_000, KMeansClusterer(pca_dims=64, random_state=args.seed), args.seed)
        print(f"  targets ≤ 60 s and ≤ 2× input: {r['seconds']:.1f} s ({r['seconds'] / 60:.2f}×), peak RSS {r['rss'] / r['input']:.2f}× input")


if __name__ == "__main__":
    main()
