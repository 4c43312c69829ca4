"""Write src/lid/frequent-words.ts (each language's most frequent words, in rank order) and src/lid/char-ngrams.ts
(each language's letter 1- to 4-gram log-probabilities), from wordfreq's data.

wordfreq 3.1.1 (PyPI) ships word frequencies estimated from Wikipedia, subtitles, news, web text and more; none of
it is the evaluation set's sources (Django catalogues, CLDR, UDHR). For each language that shares its script with
others among compass's 42 and that wordfreq covers, the top WORDS_PER_LANGUAGE words written wholly in that script
are kept. Serbian: wordfreq's Serbo-Croatian list (Latin), transliterated letter for letter into Cyrillic for the
Cyrillic side. Nepali, which wordfreq lacks: the whole-word pieces of nepalitokenizers 0.0.2's SentencePiece model
(PyPI, Apache-2.0; trained on OSCAR's Nepali and Lamsal's Nepali corpus) by their probability, so that Hindi and
Nepali both have a list (with Hindi's alone, the words the two share all went to Hindi). Languages neither covers
(sw, ha, yo, ig, so, sn, ny, mg, ky) keep only src/lid/lexicon.ts.

The data is wordfreq's, under CC-BY-SA 4.0, and nepalitokenizers', under Apache-2.0 (attribution in the generated
file's header).

The letter n-grams (char-ngrams.ts) are counted over every word of wordfreq's list for the language, written wholly in
its script, between word-boundary marks ("_word_"), each occurrence weighted by the word's frequency: a naive-Bayes
model of how the language's words are spelt, as CLD and langid.py use, but from everyday text (franc's trigram
profiles come from the UDHR, formal and long). The top NGRAMS_PER_LANGUAGE n-grams of all orders are kept with their
log10 probability among the n-grams of their order, in tenths (integers); an n-gram not kept gets its order's floor,
the log10 of the least frequent kept one's probability. Languages wordfreq lacks get a model built at start-up from
their hand list (src/lid/ngram-model.ts).

Usage: .venv-lid/bin/python scripts/lid-build-wordlists.py (after pip install -r scripts/lid-eval-requirements.txt)
"""

from __future__ import annotations

import json
import math
from collections import Counter
import importlib.util
from importlib import metadata
import unicodedata
from pathlib import Path

import regex
from wordfreq import get_frequency_dict, top_n_list

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "lid" / "frequent-words.ts"
NGRAMS_OUT = ROOT / "src" / "lid" / "char-ngrams.ts"
NGRAMS_PER_LANGUAGE = 5000
NGRAM_ORDERS = (1, 2, 3, 4)
# The scripts whose languages all have a wordfreq list or a hand list the n-gram model serves (Devanagari's Nepali has
# only SentencePiece pieces without frequencies, and a hand-list model beside Hindi's wordfreq one pulled Hindi down).
NGRAM_SCRIPTS = ("Latin", "Cyrillic", "Arabic")
BOUNDARY = "_"
WORDS_PER_LANGUAGE = 12000
WORDFREQ_VERSION = "3.1.1"

# wordfreq has no Nepali: its list comes from nepalitokenizers' SentencePiece model instead (see nepali_words).
NEPALI = "nepalitokenizers"
NEPALITOKENIZERS_VERSION = "0.0.2"

# compass code -> wordfreq code (or NEPALI), per script.
SOURCES = {
    "Latin": {
        "en": "en", "de": "de", "es": "es", "fr": "fr", "it": "it", "pt": "pt", "nl": "nl", "sv": "sv", "pl": "pl",
        "cs": "cs", "ro": "ro", "lt": "lt", "tr": "tr", "id": "id", "ms": "ms", "fil": "fil", "vi": "vi", "sr": "sh",
    },
    "Cyrillic": {"ru": "ru", "uk": "uk", "sr": "sh"},
    "Arabic": {"ar": "ar", "fa": "fa"},
    "Devanagari": {"hi": "hi", "ne": NEPALI},
}  # fmt: skip
SCRIPT_WORD = {
    "Latin": regex.compile(r"^\p{Latin}+(?:['’-]\p{Latin}+)*$"),
    "Cyrillic": regex.compile(r"^\p{Cyrillic}+(?:['’-]\p{Cyrillic}+)*$"),
    "Arabic": regex.compile(r"^[\p{Arabic}\u200c]+$"),
    "Devanagari": regex.compile(r"^[\p{Devanagari}]+$"),
}
SERBIAN_TO_CYRILLIC = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е",
    "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}  # fmt: skip


