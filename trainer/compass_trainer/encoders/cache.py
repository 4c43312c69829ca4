"""On-disk embedding cache keyed by (encoder id, text hash): a second run over the same pool encodes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ..atomic import atomic_write, write_text
from ..data import Example
from .base import Encoder


class EmbeddingCache:
    """Shards of ``(hashes, vectors)`` per encoder under ``root/<sha1(encoder id)>/``; each run adds one shard with
    what it encoded. Shards are written to a temporary name and renamed, so an interrupted run corrupts nothing."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _dir(self, encoder_id: str) -> Path:
        return self.root / hashlib.sha1(encoder_id.encode("utf-8")).hexdigest()[:16]

    def load(self, encoder_id: str) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        directory = self._dir(encoder_id)
        for shard in sorted(directory.glob("shard-*.npz")):
            with np.load(shard) as data:
                for h, v in zip(data["hashes"].tolist(), data["vectors"]):
                    found[h] = v
        return found

    def store(self, encoder_id: str, hashes: list[str], vectors: np.ndarray) -> None:
        if not hashes:
            return
        directory = self._dir(encoder_id)
        directory.mkdir(parents=True, exist_ok=True)
        write_text(directory / "encoder.txt", encoder_id)
        n = len(list(directory.glob("shard-*.npz")))
        atomic_write(directory / f"shard-{n:05d}.npz", lambda tmp: _savez(tmp, hashes=np.array(hashes), vectors=vectors.astype(np.float32)))


def embed_examples(
    encoder: Encoder, examples: list[Example], cache: EmbeddingCache | None = None, batch_size: int = 256, desc: str = "embedding"
) -> np.ndarray:
    """Embeddings of ``examples`` (rows in order), encoding only texts the cache does not hold."""
    hashes = [e.text_hash for e in examples]
    known = cache.load(encoder.encoder_id) if cache else {}
    missing = sorted({h: i for i, h in enumerate(hashes) if h not in known}.items(), key=lambda kv: kv[1])
    new_vectors = []
    for start in tqdm(range(0, len(missing), batch_size), desc=desc, disable=len(missing) <= batch_size, leave=False):
        chunk = missing[start : start + batch_size]
        new_vectors.append(encoder.encode([examples[i].text for _, i in chunk]))
    if new_vectors:
        block = np.concatenate(new_vectors).astype(np.float32)
        if cache:
            cache.store(encoder.encoder_id, [h for h, _ in missing], block)
        known.update({h: v for (h, _), v in zip(missing, block)})
    if not examples:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[h] for h in hashes]).astype(np.float32)


def _savez(path, **arrays) -> None:
    """np.savez to exactly ``path`` (given a name, np.savez would append .npz to one without it)."""
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
