"""The temporal-shift protocol of paper appendix D.2 / table 11 on a synthetic stream of subjects.

T1: 27 initial subjects · T2: +10 STEM · T3: +10 humanities · T4: +10 professional · T5: back to the T1 subjects.
Each phase draws subjects uniformly from its active set; the stream is fed in 100-sample increments to a
:class:`DriftMonitor` whose initial P_ref is T1's distribution. On a trigger the adapter is "updated": P_ref becomes
the window's distribution (the new cycle's) and the window restarts. The first trigger after each of the 4 shifts is
a detection (delay = samples from the shift to the trigger); every other trigger is a false positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .selection.math import distribution
from .selection.math import js_divergence as js
from .drift import REFERENCES, DriftMonitor, calibrate_theta, reference_distribution

PHASES = [list(range(27)), list(range(37)), list(range(47)), list(range(57)), list(range(27))]
N_SUBJECTS = 57


def temporal_stream(samples_per_phase: int, rng: np.random.Generator) -> tuple[np.ndarray, list[int]]:
    labels = np.concatenate([rng.choice(active, samples_per_phase) for active in PHASES])
    return labels, [i * samples_per_phase for i in range(len(PHASES))]


@dataclass
class SimResult:
    theta: float
    updates: float
    detected: float
    mean_delay: float
    false_positive_rate: float
    false_positives: float


def simulate(theta: float, runs: int = 10, samples_per_phase: int = 2000, window: int = 1000, increment: int = 100, seed: int = 0) -> SimResult:
    updates, detected, delays, false_pos = [], [], [], []
    for run in range(runs):
        rng = np.random.default_rng(seed + run)
        stream, starts = temporal_stream(samples_per_phase, rng)
        reference = np.bincount(np.array(PHASES[0]), minlength=N_SUBJECTS).astype(float)
        triggers = _run(stream, reference, theta, window, increment)
        shifts = starts[1:]
        bounds = [*shifts, len(stream) + 1]
        tp, delay = 0, []
        matched = set()
        for i, shift in enumerate(shifts):
            hits = [t for t in triggers if shift < t <= bounds[i + 1]]
            if hits:
                tp += 1
                delay.append(hits[0] - shift)
                matched.add(hits[0])
        fp = len([t for t in triggers if t not in matched])
        updates.append(len(triggers))
        detected.append(tp)
        delays += delay
        false_pos.append(fp)
    total = sum(updates)
    return SimResult(theta, float(np.mean(updates)), float(np.mean(detected)), float(np.mean(delays)) if delays else float("nan"),
                     sum(false_pos) / total if total else 0.0, float(np.mean(false_pos)))  # fmt: skip


@dataclass
class ReferenceResult:
    reference: str
    scenario: str
    theta: float
    js_before: float
    """JS(P_ref ‖ in-distribution traffic) and JS(P_ref ‖ fully drifted traffic): which way the shift moves."""
    js_after: float
    detected: float
    """Share of runs in which a trigger followed the shift."""
    mean_delay: float
    false_positives: float
    """Triggers before the shift, per run."""


def _selected_counts(usage: np.ndarray, train: np.ndarray, budget: float) -> np.ndarray:
    """Auxiliary counts as COMPASS selects them (METHOD §1): quotas ∝ usage density over training density."""
    weights = distribution(usage) / np.maximum(distribution(train), 1e-12)
    return distribution(weights) * budget * train.sum()


def _thin_topic_case(rng: np.random.Generator, thin_in_training: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """The issue's case: 10 topics × 2 clusters (20 clusters), two topics thin in training (5% of a normal topic's
    data); usage is uniform over topics and a quarter the size of the training set (a usage proxy is a sample of
    requests, the training set the bulk). Returns (n_usage, n_selected, P_usage, the clusters traffic moves onto:
    the two thin topics, or two well-covered ones)."""
    k = 20
    usage = np.full(k, 20.0) * rng.uniform(0.8, 1.2, k)
    train = np.full(k, 100.0)
    thin = [0, 1, 2, 3]  # topics 0 and 1
    train[thin] = 5.0
    target = thin if thin_in_training else [10, 11, 12, 13]
    return usage, _selected_counts(usage, train, 0.8), distribution(usage), target


def compare_references(runs: int = 10, pre: int = 2000, post: int = 3000, window: int = 1000, increment: int = 100,
                       mix: float = 0.5, seed: int = 0) -> list[ReferenceResult]:  # fmt: skip
    """Each reference choice (``usage``, ``usage+selected``, ``mix``) on three streams: traffic moving onto the two
    topics thin in training, onto two well-covered topics, and the table-11 protocol (T1–T5) with T1 as the usage
    proxy and a COMPASS selection against a training set biased as in appendix D.2 (each subject thin with p=0.2,
    keeping 20%). θ is calibrated per reference as the trainer does (``calibrate_theta`` on usage-like traffic)."""
    results = []
    for kind in REFERENCES:
        for scenario in ("thin-topic drift", "covered-topic drift"):
            js_before, js_after, detected, delays, fps, thetas = [], [], [], [], [], []
            for run in range(runs):
                rng = np.random.default_rng(seed + run)
                n_usage, n_sel, p_usage, target = _thin_topic_case(rng, scenario == "thin-topic drift")
                ref = reference_distribution(kind, n_usage, n_sel, mix)
                k = len(ref)
                theta = calibrate_theta(ref, rng.choice(k, 20 * window, p=p_usage), window=window, seed=seed + run)
                stream = np.concatenate([rng.choice(k, pre, p=p_usage), rng.choice(target, post)])
                drifted = np.bincount(np.asarray(target), minlength=k).astype(float)
                js_before.append(js(ref, p_usage))
                js_after.append(js(ref, drifted))
                thetas.append(theta)
                triggers = _run(stream, ref, theta, window, increment)
                after = [t for t in triggers if t > pre]
                detected.append(bool(after))
                if after:
                    delays.append(after[0] - pre)
                fps.append(len([t for t in triggers if t <= pre]))
            results.append(ReferenceResult(kind, scenario, float(np.mean(thetas)), float(np.mean(js_before)), float(np.mean(js_after)),
                                           float(np.mean(detected)), float(np.mean(delays)) if delays else float("nan"), float(np.mean(fps))))  # fmt: skip
        results.append(_table11(kind, runs, window, increment, mix, seed))
    return results


def _run(stream: np.ndarray, reference: np.ndarray, theta: float, window: int, increment: int) -> list[int]:
    monitor = DriftMonitor(reference, theta=theta, window=window, check_every=increment)
    triggers = []
    for start in range(0, len(stream), increment):
        for event in monitor.observe(stream[start : start + increment]):
            if event.triggered:
                triggers.append(event.sample)
                monitor.reset(np.asarray(event.monitoring))
    return triggers


def _table11(kind: str, runs: int, window: int, increment: int, mix: float, seed: int, samples_per_phase: int = 2000) -> ReferenceResult:
    detected, delays, fps, thetas, before, after = [], [], [], [], [], []
    for run in range(runs):
        rng = np.random.default_rng(seed + run)
        stream, starts = temporal_stream(samples_per_phase, rng)
        n_usage = np.bincount(np.array(PHASES[0]), minlength=N_SUBJECTS).astype(float) * 30
        train = np.where(rng.random(N_SUBJECTS) < 0.2, 0.2, 1.0) * 100
        ref = reference_distribution(kind, n_usage, _selected_counts(n_usage, train, 0.8), mix)
        theta = calibrate_theta(ref, rng.choice(PHASES[0], 20 * window), window=window, seed=seed + run)
        triggers = _run(stream, ref, theta, window, increment)
        shifts = starts[1:]
        bounds = [*shifts, len(stream) + 1]
        matched = set()
        for i, shift in enumerate(shifts):
            hits = [t for t in triggers if shift < t <= bounds[i + 1]]
            if hits:
                delays.append(hits[0] - shift)
                matched.add(hits[0])
        detected.append(len(matched) / len(shifts))
        fps.append(len([t for t in triggers if t not in matched]))
        thetas.append(theta)
        before.append(js(ref, np.bincount(np.array(PHASES[0]), minlength=N_SUBJECTS)))
        after.append(js(ref, np.bincount(np.array(PHASES[1]), minlength=N_SUBJECTS)))
    return ReferenceResult(kind, "table 11 (T1–T5)", float(np.mean(thetas)), float(np.mean(before)), float(np.mean(after)),
                           float(np.mean(detected)), float(np.mean(delays)) if delays else float("nan"), float(np.mean(fps)))  # fmt: skip
