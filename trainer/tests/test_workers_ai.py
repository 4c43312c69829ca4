"""``compass-trainer publish DIR --workers-ai`` against a local fake of Cloudflare's Workers AI fine-tune API (started
here on a free 127.0.0.1 port): the fake checks the bearer token, the paths, the JSON of the create call and the
multipart fields of each asset, and answers in Cloudflare's envelope; the LoRA export is a real PEFT config and real
safetensors."""

from __future__ import annotations

import json
import threading
import uuid
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch
from peft import LoraConfig
from safetensors.torch import save_file
from typer.testing import CliRunner

from compass_trainer.cli import app
from compass_trainer.workers_ai import FinetuneClient, WorkersAiError

ACCOUNT, TOKEN, MODEL = "0123456789abcdef0123456789abcdef", "cf-test-token", "@cf/mistral/mistral-7b-instruct-v0.2-lora"
PREFIX = f"/client/v4/accounts/{ACCOUNT}/ai/finetunes"


class FakeWorkersAi:
    """What the fake API saw, and how it should misbehave (`mode`: ok | fail-create | error-500 | hang)."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.finetunes: dict[str, dict] = {}
        self.assets: dict[str, dict[str, bytes]] = {}
        self.requests: list[str] = []
        self.release = threading.Event()


def envelope(success: bool, result=None, errors=()) -> bytes:
    return json.dumps({"success": success, "errors": list(errors), "messages": [], "result": result}).encode()


@pytest.fixture
def fake_api():
    state = FakeWorkersAi()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep pytest's output clean
            pass

        def answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def refuse(self, status: int, code: int, message: str) -> None:
            self.answer(status, envelope(False, None, [{"code": code, "message": message}]))

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            state.requests.append(self.path)
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            if state.mode == "hang":
                state.release.wait(30)
                return
            if self.headers.get("authorization") != f"Bearer {TOKEN}":
                return self.refuse(401, 10000, "Authentication error")
            if state.mode == "error-500":
                return self.answer(500, b"upstream connect error or disconnect/reset before headers", "text/plain")
            if self.path == PREFIX:
                request = json.loads(body)
                if sorted(request) != ["description", "model", "name"] or not all(isinstance(v, str) for v in request.values()):
                    return self.refuse(400, 1000, f"bad create body {request}")
                if state.mode == "fail-create" or any(f["name"] == request["name"] for f in state.finetunes.values()):
                    return self.refuse(400, 3014, f"a finetune named {request['name']} already exists")
                finetune = {"id": str(uuid.uuid4()), **request, "created_at": "2026-11-24T00:00:00Z", "modified_at": "2026-11-24T00:00:00Z"}
                state.finetunes[finetune["id"]] = finetune
                return self.answer(200, envelope(True, finetune))
            parts = self.path.removeprefix(PREFIX + "/").split("/")
            if len(parts) == 2 and parts[1] == "finetune-assets" and parts[0] in state.finetunes:
                ctype = self.headers.get("content-type", "")
                if not ctype.startswith("multipart/form-data"):
                    return self.refuse(400, 1000, f"not multipart: {ctype}")
                message = BytesParser(policy=policy.HTTP).parsebytes(f"content-type: {ctype}\r\n\r\n".encode() + body)
                fields = {p.get_param("name", header="content-disposition"): p.get_payload(decode=True) for p in message.iter_parts()}
                if sorted(fields) != ["file", "file_name"]:
                    return self.refuse(400, 1000, f"fields {sorted(fields)}")
                state.assets.setdefault(parts[0], {})[fields["file_name"].decode()] = fields["file"]
                return self.answer(200, envelope(True))
            return self.refuse(404, 7003, f"no route for {self.path}")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


def lora_export(directory: Path, r: int = 8, model_type: str = "mistral", dora: bool = False) -> Path:
    """A LoRA export as `export-lora --for workers-ai` writes it: PEFT's adapter_config.json with model_type, and
    safetensors with one adapted projection of rank r."""
    directory.mkdir(parents=True)
    LoraConfig(r=r, lora_alpha=r, target_modules=["q_proj"], use_dora=dora, base_model_name_or_path="mistralai/Mistral-7B-Instruct-v0.2").save_pretrained(
        directory
    )
    config = json.loads((directory / "adapter_config.json").read_text())
    (directory / "adapter_config.json").write_text(json.dumps({**config, "model_type": model_type}))
    prefix = "base_model.model.model.layers.0.self_attn.q_proj"
    save_file({f"{prefix}.lora_A.weight": torch.randn(r, 64, dtype=torch.float16), f"{prefix}.lora_B.weight": torch.randn(64, r, dtype=torch.float16)},
              str(directory / "adapter_model.safetensors"))  # fmt: skip
    (directory / "compass_adapter.json").write_text(json.dumps({"language": "sw", "version": 3}))
    return directory


def publish(export: Path, api: FakeWorkersAi, *extra: str, token: str | None = TOKEN, env: dict | None = None):
    args = ["--json", "publish", str(export), "--workers-ai", "--account-id", ACCOUNT, "--model", MODEL, "--api-base", api.url, *extra]
    if token:
        args += ["--api-token", token]
    return CliRunner().invoke(app, args, env={"CLOUDFLARE_API_TOKEN": "", **(env or {})})


def test_publish_workers_ai_creates_the_finetune_and_uploads_both_files_as_multipart(tmp_path, fake_api):
    export = lora_export(tmp_path / "lora")
    result = publish(export, fake_api)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    finetune_id = answer["finetune"]["id"]
    assert answer["name"] == "compass-sw-v3" and answer["model"] == MODEL
    assert fake_api.finetunes[finetune_id]["model"] == MODEL and fake_api.finetunes[finetune_id]["name"] == "compass-sw-v3"
    assert fake_api.assets[finetune_id] == {n: (export / n).read_bytes() for n in ("adapter_config.json", "adapter_model.safetensors")}


def test_the_api_token_is_taken_from_cloudflare_api_token(tmp_path, fake_api):
    result = publish(lora_export(tmp_path / "lora"), fake_api, "--name", "sw-from-env", token=None, env={"CLOUDFLARE_API_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert [f["name"] for f in fake_api.finetunes.values()] == ["sw-from-env"]


@pytest.mark.parametrize(
    ("mode", "token", "message"),
    [
        ("ok", "wrong-token", "Authentication error (code 10000)"),
        ("fail-create", TOKEN, "already exists (code 3014)"),
        ("error-500", TOKEN, "HTTP 500: upstream connect error"),
    ],
)
def test_an_api_error_exits_1_with_the_apis_message_on_stderr(tmp_path, fake_api, mode, token, message):
    fake_api.mode = mode
    result = publish(lora_export(tmp_path / "lora"), fake_api, token=token)
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", "")
    assert not fake_api.assets


def test_a_call_the_api_never_answers_times_out(tmp_path, fake_api):
    fake_api.mode = "hang"
    with pytest.raises(WorkersAiError, match="timed out"):
        FinetuneClient(ACCOUNT, TOKEN, fake_api.url, timeout=0.5).create(MODEL, "sw", "never answered")
    result = publish(lora_export(tmp_path / "lora"), fake_api, "--api-timeout", "0.5")
    assert result.exit_code == 1 and "timed out" in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: lora_export(d, r=64), "ranks up to 32"),
        (lambda d: lora_export(d, model_type="qwen2"), "model_type"),
        (lambda d: lora_export(d, dora=True), "LoRA adapters only"),
    ],
)
def test_an_export_workers_ai_would_refuse_exits_1_before_any_call_naming_the_file(tmp_path, fake_api, make, message):
    result = publish(make(tmp_path / "lora"), fake_api)
    assert result.exit_code == 1
    stderr = result.stderr.replace("\n", "")
    assert "adapter_config.json" in stderr and message in stderr
    assert fake_api.requests == []


def test_weights_of_300_mb_or_more_are_refused_before_any_call(tmp_path, fake_api):
    export = lora_export(tmp_path / "lora")
    with (export / "adapter_model.safetensors").open("r+b") as f:
        f.truncate(300_000_000)  # sparse: no 300 MB written
    result = publish(export, fake_api)
    assert result.exit_code == 1 and "under 300 MB" in result.stderr.replace("\n", "")
    assert fake_api.requests == []


def test_bad_arguments_exit_2_before_any_call(tmp_path, fake_api):
    export = lora_export(tmp_path / "lora")
    assert publish(tmp_path / "absent", fake_api).exit_code == 2
    assert publish(export, fake_api, token=None).exit_code == 2
    assert publish(export, fake_api, "--api-timeout", "0").exit_code == 2
    assert fake_api.requests == []
