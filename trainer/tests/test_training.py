"""DoRA training and ECDA on a tiny Llama built from a config (random weights, CPU)."""

import json

import numpy as np
import pytest
import torch

from compass_trainer.training import TrainConfig, fit_adapter, load_base, make_adapter_model
from compass_trainer.training.anchors import select_anchors
from compass_trainer.training.strategies import STRATEGIES, EWCPenalty, UpdateConfig, UpdateData, diagonal_fisher, get_strategy
from compass_trainer.training.export import dora_to_lora
from compass_trainer.training.formatting import IGNORE, encode_pair
from compass_trainer.training.loop import trainable_parameters

CFG = TrainConfig(r=4, lr=1e-2, epochs=8, batch_size=4, max_length=64, heldout_fraction=0.1, patience=8, warmup_ratio=0.05, dtype="float32")
# A learnable toy task: each question's answer is its topic word, repeated.
TOY = [(f"question {i} about {t}", f"{t} {t} {t}") for i in range(12) for t in ("rain", "rice", "maize")]


def fresh(tiny_base, cfg=CFG):
    model, tokenizer = load_base(tiny_base, cfg)
    return make_adapter_model(model, cfg), tokenizer


def test_the_adapter_is_dora_on_every_projection(tiny_base):
    model, _ = fresh(tiny_base)
    names = list(trainable_parameters(model))
    assert any("lora_magnitude_vector" in n for n in names)
    for proj in ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"):
        assert any(proj in n for n in names), proj
    assert all("lora_" in n for n in names)


def test_labels_mask_the_prompt(tiny_base):
    _, tokenizer = fresh(tiny_base)
    encoded = encode_pair(tokenizer, "Habari ya leo?", "Nzuri sana.", 64)
    labels = encoded["labels"]
    assert labels[0] == IGNORE and labels[-1] != IGNORE
    first = next(i for i, l in enumerate(labels) if l != IGNORE)
    assert "Nzuri" in tokenizer.decode(encoded["input_ids"][first:])
    assert "Habari" not in tokenizer.decode(encoded["input_ids"][first:])


def test_loss_falls_base_weights_stay_and_the_saved_adapter_reproduces_logits(tiny_base, tmp_path):
    from peft import PeftModel

    model, tokenizer = fresh(tiny_base)
    base_before = {n: p.detach().clone() for n, p in model.get_base_model().named_parameters() if "lora_" not in n}
    result = fit_adapter(model, tokenizer, TOY, CFG, progress=False)
    assert result.train_losses[-1] < 0.6 * result.train_losses[0]
    for n, p in model.get_base_model().named_parameters():
        if n in base_before:
            assert torch.equal(p, base_before[n]), n
    model.save_pretrained(tmp_path / "adapter")
    assert {"adapter_config.json", "adapter_model.safetensors"} <= {p.name for p in (tmp_path / "adapter").iterdir()}
    assert json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())["use_dora"] is True
    ids = tokenizer("question 3 about rain", return_tensors="pt")["input_ids"]
    model.eval()
    with torch.no_grad():
        expected = model(input_ids=ids).logits
        base, _ = load_base(tiny_base, CFG)
        loaded = PeftModel.from_pretrained(base, str(tmp_path / "adapter"))
        assert torch.allclose(loaded(input_ids=ids).logits, expected, atol=1e-5)


def test_ewc_is_zero_at_the_previous_parameters_and_grows_with_distance(tiny_base):
    model, _ = fresh(tiny_base)
    params = trainable_parameters(model)
    fisher = {n: torch.ones_like(p) for n, p in params.items()}
    penalty = EWCPenalty(model, fisher, lam=2.0)
    assert float(penalty()) == 0.0
    values = []
    for step in (0.01, 0.02, 0.04):
        with torch.no_grad():
            for n, p in params.items():
                p.copy_(penalty.anchor[n] + step)
        values.append(float(penalty()))
    assert values[0] > 0 and values[1] == pytest.approx(4 * values[0], rel=1e-4) and values[2] == pytest.approx(16 * values[0], rel=1e-4)
    n_params = sum(p.numel() for p in params.values())
    assert values[0] == pytest.approx(0.5 * 2.0 * n_params * 0.01**2, rel=1e-3)


def test_fisher_is_per_example_and_uses_the_anchors_only(tiny_base, monkeypatch):
    model, tokenizer = fresh(tiny_base)
    fit_adapter(model, tokenizer, TOY, TrainConfig(**{**CFG.__dict__, "epochs": 1}), progress=False)
    anchors = TOY[:3]
    seen = []
    import compass_trainer.training.strategies.ewc as ecda

    real = ecda.batch_loss

    def spy(model, batch, device):
        seen.append(batch["input_ids"].shape[0])
        return real(model, batch, device)

    monkeypatch.setattr(ecda, "batch_loss", spy)
    fisher = diagonal_fisher(model, tokenizer, anchors, 64)
    assert seen == [1, 1, 1]  # one backward pass per anchor example, nothing else
    assert set(fisher) == set(trainable_parameters(model))
    assert all((f >= 0).all() for f in fisher.values()) and any(float(f.sum()) > 0 for f in fisher.values())
    # The mean of squared per-example gradients ≥ the square of the mean gradient (Jensen): not the biased estimate.
    monkeypatch.setattr(ecda, "batch_loss", real)
    params = trainable_parameters(model)
    model.zero_grad()
    from compass_trainer.training.formatting import collate

    batch = collate([encode_pair(tokenizer, p, r, 64) for p, r in anchors], tokenizer.pad_token_id)
    real(model, batch, torch.device("cpu")).backward()
    squared_mean = sum(float((p.grad**2).sum()) for p in params.values() if p.grad is not None)
    assert sum(float(f.sum()) for f in fisher.values()) >= squared_mean * 0.999


