"""The object-store interface the registry is written against: create-only writes with a SHA-256, and
compare-and-swap on an entity tag. Implementations: a local directory, S3 (R2's S3 API, SeaweedFS, AWS)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Protocol


class StoreError(Exception):
    """A store operation failed for a reason other than a lost race or an existing object."""


class AlreadyExists(StoreError):
    """A create-only write found the key taken."""


class Conflict(StoreError):
    """A compare-and-swap write found the object changed since it was read."""


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    etag: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_b64(hex_digest: str) -> str:
    """S3's ``x-amz-checksum-sha256`` form of a hex digest."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


class Store(Protocol):
    """Keys are ``/``-separated relative paths (``adapters/sw/compass-sw/2/adapter_config.json``)."""

    def describe(self) -> str:
        """Where this store lives, for messages."""
        ...

    def get(self, key: str) -> StoredObject | None:
        """The object and its entity tag, or None when absent."""
        ...

    def sha256_of(self, key: str) -> str | None:
        """The hex SHA-256 the store holds for the object, or None when absent."""
        ...

    def put_new(self, key: str, data: bytes, sha256: str) -> None:
        """Create ``key`` only if absent, with the store checking ``sha256`` against the bytes it received.

        Raises:
            AlreadyExists: the key is taken.
            StoreError: the store rejected the checksum or the write.
        """
        ...

    def put_if(self, key: str, data: bytes, etag: str | None) -> str:
        """Write ``key`` only if its entity tag is still ``etag`` (``None``: only if absent); returns the new tag.

        Raises:
            Conflict: the object changed (or appeared) since it was read.
        """
        ...
