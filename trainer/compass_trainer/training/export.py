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


def dora_to_lora(peft_model, out: Path, rank: int | None = None, model_type: str | None = None) -> dict:
    """Write a LoRA adapter approximating ``peft_model``'s (DoRA) adapter; returns per-module reconstruction errors."""
    from peft import LoraConfig, get_peft_model

    config = peft_model.peft_config[peft_model.active_adapter]
    rank = rank or config.r
    merged = copy.deepcopy(peft_model).merge_and_unload()
    base = peft_model.get_base_model()
    deltas: dict[str, torch.Tensor] = {}
    base_weights = {}
    for name, module in base.named_modules():
        if hasattr(module, "base_layer") and hasattr(module, "lora_A"):
            base_weights[name] = module.base_layer.weight.detach().float()
    merged_modules = dict(merged.named_modules())
    for name, w0 in base_weights.items():
        deltas[name] = merged_modules[name].weight.detach().float() - w0
    lora_cfg = LoraConfig(r=rank, lora_alpha=rank, lora_dropout=0.0, target_modules=list(config.target_modules), use_dora=False, task_type="CAUSAL_LM")
    fresh = get_peft_model(merged_without_adapter(peft_model), lora_cfg)
    errors = {}
    modules = dict(fresh.get_base_model().named_modules())
    with torch.no_grad():
        for name, delta in deltas.items():
            U, S, Vh = torch.linalg.svd(delta, full_matrices=False)
            k = min(rank, len(S))  # a rank above min(out, in) adds nothing: those factor columns stay zero
            root = S[:k].sqrt()
            B = torch.zeros(delta.shape[0], rank)
            A = torch.zeros(rank, delta.shape[1])
            B[:, :k] = U[:, :k] * root
            A[:k] = root[:, None] * Vh[:k]
            layer = modules[name]
            layer.lora_A["default"].weight.copy_(A.to(layer.lora_A["default"].weight.dtype))
            layer.lora_B["default"].weight.copy_(B.to(layer.lora_B["default"].weight.dtype))
            norm = float(delta.norm())
            errors[name] = float((delta - B @ A).norm()) / norm if norm > 0 else 0.0
    out.mkdir(parents=True, exist_ok=True)
    fresh.save_pretrained(out)
    cfg_path = out / "adapter_config.json"
    adapter_config = json.loads(cfg_path.read_text(encoding="utf-8"))
    # Workers AI requires model_type (mistral, gemma or llama) in adapter_config.json and r ≤ 32.
    adapter_config["model_type"] = model_type or getattr(base.config, "model_type", None)
    write_json(cfg_path, adapter_config, indent=2)
    values = list(errors.values())
    return {"rank": rank, "modules": errors, "mean_relative_error": sum(values) / len(values), "max_relative_error": max(values)}


def merged_without_adapter(peft_model):
    """A copy of the frozen base model without any adapter (PEFT's unload keeps the original weights)."""
    return copy.deepcopy(peft_model).unload()
