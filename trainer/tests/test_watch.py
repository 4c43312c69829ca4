"""The watch step machine: state store, local trigger source / window fetcher / publisher, and kill-and-resume of a
real update cycle in a subprocess."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from compass_trainer.cli import SAMPLE_DIR
from compass_trainer.watch import STATE_FILE, DirectoryPublisher, DirectoryTriggerSource, StateStore, Trigger, WatchError

from .watch_process import json_events, kill_once_version_two_trains

# The edge's drift trigger (adapters/trigger.ts), its window sample a file beside it for the local fetcher.
TRIGGER = {"id": "sw.eu.1.1", "language": "sw", "region": "eu", "modelVersion": "1", "reference": [0.5, 0.5], "monitored": [0.1, 0.9],
           "js": 0.31, "theta": 0.15, "windowSamples": 40, "windowKey": "window.jsonl", "at": "2026-11-24T02:00:00.000Z"}  # fmt: skip


def test_the_state_store_keeps_each_trigger_step_across_reloads(tmp_path):
    store = StateStore(tmp_path / STATE_FILE)
    store.advance("t1", "fetched", window="w.jsonl")
    store.advance("t1", "trained", version=2)
    reloaded = StateStore(tmp_path / STATE_FILE)
    assert reloaded.step("t1") == "trained" and reloaded.get("t1")["window"] == "w.jsonl" and reloaded.get("t1")["version"] == 2
    assert reloaded.step("t2") is None
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]  # no temporary file left behind
    with pytest.raises(ValueError, match="unknown step"):
        store.advance("t1", "half-done")


def test_a_torn_state_file_is_an_error_naming_it(tmp_path):
    (tmp_path / STATE_FILE).write_text('{"triggers": {"t1": ', encoding="utf-8")
    with pytest.raises(WatchError, match=STATE_FILE):
        StateStore(tmp_path / STATE_FILE)


def test_a_malformed_trigger_file_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({**TRIGGER, "id": "../escape"}), encoding="utf-8")
    with pytest.raises(WatchError, match="a.json"):
        DirectoryTriggerSource(tmp_path).pending()
    (tmp_path / "a.json").write_text(json.dumps({k: v for k, v in TRIGGER.items() if k != "windowKey"}), encoding="utf-8")
    with pytest.raises(WatchError, match="windowKey"):
        DirectoryTriggerSource(tmp_path).pending()


def _fake_version(path, version):
    path.mkdir(parents=True)
    (path / "compass_adapter.json").write_text(json.dumps({"version": version, "language": "sw"}), encoding="utf-8")
    return path


def test_publishing_the_same_trigger_twice_creates_one_version(tmp_path):
    publisher = DirectoryPublisher(tmp_path / "store")
    publisher.seed("sw", _fake_version(tmp_path / "v1", 1))
    trigger = Trigger.from_json(TRIGGER, "test")
    first = publisher.publish(trigger, _fake_version(tmp_path / "out", 2))
    again = publisher.publish(trigger, tmp_path / "out")  # a restart after the rename, before the state recorded it
    assert first == again and first.version == 2
    assert [v.version for v in publisher.versions("sw")] == [1, 2] and publisher.current("sw").trigger_id == trigger.id
    other = Trigger.from_json({**TRIGGER, "id": "sw.eu.1.2"}, "test")
    with pytest.raises(WatchError, match="another trigger"):
        publisher.publish(other, tmp_path / "out")  # same version number from another trigger: refused, not overwritten


WATCH_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from dataclasses import replace
    from pathlib import Path
    from compass_trainer.cycle import UpdateRequest
    from compass_trainer.training import preset
    from compass_trainer.training.strategies import UpdateConfig
    from compass_trainer.watch import DirectoryPublisher, DirectoryTriggerSource, LocalWindowFetcher, Watcher

    root, base, sample = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    _, cfg = preset("tiny")
    template = UpdateRequest(adapter=Path("-"), base=base, out=Path("-"), train=[sample / "train.jsonl"], pool=[sample / "pool.jsonl"],
                             n_clusters=60, train_config=replace(cfg, dtype="float32"), update=UpdateConfig(epochs=2))
    emit = lambda event: print(json.dumps(event), flush=True)
    watcher = Watcher(DirectoryTriggerSource(root / "triggers"), LocalWindowFetcher(root / "triggers"), DirectoryPublisher(root / "store"),
                      template, root / "work", on_event=emit)
    watcher.run_once()
    """
)


def test_a_watch_killed_mid_update_finishes_the_trigger_once_on_restart(tiny_base, version_one, tmp_path):
    (tmp_path / "triggers").mkdir()
    (tmp_path / "triggers" / "window.jsonl").write_bytes((version_one / "window.jsonl").read_bytes())
    (tmp_path / "triggers" / "t1.json").write_text(json.dumps(TRIGGER), encoding="utf-8")
    publisher = DirectoryPublisher(tmp_path / "store")
    publisher.seed("sw", version_one / "v1")
    script = tmp_path / "run_watch.py"
    script.write_text(WATCH_SCRIPT, encoding="utf-8")
    command = [sys.executable, str(script), str(tmp_path), str(tiny_base), str(SAMPLE_DIR)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    # First run: killed (SIGKILL, no cleanup) once the strategy has started training version 2.
    seen = kill_once_version_two_trains(command, env)
    assert [e["event"] for e in seen][:2] == ["fetched", "training"]
    work = tmp_path / "work"
    assert StateStore(work / STATE_FILE).step(TRIGGER["id"]) == "fetched"
    assert not (work / "triggers" / TRIGGER["id"] / "version").exists()  # nothing half-written in place
    assert [v.version for v in publisher.versions("sw")] == [1]

    # Second run: resumes at the update (the window is not fetched again), then checks and publishes exactly once.
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [e["event"] for e in json_events(done.stdout)]
    assert "fetched" not in events and events[0] == "training"
    assert [e for e in events if e != "log"] == ["training", "trained", "checked", "published"]
    state = StateStore(work / STATE_FILE).get(TRIGGER["id"])
    assert state["step"] == "published" and state["version"] == 2 and state["publishable"] is True
    assert not list((work / "triggers" / TRIGGER["id"]).glob(".*partial"))  # the killed run's staging was cleared
    versions = publisher.versions("sw")
    assert [v.version for v in versions] == [1, 2] and versions[1].trigger_id == TRIGGER["id"]
    assert json.loads((versions[1].path / "cycle.json").read_text(encoding="utf-8"))["check"]["publishable"] is True
    assert (tmp_path / "triggers" / "acked" / "t1.json").exists()

    # The same trigger delivered again (queues are at-least-once): recognised as finished, no new version.
    (tmp_path / "triggers" / "acked" / "t1.json").replace(tmp_path / "triggers" / "t1.json")
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert json_events(again.stdout) == []
    assert [v.version for v in publisher.versions("sw")] == [1, 2]
