"""``compass-trainer publish``: check an adapter directory, write its model card, and upload it as an immutable version
``adapters/{language}/{name}/{version}/`` to a store (local directory, S3-compatible bucket) or through a compass
worker's admin API; then register it in the manifest (the first version of a language becomes its stable adapter;
``canary`` starts a canary with that share of the language's traffic).

Nothing is uploaded until every check passed, and every object is written create-only with its SHA-256, so a
re-run resumes an interrupted publish and can never overwrite a published version.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

from . import contracts
from .languages import to_canonical
from .store import AlreadyExists, Store, sha256_hex
from .store.manifest import ChangeRefused, update_manifest

METADATA = "compass_adapter.json"
WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"
REQUIRED = (CONFIG, WEIGHTS, METADATA)
# Published beside the PEFT files when present: the edge's cluster model and ECDA's anchor buffer.
OPTIONAL = ("cluster_model.json", "anchors.jsonl")
CARD = "README.md"
VERSION_RECORD = "version.json"
RECORD_SCHEMA_VERSION = 1
# A safetensors header larger than this is not an adapter's (it would be a corrupt length field).
MAX_SAFETENSORS_HEADER = 64 << 20


class PublishError(ValueError):
    """The adapter cannot be published; the message names the file at fault."""


@dataclass
class CheckedAdapter:
    """An adapter directory whose files, metadata and checksums agree."""

    directory: Path
    language: str
    name: str
    version: str
    base_model: str
    metadata: dict
    config: dict
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"adapters/{self.language}/{self.name}/{self.version}/"

    def record(self) -> dict:
        """The version record (``version.json``): what the worker checks the stored objects against."""
        return {"schemaVersion": RECORD_SCHEMA_VERSION, "language": self.language, "name": self.name, "version": self.version,
                "baseModel": self.base_model, "method": self.metadata.get("method"), "adapterSha256": sha256_hex(self.files[WEIGHTS]),
                "files": {n: {"sha256": sha256_hex(d), "bytes": len(d)} for n, d in sorted(self.files.items())}}  # fmt: skip


def _json_file(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise PublishError(f"{path}:{err.lineno}: invalid JSON ({err.msg})") from None
    except UnicodeDecodeError:
        raise PublishError(f"{path}: not UTF-8 text") from None
    if not isinstance(value, dict):
        raise PublishError(f"{path}:1: expected a JSON object")
    return value


def safetensors_shapes(path: Path, data: bytes) -> dict[str, list[int]]:
    """Tensor name → shape from a safetensors header, checking that every tensor lies inside the file."""
    if len(data) < 8:
        raise PublishError(f"{path}: too short to be safetensors")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > min(MAX_SAFETENSORS_HEADER, len(data) - 8):
        raise PublishError(f"{path}: header length {header_len} does not fit the file ({len(data)} bytes)")
    try:
        header = json.loads(data[8 : 8 + header_len])
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PublishError(f"{path}: the safetensors header is not JSON") from None
    body = len(data) - 8 - header_len
    shapes = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        if not 0 <= start <= end <= body:
            raise PublishError(f"{path}: tensor {name} lies outside the file (offsets {start}..{end}, data {body} bytes): truncated?")
        shapes[name] = list(info["shape"])
    if not shapes:
        raise PublishError(f"{path}: holds no tensors")
    return shapes


def check_lora_rank(path: Path, data: bytes, rank: object) -> None:
    """Refuse safetensors whose LoRA tensors are not of rank ``rank`` (``adapter_config.json``'s ``r``)."""
    for tensor, shape in safetensors_shapes(path, data).items():
        if ("lora_A" in tensor and shape[0] != rank) or ("lora_B" in tensor and shape[-1] != rank):
            raise PublishError(f"{path}: tensor {tensor} has shape {shape}, not rank r={rank} as {CONFIG} says")


def check_adapter(directory: Path, name: str | None = None) -> CheckedAdapter:
    """Read an adapter directory and refuse it, naming the file, when its files, metadata and checksums disagree."""
    directory = Path(directory)
    for required in REQUIRED:
        if not (directory / required).is_file():
            raise PublishError(f"{directory / required}: missing (an adapter directory holds {', '.join(REQUIRED)})")
    metadata = _json_file(directory / METADATA)
    config = _json_file(directory / CONFIG)
    files = {n: (directory / n).read_bytes() for n in (*REQUIRED, *OPTIONAL) if (directory / n).is_file()}

    weights_sha = sha256_hex(files[WEIGHTS])
    if metadata.get("adapter_sha256") != weights_sha:
        raise PublishError(f"{directory / WEIGHTS}: sha256 {weights_sha} does not match {METADATA}'s adapter_sha256 "
                           f"{metadata.get('adapter_sha256')}: the weights changed after training, or the metadata belongs to another adapter")  # fmt: skip
    language = to_canonical(str(metadata.get("language", "")))
    if not language:
        raise PublishError(f"{directory / METADATA}: unknown language {metadata.get('language')!r}")
    if "version" not in metadata:
        raise PublishError(f"{directory / METADATA}: no version")
    base_model = str(config.get("base_model_name_or_path") or "")
    if not base_model:
        raise PublishError(f"{directory / CONFIG}: no base_model_name_or_path")
    if base_model.startswith(("./", "../")) or (not base_model.startswith("/") and Path(base_model).exists()):
        raise PublishError(f"{directory / CONFIG}: base_model_name_or_path {base_model!r} is a relative path; a published adapter names "
                           "its base by hub id or absolute path")  # fmt: skip
    rank = config.get("r")
    if "r" in metadata and metadata["r"] != rank:
        raise PublishError(f"{directory / CONFIG}: r={rank} but {METADATA} says r={metadata['r']}")
    check_lora_rank(directory / WEIGHTS, files[WEIGHTS], rank)
    if "cluster_model.json" in files:
        model = _json_file(directory / "cluster_model.json")
        if to_canonical(str(model.get("language", ""))) != language:
            raise PublishError(f"{directory / 'cluster_model.json'}: language {model.get('language')!r}, but the adapter is {language!r}")
        if any(len(row) != model.get("dim") for row in model.get("centroids", [])) or len(model.get("reference", [])) != len(model.get("centroids", [])):
            raise PublishError(f"{directory / 'cluster_model.json'}: centroids, dim and reference disagree")
    # Upstreams (vLLM, LoRAX, Workers AI) serve adapters by name, so each version gets its own.
    name = name or str(metadata.get("name") or f"compass-{language}-v{metadata['version']}")
    checked = CheckedAdapter(directory, language, name, str(metadata["version"]), base_model, metadata, config, files)
    checked.files[CARD] = model_card(checked).encode("utf-8")
    return checked


def model_card(adapter: CheckedAdapter) -> str:
    """The version's README: language, base, method, data provenance and selection summary, metrics, how to load it."""
    from huggingface_hub import ModelCard, ModelCardData

    meta = adapter.metadata
    method = str(meta.get("method", "dora"))
    metrics = meta.get("metrics") or {}
    data = ModelCardData(language=[adapter.language], base_model=adapter.base_model, library_name="peft",
                         tags=["compass", method, "lora", f"language:{adapter.language}"])  # fmt: skip
    losses = metrics.get("train_losses") or []
    heldout = metrics.get("heldout_losses") or []
    rows = [("training examples", meta.get("examples")), ("data sha256", meta.get("data_sha256")),
            ("selection report sha256", meta.get("selection_report_sha256")), ("update strategy", meta.get("strategy")),
            ("parent version", meta.get("parent")), ("ECDA", json.dumps(meta["ecda"]) if meta.get("ecda") else None)]  # fmt: skip
    provenance = "\n".join(f"| {k} | {v} |" for k, v in rows if v is not None)
    measured = [("train loss (first → last epoch)", f"{losses[0]:.4f} → {losses[-1]:.4f}" if losses else None),
                ("held-out loss (last epoch)", f"{heldout[-1]:.4f}" if heldout else None),
                ("tokens/s", metrics.get("tokens_per_second"))]  # fmt: skip
    metric_rows = "\n".join(f"| {k} | {v} |" for k, v in measured if v is not None) or "| (none recorded) | |"
    serve = (f"vLLM serves LoRA only (it refuses DoRA): export first with `compass-trainer export-lora --adapter . --base {adapter.base_model} "
             "--out lora`, then serve `lora`." if method == "dora" else "")  # fmt: skip
    body = f"""
# {adapter.name} {adapter.version} ({adapter.language})

A {method.upper()} adapter (r={adapter.config.get("r")}, alpha={adapter.config.get("lora_alpha")}) for **{adapter.language}** on
`{adapter.base_model}`, trained by compass on the language's own data plus auxiliary data chosen by COMPASS's adaptive
semantic sampling (clusters weighted by usage over training density).

## Data provenance and selection

| field | value |
|---|---|
{provenance}

## Metrics

| metric | value |
|---|---|
{metric_rows}

## Files

| file | sha256 |
|---|---|
{chr(10).join(f"| {n} | {sha256_hex(d)} |" for n, d in sorted(adapter.files.items()) if n != CARD)}

## Loading

With PEFT:

```python
from transformers import AutoModelForCausalLM
from peft import PeftModel
base = AutoModelForCausalLM.from_pretrained("{adapter.base_model}")
model = PeftModel.from_pretrained(base, "path/to/{adapter.prefix}")
```

With vLLM (`--enable-lora`, runtime loading with `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`):

```sh
curl -X POST $VLLM/v1/load_lora_adapter -H 'content-type: application/json' \\
  -d '{{"lora_name": "{adapter.name}", "lora_path": "/path/to/{adapter.prefix}"}}'
```

{serve}
"""
    return str(ModelCard(f"---\n{data.to_yaml()}\n---\n{body}"))


@dataclass
class Published:
    prefix: str
    uploaded: list[str]
    already_there: list[str]
    record: dict
    manifest_revision: int | None
    activated: str | None


def publish_to_store(adapter: CheckedAdapter, store: Store, canary: float | None = None) -> Published:
    """Upload ``adapter`` create-only with checksums, verify what the store holds, write the version record last,
    then register it in the manifest by compare-and-swap."""
    uploaded, present = [], []
    for name, data in sorted(adapter.files.items()):
        key, digest = adapter.prefix + name, sha256_hex(data)
        try:
            store.put_new(key, data, digest)
            uploaded.append(name)
        except AlreadyExists:
            present.append(name)
        stored = store.sha256_of(key)
        if stored != digest:
            raise PublishError(f"{adapter.directory / name}: {store.describe()}{key} holds sha256 {stored}, not {digest}: "
                               "this version was published before with other content; publish under a new version")  # fmt: skip
    record = contracts.validate("version-record", adapter.record())
    body = (json.dumps(record, indent=1) + "\n").encode("utf-8")
    try:
        store.put_new(adapter.prefix + VERSION_RECORD, body, sha256_hex(body))
    except AlreadyExists:
        existing = store.get(adapter.prefix + VERSION_RECORD)
        if existing is None or json.loads(existing.data) != record:
            raise PublishError(f"{adapter.directory}: {adapter.prefix}{VERSION_RECORD} exists with another record") from None
    ref = {"name": adapter.name, "version": adapter.version, "path": adapter.prefix, "sha256": record["adapterSha256"]}
    revision, activated = None, None
    if canary is not None:
        manifest = update_manifest(store, adapter.language, "canary", f"published with --canary {canary}",
                                   lambda entry: start_canary(entry, ref, canary), adapter.base_model, share=canary)  # fmt: skip
        revision, activated = manifest["revision"], "canary"
    else:
        try:
            manifest = update_manifest(store, adapter.language, "publish", "first published version becomes stable",
                                       lambda entry: first_stable(entry, ref), adapter.base_model)  # fmt: skip
            revision, activated = manifest["revision"], "stable"
        except AlreadyStable:
            pass
    return Published(adapter.prefix, uploaded, present, record, revision, activated)


class AlreadyStable(ChangeRefused):
    """The language has a stable adapter: a new version waits for a canary."""


def first_stable(entry: dict | None, ref: dict) -> dict:
    if entry and entry.get("adapter"):
        raise AlreadyStable("the language already has a stable adapter")
    return {**(entry or {}), "adapter": ref}


def start_canary(entry: dict | None, ref: dict, share: float) -> dict:
    """The ``canary`` transition of ``src/registry/rollout.ts`` (same preconditions, same refusals)."""
    if not 0 < share <= 1:
        raise ChangeRefused(f"--canary must be in (0, 1], got {share}")
    if not entry or not entry.get("adapter"):
        raise ChangeRefused("no-stable: a canary needs a stable adapter beside it")
    if entry.get("canary"):
        running = entry["canary"]["adapter"]
        raise ChangeRefused(f"canary-in-progress: {running['name']}@{running['version']} is running: end it first")
    stable = entry["adapter"]
    if (stable["name"], stable["version"]) == (ref["name"], ref["version"]):
        raise ChangeRefused(f"same-as-stable: {ref['name']}@{ref['version']} is already the stable adapter")
    from datetime import datetime, timezone

    return {**entry, "canary": {"adapter": ref, "share": share, "startedAt": datetime.now(timezone.utc).isoformat(timespec="seconds")}}


def publish_to_worker(adapter: CheckedAdapter, client, canary: float | None = None) -> Published:
    """The same publish through a compass worker's admin API (``store/worker.py``)."""
    uploaded, present = [], []
    for name, data in sorted(adapter.files.items()):
        answer = client.put_file(adapter.prefix + name, data, sha256_hex(data))
        (present if answer.get("status") == "exists" else uploaded).append(name)
    record = contracts.validate("version-record", adapter.record())
    registered = client.register(record)
    revision, activated = registered.get("revision"), registered.get("activated")
    if canary is not None:
        answer = client.rollout(adapter.language, {"action": "canary", "name": adapter.name, "version": adapter.version, "share": canary})
        revision, activated = answer.get("revision"), "canary"
    return Published(adapter.prefix, uploaded, present, record, revision, activated)
