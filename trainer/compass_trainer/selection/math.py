"""Pure functions for COMPASS's cluster weights, quotas and instance scores (METHOD §1.3–1.5)."""

from __future__ import annotations

import numpy as np


def cluster_counts(labels: np.ndarray, n_clusters: int) -> np.ndarray:
    """Members per cluster; noise (label -1) is left out of every count."""
    labels = np.asarray(labels)
    return np.bincount(labels[labels >= 0], minlength=n_clusters).astype(np.int64)


def cluster_weights(n_target: np.ndarray, n_eval: np.ndarray, epsilon: float = 1.0) -> np.ndarray:
    """Normalised cluster weights w̃_k.

    ``w_k = n_eval^k / (n_t^k + ε)`` where the usage proxy has members, else 0; ``w̃ = w / Σ w``. The paper's
    ``P_eval`` normalises by ``Σ n_t`` — a typo; normalising by the total of ``w`` is what makes ``w̃`` a distribution.
    All zero (no usage at all) gives all zero.
    """
    n_target = np.asarray(n_target, dtype=np.float64)
    n_eval = np.asarray(n_eval, dtype=np.float64)
    w = np.where(n_eval > 0, n_eval / (n_target + epsilon), 0.0)
    total = w.sum()
    return w / total if total > 0 else w


def quotas_stochastic(weights: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """COMPASS-S quotas: ``q_k = ⌊x_k⌋ + Bernoulli(x_k − ⌊x_k⌋)`` with ``x_k = w̃_k · total``, then fixed up so that
    ``Σ q_k = total`` exactly **[choice]**: the paper's ``(⌊w̃_k⌋ + r̃_k)·B|D_t|`` is 0 or the whole budget since
    ``w̃_k < 1``; stochastic rounding is what it evidently intends. The fix-up adds to (or takes from) clusters drawn
    with probability proportional to their weight, never taking a cluster below 0 or giving to a zero-weight one.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    x = weights / weights.sum() * total
    base = np.floor(x)
    quotas = (base + (rng.random(len(x)) < (x - base))).astype(np.int64)
    diff = total - int(quotas.sum())
    positive = np.flatnonzero(weights > 0)
    p = weights[positive] / weights[positive].sum()
    while diff != 0:
        k = positive[rng.choice(len(positive), p=p)]
        if diff > 0:
            quotas[k] += 1
            diff -= 1
        elif quotas[k] > 0:
            quotas[k] -= 1
            diff += 1
    return quotas


def quotas_largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """COMPASS-D quotas: floors of ``w̃_k · total``, the rest to the largest remainders (ties to the lower index)."""
    weights = np.asarray(weights, dtype=np.float64)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    x = weights / weights.sum() * total
    quotas = np.floor(x).astype(np.int64)
    rest = total - int(quotas.sum())
    order = np.lexsort((np.arange(len(x)), -(x - quotas)))
    quotas[order[:rest]] += 1
    return quotas


def prototypical_scores(dist_own: np.ndarray) -> np.ndarray:
    """``s_proto = 1 / (1 + dist(x, μ_k))`` with ``dist = 1 − cos``."""
    return 1.0 / (1.0 + np.asarray(dist_own, dtype=np.float64))


def boundary_scores(margins: np.ndarray) -> np.ndarray:
    """Boundary scores within one cluster: ``1 − m_norm`` where ``m = min_{j≠k} dist(x, μ_j) − dist(x, μ_k)`` is
    min-max normalised over the cluster's candidates **[choice]**: the paper's formula would favour points far from
    the boundary, contrary to its prose; inverting makes boundary points score high as the prose intends. A cluster
    whose margins are all equal scores 0.5 throughout.
    """
    m = np.asarray(margins, dtype=np.float64)
    if m.size == 0:
        return m
    lo, hi = m.min(), m.max()
    if not np.isfinite(hi - lo) or hi - lo <= 0:
        return np.full_like(m, 0.5)
    return 1.0 - (m - lo) / (hi - lo)


def interpolated_scores(s_proto: np.ndarray, s_boundary: np.ndarray, alpha: float) -> np.ndarray:
    """``s = (1 − α²)·s_proto + α²·s_boundary``: prototypical examples first, boundary examples as the quota fills."""
    a2 = float(alpha) ** 2
    return (1.0 - a2) * s_proto + a2 * s_boundary


def distribution(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    return counts / total if total > 0 else counts


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence, log base 2 (∈ [0, 1]); inputs are counts or probabilities, normalised here.
    NaN where either is all zero (no distribution) or holds a negative or NaN count, as at the edge
    (``test/vectors/divergence.json``)."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    if not (p >= 0).all() or not (q >= 0).all() or not p.sum() > 0 or not q.sum() > 0:
        return float("nan")
    p, q = distribution(p), distribution(q)
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log2(p / m), 0.0).sum()
        kl_q = np.where(q > 0, q * np.log2(q / m), 0.0).sum()
    return float(min(1.0, max(0.0, 0.5 * (kl_p + kl_q))))
