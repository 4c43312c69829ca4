"""The selection report's figure: cluster distributions before/after against usage, and where the picks came from
(source language × cluster, the analogue of the paper's figure 4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .atomic import atomic_write


def write_report_png(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clusters = report.get("clusters") or []
    heat = report.get("source_language_by_cluster") or {}
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    ax = axes[0]
    if clusters:
        k = np.arange(len(clusters))
        n_t = np.array([c["n_target"] for c in clusters], float)
        taken = np.array([c["taken"] for c in clusters], float)
        n_eval = np.array([c["n_eval"] for c in clusters], float)
        share = lambda v: v / v.sum() if v.sum() else v
        ax.bar(k - 0.27, share(n_t), 0.27, label=f"train before (JS {report['js_before']:.3f})")
        ax.bar(k, share(n_t + taken), 0.27, label=f"train + selected (JS {report['js_after']:.3f})")
        ax.bar(k + 0.27, share(n_eval), 0.27, label="usage")
        labels = [f"{c['cluster']}\n{c.get('dominant_topic', '')}" for c in clusters]
        ax.set_xticks(k, labels, fontsize=7, rotation=90 if len(clusters) > 12 else 0)
        ax.set_ylabel("share of examples")
        ax.legend(fontsize=8)
    ax.set_title(f"{report.get('method', '')}: cluster distribution, target {report.get('target', '')}")
    ax = axes[1]
    if heat:
        langs = sorted(heat)
        cols = sorted({int(c) for row in heat.values() for c in row})
        grid = np.array([[heat[l].get(c, heat[l].get(str(c), 0)) for c in cols] for l in langs], float)
        im = ax.imshow(grid, aspect="auto", cmap="viridis")
        ax.set_yticks(range(len(langs)), langs)
        ax.set_xticks(range(len(cols)), cols, fontsize=7)
        ax.set_xlabel("cluster")
        fig.colorbar(im, ax=ax, label="examples selected")
    else:
        langs = report.get("source_languages", {})
        ax.barh(list(langs), list(langs.values()))
        ax.set_xlabel("examples selected")
    ax.set_title("source-language contribution")
    fig.tight_layout()
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    finally:
        plt.close(fig)
