"""Write src/lid/malay-indonesian.ts: for each word that Indonesian and Malay write at different rates, the log10 odds
that a text holding it is Indonesian rather than Malay (positive: Indonesian), from three sources added in log-odds.

1. Parallel translations. Mozilla's Firefox ESR and Thunderbird language packs for Indonesian and Malay (Debian
   bookworm's firefox-esr-l10n-{id,ms} and thunderbird-l10n-{id,ms} 1:153.7.0esr-1~deb12u1; MPL-2.0) translate the
   same English messages, so the messages both packs hold are a parallel corpus: a word's count on the Indonesian side
   against its count on the Malay side measures the two languages' preference on the same content, without the domain
   and class-size biases of two unrelated corpora (Malay "fail" against Indonesian "berkas", "akaun" against "akun",
   "pautan" against "tautan"). Messages whose Malay side is mostly English (the Malay pack falls back to English for
   what it has not translated) are skipped.
2. Word frequencies: wordfreq 3.1.1 (PyPI; data CC-BY-SA 4.0). Its ratio of the Indonesian to the Malay frequency is
   the prior of the parallel counts (word_score): general text decides a frequent word, the packs a word they use
   more than general text does. wordfreq's Malay list holds Indonesian subtitles, so the ratio is clipped.
3. Morphological dictionaries: the Indonesian and Malay analysers of apertium-ind-zlm 0.1.2-3 (Debian; apertium-ind
   and apertium-zlm by Francis M. Tyers, GPL-3+), run over the vocabulary with lttoolbox 3.7.1's lt-proc. The two
   were written side by side for translating between the languages, so a word one recognises and the other does not
   is that language's (Malay "teruk", "zon", "tarikh", "bahawa"; Indonesian "obyek", "investasi", "arsip"): of the
   268 such words that the packs use at least six times and lean on threefold or more, 263 lean the analysers' way.
   Such a word moves APERTIUM_WEIGHT further towards its language.

English words (more frequent in wordfreq's English than in either language) are left out: they are the packs'
untranslated strings and the lists' borrowings, and no evidence either way. The sum is clipped to +-CLIP and kept when
at least MIN_SCORE in size. The generated table is under CC-BY-SA 4.0 (wordfreq's licence); attribution in its header.

Usage: .venv-lid/bin/python scripts/lid-build-malay-indonesian.py (the venv of scripts/lid-eval-requirements.txt; on
Debian or Ubuntu, which `apt-get download` the packages above and lttoolbox's, into .cache/lid-msid, unless there).
"""

from __future__ import annotations

import glob
import json
import math
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from importlib import metadata
from pathlib import Path

import regex
from wordfreq import get_frequency_dict, top_n_list

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "lid" / "malay-indonesian.ts"
CACHE = ROOT / ".cache" / "lid-msid"

WORDFREQ_VERSION = "3.1.1"
DEBS = {
    "firefox-esr-l10n-id": "1:153.7.0esr-1~deb12u1",
    "firefox-esr-l10n-ms": "1:153.7.0esr-1~deb12u1",
    "thunderbird-l10n-id": "1:153.7.0esr-1~deb12u1",
    "thunderbird-l10n-ms": "1:153.7.0esr-1~deb12u1",
    "apertium-ind-zlm": "0.1.2-3",
    "lttoolbox": "3.7.1-1+b2",
    "liblttoolbox3": "3.7.1-1+b2",
}
APERTIUM = Path("usr/share/apertium/apertium-ind-zlm")

# The parallel counts' prior: PRIOR_MIN pseudo-messages, and PRIOR_PER_MILLION more per occurrence per million words
# of the word in the two wordfreq lists together.
PRIOR_MIN = 4.0
PRIOR_PER_MILLION = 1.0
WORDFREQ_CLIP = 1.5
# wordfreq 3.1.1's "small" id and ms lists both stop at about this frequency.
WORDFREQ_FLOOR = 1e-6
APERTIUM_WEIGHT = 1.0
CLIP = 2.0
MIN_SCORE = 0.2
# The English words that mark a Malay message as an untranslated fallback (most of its words among them).
ENGLISH_WORDS = 5000

