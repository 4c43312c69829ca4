"""The resumable core of ``compass-trainer watch``: each drift trigger, exactly once, through the steps

    fetched → trained → checked → published   (or → held, when the check says the version must not be published)

with the progress of every trigger kept in a small state file (``watch_state.json``, rewritten atomically after each
step). A process killed at any point resumes where the state says: a finished step is never redone, a version that
was written completely is not trained again, and publishing is idempotent by trigger id, so no trigger yields two
versions.

Where triggers come from, how a window is fetched and where versions go are pluggable (:class:`TriggerSource`,
:class:`WindowFetcher`, :class:`Publisher`); the local-directory implementations here serve tests and the offline
demo, the worker's ``GET /admin/triggers`` and the object store plug in the same way.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from . import contracts
from .cycle import CYCLE_FILE, UpdateRequest, read_cycle, update_cycle
from .training.artifacts import METADATA

STATE_FILE = "watch_state.json"
STEPS = ("fetched", "trained", "checked", "published", "held")
FINAL = ("published", "held")


class WatchError(ValueError):
    """A trigger or a state file is malformed; the message names it."""


@dataclass(frozen=True)
class Trigger:
    """A drift trigger as the edge emits it (``adapters/trigger.ts``, METHOD §6): which language drifted in which
    region, by how much, and where the sampled recent window lies (``windowKey``)."""

    id: str
    language: str
    region: str
    window_key: str | None
    js: float
    document: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_json(cls, doc: Any, where: str) -> Trigger:
        """Validate ``doc`` against the drift-trigger contract; errors name ``where`` and the offending fields."""
        try:
            contracts.validate("drift-trigger", doc)
        except contracts.ContractError as err:
            raise WatchError(f"{where}: {err}") from None
        return cls(doc["id"], doc["language"], doc["region"], doc["windowKey"], doc["js"], doc)


@dataclass(frozen=True)
class PublishedVersion:
    language: str
    version: int
    path: Path
    trigger_id: str | None


class TriggerSource(Protocol):
    def pending(self) -> list[Trigger]:
        """Triggers not yet acknowledged, oldest first."""

    def ack(self, trigger: Trigger) -> None:
        """The trigger is finished (published or held): the source need not offer it again."""


class WindowFetcher(Protocol):
    def fetch(self, trigger: Trigger, dest: Path) -> Path:
        """Write the trigger's window sample (JSONL rows with ``inputs``) to ``dest`` and return it."""


class Publisher(Protocol):
    def current(self, language: str) -> PublishedVersion:
        """The version an update for ``language`` starts from."""

    def publish(self, trigger: Trigger, version_dir: Path) -> PublishedVersion:
        """Publish the version written at ``version_dir`` for ``trigger``. Idempotent by trigger id: publishing the
        same trigger again returns the version published the first time and creates nothing."""


class StateStore:
    """``watch_state.json``: per trigger id, the last finished step and what it produced. Every change rewrites the
    file atomically (temporary file, fsync, rename): a kill leaves the previous or the next state, never half."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.triggers: dict[str, dict] = {}
        if self.path.exists():
            try:
                doc = json.loads(self.path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as err:
                raise WatchError(f"{self.path}: not valid JSON ({err.msg} at line {err.lineno})") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("triggers"), dict):
                raise WatchError(f"{self.path}: expected an object with a 'triggers' object")
            self.triggers = doc["triggers"]

    def get(self, trigger_id: str) -> dict:
        return self.triggers.get(trigger_id, {})

    def step(self, trigger_id: str) -> str | None:
        return self.get(trigger_id).get("step")

    def advance(self, trigger_id: str, step: str, **facts: Any) -> dict:
        if step not in STEPS:
            raise ValueError(f"unknown step '{step}'")
        record = {**self.get(trigger_id), **facts, "step": step, "updated": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self.triggers[trigger_id] = record
        atomic_write_json(self.path, {"triggers": self.triggers})
        return record


def atomic_write_json(path: Path, value: Any) -> None:
    """Write JSON so that readers and a later restart see the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, indent=1, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Event = dict[str, Any]


