"""Adapter training (METHOD §3) and continual updates (METHOD §5): DoRA/LoRA through PEFT on a frozen base model."""

from .config import PRESETS, TrainConfig, preset
from .loop import fit_adapter, load_base, make_adapter_model
from .tiny import build_tiny_base

__all__ = ["PRESETS", "TrainConfig", "preset", "fit_adapter", "load_base", "make_adapter_model", "build_tiny_base"]
