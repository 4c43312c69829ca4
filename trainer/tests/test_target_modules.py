"""Adapters go on the modules each architecture actually has: read from the model, never a fixed name list."""

import pytest

from compass_trainer.training import TrainConfig, preset
from compass_trainer.training.loop import make_adapter_model, resolve_target_modules

SMALL = {
    "vocab_size": 64,
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 64,
}
LLAMA_STYLE = ["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"]


def tiny(architecture: str):
    import torch
    import transformers

    config_cls, model_cls = {
        "llama": ("LlamaConfig", "LlamaForCausalLM"),
        "qwen2": ("Qwen2Config", "Qwen2ForCausalLM"),
        "phi3": ("Phi3Config", "Phi3ForCausalLM"),
    }[architecture]
    torch.manual_seed(0)
    return getattr(transformers, model_cls)(getattr(transformers, config_cls)(**SMALL, pad_token_id=0))


@pytest.mark.parametrize(
    "architecture, expected",
    [
        ("llama", LLAMA_STYLE),
        ("qwen2", LLAMA_STYLE),
        ("phi3", ["down_proj", "gate_up_proj", "o_proj", "qkv_proj"]),  # fused projections: Phi-3 / Phi-4-mini
    ],
)
def test_every_projection_of_each_architecture_gets_an_adapter(architecture, expected):
    model = tiny(architecture)
    assert resolve_target_modules(model) == expected
    peft_model = make_adapter_model(model, TrainConfig(r=4))
    adapted = {name.rsplit(".", 2)[-2] for name, _ in peft_model.named_modules() if name.endswith(".lora_A")}
    assert sorted(adapted) == expected
    per_layer = [name for name, _ in peft_model.named_modules() if name.endswith(".lora_A")]
    assert len(per_layer) == len(expected) * SMALL["num_hidden_layers"]  # every layer, not only the first
    assert not any("lm_head" in name for name in per_layer)


def test_presets_set_rank_and_learning_rate_only():
    for name in ("phi-4-mini", "llama-3.1-8b", "qwen2.5-7b"):
        _, cfg = preset(name)
        assert cfg.target_modules == "all-linear"
    with pytest.raises(ValueError, match="none of the target modules"):
        resolve_target_modules(tiny("phi3"), ("q_proj", "v_proj"))
