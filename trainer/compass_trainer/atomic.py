"""Writing artefacts so that a crash or an error never leaves a half-written file or half a set of outputs.

``atomic_write`` writes one file (a temporary file beside it, then a rename); ``staged_outputs`` writes a set of
files into a staging directory and moves them into place only when every one of them was written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` to produce the file at a temporary path in the same directory, then rename it to ``path``
    (atomic on POSIX). The temporary file is removed if ``write`` fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.chmod(0o666 & ~_UMASK)  # mkstemp's 0600 would make every artefact private
        write(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, value: Any, indent: int | None = None) -> Path:
    """JSON (UTF-8, non-ASCII kept), numpy scalars and arrays converted."""
    return write_text(path, json.dumps(value, ensure_ascii=False, indent=indent, default=json_default))


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")

    return atomic_write(path, write)


def json_default(value: Any) -> Any:
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | range | set):
        return list(value)
    return str(value)


def check_output_dir(out: str | Path) -> Path:
    """Raise ValueError unless ``out`` is, or can be created as, a writable directory (checked before any work)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out}: exists and is not a directory")
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise ValueError(f"--out {out}: {probe} is not a writable directory")
    return out


@contextmanager
def staged_outputs(out: str | Path) -> Iterator[Path]:
    """All-or-nothing outputs: yield a staging directory inside ``out``; when the block finishes, every file in it is
    moved to ``out`` (after checking that none of the destinations is a directory), else nothing is.

    Each move is a rename within one file system, so the outputs appear together and none half-written.
    """
    out = check_output_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield staging
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        for src in files:
            dest = out / src.relative_to(staging)
            if dest.is_dir():
                raise ValueError(f"cannot write {dest}: a directory is in the way")
            if dest.exists() and not os.access(dest, os.W_OK):
                raise ValueError(f"cannot write {dest}: permission denied")
        for src in files:
            dest = out / src.relative_to(staging)
            dest.parent.mkdir(parents=True, exist_ok=True)
            src.replace(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
