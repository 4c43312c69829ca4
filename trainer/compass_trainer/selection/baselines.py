"""Baselines of paper §4.3 and the strongest published distribution-matching peer, behind the selector interface.

Target · All · Random · LangSim · LangRank (stand-in, see :class:`LangRankStandIn`) · DSIR. COMPASS-FFT is not a
selector: it is COMPASS's data trained with full fine-tuning (a training option).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np

from ..languages import ALIASES, to_iso639_3
from .base import Corpus, Selection, Selector, budget_size, register_selector


def _selection(indices: np.ndarray, method: str, pool: Corpus, **report) -> Selection:
    indices = np.asarray(indices, dtype=np.int64)
    langs, counts = np.unique(pool.languages[indices], return_counts=True) if len(indices) else ([], [])
    return Selection(
        pool_indices=indices,
        clusters=np.full(len(indices), -1, dtype=np.int64),
        scores=np.ones(len(indices)),
        report={"method": method, "selected": int(len(indices)), "source_languages": {str(l): int(c) for l, c in zip(langs, counts)}, **report},
    )


class _FittedPool(Selector):
    def fit(self, target: Corpus, usage: Corpus, pool: Corpus) -> _FittedPool:
        self._check_corpora(target, usage, pool, needs_embeddings=False)
        self.target_, self.usage_, self.pool_ = target, usage, pool
        self.fitted_ = True
        return self


@register_selector("target")
class TargetOnly(_FittedPool):
    """D_t alone: no auxiliary data."""

    def select(self) -> Selection:
        self._check_fitted()
        return _selection(np.zeros(0, dtype=np.int64), "target", self.pool_)


@register_selector("all")
class AllPool(_FittedPool):
    """D_t plus the whole auxiliary pool."""

    def select(self) -> Selection:
        self._check_fitted()
        return _selection(np.arange(len(self.pool_)), "all", self.pool_)


@register_selector("random")
class RandomSample(_FittedPool):
    """D_t plus round(B·|D_t|) auxiliary examples drawn uniformly without replacement."""

    job_params = {"budget": "budget", "random_state": "seed"}

    def __init__(self, budget: float = 0.8, random_state: int | None = 0):
        self.budget = budget
        self.random_state = random_state

    def select(self) -> Selection:
        self._check_fitted()
        n = min(budget_size(self.budget, len(self.target_)), len(self.pool_))
        rng = np.random.default_rng(self.random_state)
        return _selection(np.sort(rng.choice(len(self.pool_), n, replace=False)), "random", self.pool_, budget=n)


def _uriel_code(code: str) -> list[str]:
    """Codes to try in lang2vec for a canonical code: the 639-3 (macro)language, then individual languages."""
    alpha3 = to_iso639_3(code)
    return [*([alpha3] if alpha3 else []), *[alias for alias, canon in ALIASES.items() if canon == code and len(alias) == 3]]


def language_distances(target: str, candidates: list[str]) -> dict[str, float]:
    """URIEL distance of each candidate language to the target: the mean of the cosine distances of the typological
    (syntax+phonology+inventory kNN), phylogenetic (fam) and geographic (geo) vectors. lang2vec ships the features
    but not its distance functions, so the distances are computed here."""
    import lang2vec.lang2vec as l2v

    available = set(l2v.available_languages())

    def resolve(code: str) -> str | None:
        return next((c for c in _uriel_code(code) if c in available), None)

    t = resolve(target)
    if t is None:
        raise ValueError(f"lang2vec has no URIEL features for the target language '{target}': LangSim and LangRank cannot rank pool languages for it")
    resolved = {c: resolve(c) for c in candidates}
    codes = [t] + [r for r in resolved.values() if r]
    feature_sets = ["syntax_knn+phonology_knn+inventory_knn", "fam", "geo"]
    vectors = [l2v.get_features(sorted(set(codes)), fs) for fs in feature_sets]
    out: dict[str, float] = {}
    for cand, code in resolved.items():
        if code is None or cand == target:
            continue
        dists = []
        for vec in vectors:
            a, b = np.asarray(vec[t], dtype=np.float64), np.asarray(vec[code], dtype=np.float64)
            denom = np.linalg.norm(a) * np.linalg.norm(b)
            dists.append(1.0 - float(a @ b) / denom if denom > 0 else 1.0)
        out[cand] = float(np.mean(dists))
    return out


@register_selector("langsim")
class LangSim(_FittedPool):
    """D_t plus all pool data of the K languages nearest the target by URIEL (typological + phylogenetic +
    geographic vectors, distances averaged)."""

    job_params = {"target_language": "target"}

    def __init__(self, target_language: str = "", k: int = 1):
        self.target_language = target_language
        self.k = k

    def select(self) -> Selection:
        self._check_fitted()
        target = self.target_language or _majority_language(self.target_)
        pool_langs = self.pool_.languages
        candidates = sorted({str(l) for l in pool_langs if l != "und"})
        distances = language_distances(target, candidates)
        return _top_languages(distances, self.k, self.pool_, "langsim", distances=distances, not_in_uriel=_unranked(candidates, distances, target))


# The LangRank model (Lin et al. 2019) ranks transfer languages with a gradient-boosted ranker over dataset and
# URIEL features; its package and pretrained rankers cannot be installed offline. This stand-in is said plainly:
# it ranks by the two signals LangRank found most important — URIEL distance and transfer-data size — combined as
# distance − 0.1·log10(size share) (lower is better), and takes all data of the top K. It is not LangRank.
@register_selector("langrank")
class LangRankStandIn(_FittedPool):
    """Stand-in for LangRank (not installable offline): URIEL distance adjusted by transfer-data size; top-K languages."""

    job_params = {"target_language": "target"}

    def __init__(self, target_language: str = "", k: int = 1):
        self.target_language = target_language
        self.k = k

    def select(self) -> Selection:
        self._check_fitted()
        target = self.target_language or _majority_language(self.target_)
        pool_langs = self.pool_.languages
        langs, sizes = np.unique(pool_langs[pool_langs != "und"], return_counts=True)
        distances = language_distances(target, [str(l) for l in langs])
        share = {str(l): s / sizes.sum() for l, s in zip(langs, sizes)}
        rank = {l: d - 0.1 * np.log10(share[l]) for l, d in distances.items()}
        return _top_languages(rank, self.k, self.pool_, "langrank-standin", ranking=rank, not_in_uriel=_unranked([str(l) for l in langs], rank, target))


@register_selector("dsir")
class DSIR(_FittedPool):
    """DSIR (Xie et al. 2023, the ``data-selection`` package): hashed n-gram importance resampling of the pool towards
    the usage proxy's n-gram distribution; round(B·|D_t|) examples, Gumbel top-k without replacement.

    ``min_example_length`` defaults to 1 **[choice]**: the package's default of 100 tokens would drop nearly every
    instruction-style example.
    """

    job_params = {"budget": "budget", "random_state": "seed"}

    def __init__(self, budget: float = 0.8, ngrams: int = 2, num_buckets: int = 10_000, min_example_length: int = 1, random_state: int | None = 0):
        self.budget = budget
        self.ngrams = ngrams
        self.num_buckets = num_buckets
        self.min_example_length = min_example_length
        self.random_state = random_state

    def select(self) -> Selection:
        from data_selection import HashedNgramDSIR

        self._check_fitted()
        n = min(budget_size(self.budget, len(self.target_)), len(self.pool_))
        target_texts = self.usage_.texts or self.target_.texts
        with tempfile.TemporaryDirectory() as tmp:
            raw, tgt = Path(tmp) / "raw.jsonl", Path(tmp) / "target.jsonl"
            raw.write_text("".join(json.dumps({"text": t}) + "\n" for t in self.pool_.texts), encoding="utf-8")
            tgt.write_text("".join(json.dumps({"text": t}) + "\n" for t in target_texts), encoding="utf-8")
            np.random.seed(self.random_state or 0)  # the package draws from numpy's global generator
            dsir = HashedNgramDSIR(
                [str(raw)],
                [str(tgt)],
                cache_dir=str(Path(tmp) / "cache"),
                ngrams=self.ngrams,
                num_buckets=self.num_buckets,
                min_example_length=self.min_example_length,
                num_proc=1,
            )
            dsir.fit_importance_estimator(num_tokens_to_fit="auto")
            dsir.compute_importance_weights()
            weights = np.concatenate([np.load(p) for p in sorted(Path(dsir.log_importance_weights_dir).glob("*.npy"), key=lambda p: int(p.stem))])
        rng = np.random.default_rng(self.random_state)
        noisy = weights + rng.gumbel(size=weights.shape)
        indices = np.sort(np.argpartition(-noisy, n - 1)[:n]) if n > 0 else np.zeros(0, dtype=np.int64)
        return _selection(indices, "dsir", self.pool_, budget=n)


def _top_languages(scores: dict[str, float], k: int, pool: Corpus, method: str, **report) -> Selection:
    """All pool data of the k languages with the lowest score."""
    chosen = sorted(scores, key=scores.get)[:k]
    return _selection(np.flatnonzero(np.isin(pool.languages, chosen)), method, pool, languages=chosen, **report)


def _unranked(candidates: list[str], ranked: dict[str, float], target: str) -> list[str]:
    """Pool languages lang2vec has no URIEL features for: never chosen, and named in the report."""
    return [c for c in candidates if c not in ranked and c != target]


def _majority_language(corpus: Corpus) -> str:
    langs, counts = np.unique(corpus.languages, return_counts=True)
    lang = str(langs[np.argmax(counts)])
    if lang == "und":
        raise ValueError("the target data carries no language code: pass target_language")
    return lang
