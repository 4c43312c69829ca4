"""A registry in a local directory: the same layout and the same guarantees as object storage, for offline work and
for mounting a directory that a server reads (vLLM's filesystem resolver)."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from .base import AlreadyExists, Conflict, StoredObject, StoreError, sha256_hex


class LocalStore:
    """Create-only writes via a hard link of a complete temporary file (atomic, fails if the name exists);
    compare-and-swap under an exclusive ``flock`` on a lock file, with the content's SHA-256 as the entity tag."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root)

    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise StoreError(f"refusing key {key!r}: keys are relative and stay inside the store")
        return self.root / key

    def get(self, key: str) -> StoredObject | None:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        return StoredObject(data, sha256_hex(data))

    def sha256_of(self, key: str) -> str | None:
        found = self.get(key)
        return found.etag if found else None

    def _write_temp(self, path: Path, data: bytes) -> str:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return tmp

    def put_new(self, key: str, data: bytes, sha256: str) -> None:
        if sha256_hex(data) != sha256:
            raise StoreError(f"{key}: content does not match its sha256 {sha256}")
        path = self._path(key)
        tmp = self._write_temp(path, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise AlreadyExists(key) from None
        finally:
            os.unlink(tmp)

    def put_if(self, key: str, data: bytes, etag: str | None) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.parent / f".{path.name}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = self.get(key)
            if (current.etag if current else None) != etag:
                raise Conflict(key)
            tmp = self._write_temp(path, data)
            os.replace(tmp, path)
        return sha256_hex(data)