def test_anchors_are_the_examples_nearest_the_densest_clusters_centroids():
    rng = np.random.default_rng(0)
    centroids = np.eye(3, 8, dtype=np.float32)
    X = np.concatenate([centroids[k] + s * rng.standard_normal((10, 8)) for k, s in ((0, 0.05), (1, 0.05), (2, 0.05))]).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    idx = select_anchors(X, centroids, np.array([0.7, 0.3, 0.0]), size=4)
    assert len(idx) == 4
    labels = (X[idx] @ centroids.T).argmax(axis=1)
    assert sorted(labels.tolist()) == [0, 0, 0, 1]  # slots ∝ P_ref; the empty cluster gets none
    in_zero = np.arange(10)
    nearest = in_zero[np.argsort(-(X[in_zero] @ centroids[0]))][:3]
    assert set(idx[labels == 0].tolist()) == set(nearest.tolist())


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_registered_strategy_updates_the_adapter_unless_it_is_static(tiny_base, name):
    old = TOY[:18]
    new = [(f"new question {i} about wind", "wind wind wind") for i in range(18)]
    cfg = TrainConfig(**{**CFG.__dict__, "epochs": 4})
    model, tokenizer = fresh(tiny_base, cfg)
    fit_adapter(model, tokenizer, old, cfg, progress=False)
    strategy = get_strategy(name, UpdateConfig(lam=2.0, beta=0.1, epochs=2))
    if strategy.starts_fresh:
        model = fresh(tiny_base, cfg)[0]
    before = {n: p.detach().clone() for n, p in trainable_parameters(model).items()}
    result = strategy.fit(model, tokenizer, UpdateData(new, old, old[:3]), cfg)
    moved = sum(float((p - before[n]).abs().sum()) for n, p in trainable_parameters(model).items())
    if not strategy.changes_adapter:
        assert result is None and moved == 0.0
    else:
        assert result.steps > 0 and moved > 0.0


def test_an_unknown_strategy_names_the_registered_ones():
    with pytest.raises(ValueError, match="ecda"):
        get_strategy("nope")


def test_dora_exports_to_lora_with_its_error_reported(tiny_base, tmp_path):
    from peft import PeftModel

    model, tokenizer = fresh(tiny_base)
    fit_adapter(model, tokenizer, TOY, TrainConfig(**{**CFG.__dict__, "epochs": 2}), progress=False)
    report = dora_to_lora(model, tmp_path / "lora", rank=4)
    assert 0.0 <= report["mean_relative_error"] <= report["max_relative_error"] < 1.0
    config = json.loads((tmp_path / "lora" / "adapter_config.json").read_text())
    assert config["use_dora"] is False and config["r"] == 4 and config["model_type"] == "llama"
    full = dora_to_lora(model, tmp_path / "lora-full", rank=64)  # rank ≥ min(shape): exact up to float error
    assert full["max_relative_error"] < 1e-3
    base, _ = load_base(tiny_base, CFG)
    exported = PeftModel.from_pretrained(base, str(tmp_path / "lora-full"))
    ids = tokenizer("question 1 about rice", return_tensors="pt")["input_ids"]
    model.eval()
    with torch.no_grad():
        assert torch.allclose(exported(input_ids=ids).logits, model(input_ids=ids).logits, atol=1e-3)


def test_ecda_forgets_less_than_naive(tiny_base):
    """The paper's claim (§5.5) on the conflicting-answer scenario (compass_trainer.forgetting): after the same update,
    ECDA's loss on the old distribution — the anchors and old questions no version trained on — is lower than naive
    fine-tuning's, while ECDA still takes at least 90% of naive's gain on held-out new questions. Fixed seeds, the
    tiny model; 3 update epochs instead of 5 to keep the test short (the bench runs 5)."""
    from compass_trainer.forgetting import measure_conflict_forgetting

    run = measure_conflict_forgetting(tiny_base, CFG, UpdateConfig(epochs=3), strategies=["naive", "ecda"], log=lambda _: None)
    naive, ecda = run.rows
    v1 = run.version1
    assert ecda.old_usage < naive.old_usage and ecda.anchors < naive.anchors
    assert naive.old_usage > 2 * v1.old_usage  # naive fine-tuning does forget here: the comparison means something
    assert v1.new_window - ecda.new_window >= 0.9 * (v1.new_window - naive.new_window)
