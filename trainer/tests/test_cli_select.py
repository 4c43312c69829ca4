import json

import pytest
from typer.testing import CliRunner

from compass_trainer.cli import SAMPLE_DIR, app

runner = CliRunner()


def test_select_on_the_embedded_sample_data_fills_the_thin_topics(tmp_path):
    result = runner.invoke(
        app,
        [
            "select",
            "--target",
            "sw",
            "--train",
            str(SAMPLE_DIR / "train.jsonl"),
            "--usage",
            str(SAMPLE_DIR / "usage.jsonl"),
            "--pool",
            str(SAMPLE_DIR / "pool.jsonl"),
            "--budget",
            "0.8",
            "--n-clusters",
            "60",
            "--out",
            str(tmp_path),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
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
    again = runner.invoke(
        app, ["select", "--target", "sw", "--sample", "--n-clusters", "60", "--out", str(tmp_path / "again"), "--cache-dir", str(tmp_path / "cache")]
    )
    assert again.exit_code == 0, again.output
    assert list((tmp_path / "cache").rglob("shard-*.npz")) == shards


def test_a_malformed_row_is_a_data_error_on_stderr_naming_file_and_line(tmp_path):
    bad = tmp_path / "train.jsonl"
    bad.write_text('{"inputs": "Habari", "language_code": "swh"}\n{"inputs": \n', encoding="utf-8")
    result = runner.invoke(app, ["select", "--target", "sw", "--train", str(bad), "--sample", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stdout == "" and f"error: {bad}:2: invalid JSON" in result.stderr
    assert not (tmp_path / "out" / "selected.jsonl").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--target", "xx", "--sample"], "unknown target language 'xx'"),
        (["--target", "sw"], "--train: no data given (pass --train <data>, or --sample for the bundled sample data)"),
        (["--target", "sw", "--sample", "--budget", "inf"], "--budget must be a finite number ≥ 0, got inf"),
        (["--target", "sw", "--sample", "--method", "magic"], "unknown --method 'magic'"),
        (["--target", "sw", "--sample", "--clusterer", "spectral"], "unknown --clusterer 'spectral'"),
        (["--target", "sw", "--sample", "--encoder", "bert"], "unknown encoder spec 'bert'"),
        (["--target", "sw", "--sample", "--field", "question"], "expected role=name pairs"),
        (["--target", "sw", "--sample", "--train", "/"], "/: a directory, but not a `datasets` folder"),
    ],
    ids=["language", "no-silent-default", "budget-inf", "method", "clusterer", "encoder", "field", "directory"],
)
def test_argument_errors_exit_2_on_stderr_before_any_work(tmp_path, args, message):
    result = runner.invoke(app, ["select", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_an_out_that_is_a_file_is_refused_before_selection_runs(tmp_path):
    (tmp_path / "taken").write_text("x")
    result = runner.invoke(app, ["select", "--target", "sw", "--sample", "--out", str(tmp_path / "taken")])
    assert result.exit_code == 2 and "exists and is not a directory" in result.stderr and "embedded" not in result.stderr


def test_outputs_are_all_or_nothing_when_one_cannot_be_written(tmp_path):
    out = tmp_path / "out"
    (out / "report.png").mkdir(parents=True)  # something in the way of one output
    result = runner.invoke(app, ["select", "--target", "sw", "--sample", "--n-clusters", "20", "--out", str(out), "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 1 and "report.png: a directory is in the way" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.png"]


def test_json_output_version_and_no_wrapping_when_piped(tmp_path):
    result = runner.invoke(
        app, ["select", "--target", "sw", "--sample", "--n-clusters", "20", "--json", "--out", str(tmp_path / "o"), "--cache-dir", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["target"] == "sw" and payload["data"].endswith("selected.jsonl") and payload["selected"] > 0
    assert "target sw:" in result.stderr  # logs go to stderr
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("compass-trainer ")
    human = runner.invoke(app, ["select", "--target", "sw", "--sample", "--n-clusters", "20", "--out", str(tmp_path / "h"), "--cache-dir", str(tmp_path / "c")])
    assert any(len(line) > 80 for line in human.stdout.splitlines())  # the selection summary line is not cut at 80 columns
    error = runner.invoke(app, ["--json", "select", "--target", "xx", "--sample", "--out", str(tmp_path / "e")])
    assert error.exit_code == 2 and json.loads(error.stderr)["exit_code"] == 2 and "unknown target language 'xx'" in json.loads(error.stderr)["error"]


def test_select_for_tamil_from_a_datasets_folder_with_mapped_fields(tmp_path):
    """A language outside the 42 the edge routes, data in a `datasets` save_to_disk folder with its own field names."""
    from datasets import Dataset

    from compass_trainer.cli import SAMPLE_DIR

    topics = ["மழை", "சமையல்", "உடல்நலம்", "பயணம்", "கணிதம்"]
    tamil = [{"question": f"{t} பற்றி கேள்வி {i}?", "answer": f"{t} பற்றிய பதில் {i}.", "lang": "tam"} for t in topics for i in range(6)]
    pool = [
        {"question": json.loads(l)["inputs"], "answer": json.loads(l)["targets"], "lang": json.loads(l)["language_code"]}
        for l in (SAMPLE_DIR / "pool.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    Dataset.from_list(tamil[::2]).save_to_disk(str(tmp_path / "train"))
    Dataset.from_list(tamil[1::2]).save_to_disk(str(tmp_path / "usage"))
    Dataset.from_list(pool + tamil[1::3]).save_to_disk(str(tmp_path / "pool"))
    result = runner.invoke(
        app,
        [
            "select",
            "--target",
            "ta",
            "--train",
            str(tmp_path / "train"),
            "--usage",
            str(tmp_path / "usage"),
            "--pool",
            str(tmp_path / "pool"),
            "--field",
            "inputs=question,targets=answer,language=lang",
            "--n-clusters",
            "10",
            "--out",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["target"] == "ta" and report["train_rows"] == 15 and report["selected"] > 0
    assert "not one of the 42 languages" in report["note"]
    assert [i["source"] for i in report["inputs"]["train"]] == [str(tmp_path / "train")] and len(report["inputs"]["pool"][0]["sha256"]) == 64
    assert report["inputs"]["fields"] == {"inputs": "question", "targets": "answer", "language": "lang", "id": None}
    model = json.loads((tmp_path / "out" / "cluster_model.json").read_text(encoding="utf-8"))
    assert model["language"] == "ta"


def test_baseline_methods_run_through_the_same_cli(tmp_path):
    for method in ("random", "langsim", "dsir"):
        result = runner.invoke(app, ["select", "--target", "sw", "--sample", "--method", method, "--out", str(tmp_path / method)])
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
    args = ["select", "--target", "sw", "--sample", "--n-clusters", "60", "--cache-dir", str(tmp_path / "cache")]
    pre = runner.invoke(
        app,
        [
            *args,
            "--out",
            str(tmp_path / "pre"),
            "--train-embeddings",
            str(tmp_path / "train.npy"),
            "--usage-embeddings",
            str(tmp_path / "usage.npy"),
            "--pool-embeddings",
            str(tmp_path / "pool.npy"),
        ],
    )
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
    short = runner.invoke(
        app,
        [
            *args,
            "--out",
            str(tmp_path / "x"),
            "--train-embeddings",
            str(tmp_path / "usage.npy"),
            "--usage-embeddings",
            str(tmp_path / "usage.npy"),
            "--pool-embeddings",
            str(tmp_path / "pool.npy"),
        ],
    )
    assert short.exit_code == 1 and "240 embeddings, but the train data has 400 rows" in short.stderr
