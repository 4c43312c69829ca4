"""The registry's storage guarantees on a real S3-compatible server (SeaweedFS) and on a local directory:
create-only writes with their SHA-256, and manifest compare-and-swap that loses no update under concurrency."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from compass_trainer.languages import LANGUAGES
from compass_trainer.store import AlreadyExists, Conflict, LocalStore, S3Store, StoreError, sha256_hex
from compass_trainer.store.manifest import history, read_manifest, update_manifest

from .seaweed import s3_bucket, seaweed_endpoint  # noqa: F401 (fixtures)


@pytest.fixture(params=["s3", "local"])
def store(request, tmp_path):
    if request.param == "s3":
        return S3Store(request.getfixturevalue("s3_bucket"), "registry", request.getfixturevalue("seaweed_endpoint"))
    return LocalStore(tmp_path / "registry")


def test_create_only_write_refuses_an_existing_key(store):
    store.put_new("adapters/sw/a/1/x.bin", b"one", sha256_hex(b"one"))
    with pytest.raises(AlreadyExists):
        store.put_new("adapters/sw/a/1/x.bin", b"two", sha256_hex(b"two"))
    assert store.get("adapters/sw/a/1/x.bin").data == b"one"
    assert store.sha256_of("adapters/sw/a/1/x.bin") == sha256_hex(b"one")


def test_a_write_whose_bytes_do_not_match_the_sha256_is_refused_and_leaves_nothing(store):
    with pytest.raises(StoreError) as err:
        store.put_new("adapters/sw/a/1/y.bin", b"corrupted in transit", sha256_hex(b"what was meant"))
    assert not isinstance(err.value, AlreadyExists)
    assert store.get("adapters/sw/a/1/y.bin") is None


def test_compare_and_swap_refuses_a_stale_entity_tag(store):
    first = store.put_if("m.json", b"1", None)
    with pytest.raises(Conflict):
        store.put_if("m.json", b"x", None)
    second = store.put_if("m.json", b"2", first)
    with pytest.raises(Conflict):
        store.put_if("m.json", b"3", first)
    assert store.get("m.json").data == b"2" and store.get("m.json").etag == second


def test_twenty_concurrent_writers_lose_no_update(store):
    languages = sorted(LANGUAGES)[:20]

    def publish(language: str):
        ref = {"name": f"compass-{language}", "version": "1", "sha256": sha256_hex(language.encode())}
        return update_manifest(store, language, "publish", "test", lambda _entry: {"adapter": ref}, base_model="base")

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(publish, languages))
    manifest, _ = read_manifest(store)
    assert sorted(manifest["languages"]) == languages, "every writer's language is in the final manifest"
    assert manifest["revision"] == 20
    revisions = [json.loads(store.get(f"manifests/{n}.json").data)["revision"] for n in range(1, 21)]
    assert revisions == list(range(1, 21)), "each accepted manifest is kept in the history"
    assert sorted(e["language"] for e in history(store)) == languages
