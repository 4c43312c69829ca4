"""``compass-trainer publish`` on a real trained adapter: checks, model card, create-only upload to SeaweedFS and to a
local directory, manifest registration (first version stable, next one a canary), and the refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compass_trainer.cli import app
from compass_trainer.publish import PublishError, check_adapter, publish_to_store
from compass_trainer.store import LocalStore, S3Store, sha256_hex
from compass_trainer.store.manifest import ChangeRefused, history, read_manifest
from compass_trainer.training import TrainConfig
from compass_trainer.training.jobs import train_job

from .seaweed import s3_bucket, seaweed_endpoint  # noqa: F401 (fixtures)

CFG = TrainConfig(r=4, epochs=1, batch_size=4, max_length=48, heldout_fraction=0.1, dtype="float32")


@pytest.fixture(scope="module")
def trained(tiny_base, tmp_path_factory):
    """A DoRA adapter for sw trained for one epoch on a few sample pairs (the real files a publish sees)."""
    out = tmp_path_factory.mktemp("pub")
    data = out / "data.jsonl"
    data.write_text("".join(json.dumps({"inputs": f"swali {i} kuhusu mvua", "targets": "mvua mvua"}) + "\n" for i in range(16)), encoding="utf-8")
    return train_job(data, str(tiny_base), out / "adapter-sw", "sw", CFG).adapter_dir


def copy_as_version(adapter: Path, dest: Path, version: int) -> Path:
    shutil.copytree(adapter, dest)
    meta = json.loads((dest / "compass_adapter.json").read_text())
    (dest / "compass_adapter.json").write_text(json.dumps({**meta, "version": version}))
    return dest


def test_a_trained_adapter_passes_the_checks_with_an_absolute_base_and_a_filled_card(trained):
    checked = check_adapter(trained)
    assert (checked.language, checked.name, checked.version) == ("sw", "compass-sw-v1", "1")
    assert Path(checked.base_model).is_absolute()
    card = checked.files["README.md"].decode()
    assert "language:\n- sw" in card and "library_name: peft" in card
    for needle in ("PeftModel.from_pretrained", "load_lora_adapter", "data sha256", sha256_hex(checked.files["adapter_model.safetensors"])):
        assert needle in card


@pytest.mark.parametrize(
    ("corrupt", "named"),
    [
        (lambda d: (d / "adapter_model.safetensors").write_bytes((d / "adapter_model.safetensors").read_bytes()[:-100]), "adapter_model.safetensors"),
        (lambda d: (d / "adapter_model.safetensors").unlink(), "adapter_model.safetensors: missing"),
        (lambda d: (d / "compass_adapter.json").write_text('{"language": "sw",\n "version": }'), "compass_adapter.json:2"),
        (lambda d: (d / "adapter_config.json").write_text(json.dumps({**json.loads((d / "adapter_config.json").read_text()), "r": 8})), "adapter_config.json"),
        (
            lambda d: (d / "adapter_config.json").write_text(
                json.dumps({**json.loads((d / "adapter_config.json").read_text()), "base_model_name_or_path": "../base"})
            ),
            "relative path",
        ),
    ],
    ids=["truncated-weights", "missing-weights", "broken-metadata", "rank-mismatch", "relative-base"],
)
def test_an_adapter_whose_files_metadata_or_checksums_disagree_is_refused_naming_the_file(trained, tmp_path, corrupt, named):
    bad = copy_as_version(trained, tmp_path / "bad", 1)
    corrupt(bad)
    with pytest.raises(PublishError, match=named.replace(".", r"\.")):
        check_adapter(bad)


def test_publish_to_seaweedfs_stores_every_file_with_its_sha256_and_registers_stable_then_canary(trained, tmp_path, s3_bucket, seaweed_endpoint):
    store = S3Store(s3_bucket, "", seaweed_endpoint)
    first = publish_to_store(check_adapter(trained), store)
    assert first.activated == "stable" and first.manifest_revision == 1
    for name, meta in first.record["files"].items():
        assert store.sha256_of(first.prefix + name) == meta["sha256"], name
    v2 = check_adapter(copy_as_version(trained, tmp_path / "v2", 2))
    second = publish_to_store(v2, store, canary=0.1)
    manifest, _ = read_manifest(store)
    entry = manifest["languages"]["sw"]
    assert entry["adapter"]["version"] == "1" and entry["canary"]["adapter"]["version"] == "2"
    assert entry["canary"]["share"] == 0.1 and entry["canary"]["adapter"]["sha256"] == second.record["adapterSha256"]
    assert [e["action"] for e in history(store, "sw")] == ["canary", "publish"]
    with pytest.raises(ChangeRefused, match="canary-in-progress"):
        publish_to_store(check_adapter(copy_as_version(trained, tmp_path / "v3", 3)), store, canary=0.1)


def test_republishing_resumes_and_a_changed_version_is_refused(trained, tmp_path):
    store = LocalStore(tmp_path / "registry")
    publish_to_store(check_adapter(trained), store)
    again = publish_to_store(check_adapter(trained), store)
    assert again.uploaded == [] and again.activated is None
    changed = copy_as_version(trained, tmp_path / "changed", 1)
    (changed / "anchors.jsonl").write_text('{"inputs": "other", "targets": "x"}\n')
    with pytest.raises(PublishError, match="published before with other content"):
        publish_to_store(check_adapter(changed), store)


def test_the_cli_publishes_to_a_directory_and_reports_errors_naming_the_file(trained, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["publish", str(trained), "--to", str(tmp_path / "reg")])
    assert ok.exit_code == 0, ok.output
    assert "is now the stable" in ok.output
    bad = copy_as_version(trained, tmp_path / "bad", 5)
    (bad / "compass_adapter.json").write_text(json.dumps({**json.loads((bad / "compass_adapter.json").read_text()), "adapter_sha256": "0" * 64}))
    refused = runner.invoke(app, ["publish", str(bad), "--to", str(tmp_path / "reg")])
    assert refused.exit_code == 1 and "adapter_model.safetensors" in refused.output.replace("\n", "")


def test_publish_and_rollout_exit_2_for_bad_arguments_and_1_when_the_store_or_worker_refuses_or_is_unreachable(trained, tmp_path):
    runner = CliRunner(env={"COMPASS_ADMIN_TOKEN": None})
    assert runner.invoke(app, ["publish", str(trained), "--to", str(tmp_path / "reg")]).exit_code == 0
    changed = copy_as_version(trained, tmp_path / "changed", 1)
    (changed / "anchors.jsonl").write_text('{"inputs": "other", "targets": "x"}\n')
    # exit 1: the data, the store or the worker said no
    store_refuses = runner.invoke(app, ["publish", str(changed), "--to", str(tmp_path / "reg")])
    assert store_refuses.exit_code == 1 and "published before with other content" in store_refuses.stderr
    unreachable = runner.invoke(app, ["publish", str(trained), "--to", "http://127.0.0.1:9", "--token", "t"])
    assert unreachable.exit_code == 1 and "127.0.0.1:9" in unreachable.stderr
    status_unreachable = runner.invoke(app, ["rollout", "status", "--language", "sw", "--to", "http://127.0.0.1:9", "--token", "t"])
    assert status_unreachable.exit_code == 1 and "127.0.0.1:9/admin/rollout/sw" in status_unreachable.stderr
    # exit 2: an argument is wrong, and nothing was read or sent
    for args, named in [
        (["publish", str(tmp_path / "nowhere"), "--to", str(tmp_path / "reg")], "no such adapter directory"),
        (["publish", str(trained), "--to", "http://127.0.0.1:9"], "needs a token"),
        (["publish", str(trained), "--to", "s3://"], "no bucket named"),
        (["publish", str(trained), "--to", str(tmp_path / "reg"), "--canary", "1.5"], "--canary must be in (0, 1]"),
        (["rollout", "promote", "--language", "sw", "--to", "http://127.0.0.1:9"], "needs a token"),
        (["rollout", "status", "--language", "sw", "--to", str(tmp_path / "reg"), "--token", "t"], "a compass worker's URL"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and named in result.stderr, (args, result.output)
