"""Reading training, usage and pool data: JSONL, Parquet, Arrow, ``datasets`` folders and ``hf://`` datasets.

The Aya schema (``inputs``, ``targets``, ``language_code``) is the default; ``--field`` maps any other. Every malformed row raises a
:class:`DataError` naming the file and line (JSONL) or row (Parquet); nothing is skipped silently. Duplicates are
removed by the hash of their text and counted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import atomic
from .errors import DataError, UsageError
from .languages import to_canonical


@dataclass(frozen=True)
class Schema:
    """Which fields of a row hold what. Defaults follow the Aya dataset."""

    input_field: str = "inputs"
    target_field: str | None = "targets"
    language_field: str | None = "language_code"
    id_field: str | None = None


AYA = Schema()


@dataclass
class Example:
    """One instruction example. ``text`` is what encoders embed: the input, and the target when there is one."""

    inputs: str
    targets: str | None
    language: str | None
    source: str
    row: int
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.inputs if not self.targets else f"{self.inputs}\n{self.targets}"

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """Stable identity of a text: SHA-1 of its UTF-8 bytes after whitespace normalisation."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def parse_fields(spec: str | None, base: Schema = None) -> Schema:
    """``--field inputs=question,targets=answer,language=lang,id=uid`` → a :class:`Schema`; an empty name
    (``targets=``) means the data has no such field. Unnamed roles keep ``base``'s (default: Aya's)."""
    base = base or AYA
    if not spec:
        return base
    roles = {"inputs": "input_field", "targets": "target_field", "language": "language_field", "id": "id_field"}
    values: dict[str, str | None] = {}
    for part in spec.split(","):
        role, eq, name = part.partition("=")
        role = role.strip()
        if not eq or role not in roles:
            raise UsageError(f"--field {spec!r}: expected role=name pairs with roles {', '.join(roles)}; got {part!r}")
        if role == "inputs" and not name.strip():
            raise UsageError(f"--field {spec!r}: inputs needs a field name")
        values[roles[role]] = name.strip() or None
    return replace(base, **values)


def _row_to_example(row: Mapping[str, Any], schema: Schema, source: str, row_no: int, where: str, language: str | None) -> Example:
    if not isinstance(row, Mapping):
        raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    if schema.input_field not in row:
        fields = ", ".join(map(str, row)) or "none"
        raise DataError(f"{where}: field '{schema.input_field}' is missing (the row has: {fields}); name the input field with --field inputs=<name>")
    inputs = row.get(schema.input_field)
    if not isinstance(inputs, str) or not inputs.strip():
        raise DataError(f"{where}: field '{schema.input_field}' must be a non-empty string")
    targets = row.get(schema.target_field) if schema.target_field else None
    if targets is not None and not isinstance(targets, str):
        raise DataError(f"{where}: field '{schema.target_field}' must be a string")
    lang = language
    if schema.language_field and row.get(schema.language_field) is not None:
        raw = str(row[schema.language_field])
        lang = to_canonical(raw)
        if lang is None:
            raise DataError(f"{where}: unknown language code '{raw}' in field '{schema.language_field}' (expected ISO 639-1/3 or BCP-47)")
    ident = str(row[schema.id_field]) if schema.id_field and schema.id_field in row else f"{Path(source).name}:{row_no}"
    known = {schema.input_field, schema.target_field, schema.language_field, schema.id_field}
    meta = {k: v for k, v in row.items() if k not in known}
    return Example(inputs=inputs, targets=targets, language=lang, source=source, row=row_no, id=ident, meta=meta)


