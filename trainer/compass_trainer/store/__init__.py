"""Where adapters are published: a local directory, an S3-compatible bucket, or a compass worker's admin API."""

from __future__ import annotations

from pathlib import Path

from .base import AlreadyExists, Conflict, Store, StoredObject, StoreError, sha256_hex
from .local import LocalStore
from .s3 import S3Store

__all__ = ["AlreadyExists", "Conflict", "LocalStore", "S3Store", "Store", "StoreError", "StoredObject", "open_store", "sha256_hex"]


def open_store(url: str, endpoint: str | None = None) -> Store:
    """``s3://bucket/prefix`` (with ``endpoint`` for R2 or any S3-compatible server) or a local path
    (``file:///…`` or a plain directory). Worker URLs (``http(s)://``) are handled by ``publish`` itself."""
    if url.startswith("s3://"):
        bucket, _, prefix = url[5:].partition("/")
        if not bucket:
            raise StoreError(f"{url}: no bucket named")
        return S3Store(bucket, prefix, endpoint)
    if url.startswith(("http://", "https://")):
        raise StoreError(f"{url} is a worker URL, not a store")
    return LocalStore(Path(url[7:] if url.startswith("file://") else url))
