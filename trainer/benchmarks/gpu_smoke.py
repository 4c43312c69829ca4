"""Smoke run of DoRA training on a ~0.5B-parameter Llama-architecture model built from a config (random weights):
the trainer's own loop (PEFT DoRA on q,k,v,o,gate,up,down; AdamW; bf16 on CUDA) on random token sequences, reporting
tokens/s and peak GPU memory. Meant for a GPU machine; ``--size cpu`` runs a small config to prove the path on CPU.

Usage: python benchmarks/gpu_smoke.py [--size 0.5b|cpu] [--steps 30] [--batch 8] [--seq 512] [--method dora|lora]
"""

from __future__ import annotations

import argparse
import time

import torch

from compass_trainer.training import TrainConfig, make_adapter_model
from compass_trainer.training.loop import device_and_dtype, trainable_parameters

SIZES = {
    # ~0.49B parameters: hidden 1024, 24 layers, GQA 16/4 heads, SwiGLU 2816, 32k vocabulary.
    "0.5b": dict(hidden_size=1024, intermediate_size=2816, num_hidden_layers=24, num_attention_heads=16, num_key_value_heads=4, vocab_size=32000),
    "cpu": dict(hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, vocab_size=1000),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="0.5b")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seq", type=int, default=512)
    parser.add_argument("--method", choices=["dora", "lora"], default="dora")
    args = parser.parse_args()
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = TrainConfig(method=args.method, r=16, lr=2e-4)
    device, dtype = device_and_dtype(cfg)
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(**SIZES[args.size], max_position_embeddings=args.seq)).to(device=device, dtype=dtype)
    for p in model.parameters():
        p.requires_grad_(False)
    n_params = sum(p.numel() for p in model.parameters())
    peft_model = make_adapter_model(model, cfg)
    params = trainable_parameters(peft_model)
    optimizer = torch.optim.AdamW(params.values(), lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)
    vocab = SIZES[args.size]["vocab_size"]
    tokens = 0
    for step in range(args.steps + 3):
        if step == 3:  # warm-up steps (allocator, kernels) are not timed
            if device.type == "cuda":
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            start, tokens = time.perf_counter(), 0
        ids = torch.randint(0, vocab, (args.batch, args.seq), device=device)
        loss = peft_model(input_ids=ids, labels=ids).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), cfg.grad_clip)
        optimizer.step()
        tokens += ids.numel()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    peak = f", peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB" if device.type == "cuda" else ""
    print(
        f"{args.method} on {n_params / 1e6:.0f}M-parameter Llama ({args.size}), {device.type} {str(dtype).split('.')[-1]}: "
        f"{sum(p.numel() for p in params.values()) / 1e6:.2f}M trainable, {tokens / seconds:,.0f} tokens/s over {args.steps} steps "
        f"(batch {args.batch} × {args.seq}){peak}; final loss {float(loss):.3f}"
    )


if __name__ == "__main__":
    main()
