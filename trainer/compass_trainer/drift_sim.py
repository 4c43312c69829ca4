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

from .drift import DriftMonitor

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
        monitor = DriftMonitor(reference, theta=theta, window=window, check_every=increment)
        triggers = []
        for start in range(0, len(stream), increment):
            for event in monitor.observe(stream[start : start + increment]):
                if event.triggered:
                    triggers.append(event.sample)
                    monitor.reset(np.asarray(event.monitoring))
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
    return SimResult(
        theta,
        float(np.mean(updates)),
        float(np.mean(detected)),
        float(np.mean(delays)) if delays else float("nan"),
        sum(false_pos) / total if total else 0.0,
        float(np.mean(false_pos)),
    )