def iter_jsonl(path: str | Path, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows of a JSONL file; blank lines are allowed, anything else malformed (invalid UTF-8 included) raises
    naming ``file:line``."""
    path = Path(path)
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            where = f"{path}:{line_no}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataError(f"{where}: invalid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})") from None
            if line_no == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{where}: invalid JSON ({err.msg} at column {err.colno})") from None
            yield _row_to_example(row, schema, str(path), line_no, where, language)


def iter_parquet(path: str | Path, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows of a Parquet file; errors name ``file row N`` (1-based)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        raise DataError(f"{path}: not a readable Parquet file ({err})") from None
    yield from iter_rows(table.to_pylist(), str(path), schema, language)


def iter_arrow(path: str | Path, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows of an Arrow file: the IPC stream format ``datasets`` writes (``data-00000-of-00001.arrow``) or the IPC
    file format; errors name ``file row N``."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    path = Path(path)
    table = None
    for opener in (ipc.open_stream, ipc.open_file):
        try:
            with pa.memory_map(str(path)) as source:
                table = opener(source).read_all()
            break
        except (pa.ArrowInvalid, OSError):
            continue
    if table is None:
        raise DataError(f"{path}: not an Arrow IPC stream or file")
    yield from iter_rows(table.to_pylist(), str(path), schema, language)


def iter_rows(rows: Iterable[Mapping[str, Any]], source: str, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows from any iterable of mappings, e.g. a Hugging Face ``datasets.Dataset``."""
    for row_no, row in enumerate(rows, start=1):
        yield _row_to_example(row, schema, source, row_no, f"{source} row {row_no}", language)


HF = "hf://"
DATA_SUFFIXES = (".jsonl", ".json", ".ndjson", ".parquet", ".arrow")


def check_source(spec: str | Path) -> None:
    """Raise UsageError unless ``spec`` can be read as data (checked before any work): an existing data file, a
    ``datasets`` folder, or an ``hf://`` name."""
    text = str(spec)
    if text.startswith(HF):
        if not text[len(HF) :].strip("@:"):
            raise UsageError(f"{text}: expected hf://name[:config][@split]")
        return
    path, _ = _split_suffix(Path(text))
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        if not _is_datasets_folder(path):
            raise UsageError(f"{path}: a directory, but not a `datasets` folder (save_to_disk); give a data file, the folder, or hf://<name>")
    elif path.suffix.lower() not in DATA_SUFFIXES:
        raise UsageError(f"{path}: unsupported file type '{path.suffix}' (use .jsonl, .parquet, .arrow, a `datasets` folder or hf://<name>)")


def read_examples(source: str | Path, schema: Schema = AYA, language: str | None = None) -> list[Example]:
    """Rows of one data source: ``.jsonl``/``.json``, ``.parquet``, ``.arrow``, a ``datasets`` ``save_to_disk`` folder
    (``folder@split`` picks a split of a DatasetDict), or ``hf://name[:config][@split]`` (``datasets.load_dataset``:
    a hub dataset where the user has access, or a local dataset folder)."""
    text = str(source)
    check_source(text)
    if text.startswith(HF):
        name, config, split = parse_hf(text)
        return list(iter_rows(_load_hf(name, config, split), text, schema, language))
    path, split = _split_suffix(Path(text))
    if path.is_dir():
        return list(iter_rows(_load_folder(path, split), text, schema, language))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return list(iter_parquet(path, schema, language))
    if suffix == ".arrow":
        return list(iter_arrow(path, schema, language))
    return list(iter_jsonl(path, schema, language))


def source_fingerprint(source: str | Path) -> dict[str, Any]:
    """What a report records of an input: the spec and a content hash (SHA-256 of a file, or of a folder's files in
    name order; the ``datasets`` fingerprint of an ``hf://`` dataset)."""
    text = str(source)
    if text.startswith(HF):
        name, config, split = parse_hf(text)
        return {"source": text, "datasets_fingerprint": _load_hf(name, config, split)._fingerprint}
    path, _ = _split_suffix(Path(text))
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode("utf-8") + b"\x00")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return {"source": text, "sha256": digest.hexdigest()}


def parse_hf(spec: str) -> tuple[str, str | None, str]:
    """``hf://name[:config][@split]`` → (name, config, split); the split defaults to ``train``."""
    rest = spec[len(HF) :]
    rest, _, split = rest.partition("@")
    name, _, config = rest.partition(":")
    return name, config or None, split or "train"


def _load_hf(name: str, config: str | None, split: str):
    from datasets import load_dataset

    try:
        return load_dataset(name, config, split=split)
    except Exception as err:  # datasets raises many types (hub, file, config, split errors): all are data errors here
        raise DataError(f"hf://{name}{':' + config if config else ''}@{split}: {type(err).__name__}: {err}") from None


def _is_datasets_folder(path: Path) -> bool:
    return any((path / name).exists() for name in ("dataset_info.json", "state.json", "dataset_dict.json"))


def _split_suffix(path: Path) -> tuple[Path, str | None]:
    """``folder@split`` → (folder, split) where ``folder@split`` itself does not exist."""
    if not path.exists() and "@" in path.name:
        name, _, split = path.name.rpartition("@")
        return path.with_name(name), split
    return path, None


def _load_folder(path: Path, split: str | None):
    from datasets import DatasetDict, load_from_disk

    try:
        data = load_from_disk(str(path))
    except Exception as err:  # a damaged folder fails in many ways; all are data errors here
        raise DataError(f"{path}: not a readable `datasets` folder ({type(err).__name__}: {err})") from None
    if isinstance(data, DatasetDict):
        if split is None and len(data) == 1:
            split = next(iter(data))
        if split not in data:
            raise UsageError(f"{path}: a DatasetDict with splits {', '.join(data)}; pick one as {path}@<split>")
        return data[split]
    if split is not None:
        raise UsageError(f"{path}: a single Dataset has no split '{split}'")
    return data


@dataclass
class DedupReport:
    kept: int
    removed: int


def deduplicate(examples: Iterable[Example], seen: set[str] | None = None) -> tuple[list[Example], DedupReport]:
    """Drop examples whose text hash was already seen (first occurrence wins). ``seen`` carries hashes across sets."""
    seen = set() if seen is None else seen
    kept: list[Example] = []
    removed = 0
    for example in examples:
        key = example.text_hash
        if key in seen:
            removed += 1
            continue
        seen.add(key)
        kept.append(example)
    return kept, DedupReport(kept=len(kept), removed=removed)


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Rows as JSONL, written atomically."""
    return atomic.write_jsonl(path, rows)
