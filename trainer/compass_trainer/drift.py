"""Drift monitoring, offline side (METHOD §5): reference distribution P_ref, a window of recent cluster assignments,
and the JS trigger, checked every ``check_every`` new samples. The edge runs the same arithmetic in WASM."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .selection.math import distribution, js_divergence


@dataclass
class DriftEvent:
    sample: int
    """Samples seen when the check ran (1-based count)."""
    js: float
    triggered: bool
    monitoring: list[float] = field(default_factory=list)


class DriftMonitor:
    """Windowed JS-divergence trigger.

    Args:
        reference: P_ref over K clusters.
        theta: JS threshold (log base 2); default 0.15 (appendix D table 11), calibrated per language.
        window: samples in the monitoring window **[choice: last 1000 per language]**.
        check_every: a check every this many new samples (paper: 100).
        min_samples: no check until the (re)started window holds this many samples **[choice: the full window]**.
            The paper restarts the window after an update and checks every 100 samples; a JS over 100 samples and
            ~50 clusters is mostly sampling noise (≈0.2), which would re-trigger at once.
    """

    def __init__(self, reference: np.ndarray, theta: float = 0.15, window: int = 1000, check_every: int = 100, min_samples: int | None = None):
        self.reference = distribution(np.asarray(reference, dtype=np.float64))
        self.theta = theta
        self.window = window
        self.check_every = check_every
        self.min_samples = window if min_samples is None else min_samples
        self.recent: deque[int] = deque(maxlen=window)
        self.seen = 0
        self.since_check = 0

    def observe(self, labels) -> list[DriftEvent]:
        """Feed cluster assignments (noise, -1, is ignored); returns the checks that ran, triggered or not."""
        events = []
        for label in np.asarray(labels).tolist():
            self.seen += 1
            if label < 0:
                continue
            self.recent.append(int(label))
            self.since_check += 1
            if self.since_check >= self.check_every and len(self.recent) >= self.min_samples:
                self.since_check = 0
                p_mon = self.monitoring()
                js = js_divergence(self.reference, p_mon)
                events.append(DriftEvent(self.seen, js, js > self.theta, p_mon.tolist()))
        return events

    def monitoring(self) -> np.ndarray:
        """P_mon: the share of the window assigned to each cluster."""
        return distribution(np.bincount(np.fromiter(self.recent, dtype=np.int64), minlength=len(self.reference))[: len(self.reference)])

    def reset(self, reference: np.ndarray) -> None:
        """After an update: the new cycle's distribution becomes P_ref and the window restarts."""
        self.reference = distribution(np.asarray(reference, dtype=np.float64))
        self.recent.clear()
        self.since_check = 0


REFERENCES = ("usage", "usage+selected", "mix")
DEFAULT_REFERENCE = "usage"
"""**[choice]** P_ref from the usage proxy alone, measured against METHOD §5's usage plus selected data
(trainer/benchmarks/drift_reference.py, docs/drift-reference.md): the selected auxiliary data is drawn to where the
training data is thin, so with it in P_ref traffic that moves onto the thin topics comes *closer* to P_ref and is
never detected — the drift the update exists for. Usage alone detects it and keeps the table-11 results."""


def reference_distribution(kind: str, n_usage: np.ndarray, n_selected: np.ndarray, mix: float = 0.5) -> np.ndarray:
    """P_ref over K clusters from per-cluster counts of the usage proxy (``n_eval``) and of the selected auxiliary
    data (``n_aux,selected``).

    Args:
        kind: ``usage`` (the usage proxy alone), ``usage+selected`` (METHOD §5: pooled counts), or ``mix``
            (``mix``·P_usage + (1−``mix``)·P_usage+selected).
        mix: the usage proxy's weight in ``mix``.

    Example:
        >>> reference_distribution("usage+selected", np.array([3, 1]), np.array([0, 4])).tolist()
        [0.375, 0.625]
    """
    usage = distribution(np.asarray(n_usage, dtype=np.float64))
    pooled = distribution(np.asarray(n_usage, dtype=np.float64) + np.asarray(n_selected, dtype=np.float64))
    if kind == "usage":
        return usage
    if kind == "usage+selected":
        return pooled
    if kind == "mix":
        if not 0.0 <= mix <= 1.0:
            raise ValueError(f"mix must be in [0, 1], got {mix}")
        return mix * usage + (1.0 - mix) * pooled
    raise ValueError(f"unknown reference {kind!r}; expected one of {', '.join(REFERENCES)}")


def assign_sketch(model: dict, texts: list[str]) -> np.ndarray:
    """Each text's cluster in a sketch-space cluster model (adapters/cluster-model.ts), as the edge assigns it: by the
    model's learnt edge layers when it has them, else the nearest centroid."""
    from .clustering.edge_model import edge_assign
    from .encoders.base import SketchEncoder

    return edge_assign(model, SketchEncoder(model["dim"]).encode(texts))


def replay(model: dict, texts: list[str], theta: float | None = None, window: int = 1000, check_every: int = 100) -> tuple[DriftMonitor, list[DriftEvent]]:
    """The stream through a monitor as ``compass-trainer drift`` and the edge's drift windows run it: after a trigger
    the window it fired on becomes P_ref and the window restarts. Returns the monitor and every check."""
    monitor = DriftMonitor(np.asarray(model["reference"]), theta=theta or model["theta"], window=window, check_every=check_every)
    events = []
    for label in assign_sketch(model, texts).tolist():
        for event in monitor.observe([label]):
            events.append(event)
            if event.triggered:
                monitor.reset(np.asarray(event.monitoring))
    return monitor, events


def calibrate_theta(reference: np.ndarray, in_distribution: np.ndarray, window: int = 1000, default: float = 0.15, quantile: float = 0.95,
                    margin: float = 0.02, draws: int = 200, seed: int = 0) -> float:  # fmt: skip
    """Per-language θ **[choice]**: the larger of ``default`` and the ``quantile`` of JS(P_ref ‖ P_window) over
    bootstrap windows of in-distribution cluster assignments (the usage proxy as the edge assigns it), plus ``margin``.
    P_ref mixes usage with the selected auxiliary data (METHOD §5), so in-distribution traffic already sits at some
    JS from it; a θ below that level would trigger on traffic that has not drifted."""
    labels = np.asarray(in_distribution)
    labels = labels[labels >= 0]
    if len(labels) == 0:
        return default
    rng = np.random.default_rng(seed)
    k = len(reference)
    values = [js_divergence(reference, np.bincount(rng.choice(labels, window), minlength=k)[:k]) for _ in range(draws)]
    return float(max(default, np.quantile(values, quantile) + margin))
