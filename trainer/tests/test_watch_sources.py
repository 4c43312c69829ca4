"""``compass-trainer watch`` on the store path: triggers under a store's ``triggers/`` prefix, windows at their
``windowKey``, versions published create-only as canaries with the manifest changed by compare-and-swap. The kill
test runs the real CLI in a subprocess and kills it in the middle of the update."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compass_trainer.publish import check_adapter, publish_to_store
from compass_trainer.store import LocalStore
from compass_trainer.store.manifest import history, read_manifest
from compass_trainer.watch import STATE_FILE, StateStore
from compass_trainer.watch_sources import (
    RolloutPublisher,
    SourceError,
    StoreTriggers,
    StoreWindows,
    as_watch_trigger,
    one_per_model,
)

import compass_trainer

from .watch_process import json_events, kill_once_version_two_trains

CLI = [sys.executable, "-c", "from compass_trainer.cli import app; app()"]
# The subprocesses run the code under test, wherever the package was imported from.
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(Path(compass_trainer.__file__).parents[1])}


def edge_trigger(id_: str, region: str = "eu", model_version: str = "1", at: str = "2026-11-24T02:00:00.000Z") -> dict:
    """A trigger as the edge's drift window sends it (adapters/trigger.ts)."""
    return {"id": id_, "language": "sw", "region": region, "modelVersion": model_version, "reference": [0.5, 0.5],
            "monitored": [0.1, 0.9], "js": 0.27, "theta": 0.15, "windowSamples": 1000,
            "windowKey": f"windows/sw/{region}/{id_}.jsonl", "at": at}  # fmt: skip


def put(store: LocalStore, key: str, data: bytes) -> None:
    path = store.root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def seeded_store(root: Path, version_one: Path) -> LocalStore:
    """A store with v1 published as sw's stable adapter, and one trigger on v1's cluster model with its window."""
    store = LocalStore(root / "store")
    publish_to_store(check_adapter(version_one / "v1"), store)
    model_version = json.loads((version_one / "v1" / "cluster_model.json").read_text(encoding="utf-8"))["version"]
    trigger = edge_trigger("sw.eu.1.1", model_version=str(model_version))
    put(store, f"triggers/{trigger['id']}.json", json.dumps(trigger).encode())
    put(store, trigger["windowKey"], (version_one / "window.jsonl").read_bytes())
    return store


def test_store_triggers_are_listed_oldest_first_and_filtered_by_since(tmp_path):
    store = LocalStore(tmp_path)
    put(store, "triggers/b.json", json.dumps(edge_trigger("b", at="2026-11-24T02:00:00.000Z")).encode())
    put(store, "triggers/a.json", json.dumps(edge_trigger("a", at="2026-11-24T03:00:00.000Z")).encode())
    listing = StoreTriggers(store)
    assert [t["id"] for t in listing.list_triggers()] == ["b", "a"]
    assert [t["id"] for t in listing.list_triggers(since="2026-11-24T02:30:00.000Z")] == ["a"]


def test_a_malformed_trigger_in_the_store_is_an_error_naming_its_key(tmp_path):
    store = LocalStore(tmp_path)
    put(store, "triggers/bad.json", json.dumps({**edge_trigger("x"), "js": "high"}).encode())
    with pytest.raises(SourceError, match=r"(?s)triggers/bad\.json.*js"):
        StoreTriggers(store).list_triggers()
    put(store, "triggers/bad.json", b"{not json")
    with pytest.raises(SourceError, match=r"triggers/bad\.json: not JSON"):
        StoreTriggers(store).list_triggers()


def test_only_the_first_trigger_per_cluster_model_version_is_answered():
    triggers = [edge_trigger("sw.eu.1.1"), edge_trigger("sw.all.1.1", region="all"), edge_trigger("sw.eu.2.1", model_version="2")]
    kept, superseded = one_per_model(triggers)
    assert [t["id"] for t in kept] == ["sw.eu.1.1", "sw.eu.2.1"] and [t["id"] for t in superseded] == ["sw.all.1.1"]


