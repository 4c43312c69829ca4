"""The registry on S3-compatible storage through boto3: R2's S3 API (``--endpoint``), SeaweedFS, AWS.

Create-only writes send ``If-None-Match: *`` and ``x-amz-checksum-sha256``; the manifest's compare-and-swap sends
``If-Match`` with the entity tag it read. Credentials come the usual boto3 way (environment, profile)."""

from __future__ import annotations

from .base import AlreadyExists, Conflict, StoredObject, StoreError, sha256_b64

# Every call waits at most this long for a connection and for a read; a stalled server is an error, not a hang.
CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 120


class S3Store:
    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None, client=None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint = endpoint
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint,
            config=Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S, retries={"max_attempts": 3, "mode": "standard"},
                          request_checksum_calculation="when_required", response_checksum_validation="when_required"),
        )  # fmt: skip

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint}" if self.endpoint else "")

    def _code(self, err) -> str:
        return err.response.get("Error", {}).get("Code", "")

    def get(self, key: str) -> StoredObject | None:
        from botocore.exceptions import ClientError

        try:
            res = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as err:
            if self._code(err) in ("NoSuchKey", "404"):
                return None
            raise StoreError(f"{self.describe()}{key}: {err}") from err
        return StoredObject(res["Body"].read(), res["ETag"])

    def sha256_of(self, key: str) -> str | None:
        import base64

        from botocore.exceptions import ClientError

        try:
            res = self.client.head_object(Bucket=self.bucket, Key=self.prefix + key, ChecksumMode="ENABLED")
        except ClientError as err:
            if self._code(err) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise StoreError(f"{self.describe()}{key}: {err}") from err
        stored = res.get("ChecksumSHA256")
        return base64.b64decode(stored).hex() if stored else None

    def put_new(self, key: str, data: bytes, sha256: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, IfNoneMatch="*", ChecksumSHA256=sha256_b64(sha256))
        except ClientError as err:
            if self._code(err) in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise AlreadyExists(key) from None
            raise StoreError(f"{self.describe()}{key}: {self._code(err) or err}") from err

    def put_if(self, key: str, data: bytes, etag: str | None) -> str:
        from botocore.exceptions import ClientError

        condition = {"IfMatch": etag} if etag is not None else {"IfNoneMatch": "*"}
        try:
            res = self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType="application/json", **condition)
        except ClientError as err:
            if self._code(err) in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise Conflict(key) from None
            raise StoreError(f"{self.describe()}{key}: {self._code(err) or err}") from err
        return res["ETag"]