WORD = regex.compile(r"\p{Latin}+(?:['’-]\p{Latin}+)*")
PLACEHOLDER = re.compile(r"\{[^}]*\}|<[^>]*>|&\w+;|%\d*\$?[sSdDuif@]|\\n|\\u[0-9a-fA-F]{4}|\$\w+")


def words(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", w.lower()) for w in WORD.findall(PLACEHOLDER.sub(" ", text))]


def fetch() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    for package, version in DEBS.items():
        if not glob.glob(str(CACHE / f"{package}_*.deb")):
            subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=CACHE, check=True)
    unpacked = CACHE / "x"
    if not unpacked.exists():
        for deb in glob.glob(str(CACHE / "*.deb")):
            subprocess.run(["dpkg-deb", "-x", deb, str(unpacked)], check=True)


def parse_ftl(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if m := re.match(r"^(-?[A-Za-z][\w-]*)\s*=\s*(.*)$", line):
            key = m.group(1)
            out[key] = m.group(2)
        elif key and (m := re.match(r"^\s+\.([\w-]+)\s*=\s*(.*)$", line)):
            out[f"{key}.{m.group(1)}"] = m.group(2)
        elif key and line[:1] in " \t" and line.strip() and not line.strip().startswith(("[", "*", "}", ".")):
            out[key] = f"{out.get(key, '')} {line.strip()}".strip()
    return out


def parse_properties(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")) and (m := re.match(r"^([^=:\s]+)\s*[=:]\s*(.*)$", line)):
            out[m.group(1)] = m.group(2)
    return out


def language_pack(app: str, lang: str) -> dict[str, str]:
    """Message id (file path with the locale replaced, and key) -> message, from the pack's .ftl and .properties."""
    (xpi,) = glob.glob(str(CACHE / "x" / "usr" / "lib" / app / "**" / f"langpack-{lang}@*.xpi"), recursive=True)
    out: dict[str, str] = {}
    with zipfile.ZipFile(xpi) as pack:
        for name in pack.namelist():
            if name.endswith(".ftl"):
                messages = parse_ftl(pack.read(name).decode("utf-8", "replace"))
            elif name.endswith(".properties"):
                messages = parse_properties(pack.read(name).decode("utf-8", "replace"))
            else:
                continue
            path = name.replace(f"/{lang}/", "/L/")
            out.update({f"{path}#{key}": value for key, value in messages.items()})
    return out


def parallel_messages() -> list[tuple[list[str], list[str]]]:
    english = set(top_n_list("en", ENGLISH_WORDS))
    local = set(top_n_list("id", 20000)) | set(top_n_list("ms", 20000))
    pairs = []
    for app in ("firefox-esr", "thunderbird"):
        indonesian, malay = language_pack(app, "id"), language_pack(app, "ms")
        for key in sorted(set(indonesian) & set(malay)):
            a, b = words(indonesian[key]), words(malay[key])
            if not a or not b:
                continue
            untranslated = sum(1 for w in b if w in english and w not in local)
            if 2 * untranslated >= len(b):
                continue
            pairs.append((a, b))
    return pairs


def parallel_counts(pairs: list[tuple[list[str], list[str]]]) -> tuple[Counter[str], Counter[str]]:
    """How many messages use each word on the Indonesian side, and on the Malay side."""
    indonesian: Counter[str] = Counter()
    malay: Counter[str] = Counter()
    for a, b in pairs:
        indonesian.update(set(a))
        malay.update(set(b))
    return indonesian, malay


def word_score(parallel_id: int, parallel_ms: int, frequency_id: float, frequency_ms: float) -> float:
    """log10 odds of Indonesian over Malay: the parallel counts, with wordfreq's ratio as their prior.

    wordfreq's ratio (clipped to +-WORDFREQ_CLIP; a word missing from a list counts at the list's floor) sets the
    prior's pseudo-messages, more of them the more frequent the word: "dari", 17,000 per million words in the two lists
    together, is scored by general text (where Indonesian writes it 1.6 times as often), not by the packs' 630
    Indonesian messages against 113 Malay ones; "sandi" (password), rare in general text and in 263 Indonesian
    messages against none, by the packs.
    """
    ratio = 0.0
    if max(frequency_id, frequency_ms) >= WORDFREQ_FLOOR:
        ratio = math.log10(max(frequency_id, WORDFREQ_FLOOR) / max(frequency_ms, WORDFREQ_FLOOR))
        ratio = max(-WORDFREQ_CLIP, min(WORDFREQ_CLIP, ratio))
    share = 10**ratio / (1 + 10**ratio)
    prior = PRIOR_MIN + PRIOR_PER_MILLION * (frequency_id + frequency_ms) * 1e6
    return math.log10((parallel_id + prior * share) / (parallel_ms + prior * (1 - share)))


def recognised(analyser: str, vocabulary: list[str]) -> set[str]:
    """The words of `vocabulary` that the apertium-ind-zlm analyser (ind-zlm: Indonesian, zlm-ind: Malay) knows."""
    unpacked = CACHE / "x"
    (library,) = {p.parent for p in unpacked.glob("usr/lib/*/liblttoolbox.so*")}
    result = subprocess.run(
        [str(unpacked / "usr/bin/lt-proc"), str(unpacked / APERTIUM / f"{analyser}.automorf.bin")],
        input="\n".join(vocabulary) + "\n",
        capture_output=True,
        text=True,
        check=True,
        env={"LD_LIBRARY_PATH": str(library), "LANG": "C.UTF-8"},
    )
    # One "^surface/analysis/...$" per word; an unknown word's only analysis is "*surface".
    return {
        m.group(1).lower()
        for m in re.finditer(r"\^([^/$]*)/([^$]*)\$", result.stdout)
        if not m.group(2).startswith("*")
    }


def main() -> None:
    found = metadata.version("wordfreq")
    if found != WORDFREQ_VERSION:
        raise SystemExit(f"wordfreq {found} installed, {WORDFREQ_VERSION} expected (scripts/lid-eval-requirements.txt)")
    fetch()
    pairs = parallel_messages()
    parallel_id, parallel_ms = parallel_counts(pairs)
    f_id, f_ms, f_en = (get_frequency_dict(code, "small") for code in ("id", "ms", "en"))
    vocabulary = sorted(
        w for w in set(parallel_id) | set(parallel_ms) | set(f_id) | set(f_ms) if WORD.fullmatch(w) and "\n" not in w
    )
    indonesian, malay = recognised("ind-zlm", vocabulary), recognised("zlm-ind", vocabulary)
    table: dict[str, float] = {}
    for w in vocabulary:
        a, b = f_id.get(w, 0.0), f_ms.get(w, 0.0)
        if f_en.get(w, 0.0) > max(a, b):
            continue
        score = word_score(parallel_id[w], parallel_ms[w], a, b)
        if (w in indonesian) != (w in malay):
            score += APERTIUM_WEIGHT if w in indonesian else -APERTIUM_WEIGHT
        score = round(max(-CLIP, min(CLIP, score)), 1)
        if abs(score) >= MIN_SCORE:
            table[w] = score
    entries = " ".join(f"{w}:{s:g}" for w, s in table.items())
    lines = [
        "// Generated by scripts/lid-build-malay-indonesian.py; do not edit by hand.",
        "// Indonesian versus Malay: 'word:score', the log10 odds that a text holding the word is Indonesian rather",
        f"// than Malay (positive: Indonesian), clipped to +-{CLIP:g}. From Mozilla's Firefox ESR and Thunderbird language",
        "// packs 153.7.0esr (MPL-2.0), apertium-ind-zlm 0.1.2's analysers (F. M. Tyers, GPL-3+) and wordfreq 3.1.1's",
        "// data (Robyn Speer and contributors, CC-BY-SA 4.0); this file is under CC-BY-SA 4.0.",
        "export const INDONESIAN_OVER_MALAY =",
        f"  {json.dumps(entries, ensure_ascii=False)};",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(table)} words from {len(pairs)} parallel messages, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