def test_a_window_row_without_inputs_is_refused_naming_the_line(tmp_path):
    store = LocalStore(tmp_path / "s")
    trigger = edge_trigger("t")
    put(store, trigger["windowKey"], b'{"inputs": "Ninapikaje pilau?"}\n{"text": "no inputs"}\n')
    with pytest.raises(SourceError, match=r"t\.jsonl: line 2: .*'inputs'"):
        StoreWindows(store).fetch(as_watch_trigger(trigger), tmp_path / "w.jsonl")
    assert not (tmp_path / "w.jsonl").exists()
    with pytest.raises(SourceError, match="not under windows/"):
        as_watch_trigger({**trigger, "windowKey": "manifest.json"})


def test_the_publisher_finishes_a_publish_killed_between_upload_and_canary_with_one_canary(tmp_path, version_one):
    """A kill after the files went up but before the canary started: the re-run starts the canary once."""
    store = seeded_store(tmp_path, version_one)
    # A version 2 without training: v1's files under the next version number (the publisher checks, not judges).
    _as_version(version_one / "v1", tmp_path / "v2", 2)
    adapter = check_adapter(tmp_path / "v2")
    for name, data in adapter.files.items():  # what the killed run uploaded
        put(store, adapter.prefix + name, data)
    trigger = as_watch_trigger(json.loads((store.root / "triggers/sw.eu.1.1.json").read_text()))
    publisher = RolloutPublisher(str(store.root), None, 0.2, tmp_path / "work" / "versions", [version_one / "v1"])
    assert publisher.current("sw").version == 1
    first = publisher.publish(trigger, tmp_path / "v2")
    again = publisher.publish(trigger, tmp_path / "v2")
    assert first == again and first.version == 2
    manifest, _ = read_manifest(store)
    assert manifest["languages"]["sw"]["canary"]["adapter"]["version"] == "2" and manifest["languages"]["sw"]["canary"]["share"] == 0.2
    assert [e["action"] for e in history(store, "sw")] == ["canary", "publish"]
    # A publisher that lost its local copies still recognises the version in the rollout history.
    shutil.rmtree(tmp_path / "work")
    assert publisher.publish(trigger, tmp_path / "v2").version == 2
    assert [e["action"] for e in history(store, "sw")] == ["canary", "publish"]


def _watch(store: LocalStore, work: Path, version_one: Path, tiny_base: Path) -> list[str]:
    return [*CLI, "watch", "--from", str(store.root), "--base", str(tiny_base), "--adapter", str(version_one / "v1"), "--work", str(work),
            "--once", "--json", "--n-clusters", "60", "--epochs", "1", "--canary", "0.1", "--sample"]  # fmt: skip


def test_watch_killed_mid_update_on_the_store_path_finishes_the_trigger_once_with_one_version(tmp_path, version_one, tiny_base):
    store = seeded_store(tmp_path, version_one)
    work = tmp_path / "work"
    command = _watch(store, work, version_one, tiny_base)
    env = ENV

    # First run: SIGKILL (no cleanup) once version 2 is being trained.
    seen = kill_once_version_two_trains(command, env)
    assert [e["event"] for e in seen][:2] == ["fetched", "training"]
    assert StateStore(work / STATE_FILE).step("sw.eu.1.1") == "fetched"
    assert not (store.root / "adapters" / "sw" / "compass-sw-v2").exists()

    # Second run: resumes at the update, then checks and publishes v2 as a canary exactly once.
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [e["event"] for e in json_events(done.stdout) if e["event"] != "log"]
    assert events == ["training", "trained", "checked", "published"], done.stdout[-3000:]
    manifest, _ = read_manifest(store)
    assert manifest["languages"]["sw"]["adapter"]["version"] == "1" and manifest["languages"]["sw"]["canary"]["adapter"]["version"] == "2"
    assert sorted(p.name for p in (store.root / "adapters" / "sw").iterdir()) == ["compass-sw-v1", "compass-sw-v2"]

    # Once more (the trigger is still listed): finished, nothing new published.
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert [e["event"] for e in json_events(again.stdout)] == []
    assert [e["action"] for e in history(store, "sw")] == ["canary", "publish"]


