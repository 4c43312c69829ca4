"""The training loop shared by initial adaptation and ECDA updates: AdamW, warmup + cosine schedule, gradient
clipping, held-out early stopping, and optional extra loss terms (anchor replay, EWC) supplied by the caller."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tqdm.auto import tqdm

from .config import TrainConfig
from .formatting import collate, encode_pair


def device_and_dtype(cfg: TrainConfig) -> tuple[torch.device, torch.dtype]:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if cfg.dtype == "bfloat16" or (cfg.dtype == "auto" and device.type == "cuda"):
        return device, torch.bfloat16
    return device, torch.float32


def load_base(base: str | Path, cfg: TrainConfig):
    """The frozen base model and its tokenizer (by hub id or local path)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    # A local base is named by its absolute path: PEFT writes this name into adapter_config.json, and a relative one
    # would not resolve wherever the adapter is loaded next (publish refuses it).
    if Path(base).exists():
        base = Path(base).resolve()
    device, dtype = device_and_dtype(cfg)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(str(base), dtype=dtype).to(device)
    for p in model.parameters():
        p.requires_grad_(False)
    return model, tokenizer


def make_adapter_model(base_model, cfg: TrainConfig):
    """Wrap the frozen base with a fresh DoRA (``use_dora=True``) or LoRA adapter on the attention and MLP projections."""
    from peft import LoraConfig, get_peft_model

    present = {name.rsplit(".", 1)[-1] for name, _ in base_model.named_modules()}
    targets = [m for m in cfg.target_modules if m in present]
    if not targets:
        raise ValueError(f"none of the target modules {cfg.target_modules} exist in this model")
    config = LoraConfig(r=cfg.r, lora_alpha=cfg.alpha, lora_dropout=cfg.lora_dropout, target_modules=targets, use_dora=cfg.method == "dora",
                        task_type="CAUSAL_LM")  # fmt: skip
    return get_peft_model(base_model, config)


def trainable_parameters(model) -> dict[str, torch.nn.Parameter]:
    """The adapter's parameters (LoRA A/B and, for DoRA, the magnitude vectors): the only ones that train."""
    return {name: p for name, p in model.named_parameters() if p.requires_grad}


@dataclass
class FitResult:
    train_losses: list[float] = field(default_factory=list)
    heldout_losses: list[float] = field(default_factory=list)
    best_epoch: int = -1
    steps: int = 0
    tokens: int = 0
    seconds: float = 0.0


def encode_examples(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int) -> list[dict[str, list[int]]]:
    return [encode_pair(tokenizer, prompt, response or "", max_length) for prompt, response in pairs]


def batches(encoded: list[dict], batch_size: int, pad_id: int, shuffle: bool, rng: random.Random) -> list[dict[str, torch.Tensor]]:
    order = list(range(len(encoded)))
    if shuffle:
        rng.shuffle(order)
    return [collate([encoded[i] for i in order[s : s + batch_size]], pad_id) for s in range(0, len(order), batch_size)]


def batch_loss(model, batch: dict[str, torch.Tensor], device: torch.device) -> torch.Tensor:
    batch = {k: v.to(device) for k, v in batch.items()}
    return model(**batch).loss


@torch.no_grad()
def mean_loss(model, encoded: list[dict], cfg: TrainConfig, pad_id: int, device: torch.device) -> float:
    model.eval()
    total, count = 0.0, 0
    for batch in batches(encoded, cfg.batch_size, pad_id, False, random.Random(0)):
        n = int((batch["labels"] != -100).sum())
        total += float(batch_loss(model, batch, device)) * n
        count += n
    model.train()
    return total / max(count, 1)


def fit_adapter(model, tokenizer, pairs: Sequence[tuple[str, str]], cfg: TrainConfig,
                extra_loss: Callable[[], torch.Tensor] | None = None, replay: Sequence[tuple[str, str]] = (), replay_weight: float = 0.0,
                heldout: Sequence[tuple[str, str]] | None = None, progress: bool = True) -> FitResult:  # fmt: skip
    """Train the adapter of ``model`` (a PEFT model) on instruction/response ``pairs``.

    Loss per step: task loss on a batch of ``pairs`` + ``replay_weight`` × task loss on a batch of ``replay``
    (ECDA's anchor replay) + ``extra_loss()`` (ECDA's EWC term). A slice of ``pairs`` (``heldout_fraction``) is held
    out unless ``heldout`` is given; after each epoch the held-out loss decides early stopping and the best epoch's
    adapter weights are restored at the end.
    """
    import time

    if not pairs:
        raise ValueError("no training examples")
    device = next(model.parameters()).device
    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    encoded = encode_examples(tokenizer, pairs, cfg.max_length)
    if heldout is None:
        order = list(range(len(encoded)))
        rng.shuffle(order)
        n_held = max(1, int(round(cfg.heldout_fraction * len(encoded)))) if len(encoded) > 1 else 0
        held = [encoded[i] for i in order[:n_held]]
        encoded = [encoded[i] for i in order[n_held:]]
    else:
        held = encode_examples(tokenizer, heldout, cfg.max_length)
    replay_encoded = encode_examples(tokenizer, replay, cfg.max_length) if replay else []
    params = trainable_parameters(model)
    optimizer = torch.optim.AdamW(params.values(), lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)
    steps_per_epoch = math.ceil(len(encoded) / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    warmup = max(1, int(cfg.warmup_ratio * total_steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warmup) / max(1, total_steps - warmup))))
    )  # fmt: skip
    pad_id = tokenizer.pad_token_id
    result = FitResult()
    best = (math.inf, None)
    stale = 0
    start = time.perf_counter()
    model.train()
    for epoch in range(cfg.epochs):
        replay_batches = iter(batches(replay_encoded, cfg.batch_size, pad_id, True, rng) * (steps_per_epoch + 1)) if replay_encoded else None
        epoch_losses = []
        for batch in tqdm(batches(encoded, cfg.batch_size, pad_id, True, rng), desc=f"epoch {epoch + 1}/{cfg.epochs}", disable=not progress, leave=False):
            loss = batch_loss(model, batch, device)
            if replay_batches is not None and replay_weight > 0:
                loss = loss + replay_weight * batch_loss(model, next(replay_batches), device)
            if extra_loss is not None:
                loss = loss + extra_loss()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params.values(), cfg.grad_clip)
            optimizer.step()
            schedule.step()
            epoch_losses.append(float(loss))
            result.steps += 1
            result.tokens += int(batch["attention_mask"].sum())
        result.train_losses.append(sum(epoch_losses) / len(epoch_losses))
        if held:
            held_loss = mean_loss(model, held, cfg, pad_id, device)
            result.heldout_losses.append(held_loss)
            if held_loss < best[0]:
                best = (held_loss, {k: v.detach().clone() for k, v in params.items()})
                result.best_epoch = epoch
                stale = 0
            else:
                stale += 1
                if stale >= cfg.patience:
                    break
    if best[1] is not None:
        with torch.no_grad():
            for name, value in best[1].items():
                params[name].copy_(value)
    result.seconds = time.perf_counter() - start
    return result
