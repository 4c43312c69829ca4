"""The selection job end to end: read, deduplicate, embed (cached), select, write data + report. I/O lives here."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import contracts
from .clustering import get_clusterer
from .clustering.edge_model import EdgeClusterModel, edge_assign
from .drift import calibrate_theta
from .data import AYA, DataError, Example, Schema, deduplicate, read_examples, write_jsonl
from .encoders import EmbeddingCache, embed_examples, load_encoder
from .languages import to_canonical
from .report import write_report_png
from .selection import CompassSelector, Corpus, SelectionConfig, get_selector


@dataclass
class SelectJob:
    target: str
    train: list[Path]
    usage: list[Path]
    pool: list[Path]
    out: Path
    method: str = "compass"
    variant: str = "S"
    clusterer: str = "kmeans"
    n_clusters: int | None = None
    encoder: str = "sketch"
    budget: float = 0.8
    seed: int = 0
    cluster_weights: bool = True
    sample_weights: bool = True
    cache_dir: Path | None = None
    schema: Schema = field(default_factory=lambda: AYA)
    precomputed: dict[str, Path] = field(default_factory=dict)
    """Embeddings computed elsewhere, per role ("train", "usage", "pool"): a .npy (or Parquet column
    ``embedding_column``) with one row per data row, in the order of the data files."""
    embedding_column: str | None = None
    edge_model: str | None = "logreg"
    """The edge's classifier from sketch features to this run's clusters (clustering/edge_model.py): ``logreg``,
    ``mlp``, or None for nearest sketch centroid only."""


@dataclass
class SelectResult:
    data_path: Path
    report_path: Path
    figure_path: Path
    report: dict


def _read(paths: list[Path], schema: Schema, keep_language: str | None) -> tuple[list[Example], int]:
    """Rows of all files in order; each remembers its position (for precomputed embeddings) in ``meta['_position']``."""
    rows: list[Example] = []
    for path in paths:
        rows += read_examples(path, schema)
    for position, row in enumerate(rows):
        row.meta["_position"] = position
    if keep_language is None:
        return rows, 0
    kept = [r for r in rows if r.language in (None, keep_language)]
    return kept, len(rows) - len(kept)


def _precomputed(job: SelectJob, role: str, examples: list[Example], rows_read: int) -> np.ndarray:
    from .encoders import load_precomputed

    X = load_precomputed(job.precomputed[role], job.embedding_column)
    if len(X) != rows_read:
        raise DataError(f"{job.precomputed[role]}: {len(X)} embeddings, but the {role} data has {rows_read} rows")
    return X[[e.meta["_position"] for e in examples]]


def run_select(job: SelectJob, log=print) -> SelectResult:
    target = to_canonical(job.target)
    if target is None:
        raise DataError(f"unknown target language '{job.target}'")
    train, other_train = _read(job.train, job.schema, target)
    usage, other_usage = _read(job.usage, job.schema, target)
    pool, _ = _read(job.pool, job.schema, None)
    rows_read = {"train": len(train) + other_train, "usage": len(usage) + other_usage, "pool": len(pool)}
    train, train_dups = deduplicate(train)
    usage, usage_dups = deduplicate(usage)
    pool, pool_dups = deduplicate(pool, seen={e.text_hash for e in train})
    if not train:
        raise DataError(f"no training rows for language '{target}' in {', '.join(map(str, job.train))}")
    log(f"target {target}: {len(train)} training rows, {len(usage)} usage rows, {len(pool)} pool rows "
        f"(dropped {other_train + other_usage} rows of other languages, {train_dups.removed + usage_dups.removed + pool_dups.removed} duplicates)")  # fmt: skip

    config = SelectionConfig(budget=job.budget, variant=job.variant, cluster_weights=job.cluster_weights, sample_weights=job.sample_weights)
    if job.method == "compass":
        clusterer = get_clusterer(job.clusterer, **({"n_clusters": job.n_clusters} if job.n_clusters and job.clusterer == "kmeans" else {}))
        if job.clusterer in ("kmeans", "hdbscan"):
            clusterer.random_state = job.seed
        selector = CompassSelector(config, clusterer=clusterer, random_state=job.seed)
    else:
        params = {"budget": job.budget, "random_state": job.seed} if job.method in ("random", "dsir") else {}
        if job.method in ("langsim", "langrank"):
            params = {"target_language": target}
        selector = get_selector(job.method, **params)

    corpora = [Corpus(train), Corpus(usage), Corpus(pool)]
    if selector.needs_embeddings:
        if job.precomputed:
            missing = {"train", "usage", "pool"} - set(job.precomputed)
            if missing:
                raise DataError(f"precomputed embeddings are needed for all three sets; missing: {', '.join(sorted(missing))}")
            for corpus, name in zip(corpora, ("train", "usage", "pool")):
                corpus.embeddings = _precomputed(job, name, corpus.examples, rows_read[name])
            log(f"precomputed embeddings ({corpora[0].embeddings.shape[1]} dims)")
        else:
            encoder = load_encoder(job.encoder)
            cache = EmbeddingCache(job.cache_dir) if job.cache_dir else None
            for corpus, name in zip(corpora, ("train", "usage", "pool")):
                corpus.embeddings = embed_examples(encoder, corpus.examples, cache, desc=f"embedding {name}")
            log(f"embedded with {encoder.encoder_id} ({corpora[0].embeddings.shape[1]} dims)")
    selection = selector.fit(*corpora).select()

    report = {"target": target, "method": job.method, "train_rows": len(train), "usage_rows": len(usage), "pool_rows": len(pool),
              "duplicates_removed": train_dups.removed + usage_dups.removed + pool_dups.removed, **selection.report}  # fmt: skip
    if "clusters" in report and hasattr(selector, "labels_pool_"):
        _annotate_clusters(report, selector, train, usage, pool)
        heat: dict[str, Counter] = {}
        for i, cluster in zip(selection.pool_indices, selection.clusters):
            heat.setdefault(pool[int(i)].language or "und", Counter())[int(cluster)] += 1
        report["source_language_by_cluster"] = {lang: dict(sorted(c.items())) for lang, c in sorted(heat.items())}
    times = selection.times_selected
    target_clusters = getattr(selector, "labels_target_", [None] * len(train))
    rows = [_row(e, "target", None if c is None else int(c), None, 1) for e, c in zip(train, target_clusters)]
    first_pick = {int(i): (int(c), float(s)) for i, c, s in zip(selection.pool_indices, selection.clusters, selection.scores)}
    rows += [_row(pool[i], "auxiliary", *first_pick[i], times[i]) for i in sorted(times)]
    job.out.mkdir(parents=True, exist_ok=True)
    data_path, report_path, figure_path = job.out / "selected.jsonl", job.out / "report.json", job.out / "report.png"
    write_jsonl(data_path, rows)
    write_json(report_path, report)
    write_report_png(report, figure_path)
    if hasattr(selector, "labels_pool_"):
        from .drift import DEFAULT_REFERENCE, reference_distribution

        clusters = report["clusters"]
        reference = reference_distribution(DEFAULT_REFERENCE, np.array([c["n_eval"] for c in clusters]), np.array([c["taken"] for c in clusters]))
        model = sketch_cluster_model(target, selector, [train, pool, usage], reference.tolist(), edge_kind=job.edge_model,
                                     onnx_path=job.out / EDGE_ONNX_NAME, random_state=job.seed)  # fmt: skip
        if "edge" in model:
            report["edge_model"] = {k: v for k, v in model["edge"].items() if k != "layers"}
            write_json(report_path, report)
            log(f"edge cluster model ({job.edge_model}): held-out agreement {model['edge']['heldOutAgreement']:.3f} with the trainer's "
                f"clusters on {model['edge']['heldOutRows']} rows (nearest sketch centroid: {model['edge']['centroidAgreement']:.3f})")  # fmt: skip
        write_json(job.out / "cluster_model.json", contracts.validate("cluster-model", model))
    return SelectResult(data_path, report_path, figure_path, report)


EDGE_ONNX_NAME = "cluster_model.edge.onnx"
"""The edge model's ONNX file, beside cluster_model.json; the model names it by this key relative to its own."""


