import json

import numpy as np
import pytest
from typer.testing import CliRunner

from compass_trainer.cli import SAMPLE_DIR, app
from compass_trainer.drift import DriftMonitor
from compass_trainer.drift_sim import simulate

runner = CliRunner()


def test_monitor_stays_quiet_on_the_reference_and_triggers_on_a_shift():
    rng = np.random.default_rng(0)
    ref = np.ones(10) / 10
    monitor = DriftMonitor(ref, theta=0.15, window=1000, check_every=100)
    quiet = monitor.observe(rng.integers(0, 10, 3000))
    assert quiet and not any(e.triggered for e in quiet)
    assert all(e.sample % 100 == 0 and e.sample >= 1000 for e in quiet)  # checks every 100, once the window is full
    shifted = monitor.observe(rng.integers(0, 3, 1000))
    assert any(e.triggered for e in shifted)
    first = next(e for e in shifted if e.triggered)
    assert first.js > 0.15 and sum(first.monitoring) == pytest.approx(1.0)
    monitor.reset(np.asarray(first.monitoring))
    assert len(monitor.recent) == 0
    assert monitor.observe([-1] * 500) == []  # noise is ignored


def test_table_11_protocol_at_theta_015_detects_shifts_without_false_positives():
    result = simulate(0.15, runs=3, samples_per_phase=2000)
    assert result.detected >= 2 and result.false_positive_rate == 0.0
    loose = simulate(0.05, runs=3, samples_per_phase=2000)
    assert loose.updates > result.updates  # a lower θ triggers more


def test_eval_scores_a_global_mmlu_fixture_through_the_datasets_loader(tiny_base, tmp_path):
    rows = [
        {
            "question": f"Question {i}?",
            "option_a": "rain",
            "option_b": "rice",
            "option_c": "maize",
            "option_d": "wind",
            "answer": "ABCD"[i % 4],
            "subject": "toy",
            "subject_category": "STEM",
            "cultural_sensitivity_label": "CA",
        }
        for i in range(8)
    ]
    path = tmp_path / "sw.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(
        app, ["eval", "--base", str(tiny_base), "--language", "global_mmlu_full_sw", "--data-files", str(path), "--output", str(tmp_path / "results.json")]
    )
    assert result.exit_code == 0, result.output
    assert "global_mmlu_full_sw" in result.stdout
    # lm-eval's layout: results.<task>."acc,none" / "acc_stderr,none", n-samples.<task>.effective
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    task = written["results"]["global_mmlu_full_sw"]
    acc = task["acc,none"]
    assert 0.0 <= acc <= 1.0 and task["acc_stderr,none"] == pytest.approx((acc * (1 - acc) / 7) ** 0.5)
    assert written["n-samples"]["global_mmlu_full_sw"]["effective"] == 8
    bad = runner.invoke(app, ["eval", "--base", str(tiny_base), "--language", "global_mmlu_sw"])
    assert bad.exit_code == 2 and "unknown task 'global_mmlu_sw'" in bad.stderr
    from compass_trainer.evaluate import load_rows, prompt_for

    loaded = load_rows("global-mmlu", "sw", data_files=str(path))
    assert len(loaded) == 8
    prompt, letters = prompt_for({**loaded[0], "option_d": ""}, "global-mmlu")
    assert letters == "ABC" and "A. rain" in prompt


