"""DoRA → LoRA export for backends that serve LoRA only (vLLM, Workers AI; PEFT cannot batch DoRA adapters).

For every adapted projection, the merged DoRA weight delta ``ΔW = W_dora − W_0`` (magnitude rescaling included) is
factorised by truncated SVD, ``ΔW ≈ U_r Σ_r V_rᵀ``, into ``B = U_r Σ_r^{1/2}``, ``A = Σ_r^{1/2} V_rᵀ`` with scaling 1
(``lora_alpha = r``). DoRA's magnitude rescaling touches every row, so ΔW is usually of higher rank than r: the
relative Frobenius error per module is reported, not hidden.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import torch

from ..atomic import write_json
from ..workers_ai import WORKERS_AI_MAX_RANK, ExportError, check_target

# Ranks tried, smallest first, when the export rank is chosen by next-token agreement.
RANK_LADDER = (4, 8, 16, 32, 64, 128)
DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


def next_token_agreement(model_a, model_b, tokenizer, prompts: list[str], max_length: int = 64) -> float:
    """Share of positions, over ``prompts``, where both models' greedy next token is the same."""
    agree = total = 0
    model_a.eval()
    model_b.eval()
    with torch.no_grad():
        for prompt in prompts:
            ids = tokenizer(prompt, return_tensors="pt", truncation=True, max_length=max_length)["input_ids"]
            a = model_a(input_ids=ids).logits.argmax(-1)
            b = model_b(input_ids=ids).logits.argmax(-1)
            agree += int((a == b).sum())
            total += a.numel()
    return agree / total if total else float("nan")


def choose_rank(peft_model, tokenizer, prompts: list[str], limit: int, target: float = 0.99) -> dict:
    """The smallest rank on RANK_LADDER (≤ ``limit``) whose LoRA export agrees with the DoRA adapter on at least
    ``target`` of next tokens over ``prompts``; when none does, the largest allowed rank, marked as not reaching it."""
    tried = []
    ranks = [r for r in RANK_LADDER if r <= limit] or [limit]
    factors = _svd_deltas(peft_model)
    for rank in ranks:
        lora, errors = _lora_model(peft_model, rank, factors)
        agreement = next_token_agreement(peft_model, lora, tokenizer, prompts)
        tried.append({"rank": rank, "next_token_agreement": round(agreement, 4), "mean_relative_error": round(sum(errors.values()) / len(errors), 6)})
        if agreement >= target:
            return {"rank": rank, "meets_target": True, "target": target, "tried": tried}
    return {"rank": ranks[-1], "meets_target": False, "target": target, "tried": tried}


def dora_to_lora(peft_model, out: Path, rank: int | None = None, model_type: str | None = None, dtype: str = "float32") -> dict:
    """Write a LoRA adapter approximating ``peft_model``'s (DoRA) adapter, its weights in ``dtype``; returns
    per-module reconstruction errors."""
    config = peft_model.peft_config[peft_model.active_adapter]
    rank = rank or config.r
    fresh, errors = _lora_model(peft_model, rank)
    if dtype != "float32":
        fresh = fresh.to(DTYPES[dtype])
    out.mkdir(parents=True, exist_ok=True)
    fresh.save_pretrained(out)
    cfg_path = out / "adapter_config.json"
    adapter_config = json.loads(cfg_path.read_text(encoding="utf-8"))
    # Workers AI requires model_type (mistral, gemma or llama) in adapter_config.json and r ≤ 32.
    adapter_config["model_type"] = model_type or getattr(peft_model.get_base_model().config, "model_type", None)
    write_json(cfg_path, adapter_config, indent=2)
    values = list(errors.values())
    return {"rank": rank, "dtype": dtype, "modules": errors, "mean_relative_error": sum(values) / len(values), "max_relative_error": max(values)}


def _svd_deltas(peft_model) -> dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]]:
    """Per adapted module: the SVD (U, S, Vh) of the merged DoRA weight delta ``W_dora − W_0`` and its norm."""
    merged = copy.deepcopy(peft_model).merge_and_unload()
    merged_modules = dict(merged.named_modules())
    factors = {}
    for name, module in peft_model.get_base_model().named_modules():
        if hasattr(module, "base_layer") and hasattr(module, "lora_A"):
            delta = merged_modules[name].weight.detach().float() - module.base_layer.weight.detach().float()
            U, S, Vh = torch.linalg.svd(delta, full_matrices=False)
            factors[name] = (U, S, Vh, float(delta.norm()))
    return factors