def test_watch_exits_2_on_usage_and_1_on_data_or_runtime_errors_naming_the_bad_input(tmp_path, tiny_base):
    from typer.testing import CliRunner

    from compass_trainer.cli import app

    store = LocalStore(tmp_path / "store")
    put(store, "triggers/broken.json", b'{"id": "x"}')
    runner = CliRunner(env={"COMPASS_ADMIN_TOKEN": None})
    common = ["watch", "--base", str(tiny_base), "--work", str(tmp_path / "w"), "--once", "--sample"]
    no_pool = runner.invoke(app, ["watch", "--base", str(tiny_base), "--work", str(tmp_path / "w"), "--once", "--from", str(store.root), "--train", "t.jsonl"])
    assert no_pool.exit_code == 2 and "--pool: no data given (pass --pool <data>, or --sample" in no_pool.stderr
    bad_trigger = runner.invoke(app, [*common, "--from", str(store.root)])
    assert bad_trigger.exit_code == 1 and "triggers/broken.json" in bad_trigger.stderr  # data, not usage
    bad_share = runner.invoke(app, [*common, "--from", str(store.root), "--canary", "1.5"])
    assert bad_share.exit_code == 2 and "--canary" in bad_share.stderr
    no_token = runner.invoke(app, [*common, "--from", "http://127.0.0.1:9"])
    assert no_token.exit_code == 2 and "token" in no_token.stderr
    bad_since = runner.invoke(app, [*common, "--from", str(store.root), "--since", "yesterday"])
    assert bad_since.exit_code == 2 and "--since 'yesterday'" in bad_since.stderr
    unreachable = runner.invoke(app, [*common, "--from", "http://127.0.0.1:9", "--token", "t"])
    assert unreachable.exit_code == 1 and "127.0.0.1:9/admin/triggers" in unreachable.stderr  # runtime, not usage
    assert not (tmp_path / "w" / STATE_FILE).exists()


def test_the_publisher_refuses_a_version_number_rolled_out_before_with_other_weights(tmp_path, version_one):
    """An operator published compass-sw-v2 by hand; an update that arrives at version 2 must not pass for it."""
    store = seeded_store(tmp_path, version_one)
    by_hand = _as_version(version_one / "v1", tmp_path / "by-hand", 2)
    publish_to_store(check_adapter(by_hand), store, canary=0.1)
    ours = _as_version(version_one / "v1", tmp_path / "ours", 2, alter=True)
    trigger = as_watch_trigger(json.loads((store.root / "triggers/sw.eu.1.1.json").read_text()))
    publisher = RolloutPublisher(str(store.root), None, 0.2, tmp_path / "work" / "versions", [version_one / "v1"])
    with pytest.raises(SourceError, match="compass-sw-v2@2 was rolled out before with other weights"):
        publisher.publish(trigger, ours)
    assert [e["action"] for e in history(store, "sw")] == ["canary", "publish"]


def _as_version(source: Path, dest: Path, version: int, alter: bool = False) -> Path:
    """A copy of an adapter under another version number; with ``alter``, its last weight byte changed (and its
    metadata's sha256 with it), so that it is another adapter."""
    from compass_trainer.store import sha256_hex

    shutil.copytree(source, dest)
    weights = dest / "adapter_model.safetensors"
    if alter:
        data = bytearray(weights.read_bytes())
        data[-1] ^= 1
        weights.write_bytes(bytes(data))
    metadata = json.loads((dest / "compass_adapter.json").read_text(encoding="utf-8"))
    metadata.update(version=version, adapter_sha256=sha256_hex(weights.read_bytes()))
    (dest / "compass_adapter.json").write_text(json.dumps(metadata), encoding="utf-8")
    return dest
