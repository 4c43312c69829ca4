"""The manifest on a store: read it, and change it only by compare-and-swap, keeping every accepted revision as
``manifests/{n}.json`` (the rollout history). The same contract as the worker's ``src/registry/manifest-store.ts``.

A change is a function of the current language entry; it is re-applied to a fresh read whenever another writer got
in first, so concurrent publishers never lose each other's updates.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import datetime, timezone

from .. import contracts
from .base import AlreadyExists, Conflict, Store, sha256_hex

MANIFEST_KEY = "manifest.json"
MANIFEST_SCHEMA_VERSION = 1
# A writer that loses this many races in a row gives up and says so; each retry waits a jittered, growing pause.
CAS_ATTEMPTS = 100
BACKOFF_S = 0.01


def history_key(revision: int) -> str:
    return f"manifests/{revision}.json"


def read_manifest(store: Store) -> tuple[dict | None, str | None]:
    """The manifest in force and its entity tag, or ``(None, None)`` when none was ever written."""
    found = store.get(MANIFEST_KEY)
    if found is None:
        return None, None
    return json.loads(found.data), found.etag


def summary(ref: dict | None) -> dict | None:
    if not ref:
        return None
    return {k: ref[k] for k in ("name", "version", "sha256") if k in ref}


def encode(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


class ChangeRefused(ValueError):
    """The change does not apply to the language's current state (e.g. a canary while another one runs)."""


def update_manifest(store: Store, language: str, action: str, reason: str, change: Callable[[dict | None], dict],
                    base_model: str, actor: str = "trainer", share: float | None = None) -> dict:  # fmt: skip
    """Apply ``change`` to ``language``'s entry by compare-and-swap and record the revision in the history.

    Args:
        change: current entry (or None) → new entry; raises ``ChangeRefused`` when it does not apply.
        base_model: the base model the adapters are trained on; a manifest serving another base refuses the change.

    Returns:
        The manifest written.

    Raises:
        ChangeRefused: the change does not apply, or the manifest serves another base model.
        Conflict: ``CAS_ATTEMPTS`` races were lost in a row.
    """
    for attempt in range(CAS_ATTEMPTS):
        current, etag = read_manifest(store)
        if current is None:
            current = {"schemaVersion": MANIFEST_SCHEMA_VERSION, "baseModel": base_model, "revision": 0, "languages": {}}
        elif current.get("baseModel") != base_model:
            raise ChangeRefused(f"the manifest serves base model {current.get('baseModel')!r}; this adapter is for {base_model!r}")
        revision = int(current.get("revision", 0))
        if revision > 0 and etag is not None:
            _ensure_history(store, revision, current)
        before = current["languages"].get(language)
        after = change(json.loads(json.dumps(before)) if before else None)
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        event = {"revision": revision + 1, "at": now, "language": language, "action": action, "actor": actor, "reason": reason,
                 "from": _state(before), "to": _state(after)}  # fmt: skip
        if share is not None:
            event["share"] = share
        new = {**current, "revision": revision + 1, "updatedAt": now, "change": event, "languages": {**current["languages"], language: after}}
        contracts.validate("manifest", new)
        try:
            store.put_if(MANIFEST_KEY, encode(new), etag)
        except Conflict:
            time.sleep(random.uniform(0, BACKOFF_S * (1 + attempt)))
            continue
        _ensure_history(store, revision + 1, new)
        return new
    raise Conflict(f"{MANIFEST_KEY}: lost {CAS_ATTEMPTS} compare-and-swap races in a row")


def _state(entry: dict | None) -> dict:
    entry = entry or {}
    return {"stable": summary(entry.get("adapter")), "canary": summary((entry.get("canary") or {}).get("adapter"))}


def _ensure_history(store: Store, revision: int, manifest: dict) -> None:
    """Keep ``manifests/{revision}.json``; a writer that died between its manifest write and this one is repaired by
    the next writer, which finds that revision in force."""
    data = encode(manifest)
    try:
        store.put_new(history_key(revision), data, sha256_hex(data))
    except AlreadyExists:
        pass


def history(store: Store, language: str | None = None, limit: int = 50) -> list[dict]:
    """The recorded changes, newest first (of ``language`` only, when given)."""
    current, _ = read_manifest(store)
    events: list[dict] = []
    revision = int((current or {}).get("revision", 0))
    while revision > 0 and len(events) < limit:
        found = store.get(history_key(revision))
        revision -= 1
        if found is None:
            continue
        change = json.loads(found.data).get("change")
        if change and (language is None or change.get("language") == language):
            events.append(change)
    return events