def sketch_cluster_model(language: str, selector: CompassSelector, corpora: list[list[Example]], reference: list[float],
                         theta: float = 0.15, version: str = "1", edge_kind: str | None = None, onnx_path: Path | None = None,
                         random_state: int = 0) -> dict:  # fmt: skip
    """The cluster model the edge monitors with (adapters/cluster-model.ts): each selection cluster's centroid in
    sketch space, as the normalised mean of its members' sketch embeddings — cluster identity carries over by
    membership, whatever encoder clustered. Clusters without members get the zero vector (never nearest).
    With ``edge_kind``, also the edge classifier (``edge``: its layers, held-out agreement beside nearest-centroid's
    on the same rows, and the ONNX file written to ``onnx_path``), and θ is calibrated on its assignment."""
    from .encoders.base import SketchEncoder

    labels = np.concatenate([selector.labels_target_, selector.labels_pool_, selector.labels_usage_])
    examples = [e for corpus in corpora for e in corpus]
    X = SketchEncoder().encode([e.text for e in examples])
    k = len(selector.centroids_)
    centroids = np.zeros((k, X.shape[1]), dtype=np.float32)
    for j in range(k):
        members = X[labels == j]
        if len(members):
            mean = members.mean(axis=0)
            centroids[j] = mean / max(np.linalg.norm(mean), 1e-12)
    ref = np.asarray(reference, dtype=np.float64)
    ref = ref / ref.sum() if ref.sum() > 0 else np.full(k, 1.0 / k)
    model = {"schemaVersion": 1, "language": language, "version": version, "encoder": "compass-sketch-v1", "dim": int(X.shape[1]),
             "centroids": centroids.astype(np.float64).tolist(), "reference": ref.tolist()}  # fmt: skip
    if edge_kind:
        edge = EdgeClusterModel(kind=edge_kind, random_state=random_state).fit(X, labels, centroids)
        if onnx_path is not None:
            edge.write_onnx(onnx_path)
        model["edge"] = edge.to_contract(onnx_path.name if onnx_path is not None else None)
        held = edge.held_out_index_
        model["edge"]["centroidAgreement"] = float(((X[held] @ centroids.T).argmax(axis=1) == labels[held]).mean())
    # θ is calibrated on the usage proxy as the edge will see it: assigned by the edge model, or the nearest centroid.
    usage_start = len(selector.labels_target_) + len(selector.labels_pool_)
    usage_labels = edge_assign(model, X[usage_start:]) if len(X) > usage_start else np.zeros(0, dtype=np.int64)
    model["theta"] = calibrate_theta(ref, usage_labels, default=theta)
    return model


def write_json(path: Path, value) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=_json_default), encoding="utf-8")
    tmp.replace(path)


def _row(e: Example, role: str, cluster: int | None, score: float | None, times: int) -> dict:
    return {"inputs": e.inputs, "targets": e.targets, "language": e.language, "role": role, "source": f"{e.source}:{e.row}", "id": e.id,
            "cluster": cluster, "score": score, "times_selected": times,
            **{k: v for k, v in e.meta.items() if isinstance(v, str | int | float) and not k.startswith("_")}}  # fmt: skip


def _annotate_clusters(report: dict, selector: CompassSelector, train, usage, pool) -> None:
    """Add each cluster's dominant `topic`, when the data has one: it makes the cluster table readable."""
    labels = {"train": (selector.labels_target_, train), "usage": (selector.labels_usage_, usage), "pool": (selector.labels_pool_, pool)}
    for row in report["clusters"]:
        topics = Counter(e.meta.get("topic") for name, (lab, ex) in labels.items() for e, l in zip(ex, lab) if l == row["cluster"] and e.meta.get("topic"))
        if topics:
            row["dominant_topic"] = topics.most_common(1)[0][0]


def _json_default(value):
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | range):
        return list(value)
    return str(value)
