from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

ALL_LINEAR = "all-linear"
"""PEFT's name for every linear layer of the transformer blocks (the output head excluded): the attention and MLP
projections whatever an architecture calls them (Llama/Qwen2 ``q_proj … down_proj``; Phi-3 ``qkv_proj``,
``gate_up_proj``)."""


@dataclass
class TrainConfig:
    """Adapter training settings; defaults follow METHOD §3 (paper 4.3)."""

    method: Literal["dora", "lora"] = "dora"
    r: int = 16
    lora_alpha: int | None = None
    """[choice] 2r when unset (the paper does not say)."""
    lora_dropout: float = 0.05
    """[choice] unspecified in the paper."""
    target_modules: str | tuple[str, ...] = ALL_LINEAR
    """``all-linear`` (resolved from the model, see :func:`resolve_target_modules`) or module names."""
    lr: float = 2e-4
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.999)
    grad_clip: float = 1.0
    warmup_ratio: float = 0.1
    epochs: int = 3
    batch_size: int = 8
    max_length: int = 512
    heldout_fraction: float = 0.1
    """Share of the data held out for early stopping (at least one example)."""
    patience: int = 1
    """Epochs without held-out improvement before stopping; the best epoch's adapter is kept."""
    seed: int = 0
    dtype: Literal["auto", "float32", "bfloat16"] = "auto"
    """auto: bf16 on CUDA, fp32 on CPU."""
    extra: dict = field(default_factory=dict)

    @property
    def alpha(self) -> int:
        return self.lora_alpha if self.lora_alpha is not None else 2 * self.r


# Per-base-model presets (paper 4.3): rank 16 for Phi-4-mini and Qwen2.5-7B, 8 for Llama-3.1-8B; lr 2e-4 for Phi,
# 1e-4 for Llama and Qwen. "tiny" is the CPU preset for a model built from a config (tests, the demo). Presets set
# rank, learning rate and the like only: which modules are adapted is read from the model itself.
PRESETS: dict[str, dict] = {
    "phi-4-mini": {"base": "microsoft/Phi-4-mini-instruct", "r": 16, "lr": 2e-4},
    "llama-3.1-8b": {"base": "meta-llama/Llama-3.1-8B-Instruct", "r": 8, "lr": 1e-4},
    "qwen2.5-7b": {"base": "Qwen/Qwen2.5-7B-Instruct", "r": 16, "lr": 1e-4},
    "tiny": {"base": None, "r": 8, "lr": 1e-2, "batch_size": 8, "max_length": 128},
}


def preset(name: str, **overrides) -> tuple[str | None, TrainConfig]:
    """(base model id, config) for a preset, with field overrides."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset '{name}'; choose from {sorted(PRESETS)}")
    values = dict(PRESETS[name])
    base = values.pop("base")
    return base, replace(TrainConfig(), **values, **overrides)
