"""The sketch encoder ``compass-sketch-v1`` (docs/sketch-encoder.md), bit-identical to the worker's
(``kernels/src/sketch.ts`` + ``kernels/assembly/sketch.ts``); both assert ``test/vectors/sketch.json``."""

from __future__ import annotations

import re
import unicodedata

import mmh3
import numpy as np

SKETCH_VERSION = "compass-sketch-v1"
SKETCH_DIM = 256
SKETCH_ORDERS = (2, 3, 4)
SKETCH_PROJECTIONS = 2
SKETCH_SEED = 0x9747B28C
SKETCH_MAX_CODEPOINTS = 4096

# Unicode White_Space spelled out: Python's and JavaScript's \s differ on a few code points.
_WHITESPACE = re.compile("[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_GOLDEN = 0x9E3779B9
_MASK = 0xFFFFFFFF


def normalize(text: str) -> str:
    """NFKC, lower-case, whitespace runs to one space, trimmed, cut to 4096 code points."""
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).lower())
    if text.startswith(" "):
        text = text[1:]
    if text.endswith(" "):
        text = text[:-1]
    return text[:SKETCH_MAX_CODEPOINTS]


def ngram_hashes(normalized: str) -> np.ndarray:
    """murmur3 (x86, 32-bit, seed 0x9747B28C) of each UTF-8 n-gram, orders 2, 3, 4 over " " + text + " "."""
    if not normalized:
        return np.zeros(0, dtype=np.uint32)
    padded = f" {normalized} "
    hashes = [mmh3.hash(padded[i : i + n].encode("utf-8"), SKETCH_SEED, signed=False) for n in SKETCH_ORDERS for i in range(len(padded) - n + 1)]
    return np.asarray(hashes, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h.astype(np.uint64)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h


def project(hashes: np.ndarray, dim: int = SKETCH_DIM, projections: int = SKETCH_PROJECTIONS) -> np.ndarray:
    """Signed seeded projection of the hashes into ``dim`` f32 coordinates, L2-normalised exactly as the spec says."""
    out = np.zeros(dim, dtype=np.float64)
    h = hashes.astype(np.uint64)
    for j in range(projections):
        x = _fmix32(h ^ np.uint64(((j + 1) * _GOLDEN) & _MASK))
        index = ((x * np.uint64(dim)) >> np.uint64(32)).astype(np.int64)
        sign = np.where((x & np.uint64(1)) == 1, -1.0, 1.0)
        np.add.at(out, index, sign)
    sumsq = float(np.dot(out, out))  # integer coordinates: exact in f64
    if sumsq == 0.0:
        return out.astype(np.float32)
    return (out / np.sqrt(sumsq)).astype(np.float32)


def embed(text: str, dim: int = SKETCH_DIM) -> np.ndarray:
    """Sketch embedding of one text (float32, L2-normalised; zeros for a text without n-grams)."""
    return project(ngram_hashes(normalize(text)), dim)