class Watcher:
    """Runs triggers through the steps. ``template`` carries the update settings (base model, data, strategy, …);
    each trigger fills in the adapter it starts from, its window and its output directory."""

    def __init__(self, source: TriggerSource, fetcher: WindowFetcher, publisher: Publisher, template: UpdateRequest, workdir: Path,
                 on_event: Callable[[Event], None] = lambda event: None):  # fmt: skip
        self.source = source
        self.fetcher = fetcher
        self.publisher = publisher
        self.template = template
        self.workdir = Path(workdir)
        self.state = StateStore(self.workdir / STATE_FILE)
        self.on_event = on_event

    def run_once(self) -> list[dict]:
        """Process every pending trigger to a final step; returns their final records."""
        return [self.process(trigger) for trigger in self.source.pending()]

    def process(self, trigger: Trigger) -> dict:
        """Take one trigger from wherever the state left it to ``published`` or ``held``."""
        tid = trigger.id
        here = self.workdir / "triggers" / tid
        step = self.state.step(tid)
        if step is None:
            window = self.fetcher.fetch(trigger, here / "window.jsonl")
            self._advance(trigger, "fetched", window=str(window))
            step = "fetched"
        if step == "fetched":
            version_dir = here / "version"
            if not (version_dir / CYCLE_FILE).exists():  # a version written completely before a kill is not retrained
                start = self.publisher.current(trigger.language)
                request = replace(self.template, adapter=start.path, window=Path(self.state.get(tid)["window"]), out=version_dir, previous_data=None)
                self._emit(trigger, "training", parent=start.version)
                update_cycle(request, log=lambda message: self._emit(trigger, "log", message=message))
            version = json.loads((version_dir / METADATA).read_text(encoding="utf-8"))["version"]
            self._advance(trigger, "trained", version_dir=str(version_dir), version=version)
            step = "trained"
        if step == "trained":
            check = read_cycle(Path(self.state.get(tid)["version_dir"]))["check"]
            self._advance(trigger, "checked", publishable=check["publishable"], reason=check["reason"])
            step = "checked"
        if step == "checked":
            record = self.state.get(tid)
            if record["publishable"]:
                published = self.publisher.publish(trigger, Path(record["version_dir"]))
                self._advance(trigger, "published", published=str(published.path), version=published.version)
            else:
                self._advance(trigger, "held")
        self.source.ack(trigger)
        return self.state.get(tid)

    def _advance(self, trigger: Trigger, step: str, **facts: Any) -> None:
        record = self.state.advance(trigger.id, step, language=trigger.language, **facts)
        self._emit(trigger, step, **{k: v for k, v in record.items() if k not in ("step", "updated", "language")})

    def _emit(self, trigger: Trigger, event: str, **facts: Any) -> None:
        self.on_event({"trigger": trigger.id, "language": trigger.language, "event": event, **facts})


class DirectoryTriggerSource:
    """Triggers as ``*.json`` files in a directory (one trigger each, in name order); acknowledging moves a file into
    ``acked/``. A malformed file is an error naming it, never skipped."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def pending(self) -> list[Trigger]:
        if not self.directory.is_dir():
            raise WatchError(f"{self.directory}: no such trigger directory")
        triggers = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as err:
                raise WatchError(f"{path}: invalid JSON ({err.msg} at line {err.lineno})") from None
            triggers.append(Trigger.from_json(doc, str(path)))
        return triggers

    def ack(self, trigger: Trigger) -> None:
        acked = self.directory / "acked"
        acked.mkdir(exist_ok=True)
        for path in self.directory.glob("*.json"):
            if json.loads(path.read_text(encoding="utf-8")).get("id") == trigger.id:
                path.replace(acked / path.name)


class LocalWindowFetcher:
    """The trigger's ``windowKey`` is a file path (relative paths against ``root``): copied to the destination."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def fetch(self, trigger: Trigger, dest: Path) -> Path:
        if trigger.window_key is None:
            raise WatchError(f"trigger {trigger.id}: no window sample (windowKey is null; the edge's window sampling is off)")
        source = self.root / trigger.window_key
        if not source.is_file():
            raise WatchError(f"trigger {trigger.id}: window {source} does not exist")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(dest)
        return dest


class DirectoryPublisher:
    """Versions in ``root/<language>/v<N>/``, each with ``published.json`` naming the trigger it answered. Copying
    goes to a hidden staging directory renamed into place, so a version directory is always complete."""

    RECORD = "published.json"

    def __init__(self, root: Path):
        self.root = Path(root)

    def versions(self, language: str) -> list[PublishedVersion]:
        found = []
        for path in (self.root / language).glob("v*"):
            if path.is_dir() and path.name[1:].isdigit():
                record = json.loads((path / self.RECORD).read_text(encoding="utf-8")) if (path / self.RECORD).exists() else {}
                found.append(PublishedVersion(language, int(path.name[1:]), path, record.get("trigger")))
        return sorted(found, key=lambda v: v.version)

    def current(self, language: str) -> PublishedVersion:
        versions = self.versions(language)
        if not versions:
            raise WatchError(f"no published version for language '{language}' under {self.root / language}")
        return versions[-1]

    def publish(self, trigger: Trigger, version_dir: Path) -> PublishedVersion:
        for existing in self.versions(trigger.language):
            if existing.trigger_id == trigger.id:
                return existing
        version = int(json.loads((Path(version_dir) / METADATA).read_text(encoding="utf-8"))["version"])
        target = self.root / trigger.language / f"v{version}"
        if target.exists():
            raise WatchError(f"{target} already holds a version published for another trigger")
        staging = target.parent / f".v{version}.partial"
        if staging.exists():
            shutil.rmtree(staging)
        shutil.copytree(version_dir, staging)
        atomic_write_json(staging / self.RECORD, {"trigger": trigger.id, "language": trigger.language, "version": version})
        staging.rename(target)
        return PublishedVersion(trigger.language, version, target, trigger.id)

    def seed(self, language: str, adapter_dir: Path) -> PublishedVersion:
        """Place an initial version (trained outside ``watch``) as ``v<its version>``."""
        version = int(json.loads((Path(adapter_dir) / METADATA).read_text(encoding="utf-8"))["version"])
        target = self.root / language / f"v{version}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(adapter_dir, target)
        return PublishedVersion(language, version, target, None)
