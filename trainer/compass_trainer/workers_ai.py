"""``compass-trainer publish DIR --workers-ai``: a LoRA export uploaded to Workers AI as a fine-tune through
Cloudflare's REST API (developers.cloudflare.com/api/resources/ai/subresources/finetunes):

1. ``POST {api}/client/v4/accounts/{account_id}/ai/finetunes`` with JSON ``{model, name, description}`` creates the
   fine-tune; the answer's ``result.id`` names it;
2. ``POST …/ai/finetunes/{finetune_id}/finetune-assets`` as ``multipart/form-data`` with the fields ``file_name`` and
   ``file``, once for ``adapter_config.json`` and once for ``adapter_model.safetensors``.

Every call sends ``Authorization: Bearer <API token>`` (a token with Workers AI Write), waits at most ``timeout`` seconds
per socket operation and reads at most ``MAX_RESPONSE_BYTES`` of an answer. Cloudflare answers in its envelope
``{"success", "errors": [{"code", "message"}], "result"}``; an answer with ``success`` false, a 4xx/5xx, or no answer in
time raises :class:`WorkersAiError` carrying the API's message. Files cannot be changed after upload, so a new version
is a new fine-tune (``name`` must be new in the account).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

DEFAULT_API_BASE = "https://api.cloudflare.com"
# What Workers AI takes (developers.cloudflare.com/workers-ai/fine-tunes/loras): LoRA of rank ≤ 32 on these families,
# weights under 300 MB.
WORKERS_AI_MAX_RANK = 32
WORKERS_AI_MODEL_TYPES = ("llama", "mistral", "gemma")
# [choice] 300 MB read as 300·10⁶ bytes, the stricter of the two readings.
WORKERS_AI_MAX_WEIGHTS_BYTES = 300_000_000
CONFIG = "adapter_config.json"
WEIGHTS = "adapter_model.safetensors"
ASSETS = (CONFIG, WEIGHTS)
# Per socket operation (connect, each read and write); a 300 MB upload is many operations.
TIMEOUT_S = 120.0
# The API answers with small JSON envelopes; anything longer is cut and refused.
MAX_RESPONSE_BYTES = 1 << 20


class WorkersAiError(RuntimeError):
    """The Workers AI API refused a call, failed, or did not answer in time; the message is the API's."""


class ExportError(ValueError):
    """The export cannot be served by the target (rank, model type, size)."""


def check_target(rank: int, model_type: str | None, target: str, max_rank: int | None) -> None:
    """Refuse an export the target server would refuse: Workers AI's rank and model-type limits, a server's max rank."""
    if target == "workers-ai":
        if rank > WORKERS_AI_MAX_RANK:
            raise ExportError(f"Workers AI takes LoRA ranks up to {WORKERS_AI_MAX_RANK}; rank {rank} was asked for")
        if model_type not in WORKERS_AI_MODEL_TYPES:
            raise ExportError(f"Workers AI takes model_type {', '.join(WORKERS_AI_MODEL_TYPES)}; this base is {model_type!r}")
    if max_rank is not None and rank > max_rank:
        raise ExportError(f"rank {rank} is above the server's maximum LoRA rank {max_rank} (vLLM --max-lora-rank)")


