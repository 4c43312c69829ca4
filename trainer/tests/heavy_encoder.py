"""A heavy-encoder stand-in for the edge model's tests, built from the embedded sample data: TF-IDF + SVD over what a
multilingual semantic encoder sees in a row — its topic and which question it is, whatever the language (the sample
data's rows are parallel: `sw-weather-01` translates `en-weather-01`). Clusters of it therefore mix languages and
scripts, where sketch centroids (char n-grams) cannot follow them: nearest sketch centroid agrees with them on only
~0.67–0.76 of rows, as measured with real encoders in issue 14.

Run as a script to write the shared edge-model vectors the worker tests read:
    .venv/bin/python trainer/tests/heavy_encoder.py   # → test/vectors/edge-model.json and edge-model.onnx
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from compass_trainer.cli import SAMPLE_DIR

ROOT = Path(__file__).resolve().parents[2]


def sample_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (SAMPLE_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def row_text(row: dict) -> str:
    """The text the trainer embeds for a row (Example.text: inputs, then targets)."""
    return row["inputs"] + ("\n" + row["targets"] if row.get("targets") else "")


def heavy_embeddings(rows: list[dict], dim: int = 32) -> np.ndarray:
    """Unit rows of TF-IDF + SVD over "topic topic_question" tokens (fit on ``rows`` themselves)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokens = [f'{r["topic"]} {r["topic"]}_{r["id"].rsplit("-", 1)[1]}' for r in rows]
    X = TruncatedSVD(dim, random_state=0).fit_transform(TfidfVectorizer().fit_transform(tokens))
    return (X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def write_edge_vectors(out: Path = ROOT / "test" / "vectors", k: int = 20) -> dict:
    """Cluster all sample rows with the heavy stand-in (k-means), fit the edge model on their sketches, and write the
    cluster model (with its ``edge`` block and ONNX file) plus held-out texts, their trainer clusters and the f32
    scores the edge must reproduce."""
    from sklearn.cluster import KMeans

    from compass_trainer.clustering.edge_model import EdgeClusterModel
    from compass_trainer.encoders.base import SketchEncoder

    rows = [r for name in ("train", "usage", "pool") for r in sample_rows(name)]
    texts = [row_text(r) for r in rows]
    labels = KMeans(k, n_init=3, random_state=0).fit_predict(heavy_embeddings(rows))
    S = SketchEncoder().encode(texts)
    centroids = np.zeros((k, S.shape[1]), dtype=np.float32)
    for j in range(k):
        mean = S[labels == j].mean(axis=0)
        centroids[j] = mean / np.linalg.norm(mean)
    edge = EdgeClusterModel(kind="logreg", random_state=0).fit(S, labels, centroids)
    held = edge.held_out_index_
    edge.write_onnx(out / "edge-model.onnx")
    model = {"schemaVersion": 1, "language": "sw", "version": "edge-vectors", "encoder": "compass-sketch-v1", "dim": int(S.shape[1]),
             "centroids": centroids.astype(np.float64).tolist(), "reference": [1.0 / k] * k, "theta": 0.15,
             "edge": {**edge.to_contract("edge-model.onnx"),
                      "centroidAgreement": float(((S[held] @ centroids.T).argmax(axis=1) == labels[held]).mean())}}  # fmt: skip
    vectors = {
        "about": "trainer/tests/heavy_encoder.py: sample rows clustered by a heavy-encoder stand-in; held-out rows with their trainer cluster",
        "model": model,
        "held_out": [{"text": texts[i], "language": rows[i]["language_code"], "cluster": int(labels[i]),
                      "scores": edge.scores(S[i : i + 1])[0].astype(np.float64).tolist()} for i in held],  # fmt: skip
    }
    (out / "edge-model.json").write_text(json.dumps(vectors, ensure_ascii=False) + "\n", encoding="utf-8")
    return vectors


if __name__ == "__main__":
    v = write_edge_vectors()
    print(f"held-out agreement {v['model']['edge']['heldOutAgreement']:.3f} (centroid {v['model']['edge']['centroidAgreement']:.3f}) on {len(v['held_out'])} rows")