def test_train_drift_update_loop_on_the_sample_data(tiny_base, tmp_path):
    sel = tmp_path / "select"
    assert (
        runner.invoke(app, ["select", "--target", "sw", "--sample", "--n-clusters", "60", "--out", str(sel), "--cache-dir", str(tmp_path / "c")]).exit_code == 0
    )
    model = json.loads((sel / "cluster_model.json").read_text(encoding="utf-8"))
    assert model["encoder"] == "compass-sketch-v1" and len(model["centroids"]) == 60 and sum(model["reference"]) == pytest.approx(1.0)

    adapter = tmp_path / "sw-v1"
    result = runner.invoke(
        app,
        [
            "train",
            "--data",
            str(sel / "selected.jsonl"),
            "--language",
            "sw",
            "--base",
            str(tiny_base),
            "--out",
            str(adapter),
            "--epochs",
            "2",
            "--cluster-model",
            str(sel / "cluster_model.json"),
            "--report",
            str(sel / "report.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((adapter / "compass_adapter.json").read_text(encoding="utf-8"))
    assert meta["language"] == "sw" and meta["method"] == "dora" and meta["version"] == 1 and len(meta["data_sha256"]) == 64
    assert meta["selection_report_sha256"] and meta["metrics"]["tokens_per_second"] > 0
    anchors = (adapter / "anchors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(anchors) == round(0.05 * 90)  # 5% of D_t ∪ S (50 + 40 picks)

    # Swahili traffic that drifts from the usage proxy's mix to the two topics sw's training data was thin in: the
    # replay reports the trigger.
    usage = [json.loads(l) for l in (SAMPLE_DIR / "usage.jsonl").read_text(encoding="utf-8").splitlines() if '"swh"' in l]
    pool = [json.loads(l) for l in (SAMPLE_DIR / "pool.jsonl").read_text(encoding="utf-8").splitlines()]
    shifted = [r for r in pool if r["language_code"] == "swh" and r["topic"] in ("cooking", "math")]
    stream = tmp_path / "stream.jsonl"
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in usage * 20 + shifted * 30), encoding="utf-8")
    result = runner.invoke(app, ["drift", "--cluster-model", str(sel / "cluster_model.json"), "--stream", str(stream), "--window", "300"])
    assert result.exit_code == 0, result.output
    assert "TRIGGER" in result.output

    window = tmp_path / "window.jsonl"
    window.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in shifted * 4), encoding="utf-8")
    v2 = tmp_path / "sw-v2"
    result = runner.invoke(
        app,
        [
            "update",
            "--adapter",
            str(adapter),
            "--base",
            str(tiny_base),
            "--window",
            str(window),
            "--n-clusters",
            "60",
            "--previous-data",
            str(sel / "selected.jsonl"),
            "--out",
            str(v2),
            "--epochs",
            "1",
            "--sample",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "re-selected for the recent window" in result.output
    assert (v2 / "reselection" / "selected.jsonl").exists()
    meta2 = json.loads((v2 / "compass_adapter.json").read_text(encoding="utf-8"))
    assert meta2["version"] == 2 and meta2["strategy"] == "ecda" and meta2["parent"] == str(adapter)
    model2 = json.loads((v2 / "cluster_model.json").read_text(encoding="utf-8"))
    assert model2["version"] == "2" and model2["reference"] != model["reference"]
    assert (v2 / "anchors.jsonl").exists() and (v2 / "adapter_model.safetensors").exists()

    lora = tmp_path / "sw-lora"
    no_prompts = runner.invoke(app, ["export-lora", "--adapter", str(v2), "--base", str(tiny_base), "--out", str(lora)])
    assert no_prompts.exit_code == 2 and "--prompts: no data given" in no_prompts.stderr and not lora.exists()
    result = runner.invoke(app, ["export-lora", "--adapter", str(v2), "--base", str(tiny_base), "--out", str(lora), "--sample"])
    assert result.exit_code == 0, result.output
    assert "reconstruction error mean" in " ".join(result.output.split())


def test_update_needs_a_window_or_a_selection(tiny_base, tmp_path):
    result = runner.invoke(app, ["update", "--adapter", str(tmp_path), "--base", str(tiny_base), "--previous-data", "x", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "pass --window" in result.output


def test_update_re_selecting_without_train_or_pool_is_refused_unless_sample_is_asked_for(tiny_base, tmp_path):
    window = tmp_path / "window.jsonl"
    window.write_text('{"inputs": "mvua inanyesha"}\n', encoding="utf-8")
    common = ["update", "--adapter", str(tmp_path), "--base", str(tiny_base), "--window", str(window), "--out", str(tmp_path / "o")]
    no_train = runner.invoke(app, common)
    assert no_train.exit_code == 2 and "--train: no data given" in no_train.stderr and "--sample" in no_train.stderr
    no_pool = runner.invoke(app, [*common, "--train", str(SAMPLE_DIR / "train.jsonl")])
    assert no_pool.exit_code == 2 and "--pool: no data given" in no_pool.stderr
    assert not (tmp_path / "o").exists()


def test_update_with_a_malformed_window_row_exits_1_naming_file_and_line(tiny_base, version_one, tmp_path):
    window = tmp_path / "window.jsonl"
    window.write_text('{"inputs": "mvua inanyesha"}\n{"inputs": \n', encoding="utf-8")
    args = ["update", "--adapter", str(version_one / "v1"), "--base", str(tiny_base), "--window", str(window), "--sample", "--out", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and f"{window}:2" in result.stderr
    assert not (tmp_path / "o").exists()


def test_train_without_a_base_for_the_tiny_preset_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["train", "--data", str(SAMPLE_DIR / "train.jsonl"), "--language", "sw", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "pass --base" in result.output
