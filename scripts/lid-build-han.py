"""Write src/lid/han-ratios.ts: how much more often Japanese than Chinese writes each Han character and each pair of
adjacent Han characters, from wordfreq's data. compass reads text written in Han alone (no kana) as Japanese when
the sum of these log-ratios over its characters and pairs passes a threshold (src/lid/han.ts).

Sources: wordfreq 3.1.1 (PyPI; code Apache-2.0, data CC-BY-SA 4.0, Robyn Speer and contributors), its 'large'
Japanese list (MeCab-segmented words: kanji and kana) and 'large' Chinese list. wordfreq stores Chinese in
"oversimplified" form (every traditional character replaced by its simplified one, through the mapping it ships as
data/_chinese_mapping.msgpack.gz), so a character's or pair's Chinese frequency is looked up after that same mapping:
traditional 時 counts as Chinese 时 (and Japanese 時 is then no evidence against Chinese), while Japanese-only
forms (駅, 図, 働) and words (曜日, 週間) have no Chinese counterpart. None of it comes from the evaluation set's
sources (Django, CLDR, UDHR).

Counted: every run of Han characters inside a word, each occurrence weighted by the word's frequency; a character's
probability is its share of all Han characters of the language, a pair's its share of all pairs (pairs are counted
inside words only). Ratio: log10((p_ja + EPS) / (p_zh + EPS)), clipped to +-CLIP and rounded to tenths; characters
whose ratio is under MIN_CHAR_RATIO in size and pairs under MIN_PAIR_RATIO, or pairs less frequent than PAIR_FLOOR in
both languages, are left out (they decide nothing, and the pairs would make the table four times larger).

Usage: .venv-lid/bin/python scripts/lid-build-han.py (after pip install -r scripts/lid-eval-requirements.txt)
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

import msgpack
import regex
from wordfreq import get_frequency_dict
from wordfreq.util import data_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "lid" / "han-ratios.ts"
WORDFREQ_VERSION = "3.1.1"
CHAR_EPS = 3e-6
PAIR_EPS = 3e-7
PAIR_FLOOR = 2e-5
CLIP = 2.0
MIN_CHAR_RATIO = 0.1
MIN_PAIR_RATIO = 1.0
# Basic-plane Han only: the generated strings are read one UTF-16 unit per character.
HAN_RUN = regex.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def counts(language: str) -> tuple[Counter[str], Counter[str]]:
    chars: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for word, frequency in get_frequency_dict(language, "large").items():
        for run in HAN_RUN.findall(word):
            for ch in run:
                chars[ch] += frequency
            for i in range(len(run) - 1):
                pairs[run[i : i + 2]] += frequency
    return chars, pairs


def ratios(japanese: Counter[str], chinese: Counter[str], simplify, variants, eps: float, floor: float, least: float):
    """Each key of either language, and each traditional spelling of a Chinese key (語言 beside 语言)."""
    total_ja, total_zh = sum(japanese.values()), sum(chinese.values())
    keys = set(japanese) | {spelling for key in chinese for spelling in variants(key)}
    out: dict[str, float] = {}
    for key in sorted(keys):
        if not HAN_RUN.fullmatch(key):
            continue
        p_ja, p_zh = japanese.get(key, 0.0) / total_ja, chinese.get(simplify(key), 0.0) / total_zh
        if max(p_ja, p_zh) < floor:
            continue
        ratio = math.log10((p_ja + eps) / (p_zh + eps))
        if abs(ratio) >= least:
            out[key] = round(max(-CLIP, min(CLIP, ratio)), 1)
    return out


def grouped(table: dict[str, float]) -> str:
    """'ratio:keys ratio:keys …', each ratio followed by all its keys run together (fewer bytes than key:ratio)."""
    by_ratio: dict[float, list[str]] = defaultdict(list)
    for key, ratio in table.items():
        by_ratio[ratio].append(key)
    return " ".join(f"{ratio:g}:{''.join(keys)}" for ratio, keys in sorted(by_ratio.items()))


def main() -> None:
    found = metadata.version("wordfreq")
    if found != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq {found} installed, {WORDFREQ_VERSION} expected (scripts/lid-eval-requirements.txt)")
    with gzip.open(data_path("_chinese_mapping.msgpack.gz")) as f:
        mapping = msgpack.load(f, raw=False, strict_map_key=False)

    traditional: dict[str, list[str]] = defaultdict(list)
    for source, target in mapping.items():
        if len(target) == 1:
            traditional[target].append(chr(source))

    def simplify(text: str) -> str:
        return text.translate(mapping)

    def variants(text: str) -> list[str]:
        return ["".join(chars) for chars in itertools.product(*([ch, *traditional[ch]] for ch in text))]

    ja_chars, ja_pairs = counts("ja")
    zh_chars, zh_pairs = counts("zh")
    chars = ratios(ja_chars, zh_chars, simplify, variants, CHAR_EPS, 0.0, MIN_CHAR_RATIO)
    pairs = ratios(ja_pairs, zh_pairs, simplify, variants, PAIR_EPS, PAIR_FLOOR, MIN_PAIR_RATIO)
    lines = [
        "// Generated by scripts/lid-build-han.py; do not edit by hand.",
        "// log10(Japanese / Chinese frequency) of Han characters and of adjacent pairs, from wordfreq",
        f"// {WORDFREQ_VERSION}'s 'large' ja and zh lists (Chinese looked up through wordfreq's traditional-to-simplified",
        f"// mapping), clipped to +-{CLIP:g}, as 'ratio:keys' with every key of that ratio run together",
        "// (positive: Japanese). From wordfreq's data (Robyn Speer and contributors), licensed CC-BY-SA 4.0; this file is under",
        "// the same licence.",
        "export const JAPANESE_OVER_CHINESE_CHARS =",
        f"  {json.dumps(grouped(chars), ensure_ascii=False)};",
        "export const JAPANESE_OVER_CHINESE_PAIRS =",
        f"  {json.dumps(grouped(pairs), ensure_ascii=False)};",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(chars)} characters, {len(pairs)} pairs")


if __name__ == "__main__":
    main()