def check_workers_ai_export(directory: Path) -> dict:
    """The adapter config of a LoRA export Workers AI would take, or a ``PublishError`` naming the file: LoRA (not DoRA),
    rank ≤ 32, an allowed ``model_type``, weights under 300 MB whose tensors match the rank."""
    from .publish import PublishError, _json_file, check_lora_rank

    directory = Path(directory)
    for name in ASSETS:
        if not (directory / name).is_file():
            raise PublishError(f"{directory / name}: missing (Workers AI takes {' and '.join(ASSETS)})")
    config = _json_file(directory / CONFIG)
    if config.get("peft_type") != "LORA" or config.get("use_dora"):
        raise PublishError(f"{directory / CONFIG}: Workers AI takes LoRA adapters only (peft_type {config.get('peft_type')!r}, "
                           f"use_dora {config.get('use_dora')!r}): export one with `compass-trainer export-lora --for workers-ai`")  # fmt: skip
    rank = config.get("r")
    if not isinstance(rank, int) or rank < 1:
        raise PublishError(f"{directory / CONFIG}: r must be a positive integer, got {rank!r}")
    try:
        check_target(rank, config.get("model_type"), "workers-ai", None)
    except ExportError as err:
        raise PublishError(f"{directory / CONFIG}: {err}") from None
    size = (directory / WEIGHTS).stat().st_size
    if size >= WORKERS_AI_MAX_WEIGHTS_BYTES:
        raise PublishError(f"{directory / WEIGHTS}: {size} bytes; Workers AI takes adapters under 300 MB")
    check_lora_rank(directory / WEIGHTS, (directory / WEIGHTS).read_bytes(), rank)
    return config


@dataclass
class FinetuneClient:
    account_id: str
    api_token: str
    api_base: str = DEFAULT_API_BASE
    timeout: float = TIMEOUT_S

    def _url(self, path: str) -> str:
        return f"{self.api_base.rstrip('/')}/client/v4/accounts/{self.account_id}/ai/finetunes{path}"

    def _call(self, path: str, body: bytes, content_type: str) -> dict | list | None:
        url = self._url(path)
        req = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 (the operator's API base)
                                     headers={"authorization": f"Bearer {self.api_token}", "content-type": content_type})  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:  # noqa: S310
                status, raw = res.status, res.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read(MAX_RESPONSE_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as err:
            raise WorkersAiError(f"POST {url}: {getattr(err, 'reason', err)}") from None
        if len(raw) > MAX_RESPONSE_BYTES:
            raise WorkersAiError(f"POST {url}: HTTP {status}, an answer over {MAX_RESPONSE_BYTES} bytes")
        try:
            envelope = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise WorkersAiError(f"POST {url}: HTTP {status}: {raw[:500].decode('utf-8', 'replace')}") from None
        if not isinstance(envelope, dict) or status >= 400 or envelope.get("success") is not True:
            errors = envelope.get("errors") if isinstance(envelope, dict) else None
            messages = "; ".join(f"{e.get('message')} (code {e.get('code')})" for e in errors or [] if isinstance(e, dict))
            raise WorkersAiError(f"POST {url}: HTTP {status}: {messages or json.dumps(envelope)[:500]}")
        return envelope.get("result")

    def create(self, model: str, name: str, description: str) -> dict:
        """Create the fine-tune; its record (``id``, ``name``, ``model``, …)."""
        body = json.dumps({"model": model, "name": name, "description": description}).encode("utf-8")
        result = self._call("", body, "application/json")
        if not isinstance(result, dict) or not result.get("id"):
            raise WorkersAiError(f"POST {self._url('')}: the answer names no fine-tune id: {json.dumps(result)[:500]}")
        return result

    def upload_asset(self, finetune_id: str, file_name: str, data: bytes) -> None:
        boundary = f"compass-{uuid.uuid4().hex}"
        body = b"".join([
            f'--{boundary}\r\nContent-Disposition: form-data; name="file_name"\r\n\r\n{file_name}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode(),
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ])  # fmt: skip
        self._call(f"/{finetune_id}/finetune-assets", body, f"multipart/form-data; boundary={boundary}")


def publish_to_workers_ai(directory: Path, client: FinetuneClient, model: str, name: str, description: str) -> dict:
    """Check the export, create the fine-tune, upload its two files; the fine-tune's record."""
    check_workers_ai_export(directory)
    finetune = client.create(model, name, description)
    for file_name in ASSETS:
        try:
            client.upload_asset(str(finetune["id"]), file_name, (Path(directory) / file_name).read_bytes())
        except WorkersAiError as err:
            raise WorkersAiError(f"{err}\nfine-tune {name} (id {finetune['id']}) was created but {file_name} was not uploaded: "
                                 "delete it in the dashboard or publish again under another --name") from None  # fmt: skip
    return finetune
