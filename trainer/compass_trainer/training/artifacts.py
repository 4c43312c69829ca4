"""Adapter artefacts on disk: PEFT's files plus compass's metadata (``compass_adapter.json``)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from ..atomic import write_json

METADATA = "compass_adapter.json"


def data_hash(pairs: list[tuple[str, str]]) -> str:
    """SHA-256 over the training pairs in order: the same data gives the same hash."""
    h = hashlib.sha256()
    for prompt, response in pairs:
        h.update(prompt.encode("utf-8") + b"\x00" + (response or "").encode("utf-8") + b"\x01")
    return h.hexdigest()


def file_hash(path: Path | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path and Path(path).exists() else None


def save_adapter(model, out: Path, metadata: dict) -> Path:
    """``save_pretrained`` (adapter_config.json + adapter_model.safetensors) and the metadata file."""
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    metadata = {**metadata, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "adapter_sha256": file_hash(out / "adapter_model.safetensors")}
    write_json(out / METADATA, metadata, indent=1)
    return out


def read_metadata(adapter_dir: Path) -> dict:
    path = Path(adapter_dir) / METADATA
    if not path.exists():
        raise FileNotFoundError(f"{path}: not a compass adapter (no {METADATA})")
    return json.loads(path.read_text(encoding="utf-8"))
