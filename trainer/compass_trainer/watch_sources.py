"""Where ``compass-trainer watch`` gets its work and where it puts the result: the concrete trigger sources, window
fetchers and publishers behind the step machine of ``watch.py``.

* A compass worker (``http(s)://…`` with the admin token): triggers from ``GET /admin/triggers?since=…`` (paged by
  ``cursor``), window samples from ``GET /admin/windows/…``, and versions published through the admin API as a canary.
* A store (a local directory or ``s3://bucket/prefix``, e.g. R2's S3 API): triggers as ``triggers/{id}.json`` objects,
  window samples at the trigger's ``windowKey``, versions published create-only with the manifest changed by
  compare-and-swap.

In production the worker's Queue can instead be drained by Cloudflare Queues' HTTP pull consumer
(``POST /accounts/{account}/queues/{queue}/messages/pull`` then ``…/messages/ack``): a source that pulls, hands each
trigger to the step machine and acks it only once the machine has recorded it is the same shape as these two; the
trigger ids make a redelivered message harmless.

Every network read here has a timeout and a size bound; every trigger is validated against the shared contract
(``adapters/trigger.ts``) before anything acts on it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import contracts
from .languages import to_canonical
from .store import Store, StoreError, open_store
from .training.artifacts import METADATA
from .watch import PublishedVersion, Trigger, Watcher, atomic_write_json

# One admin request waits at most this long.
TIMEOUT_S = 60
# A page of triggers is JSON of at most 1,000 triggers of a few KiB each.
MAX_PAGE_BYTES = 16 << 20
# A window sample is a bounded reservoir of texts (the drift window keeps at most a few hundred).
MAX_WINDOW_BYTES = 64 << 20
# Pages followed in one listing before giving up (1,000 triggers a page).
MAX_PAGES = 1000


class SourceError(RuntimeError):
    """A trigger source, window fetcher or publisher failed; the message names the URL or key."""


def validate_trigger(document: object, where: str) -> dict:
    """A trigger checked against the shared contract; the error names where it came from."""
    try:
        return contracts.validate("drift-trigger", document)
    except contracts.ContractError as err:
        raise SourceError(f"{where}: not a drift trigger:\n{err}") from None


def as_watch_trigger(edge: dict) -> Trigger:
    """The edge's trigger (``adapters/trigger.ts``) as the step machine's: its window is the bucket key."""
    _window_key(edge)
    return Trigger(edge["id"], to_canonical(edge["language"]) or edge["language"], edge["region"], edge["windowKey"], edge["js"], edge)


def one_per_model(triggers: list[dict]) -> tuple[list[dict], list[dict]]:
    """The first trigger per (language, cluster-model version), and the rest. Every trigger of one model version
    reports drift away from the same adapter; answering the first one updates it, and the new version comes with a
    new cluster model whose windows start afresh, so the others (another region, the rollup) are superseded."""
    kept, superseded, seen = [], [], set()
    for trigger in triggers:
        key = (trigger["language"], trigger["modelVersion"])
        (superseded if key in seen else kept).append(trigger)
        seen.add(key)
    return kept, superseded


class EdgeTriggerSource:
    """The step machine's trigger source over a listing (worker or store): triggers of the watched languages, one per
    cluster-model version, oldest first. Acknowledging is a no-op: the worker's log and the store's prefix are
    append-only records, and the watch state file is what says a trigger is finished."""

    def __init__(self, listing: WorkerTriggers | StoreTriggers, languages: set[str] | None = None, since: str | None = None,
                 on_superseded=lambda trigger: None) -> None:  # fmt: skip
        self.listing, self.languages, self.since, self.on_superseded = listing, languages, since, on_superseded

    def describe(self) -> str:
        return self.listing.describe()

    def pending(self) -> list[Trigger]:
        found = self.listing.list_triggers(self.since)
        if self.languages is not None:
            found = [t for t in found if (to_canonical(t["language"]) or t["language"]) in self.languages]
        kept, superseded = one_per_model(found)
        for trigger in superseded:
            self.on_superseded(trigger)
        return [as_watch_trigger(t) for t in kept]

    def ack(self, trigger: Trigger) -> None:
        return None


@dataclass
class AdminClient:
    """The worker's admin API: ``Authorization: Bearer`` with the ADMIN_TOKEN on every call, bounded reads."""

    base_url: str
    token: str

    def __post_init__(self) -> None:
        if not self.token:
            raise SourceError("the worker's admin API needs a token: pass --token or set COMPASS_ADMIN_TOKEN")
        self.base_url = self.base_url.rstrip("/")

    def get(self, path: str, limit: int) -> bytes | None:
        """The body of ``GET path``, or None on 404."""
        req = urllib.request.Request(self.base_url + path, headers={"authorization": f"Bearer {self.token}"})  # noqa: S310 (operator's URL)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as res:  # noqa: S310
                body = res.read(limit + 1)
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None
            detail = err.read(4096).decode("utf-8", "replace")
            try:
                detail = json.loads(detail)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                pass
            raise SourceError(f"{self.base_url}{path}: HTTP {err.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            raise SourceError(f"{self.base_url}{path}: {getattr(err, 'reason', err)}") from None
        if len(body) > limit:
            raise SourceError(f"{self.base_url}{path}: answer larger than {limit} bytes")
        return body


class WorkerTriggers:
    """Triggers the worker's queue consumer recorded, oldest first, from ``GET /admin/triggers``."""

    def __init__(self, client: AdminClient) -> None:
        self.client = client

    def describe(self) -> str:
        return f"{self.client.base_url}/admin/triggers"

    def list_triggers(self, since: str | None = None) -> list[dict]:
        found: list[dict] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            query = {"limit": "1000", **({"since": since} if since else {}), **({"cursor": cursor} if cursor else {})}
            path = "/admin/triggers?" + urllib.parse.urlencode(query)
            body = self.client.get(path, MAX_PAGE_BYTES)
            if body is None:
                raise SourceError(f"{self.client.base_url}{path}: 404: this worker has no drift triggers endpoint")
            try:
                page = json.loads(body)
                triggers, cursor = page["triggers"], page.get("next")
            except (ValueError, KeyError, TypeError):
                raise SourceError(f"{self.client.base_url}{path}: not a page of triggers") from None
            found += [validate_trigger(t, f"{self.client.base_url}{path}: triggers/{i}") for i, t in enumerate(triggers)]
            if not cursor:
                return found
        raise SourceError(f"{self.describe()}: more than {MAX_PAGES} pages of triggers; pass a later --since")


class WorkerWindows:
    """Window samples from the worker's bucket through ``GET /admin/windows/{language}/{region}/{id}.jsonl``."""

    def __init__(self, client: AdminClient) -> None:
        self.client = client

    def fetch(self, trigger: Trigger, dest: Path) -> Path:
        key = _window_key(trigger.document)
        body = self.client.get("/admin/" + urllib.parse.quote(key), MAX_WINDOW_BYTES)
        if body is None:
            raise SourceError(f"{self.client.base_url}/admin/{key}: the window of trigger {trigger.id} is not in the bucket")
        return _write_window(body, dest, f"{self.client.base_url}/admin/{key}")


class StoreTriggers:
    """Triggers kept as ``triggers/{id}.json`` objects in a store, ordered by their time (then id)."""

    PREFIX = "triggers/"

    def __init__(self, store: Store) -> None:
        self.store = store

    def describe(self) -> str:
        return f"{self.store.describe()}/{self.PREFIX}"

    def list_triggers(self, since: str | None = None) -> list[dict]:
        found = []
        for key in list_keys(self.store, self.PREFIX):
            if not key.endswith(".json"):
                continue
            obj = self.store.get(key)
            if obj is None:
                continue  # removed between the listing and the read
            try:
                document = json.loads(obj.data)
            except ValueError as err:
                raise SourceError(f"{self.store.describe()}/{key}: not JSON ({err})") from None
            trigger = validate_trigger(document, f"{self.store.describe()}/{key}")
            if since is None or trigger["at"] > since:
                found.append(trigger)
        return sorted(found, key=lambda t: (t["at"], t["id"]))


class StoreWindows:
    """Window samples read from a store at the trigger's ``windowKey``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def fetch(self, trigger: Trigger, dest: Path) -> Path:
        key = _window_key(trigger.document)
        obj = self.store.get(key)
        if obj is None:
            raise SourceError(f"{self.store.describe()}/{key}: the window of trigger {trigger.id} is not in the store")
        if len(obj.data) > MAX_WINDOW_BYTES:
            raise SourceError(f"{self.store.describe()}/{key}: larger than {MAX_WINDOW_BYTES} bytes")
        return _write_window(obj.data, dest, f"{self.store.describe()}/{key}")


def list_keys(store: Store, prefix: str) -> list[str]:
    """Keys under ``prefix`` in a local-directory or S3 store (the registry's Store protocol has no listing)."""
    from .store import LocalStore, S3Store

    if isinstance(store, LocalStore):
        root = store.root / prefix
        if not root.is_dir():
            return []
        return sorted(str(p.relative_to(store.root)) for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    if isinstance(store, S3Store):
        keys, token = [], None
        for _ in range(MAX_PAGES):
            args = {"Bucket": store.bucket, "Prefix": store.prefix + prefix, **({"ContinuationToken": token} if token else {})}
            page = store.client.list_objects_v2(**args)
            keys += [o["Key"][len(store.prefix) :] for o in page.get("Contents", [])]
            token = page.get("NextContinuationToken")
            if not token:
                return sorted(keys)
        raise SourceError(f"{store.describe()}{prefix}: more than {MAX_PAGES} pages of keys")
    raise SourceError(f"{store.describe()}: listing is not supported for this store")


def _window_key(trigger: dict) -> str:
    key = trigger.get("windowKey")
    if not key:
        raise SourceError(f"trigger {trigger['id']} carries no window sample (DRIFT_SAMPLE_TEXTS was off): nothing to re-select against")
    if not key.startswith("windows/") or ".." in key.split("/"):
        raise SourceError(f"trigger {trigger['id']}: window key {key!r} is not under windows/")
    return key


def _write_window(body: bytes, dest: Path, where: str) -> Path:
    """Check the window is JSONL rows with ``inputs`` (the trainer's data schema), then write it atomically."""
    rows = 0
    for number, line in enumerate(body.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            raise SourceError(f"{where}: line {number}: not JSON ({err})") from None
        if not isinstance(row, dict) or not isinstance(row.get("inputs"), str):
            raise SourceError(f"{where}: line {number}: a window row needs a string 'inputs'")
        rows += 1
    if rows == 0:
        raise SourceError(f"{where}: the window sample is empty")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(body)
    os.replace(tmp, dest)
    return dest


class RolloutPublisher:
    """The step machine's publisher for a worker or a store: a checked version goes up create-only and starts as a
    canary with ``share`` of its language's traffic; what happens next is the guard's to decide (``auto_promote_after``
    lets it promote; only a worker target can pass that on).

    Idempotent by trigger id, so no trigger yields two versions: a local copy of each published version records the
    trigger it answered (``published.json``); and a kill between the upload and that record is caught on the remote
    side, where the files are create-only and a version the language's rollout history already names (as canary,
    promoted or rolled back) is not started again.

    ``current`` is the language's stable adapter in the manifest, read from the local copies or from ``seeds`` (the
    directory an adapter was trained into before ``watch`` ran)."""

    RECORD = "published.json"

    def __init__(self, target: str, token: str | None, share: float, cache: Path, seeds: list[Path] | None = None,
                 auto_promote_after: int | None = None, endpoint: str | None = None) -> None:  # fmt: skip
        if not 0 < share <= 1:
            raise SourceError(f"the canary share must be in (0, 1], got {share}")
        self.target, self.token, self.share, self.endpoint = target, token, share, endpoint
        self.cache, self.seeds, self.auto_promote_after = Path(cache), [Path(p) for p in seeds or []], auto_promote_after
        self.is_worker = target.startswith(("http://", "https://"))

    def describe(self) -> str:
        return self.target

    def _client(self):
        from .store.worker import WorkerClient

        return WorkerClient(self.target, self.token)

    def _rollout_state(self, language: str) -> tuple[dict | None, list[dict]]:
        """The language's stable adapter ref and its rollout history (newest first)."""
        from .store.manifest import history, read_manifest

        if self.is_worker:
            status = self._client().status(language)
            return status.get("stable"), status.get("history", [])
        store = open_store(self.target, self.endpoint)
        manifest, _ = read_manifest(store)
        entry = (manifest or {}).get("languages", {}).get(language) or {}
        return entry.get("adapter"), history(store, language, limit=1000)

    def _local(self, language: str, name: str, version: str) -> Path | None:
        cached = self.cache / language / f"{name}@{version}"
        if cached.is_dir():
            return cached
        for seed in self.seeds:
            metadata = json.loads((seed / METADATA).read_text(encoding="utf-8")) if (seed / METADATA).is_file() else {}
            seed_name = str(metadata.get("name") or f"compass-{language}-v{metadata.get('version')}")
            if to_canonical(str(metadata.get("language", ""))) == language and (seed_name, str(metadata.get("version"))) == (name, version):
                return seed
        return None

    def current(self, language: str) -> PublishedVersion:
        try:
            stable, _ = self._rollout_state(language)
        except StoreError as err:
            raise SourceError(f"{self.target}: reading the {language} rollout: {err}") from None
        if not stable:
            raise SourceError(f"{self.target}: {language} has no stable adapter to update (publish one first)")
        name, version = stable["name"], str(stable["version"])
        local = self._local(language, name, version)
        if local is None:
            raise SourceError(f"the stable {language} adapter {name}@{version} is not under {self.cache / language} nor given "
                              "with --adapter: pass the directory it was trained into")  # fmt: skip
        return PublishedVersion(language, int(version), local, None)

    def publish(self, trigger: Trigger, version_dir: Path) -> PublishedVersion:
        from .publish import PublishError, check_adapter, publish_to_store, publish_to_worker
        from .store.manifest import ChangeRefused

        for record_path in (self.cache / trigger.language).glob(f"*/{self.RECORD}"):
            record = json.loads(record_path.read_text(encoding="utf-8"))
            if record.get("trigger") == trigger.id:
                return PublishedVersion(trigger.language, int(record["version"]), record_path.parent, trigger.id)
        try:
            adapter = check_adapter(Path(version_dir))
        except PublishError as err:
            raise SourceError(str(err)) from None
        ref = {"name": adapter.name, "version": str(adapter.version)}
        try:
            _, events = self._rollout_state(adapter.language)
            named = _names_version(events, ref)
            ours = adapter.record()["adapterSha256"]
            if named and named.get("sha256") not in (None, ours):
                raise SourceError(f"{ref['name']}@{ref['version']} was rolled out before with other weights (sha256 {named['sha256']}, "
                                  f"this version's {ours}): trigger {trigger.id} needs a version number of its own")  # fmt: skip
            if not named:
                if self.is_worker:
                    client = self._client()
                    publish_to_worker(adapter, client, canary=None)  # files and version record, create-only
                    action = {"action": "canary", "name": adapter.name, "version": ref["version"], "share": self.share,
                              "reason": f"compass-trainer watch: drift trigger {trigger.id}"}  # fmt: skip
                    if self.auto_promote_after is not None:
                        action["autoPromoteAfter"] = self.auto_promote_after
                    client.rollout(adapter.language, action)
                else:
                    publish_to_store(adapter, open_store(self.target, self.endpoint), canary=self.share)
        except (StoreError, ChangeRefused, PublishError) as err:
            raise SourceError(f"publishing {version_dir} to {self.target}: {err}") from None
        return self._keep(trigger, adapter.language, adapter.name, ref["version"], Path(version_dir))

    def _keep(self, trigger: Trigger, language: str, name: str, version: str, version_dir: Path) -> PublishedVersion:
        """A local copy of the published version (the next update starts from it), renamed into place complete."""
        target = self.cache / language / f"{name}@{version}"
        if not target.exists():
            staging = target.parent / f".{target.name}.partial"
            if staging.exists():
                shutil.rmtree(staging)
            shutil.copytree(version_dir, staging)
            atomic_write_json(staging / self.RECORD, {"trigger": trigger.id, "language": language, "name": name, "version": version,
                                                      "target": self.target})  # fmt: skip
            staging.rename(target)
        return PublishedVersion(language, int(version), target, trigger.id)


def _names_version(events: list[dict], ref: dict) -> dict | None:
    """The first reference a rollout history holds to this version (as a stable or canary adapter, before or after a
    change), or None."""
    for event in events:
        for side in (event.get("from") or {}, event.get("to") or {}):
            for arm in (side.get("stable"), side.get("canary")):
                if arm and (arm.get("name"), str(arm.get("version"))) == (ref["name"], ref["version"]):
                    return arm
    return None


@dataclass
class WatchOptions:
    """What ``compass-trainer watch`` was asked to do."""

    source: str
    token: str | None
    workdir: Path
    to: str | None = None
    endpoint: str | None = None
    languages: set[str] | None = None
    since: str | None = None
    seeds: list[Path] | None = None
    share: float = 0.1
    auto_promote_after: int | None = None


def open_watch(options: WatchOptions, template, on_event) -> Watcher:
    """The step machine wired to a worker (``http(s)://``) or a store (``s3://…`` or a directory)."""
    if options.source.startswith(("http://", "https://")):
        client = AdminClient(options.source, options.token or "")
        listing: WorkerTriggers | StoreTriggers = WorkerTriggers(client)
        fetcher: WorkerWindows | StoreWindows = WorkerWindows(client)
    else:
        try:
            store = open_store(options.source, options.endpoint)
        except StoreError as err:
            raise SourceError(str(err)) from None
        from .store import LocalStore

        if isinstance(store, LocalStore) and not store.root.is_dir():
            raise SourceError(f"{store.root}: no such store directory")
        listing, fetcher = StoreTriggers(store), StoreWindows(store)

    def superseded(trigger: dict) -> None:
        on_event({"trigger": trigger["id"], "language": trigger["language"], "event": "superseded",
                  "reason": f"a trigger on cluster model {trigger['modelVersion']} was answered first"})  # fmt: skip

    source = EdgeTriggerSource(listing, options.languages, options.since, superseded)
    publisher = RolloutPublisher(options.to or options.source, options.token, options.share, options.workdir / "versions",
                                 options.seeds, options.auto_promote_after, options.endpoint)  # fmt: skip
    return Watcher(source, fetcher, publisher, template, options.workdir, on_event=on_event)
