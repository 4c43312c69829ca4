from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..geometry import normalise


class Encoder:
    """Maps texts to L2-normalised float32 rows. ``encoder_id`` names the model and its settings: it keys the cache."""

    encoder_id: str = ""

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement encode()")


class SketchEncoder(Encoder):
    """The edge's sketch encoder (docs/sketch-encoder.md): needs no model, runs anywhere, bit-identical to the worker."""

    def __init__(self, dim: int = 256):
        from .. import sketch

        self.dim = dim
        self.encoder_id = f"{sketch.SKETCH_VERSION}-d{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        from .. import sketch

        return np.stack([sketch.embed(t, self.dim) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model by name or local path (e.g. ``intfloat/multilingual-e5-large`` with
    ``prefix="query: "``, ``jinaai/jina-embeddings-v3`` with ``trust_remote_code=True``)."""

    def __init__(self, model: str, prefix: str = "", batch_size: int = 64, device: str | None = None, trust_remote_code: bool = False):
        from sentence_transformers import SentenceTransformer

        self.model_name = model
        self.prefix = prefix
        self.batch_size = batch_size
        self.model = SentenceTransformer(model, device=device, trust_remote_code=trust_remote_code)
        self.encoder_id = f"st:{model}:{prefix}"

    def encode(self, texts: list[str]) -> np.ndarray:
        X = self.model.encode([self.prefix + t for t in texts], batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(X, dtype=np.float32)


class TransformersEncoder(Encoder):
    """Any transformers encoder by name or path; mean pooling over the attention mask, then L2 normalisation."""

    def __init__(self, model: str, prefix: str = "", batch_size: int = 32, max_length: int = 512, device: str | None = None, trust_remote_code: bool = False):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.model_name = model
        self.prefix = prefix
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.tokenizer = AutoTokenizer.from_pretrained(model, trust_remote_code=trust_remote_code)
        self.model = AutoModel.from_pretrained(model, trust_remote_code=trust_remote_code).to(self.device).eval()
        self.encoder_id = f"hf:{model}:{prefix}:{max_length}"

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        rows = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self.tokenizer(
                    [self.prefix + t for t in texts[start : start + self.batch_size]],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.device)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                rows.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)).float().cpu().numpy())
        return normalise(np.concatenate(rows)) if rows else np.zeros((0, 0), np.float32)


class OnnxEncoder(Encoder):
    """An ONNX encoder through onnxruntime: inputs ``input_ids`` and ``attention_mask`` (int64), output
    ``last_hidden_state`` (mean-pooled here) or an already pooled ``(batch, d)`` output."""

    def __init__(self, model_path: str, tokenizer: str, batch_size: int = 32, max_length: int = 512):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.model_path = model_path
        self.batch_size = batch_size
        self.max_length = max_length
        self.session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer)
        self.encoder_id = f"onnx:{Path(model_path).name}:{max_length}"

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for start in range(0, len(texts), self.batch_size):
            batch = self.tokenizer(texts[start : start + self.batch_size], padding=True, truncation=True, max_length=self.max_length, return_tensors="np")
            feeds = {k: v.astype(np.int64) for k, v in batch.items() if k in self.input_names}
            out = self.session.run(None, feeds)[0]
            if out.ndim == 3:
                mask = batch["attention_mask"][..., None].astype(np.float32)
                out = (out * mask).sum(1) / np.maximum(mask.sum(1), 1.0)
            rows.append(out)
        return normalise(np.concatenate(rows))


def check_encoder_spec(spec: str) -> None:
    """Raise UsageError unless ``spec`` is a well-formed encoder spec (checked before any model is loaded)."""
    kind, _, rest = spec.partition(":")
    ok = (kind == "sketch" and (not rest or rest.isdigit())) or (kind in ("st", "hf") and rest) or (kind == "onnx" and "@" in rest)
    if not ok:
        raise UsageError(f"unknown encoder spec '{spec}': use sketch, st:<model>, hf:<model> or onnx:<model.onnx>@<tokenizer>")


def load_encoder(spec: str) -> Encoder:
    """Build an encoder from a CLI spec: ``sketch``, ``st:<model>``, ``hf:<model>``, ``onnx:<model.onnx>@<tokenizer>``."""
    check_encoder_spec(spec)
    kind, _, rest = spec.partition(":")
    if kind == "sketch":
        return SketchEncoder(int(rest) if rest else 256)
    if kind == "st":
        return SentenceTransformerEncoder(rest)
    if kind == "hf":
        return TransformersEncoder(rest)
    path, _, tokenizer = rest.partition("@")
    return OnnxEncoder(path, tokenizer)


def load_precomputed(path: str | Path, column: str | None = None, expected_rows: int | None = None) -> np.ndarray:
    """Embeddings computed elsewhere: a ``.npy`` matrix, or a Parquet column of vectors. Rows align with the data file."""
    path = Path(path)
    if path.suffix == ".npy":
        X = np.load(path)
    elif path.suffix == ".parquet":
        import pyarrow.parquet as pq

        if not column:
            raise ValueError(f"{path}: name the embedding column (e.g. --embedding-column embedding)")
        X = np.asarray(pq.read_table(path, columns=[column]).column(column).to_pylist(), dtype=np.float32)
    else:
        raise ValueError(f"{path}: precomputed embeddings must be .npy or .parquet")
    if X.ndim != 2:
        raise ValueError(f"{path}: expected a 2-D matrix, got shape {X.shape}")
    if expected_rows is not None and len(X) != expected_rows:
        raise ValueError(f"{path}: {len(X)} embeddings for {expected_rows} examples")
    return normalise(X)
