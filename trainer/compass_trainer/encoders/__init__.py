"""Text encoders for selection, each returning L2-normalised float32 rows, and the on-disk embedding cache.

Specs (CLI ``--encoder``): ``sketch`` · ``st:<model name or path>`` (sentence-transformers: Jina-v3, multilingual-e5,
GTE-multilingual) · ``hf:<model name or path>`` (transformers, mean pooling) · ``onnx:<model.onnx>@<tokenizer path>``.
Precomputed embeddings (``.npy`` or a Parquet column) are loaded with :func:`load_precomputed`.
"""

from .base import Encoder, check_encoder_spec, load_encoder, load_precomputed
from .cache import EmbeddingCache, embed_examples

__all__ = ["EmbeddingCache", "Encoder", "check_encoder_spec", "embed_examples", "load_encoder", "load_precomputed"]
