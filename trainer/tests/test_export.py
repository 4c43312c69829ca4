"""DoRA → LoRA export as a publishable adapter: the rank chosen by next-token agreement, the target server's limits
enforced, weights in the asked dtype, and the reconstruction error and agreement in compass_adapter.json."""

from __future__ import annotations

import json
import struct

import pytest

from compass_trainer.publish import check_adapter
from compass_trainer.training import TrainConfig
from compass_trainer.training.export import RANK_LADDER, ExportError, check_target, export_job
from compass_trainer.training.jobs import train_job

CFG = TrainConfig(r=8, epochs=2, batch_size=4, max_length=48, heldout_fraction=0.1, dtype="float32")
PROMPTS = [f"swali {i} kuhusu mvua na jua" for i in range(12)]


@pytest.fixture(scope="module")
def dora(tiny_base, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    data = out / "data.jsonl"
    data.write_text("".join(json.dumps({"inputs": f"swali {i} kuhusu {t}", "targets": f"{t} {t}"}) + "\n" for i in range(8) for t in ("mvua", "jua")), encoding="utf-8")
    return train_job(data, str(tiny_base), out / "dora", "sw", CFG).adapter_dir, tiny_base


def safetensors_dtypes(path) -> set[str]:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    return {v["dtype"] for k, v in json.loads(data[8 : 8 + n]).items() if k != "__metadata__"}


def test_auto_rank_is_the_smallest_reaching_the_agreement_target_and_the_export_is_publishable(dora, tmp_path):
    adapter, base = dora
    report = export_job(adapter, str(base), tmp_path / "lora", PROMPTS, rank="auto", target="vllm", max_rank=16, min_agreement=0.99)
    reached = [t for t in report["tried"] if t["next_token_agreement"] >= 0.99]
    assert report["rank"] in RANK_LADDER and report["rank"] <= 16
    if reached:
        assert report["rank"] == reached[0]["rank"] and report["meets_target"]
        assert all(t["next_token_agreement"] < 0.99 for t in report["tried"][:-1])
    meta = json.loads((tmp_path / "lora" / "compass_adapter.json").read_text())
    assert meta["method"] == "lora" and meta["r"] == report["rank"] and meta["exported_from"]["method"] == "dora"
    assert meta["export"]["mean_relative_error"] == report["mean_relative_error"] and meta["export"]["next_token_agreement"] is not None
    assert safetensors_dtypes(tmp_path / "lora" / "adapter_model.safetensors") == {"F16"}
    assert check_adapter(tmp_path / "lora").metadata["export"]["rank"] == report["rank"]


def test_when_no_allowed_rank_reaches_the_target_the_export_says_so(dora, tmp_path):
    adapter, base = dora
    report = export_job(adapter, str(base), tmp_path / "lora", PROMPTS, rank="auto", max_rank=4, min_agreement=1.01, dtype="bfloat16")
    assert report["rank"] == 4 and report["meets_target"] is False
    assert safetensors_dtypes(tmp_path / "lora" / "adapter_model.safetensors") == {"BF16"}


@pytest.mark.parametrize(
    ("rank", "model_type", "target", "max_rank", "message"),
    [(64, "llama", "workers-ai", None, "up to 32"), (16, "qwen2", "workers-ai", None, "model_type"), (32, "llama", "vllm", 16, "maximum LoRA rank 16")],
)
def test_exports_a_server_would_refuse_are_refused(rank, model_type, target, max_rank, message):
    with pytest.raises(ExportError, match=message):
        check_target(rank, model_type, target, max_rank)


def test_workers_ai_export_of_a_too_large_rank_writes_nothing(dora, tmp_path):
    adapter, base = dora
    with pytest.raises(ExportError):
        export_job(adapter, str(base), tmp_path / "lora", PROMPTS, rank=64, target="workers-ai")
    assert not (tmp_path / "lora").exists()
