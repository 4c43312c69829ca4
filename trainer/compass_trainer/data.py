"""Reading training, usage and pool data: JSONL, Parquet and Hugging Face ``datasets`` rows.

The Aya schema (``inputs``, ``targets``, ``language_code``) is the default. Every malformed row raises a
:class:`DataError` naming the file and line (JSONL) or row (Parquet); nothing is skipped silently. Duplicates are
removed by the hash of their text and counted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .languages import to_canonical


class DataError(ValueError):
    """A data file is malformed; the message names the file and the line or row."""


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


def _row_to_example(row: Mapping[str, Any], schema: Schema, source: str, row_no: int, where: str, language: str | None) -> Example:
    if not isinstance(row, Mapping):
        raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
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
            raise DataError(f"{where}: unknown language code '{raw}' in field '{schema.language_field}'")
    ident = str(row[schema.id_field]) if schema.id_field and schema.id_field in row else f"{Path(source).name}:{row_no}"
    known = {schema.input_field, schema.target_field, schema.language_field, schema.id_field}
    meta = {k: v for k, v in row.items() if k not in known}
    return Example(inputs=inputs, targets=targets, language=lang, source=source, row=row_no, id=ident, meta=meta)


def iter_jsonl(path: str | Path, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows of a JSONL file; blank lines are allowed, anything else malformed raises naming ``file:line``."""
    path = Path(path)
    with path.open("r", encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{where}: invalid JSON ({err.msg} at column {err.colno})") from None
            yield _row_to_example(row, schema, str(path), line_no, where, language)


def iter_parquet(path: str | Path, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows of a Parquet file; errors name ``file row N`` (1-based)."""
    import pyarrow.parquet as pq

    path = Path(path)
    table = pq.read_table(path)
    for row_no, row in enumerate(table.to_pylist(), start=1):
        yield _row_to_example(row, schema, str(path), row_no, f"{path} row {row_no}", language)


def iter_rows(rows: Iterable[Mapping[str, Any]], source: str, schema: Schema = AYA, language: str | None = None) -> Iterator[Example]:
    """Rows from any iterable of mappings, e.g. a Hugging Face ``datasets.Dataset``."""
    for row_no, row in enumerate(rows, start=1):
        yield _row_to_example(row, schema, source, row_no, f"{source} row {row_no}", language)


def read_examples(path: str | Path, schema: Schema = AYA, language: str | None = None) -> list[Example]:
    """Read a ``.jsonl``/``.json`` or ``.parquet`` file (by extension)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".json", ".ndjson"}:
        return list(iter_jsonl(path, schema, language))
    if suffix == ".parquet":
        return list(iter_parquet(path, schema, language))
    raise DataError(f"{path}: unsupported file type '{suffix}' (use .jsonl or .parquet)")


def load_hf_dataset(name: str, config: str | None = None, split: str = "train", schema: Schema = AYA, **kwargs: Any) -> list[Example]:
    """Rows of a Hugging Face dataset (``datasets.load_dataset``), e.g. ``CohereForAI/aya_dataset``."""
    from datasets import load_dataset

    dataset = load_dataset(name, config, split=split, **kwargs)
    return list(iter_rows(dataset, f"{name}/{config or ''}:{split}", schema))


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


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write rows atomically: to a temporary file first, renamed into place, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