def to_cyrillic(word: str) -> str | None:
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in SERBIAN_TO_CYRILLIC:
            out.append(SERBIAN_TO_CYRILLIC[pair])
            i += 2
        elif word[i] in SERBIAN_TO_CYRILLIC:
            out.append(SERBIAN_TO_CYRILLIC[word[i]])
            i += 1
        else:
            return None
    return "".join(out)


def nepali_words() -> list[str]:
    """Nepali words by the log-probability nepalitokenizers' Unigram model gives them as whole-word pieces.

    The model (Apache-2.0) was trained on the Nepali part of OSCAR and Lamsal's Large Scale Nepali Text Corpus; a
    Unigram piece's probability is its estimated frequency in that text, so the word-initial pieces that are whole
    words, best first, are a frequency list. The file is read as data: the package's code is not imported.
    """
    found = metadata.version("nepalitokenizers")
    if found != NEPALITOKENIZERS_VERSION:
        raise SystemExit(f"nepalitokenizers {found} installed, {NEPALITOKENIZERS_VERSION} expected")
    spec = importlib.util.find_spec("nepalitokenizers")
    assert spec and spec.submodule_search_locations
    model = Path(next(iter(spec.submodule_search_locations))) / "models" / "SentencePiece.json"
    vocab = json.loads(model.read_text(encoding="utf-8"))["model"]["vocab"]
    return [piece[1:] for piece, _ in sorted(vocab, key=lambda entry: -entry[1]) if piece.startswith("\u2581")]


def words_for(script: str, code: str, source: str) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    ranked = nepali_words() if source == NEPALI else top_n_list(source, WORDS_PER_LANGUAGE * 3, wordlist="small")
    for word in ranked:
        word = unicodedata.normalize("NFC", word.lower())
        if script == "Cyrillic" and code == "sr":
            word = to_cyrillic(word) or ""
        if not word or word in seen or not SCRIPT_WORD[script].match(word):
            continue
        seen.add(word)
        out.append(word)
        if len(out) == WORDS_PER_LANGUAGE:
            break
    return out


# A letter trigram whose frequencies in two languages differ PAIR_MIN_RATIO-fold or more gets its log10 ratio, clipped
# to +-PAIR_CLIP. (Indonesian against Malay: scripts/lid-build-malay-indonesian.py.)
PAIR_MIN_RATIO = 2.0
PAIR_CLIP = 2.0


# Hindi and Nepali write the words neither list holds (loans, transliterations) differently: Hindi sentimeetar
# "सेंटीमीटर" with anusvara and long vowels, Nepali "सेन्टिमिटर" with a half consonant and short ones. Each letter
# trigram of the two lists' words (^ and $ mark the word's ends) that occurs at least TRIGRAM_MIN_COUNT times in them
# and is PAIR_MIN_RATIO-fold more frequent in one gets its log10 ratio (Laplace-smoothed by a half), clipped to
# +-PAIR_CLIP: positive for Hindi.
TRIGRAM_MIN_COUNT = 5


def word_trigrams(words: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words:
        marked = f"^{word}$"
        counts.update(marked[i : i + 3] for i in range(len(marked) - 2))
    return counts


def trigram_ratios(first: list[str], second: list[str]) -> dict[str, float]:
    a, b = word_trigrams(first), word_trigrams(second)
    total_a, total_b = sum(a.values()), sum(b.values())
    out: dict[str, float] = {}
    for trigram in sorted(set(a) | set(b)):
        if a[trigram] + b[trigram] < TRIGRAM_MIN_COUNT:
            continue
        ratio = math.log10(((a[trigram] + 0.5) / total_a) / ((b[trigram] + 0.5) / total_b))
        if abs(ratio) >= math.log10(PAIR_MIN_RATIO):
            out[trigram] = round(max(-PAIR_CLIP, min(PAIR_CLIP, ratio)), 1)
    return out


def char_ngrams(script: str, code: str, source: str) -> tuple[list[int], list[tuple[str, int]]]:
    """The language's n-grams (orders NGRAM_ORDERS over "_word_") weighted by word frequency: the floors per order
    and the kept n-grams, most frequent first, each with its log10 probability within its order in tenths."""
    counts: Counter[str] = Counter()
    for word, frequency in get_frequency_dict(source, "small").items():
        word = unicodedata.normalize("NFC", word.lower())
        if script == "Cyrillic" and code == "sr":
            word = to_cyrillic(word) or ""
        if not word or not SCRIPT_WORD[script].match(word):
            continue
        marked = f"{BOUNDARY}{word}{BOUNDARY}"
        for n in NGRAM_ORDERS:
            for i in range(len(marked) - n + 1):
                gram = marked[i : i + n]
                if gram != BOUNDARY:
                    counts[gram] += frequency
    totals = Counter[int]()
    for gram, count in counts.items():
        totals[len(gram)] += count
    kept = sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))[:NGRAMS_PER_LANGUAGE]
    least = {n: min((c for g, c in kept if len(g) == n), default=min(c for g, c in counts.items() if len(g) == n))
             for n in NGRAM_ORDERS}  # fmt: skip
    tenths = lambda count, n: round(10 * math.log10(count / totals[n]))  # noqa: E731
    return [tenths(least[n], n) for n in NGRAM_ORDERS], [(g, tenths(c, len(g))) for g, c in kept]


