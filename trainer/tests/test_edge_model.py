"""The edge cluster model: a classifier over sketch features that puts held-out text in the trainer's own cluster
where nearest sketch centroid cannot (heavy_encoder.py explains the stand-in), published as dense layers and ONNX."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from compass_trainer import contracts
from compass_trainer.cli import app
from compass_trainer.clustering.edge_model import EdgeClusterModel, edge_assign

from .heavy_encoder import ROOT, heavy_embeddings, row_text, sample_rows

runner = CliRunner()


def test_select_with_a_heavy_encoder_publishes_an_edge_model_that_agrees_on_held_out_text(tmp_path):
    """Through the precomputed-embeddings path: ≥ 0.9 held-out agreement, above nearest sketch centroid. K=10 on the
    ~510 rows select keeps (~50 per cluster): at K=20 the same run reaches 0.80 (centroid 0.70), too few rows per
    language in each cross-lingual cluster."""
    everything = [r for name in ("train", "usage", "pool") for r in sample_rows(name)]
    heavy = heavy_embeddings(everything)
    at = 0
    for name in ("train", "usage", "pool"):
        n = len(sample_rows(name))
        np.save(tmp_path / f"{name}.npy", heavy[at : at + n])
        at += n
    out = tmp_path / "out"
    result = runner.invoke(app, ["select", "--target", "sw", "--n-clusters", "10", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                                 "--train-embeddings", str(tmp_path / "train.npy"), "--usage-embeddings", str(tmp_path / "usage.npy"),
                                 "--pool-embeddings", str(tmp_path / "pool.npy")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "held-out agreement" in " ".join(result.output.split())
    model = json.loads((out / "cluster_model.json").read_text(encoding="utf-8"))
    edge = model["edge"]
    assert edge["heldOutAgreement"] >= 0.9
    assert edge["heldOutAgreement"] > edge["centroidAgreement"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["edge_model"]["heldOutAgreement"] == edge["heldOutAgreement"]
    # The ONNX file is named relative to the cluster model and lies beside it.
    assert edge["onnx"] == "cluster_model.edge.onnx" and (out / edge["onnx"]).stat().st_size > 1000
    contracts.validate("cluster-model", model)


@pytest.mark.parametrize("kind", ["logreg", "mlp"])
def test_both_kinds_beat_nearest_centroid_and_export_layers_that_predict_the_same(kind):
    rows = [r for name in ("train", "usage", "pool") for r in sample_rows(name)]
    from sklearn.cluster import KMeans

    from compass_trainer.encoders.base import SketchEncoder

    labels = KMeans(10, n_init=3, random_state=0).fit_predict(heavy_embeddings(rows))
    S = SketchEncoder().encode([row_text(r) for r in rows])
    C = np.stack([S[labels == j].mean(axis=0) for j in range(10)])
    C /= np.linalg.norm(C, axis=1, keepdims=True)
    edge = EdgeClusterModel(kind=kind, random_state=0).fit(S, labels, C)
    held = edge.held_out_index_
    centroid = float(((S[held] @ C.T).argmax(axis=1) == labels[held]).mean())
    assert edge.held_out_agreement_ >= 0.9 > centroid
    block = edge.to_contract(None)
    assert len(block["layers"]) == (1 if kind == "logreg" else 2)
    # The published layers (what the edge runs) predict exactly what the estimator predicts.
    cluster_model = {"centroids": C.tolist(), "edge": block}
    assert np.array_equal(edge_assign(cluster_model, S), edge.predict(S))


def test_onnx_export_matches_the_layers_under_onnxruntime(tmp_path):
    import onnxruntime as ort

    rng = np.random.default_rng(1)
    X = rng.standard_normal((120, 16)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = (X[:, 0] > 0).astype(int) + 2 * (X[:, 1] > 0)
    C = np.stack([X[labels == j].mean(axis=0) for j in range(4)])
    for kind in ("logreg", "mlp"):
        edge = EdgeClusterModel(kind=kind).fit(X, labels, C)
        session = ort.InferenceSession(str(edge.write_onnx(tmp_path / f"{kind}.onnx")), providers=["CPUExecutionProvider"])
        (scores,) = session.run(["scores"], {"sketch": X})
        assert np.allclose(scores, edge.scores(X), atol=1e-4)


def test_shared_edge_vectors_hold_under_numpy_and_onnxruntime():
    """test/vectors/edge-model.json (+ .onnx), which the worker tests also assert: the stored scores and clusters are
    what the published layers and the ONNX file compute, and the held-out agreement is ≥ 0.9."""
    import onnxruntime as ort

    from compass_trainer.encoders.base import SketchEncoder

    vectors = json.loads((ROOT / "test/vectors/edge-model.json").read_text(encoding="utf-8"))
    model = contracts.validate("cluster-model", vectors["model"])
    held = vectors["held_out"]
    S = SketchEncoder().encode([h["text"] for h in held])
    stored = np.array([h["scores"] for h in held], dtype=np.float32)
    session = ort.InferenceSession(str(ROOT / "test/vectors" / model["edge"]["onnx"]), providers=["CPUExecutionProvider"])
    (scores,) = session.run(["scores"], {"sketch": S})
    assert np.allclose(scores, stored, atol=1e-4)
    predicted = edge_assign(model, S)
    assert np.array_equal(predicted, stored.argmax(axis=1))
    agreement = float((predicted == np.array([h["cluster"] for h in held])).mean())
    assert agreement == pytest.approx(model["edge"]["heldOutAgreement"]) and agreement >= 0.9


def test_unknown_kind_and_unfitted_use_are_clear_errors():
    with pytest.raises(ValueError, match="unknown edge model kind 'svm'"):
        EdgeClusterModel(kind="svm").fit(np.eye(4), np.array([0, 1, 0, 1]), np.eye(4)[:2])
    with pytest.raises(RuntimeError, match="not fitted"):
        EdgeClusterModel().predict(np.eye(4))
    result = runner.invoke(app, ["select", "--target", "sw", "--edge-model", "svm", "--out", "/tmp/never"])
    assert result.exit_code == 2 and "--edge-model must be logreg, mlp or none" in result.output
