import json

from typer.testing import CliRunner

from compass_trainer.cli import SAMPLE_DIR, app

runner = CliRunner()


def test_select_on_the_embedded_sample_data_fills_the_thin_topics(tmp_path):
    result = runner.invoke(app, ["select", "--target", "sw", "--train", str(SAMPLE_DIR / "train.jsonl"), "--usage", str(SAMPLE_DIR / "usage.jsonl"),
                                 "--pool", str(SAMPLE_DIR / "pool.jsonl"), "--budget", "0.8", "--n-clusters", "60",
                                 "--out", str(tmp_path), "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "selected.jsonl" in result.output
    rows = [json.loads(line) for line in (tmp_path / "selected.jsonl").read_text(encoding="utf-8").splitlines()]
    aux = [r for r in rows if r["role"] == "auxiliary"]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    picked = sum(r["times_selected"] for r in aux)
    # Budget 40; what the usage-visited clusters cannot hold (3 picks per candidate) is reported, not filled elsewhere.
    assert picked == 40 - report["shortfall"] and picked > 0 and len([r for r in rows if r["role"] == "target"]) == 50
    assert all(r["cluster"] is not None and r["source"] for r in aux)
    thin = {"cooking", "math"}  # sw's thin topics in the sample data
    thin_picks = sum(r["times_selected"] for r in aux if r.get("topic") in thin)
    assert thin_picks / picked > 3 * 2 / 10  # far above thin topics' share of usage
    assert report["js_after"] < report["js_before"]
    assert (tmp_path / "report.png").stat().st_size > 10_000
    # The second run embeds nothing new: the cache holds every text.
    shards = list((tmp_path / "cache").rglob("shard-*.npz"))
    again = runner.invoke(app, ["select", "--target", "sw", "--n-clusters", "60", "--out", str(tmp_path / "again"), "--cache-dir", str(tmp_path / "cache")])
    assert again.exit_code == 0, again.output
    assert list((tmp_path / "cache").rglob("shard-*.npz")) == shards


def test_a_malformed_row_names_file_and_line(tmp_path):
    bad = tmp_path / "train.jsonl"
    bad.write_text('{"inputs": "Habari", "language_code": "swh"}\n{"inputs": \n', encoding="utf-8")
    result = runner.invoke(app, ["select", "--target", "sw", "--train", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output.replace("\n", "")
    assert not (tmp_path / "out" / "selected.jsonl").exists()


def test_unknown_target_language_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["select", "--target", "xx", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "unknown target language 'xx'" in result.output


def test_baseline_methods_run_through_the_same_cli(tmp_path):
    for method in ("random", "langsim", "dsir"):
        result = runner.invoke(app, ["select", "--target", "sw", "--method", method, "--out", str(tmp_path / method)])
        assert result.exit_code == 0, result.output
        report = json.loads((tmp_path / method / "report.json").read_text(encoding="utf-8"))
        assert report["method"] in (method, "langrank-standin")


def test_precomputed_embeddings_align_with_rows_through_filtering_and_dedup(tmp_path):
    """Embeddings computed elsewhere: one .npy row per data row; language filtering and dedup keep them aligned."""
    import numpy as np

    from compass_trainer.encoders.base import SketchEncoder

    def rows(name):
        return [json.loads(line) for line in (SAMPLE_DIR / name).read_text(encoding="utf-8").splitlines()]

    encoder = SketchEncoder()
    for name in ("train", "usage", "pool"):
        texts = [r["inputs"] + ("\n" + r["targets"] if r.get("targets") else "") for r in rows(f"{name}.jsonl")]
        np.save(tmp_path / f"{name}.npy", encoder.encode(texts))
    args = ["select", "--target", "sw", "--n-clusters", "60", "--cache-dir", str(tmp_path / "cache")]
    pre = runner.invoke(app, [*args, "--out", str(tmp_path / "pre"), "--train-embeddings", str(tmp_path / "train.npy"),
                              "--usage-embeddings", str(tmp_path / "usage.npy"), "--pool-embeddings", str(tmp_path / "pool.npy")])  # fmt: skip
    assert pre.exit_code == 0, pre.output
    assert "precomputed embeddings (256 dims)" in pre.output
    live = runner.invoke(app, [*args, "--out", str(tmp_path / "live")])
    assert live.exit_code == 0, live.output
    # Same vectors in the same places: the same selection (scores agree to float rounding: loaded rows are renormalised).
    def load(run):
        return [json.loads(line) for line in (tmp_path / run / "selected.jsonl").read_text(encoding="utf-8").splitlines()]

    pre_rows, live_rows = load("pre"), load("live")
    assert [{**r, "score": None} for r in pre_rows] == [{**r, "score": None} for r in live_rows]
    assert np.allclose([r["score"] or 0 for r in pre_rows], [r["score"] or 0 for r in live_rows], atol=1e-5)
    short = runner.invoke(app, [*args, "--out", str(tmp_path / "x"), "--train-embeddings", str(tmp_path / "usage.npy"),
                                "--usage-embeddings", str(tmp_path / "usage.npy"), "--pool-embeddings", str(tmp_path / "pool.npy")])  # fmt: skip
    assert short.exit_code == 2 and "240 embeddings, but the train data has 400 rows" in " ".join(short.output.split())
