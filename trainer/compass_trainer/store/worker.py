"""A compass worker's admin API as a publishing target, for setups without S3 credentials: files go up through
``PUT /admin/adapters/…`` (R2 multipart for large ones), the version record through ``POST /admin/adapters/…``, and
rollout actions through ``/admin/rollout/{language}``. Every call sends ``Authorization: Bearer <token>``."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from .base import StoreError

# One request waits at most this long (uploads of a large part included).
TIMEOUT_S = 120
# Files above this go up by R2 multipart upload in parts of PART_BYTES (R2: ≥ 5 MiB except the last part).
MULTIPART_THRESHOLD = 32 << 20
PART_BYTES = 16 << 20
# An error body read back for a message is cut here.
MAX_ERROR_BYTES = 64 << 10


class WorkerError(StoreError):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status, self.code = status, code


class WorkerClient:
    def __init__(self, base_url: str, token: str | None) -> None:
        if not token:
            raise StoreError("the worker's admin API needs a token: pass --token or set COMPASS_ADMIN_TOKEN")
        self.base_url = base_url.rstrip("/")
        self.token = token

    def describe(self) -> str:
        return self.base_url

    def request(self, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None) -> dict:
        data = json.dumps(body).encode("utf-8") if isinstance(body, dict) else body
        h = {"authorization": f"Bearer {self.token}", **(headers or {})}
        if isinstance(body, dict):
            h["content-type"] = "application/json"
        elif body is not None:
            h.setdefault("content-type", "application/octet-stream")
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=h)  # noqa: S310 (operator's URL)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as res:  # noqa: S310
                text = res.read(MAX_ERROR_BYTES * 16)
                return json.loads(text) if text else {}
        except urllib.error.HTTPError as err:
            raw = err.read(MAX_ERROR_BYTES)
            try:
                error = json.loads(raw)["error"]
                raise WorkerError(err.code, error.get("message", ""), error.get("code")) from None
            except (ValueError, KeyError, TypeError):
                raise WorkerError(err.code, raw.decode("utf-8", "replace")[:500]) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            raise StoreError(f"{self.base_url}{path}: {getattr(err, 'reason', err)}") from None

    def put_file(self, key: str, data: bytes, sha256: str) -> dict:
        """Upload one file create-only; the worker stores it with its sha256 (R2 checks it) or answers 409/400."""
        path = f"/admin/{key}"
        if len(data) <= MULTIPART_THRESHOLD:
            return self.request("PUT", path, data, {"x-compass-sha256": sha256})
        upload = self.request("POST", f"{path}?uploads", None, {"x-compass-sha256": sha256})
        if upload.get("status") == "exists":
            return upload
        upload_id = urllib.parse.quote(upload["uploadId"], safe="")
        parts = []
        for number, start in enumerate(range(0, len(data), PART_BYTES), start=1):
            part = self.request("PUT", f"{path}?uploadId={upload_id}&partNumber={number}", data[start : start + PART_BYTES])
            parts.append({"partNumber": number, "etag": part["etag"]})
        return self.request("POST", f"{path}?uploadId={upload_id}", {"parts": parts})

    def register(self, record: dict) -> dict:
        return self.request("POST", f"/admin/adapters/{record['language']}/{record['name']}/{record['version']}", record)

    def rollout(self, language: str, action: dict) -> dict:
        return self.request("POST", f"/admin/rollout/{language}", action)

    def status(self, language: str) -> dict:
        return self.request("GET", f"/admin/rollout/{language}")