def _lora_model(peft_model, rank: int, factors=None):
    """A fresh LoRA model of ``rank`` whose factors are the truncated SVD of each merged DoRA delta, and the
    per-module relative Frobenius errors (from the discarded singular values)."""
    from peft import LoraConfig, get_peft_model

    config = peft_model.peft_config[peft_model.active_adapter]
    factors = factors or _svd_deltas(peft_model)
    lora_cfg = LoraConfig(r=rank, lora_alpha=rank, lora_dropout=0.0, target_modules=list(config.target_modules), use_dora=False, task_type="CAUSAL_LM")
    fresh = get_peft_model(merged_without_adapter(peft_model), lora_cfg)
    errors = {}
    modules = dict(fresh.get_base_model().named_modules())
    with torch.no_grad():
        for name, (U, S, Vh, norm) in factors.items():
            k = min(rank, len(S))  # a rank above min(out, in) adds nothing: those factor columns stay zero
            root = S[:k].sqrt()
            B = torch.zeros(U.shape[0], rank)
            A = torch.zeros(rank, Vh.shape[1])
            B[:, :k] = U[:, :k] * root
            A[:k] = root[:, None] * Vh[:k]
            layer = modules[name]
            layer.lora_A["default"].weight.copy_(A.to(layer.lora_A["default"].weight.dtype))
            layer.lora_B["default"].weight.copy_(B.to(layer.lora_B["default"].weight.dtype))
            errors[name] = float(S[k:].square().sum().sqrt()) / norm if norm > 0 else 0.0
    return fresh, errors


def merged_without_adapter(peft_model):
    """A copy of the frozen base model without any adapter (PEFT's unload keeps the original weights)."""
    return copy.deepcopy(peft_model).unload()


# Held-out prompts the agreement is measured on, at most this many (each is one forward pass per rank tried).
MAX_AGREEMENT_PROMPTS = 64
COPIED_BESIDE = ("cluster_model.json", "anchors.jsonl")


def export_job(adapter: Path, base: str, out: Path, prompts: list[str], rank: int | str | None = None, target: str = "peft",
               max_rank: int | None = None, dtype: str = "float16", min_agreement: float = 0.99) -> dict:  # fmt: skip
    """Export ``adapter`` (DoRA) as a publishable LoRA adapter directory for ``target`` (``peft``, ``vllm``,
    ``workers-ai``): rank given, or ``"auto"`` (the smallest reaching ``min_agreement`` next-token agreement on
    ``prompts``), checked against the target's limits, weights in ``dtype``, and ``compass_adapter.json`` recording
    the reconstruction error and the agreement. Returns the export report."""
    import shutil

    from peft import PeftModel

    from .artifacts import METADATA, file_hash, read_metadata
    from .config import TrainConfig
    from .loop import load_base

    if dtype not in DTYPES:
        raise ExportError(f"--dtype must be one of {', '.join(DTYPES)}")
    meta = read_metadata(adapter)
    model, tokenizer = load_base(base, TrainConfig(dtype="float32"))
    peft_model = PeftModel.from_pretrained(model, str(adapter))
    model_type = getattr(peft_model.get_base_model().config, "model_type", None)
    limits = [r for r in (max_rank, WORKERS_AI_MAX_RANK if target == "workers-ai" else None) if r is not None]
    held_out = prompts[:MAX_AGREEMENT_PROMPTS]
    choice = None
    if rank == "auto":
        if not held_out:
            raise ExportError("--rank auto needs held-out prompts to measure next-token agreement on")
        choice = choose_rank(peft_model, tokenizer, held_out, min(limits) if limits else RANK_LADDER[-1], min_agreement)
        rank = choice["rank"]
    rank = int(rank or peft_model.peft_config[peft_model.active_adapter].r)
    check_target(rank, model_type, target, max_rank)
    report = dora_to_lora(peft_model, out, rank, model_type=model_type, dtype=dtype)
    lora, _ = _lora_model(peft_model, rank)
    agreement = next_token_agreement(peft_model, lora, tokenizer, held_out) if held_out else None
    for name in COPIED_BESIDE:
        if (Path(adapter) / name).exists():
            shutil.copyfile(Path(adapter) / name, out / name)
    export = {"target": target, "dtype": dtype, "rank": rank, "mean_relative_error": report["mean_relative_error"],
              "max_relative_error": report["max_relative_error"], "next_token_agreement": agreement, "agreement_target": min_agreement,
              "meets_target": agreement is not None and agreement >= min_agreement, "prompts": len(held_out),
              "tried": choice["tried"] if choice else None}  # fmt: skip
    metadata = {**meta, "method": "lora", "r": rank, "lora_alpha": rank, "parent": str(Path(adapter).resolve()),
                "exported_from": {"method": meta.get("method"), "version": meta.get("version"), "adapter_sha256": meta.get("adapter_sha256")},
                "export": export, "adapter_sha256": file_hash(out / "adapter_model.safetensors")}  # fmt: skip
    (out / METADATA).write_text(json.dumps(metadata, indent=1, ensure_ascii=False), encoding="utf-8")
    return export