def write_char_ngrams() -> None:
    lines = [
        "// Generated by scripts/lid-build-wordlists.py; do not edit by hand.",
        f"// Each language's {NGRAMS_PER_LANGUAGE} most frequent letter n-grams (orders {NGRAM_ORDERS[0]}-{NGRAM_ORDERS[-1]}, '{BOUNDARY}' marks a word's ends) over",
        f"// wordfreq {WORDFREQ_VERSION}'s word list weighted by each word's frequency, as 'ngram:tenths' with tenths the",
        "// rounded 10 * log10 of its probability among the n-grams of its order; `floors`: that of the least frequent one",
        "// kept per order, for the n-grams not listed. From wordfreq's data (Robyn Speer and contributors), licensed",
        "// CC-BY-SA 4.0; this file is under the same licence. Serbian's Cyrillic model is wordfreq's Serbo-Croatian list",
        "// transliterated.",
        f"export const NGRAM_ORDERS = {list(NGRAM_ORDERS)} as const;",
        "export const BOUNDARY = " + json.dumps(BOUNDARY) + ";",
        "export const CHAR_NGRAMS: Readonly<",
        "  Record<string, Readonly<Record<string, { readonly floors: readonly number[]; readonly ngrams: string }>>>",
        "> = {",
    ]
    for script in NGRAM_SCRIPTS:
        lines.append(f"  {script}: {{")
        for code, source in SOURCES[script].items():
            floors, kept = char_ngrams(script, code, source)
            ngrams = " ".join(f"{g}:{t}" for g, t in kept)
            lines.append(f"    {code}: {{ floors: {json.dumps(floors)}, ngrams: {json.dumps(ngrams, ensure_ascii=False)} }},")
        lines.append("  },")
    lines.append("};")
    NGRAMS_OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{NGRAMS_OUT}: {NGRAMS_OUT.stat().st_size} bytes")


def main() -> None:
    found = metadata.version("wordfreq")
    if found != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq {found} installed, {WORDFREQ_VERSION} expected (scripts/lid-eval-requirements.txt)")
    tables = {
        script: {code: " ".join(words_for(script, code, source)) for code, source in languages.items()}
        for script, languages in SOURCES.items()
    }
    lines = [
        "// Generated by scripts/lid-build-wordlists.py; do not edit by hand.",
        f"// Each language's {WORDS_PER_LANGUAGE} most frequent words in rank order, from wordfreq {WORDFREQ_VERSION}'s",
        "// data (Robyn Speer and contributors), licensed CC-BY-SA 4.0; this file is under the same",
        "// licence. Serbian's Cyrillic list is wordfreq's Serbo-Croatian list transliterated. Nepali's (which wordfreq",
        f"// lacks) is the whole-word pieces of nepalitokenizers {NEPALITOKENIZERS_VERSION}' SentencePiece model by probability",
        "// (Apache-2.0; trained on OSCAR's Nepali subset and R. Lamsal's Large Scale Nepali Text Corpus).",
        "export const FREQUENT_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {",
    ]
    for script, languages in tables.items():
        lines.append(f"  {script}: {{")
        for code, words in languages.items():
            lines.append(f"    {code}: {json.dumps(words, ensure_ascii=False)},")
        lines.append("  },")
    lines.append("};")
    hindi_nepali = trigram_ratios(tables["Devanagari"]["hi"].split(" "), tables["Devanagari"]["ne"].split(" "))
    lines += [
        "",
        f"// Hindi versus Nepali: letter trigrams of the two lists' words (^ and $: the word's ends) {PAIR_MIN_RATIO:g}-fold or more",
        f"// frequent in one, with the log10 of hi/ne clipped to +-{PAIR_CLIP:g}, as 'trigram:ratio' (positive: Hindi).",
        f"export const HINDI_OVER_NEPALI_TRIGRAMS = {json.dumps(' '.join(f'{t}:{r:g}' for t, r in hindi_nepali.items()), ensure_ascii=False)};",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes")
    write_char_ngrams()


if __name__ == "__main__":
    main()
