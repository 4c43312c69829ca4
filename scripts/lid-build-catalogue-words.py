"""Write src/lid/catalogue-words.ts: for the languages wordfreq lacks (Latin-script ones and Kyrgyz), their most
frequent words in the human-translated UI text of Debian's packages, in rank order, by script.

Input: .cache/lid-catalogues/text/{lang}.txt, written by scripts/lid-build-catalogues.py (gettext catalogues of the
GNOME, MATE, Sugar, VLC, Minetest and other packages it pins; their licences are listed there and in the generated
file's header). Nothing of compass's evaluation set's sources (Django, CLDR, UDHR) is in it.

Words are the script's letter runs (apostrophes and hyphens inside a word kept), lower-cased and NFC-normalised; a
Kyrgyz word must be all Cyrillic. A word seen once is dropped (a typo or a name), and so is one of English's 2,000
most frequent words (wordfreq 3.1.1) unless the language's hand list (src/lid/lexicon.ts) has it: untranslated English
survives inside partly translated messages. Kyrgyz catalogues also carry untranslated Russian (gnome-panel's and
mate-panel's settings descriptions): a Kyrgyz message of two or more words without the letters ң, ө, ү is left out
when at least two thirds of its words are among Russian's 30,000 most frequent (wordfreq 3.1.1) and in no message
that has those letters. A Kyrgyz word among those 30,000 is dropped too unless the hand list has it: Russian loans
("файл", "панель", "сервер") rank high in Kyrgyz UI text and low in wordfreq's Russian, so kept they drew Russian
interface strings to Kyrgyz (Firefox's Russian strings: 462 read as Kyrgyz with them, 299 without; 378 before
the list), though native words that happen to be in the Russian list go with them ("башка", "гана"). At most
WORDS_PER_LANGUAGE are kept. detect.ts reads a word's rank as wordfreq's lists are read (Zipf's law), and adds the
first CATALOGUE_NGRAM_WORDS of them to the language's hand list for its letter n-gram model.

Usage: .venv-lid/bin/python scripts/lid-build-catalogue-words.py (after scripts/lid-build-catalogues.py)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from wordfreq import top_n_list

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / ".cache" / "lid-catalogues" / "text"
LICENCES = ROOT / ".cache" / "lid-catalogues" / "licences.json"
VERSIONS = ROOT / ".cache" / "lid-catalogues" / "versions.json"
OUT = ROOT / "src" / "lid" / "catalogue-words.ts"
PROVENANCE = ROOT / "scripts" / "lid-catalogue-packages.json"
LEXICON = ROOT / "src" / "lid" / "lexicon.ts"
ENGLISH_MSGIDS = ROOT / ".cache" / "lid-ui-words" / "en.txt"

# The languages with a catalogue large enough to rank words (scripts/lid-build-catalogues.py prints the sizes), by
# script: Shona has no translated catalogue in Debian, Nyanja 34 messages, Somali 327.
LANGUAGES = {"Latin": ("sw", "ha", "yo", "ig", "mg"), "Cyrillic": ("ky",)}
WORDS_PER_LANGUAGE = 3000
MIN_COUNT = 2
ENGLISH_TOP = 2000
MIN_ENGLISH_MSGIDS = 3
RUSSIAN_TOP = 30000
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:['’-][\u0400-\u04ff]+)*")
KYRGYZ_LETTERS = re.compile(r"[ңөүҢӨҮ]")
# GTK's accelerator mark inside a word ("Ө_чүрүү", 3% of the Kyrgyz messages; Malagasy "Ra_kitra"), which the extractor
# keeps.
MID_WORD_ACCELERATOR = re.compile(r"(?<=[^\W\d_])_(?=[^\W\d_])")


def hand_list(code: str) -> set[str]:
    source = LEXICON.read_text(encoding="utf-8")
    match = re.search(r"\n  %s: \{\n    words: w\(`([^`]*)`" % re.escape(code), source)
    if not match:
        raise SystemExit(f"{LEXICON}: no hand list for {code}")
    return set(match.group(1).split())


def words_of(line: str, script: str) -> list[str]:
    line = MID_WORD_ACCELERATOR.sub("", line)
    words = (unicodedata.normalize("NFC", w.lower()) for w in WORD.findall(line))
    return [w for w in words if CYRILLIC_WORD.fullmatch(w)] if script == "Cyrillic" else list(words)


def untranslated_russian(lines: list[str], russian: set[str]) -> set[int]:
    """The Kyrgyz lines that are Russian left untranslated (the module docstring says how they are told apart)."""
    attested: set[str] = set()
    for line in lines:
        if KYRGYZ_LETTERS.search(line):
            attested.update(words_of(line, "Cyrillic"))
    out = set()
    for i, line in enumerate(lines):
        words = words_of(line, "Cyrillic")
        if len(words) >= 2 and not KYRGYZ_LETTERS.search(line):
            foreign = sum(w in russian and w not in attested for w in words)
            if 3 * foreign >= 2 * len(words):
                out.add(i)
    return out


def ranked_words(code: str, script: str, english: set[str], russian: set[str]) -> list[str]:
    path = TEXT / f"{code}.txt"
    if not path.exists():
        raise SystemExit(f"{path}: missing; run scripts/lid-build-catalogues.py first")
    lines = path.read_text(encoding="utf-8").splitlines()
    skipped = untranslated_russian(lines, russian) if code == "ky" else set()
    counts: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if i not in skipped:
            counts.update(words_of(line, script))
    own = hand_list(code)
    foreign = english | russian if code == "ky" else english
    kept = [w for w, n in counts.most_common() if n >= MIN_COUNT and (w not in foreign or w in own)]
    if code == "ky":
        print(f"{code}: {len(lines)} messages, {len(skipped)} left out as untranslated Russian")
    return kept[:WORDS_PER_LANGUAGE]


def english_terms() -> set[str]:
    """The Latin-script words of at least MIN_ENGLISH_MSGIDS of the catalogues' English msgids (written by
    scripts/lid-build-ui-words.py from the same packages): interface terms that catalogues copy through untranslated
    ("browser", "toggle", "panel")."""
    if not ENGLISH_MSGIDS.exists():
        raise SystemExit(f"{ENGLISH_MSGIDS}: missing; run scripts/lid-build-ui-words.py first")
    counts: Counter[str] = Counter()
    for line in ENGLISH_MSGIDS.read_text(encoding="utf-8").splitlines():
        counts.update({unicodedata.normalize("NFC", w.lower()) for w in WORD.findall(line)})
    return {w for w, n in counts.items() if n >= MIN_ENGLISH_MSGIDS}


def main() -> None:
    english = set(top_n_list("en", ENGLISH_TOP)) | english_terms()
    russian = set(top_n_list("ru", RUSSIAN_TOP))
    lists = {
        script: {code: ranked_words(code, script, english, russian) for code in codes}
        for script, codes in LANGUAGES.items()
    }
    for by_code in lists.values():
        for word_list in by_code.values():
            for word in word_list:
                if " " in word or '"' in word or "`" in word:
                    raise SystemExit(f"unexpected character in {word!r}")
    codes = [code for by_script in LANGUAGES.values() for code in by_script]
    licences = json.loads(LICENCES.read_text()) if LICENCES.exists() else {}
    versions = json.loads(VERSIONS.read_text()) if VERSIONS.exists() else {}
    contributors = json.loads((TEXT.parent / "contributors.json").read_text())
    used = sorted({pkg for code in codes for pkg in contributors.get(code, {})})
    licence_counts = Counter(licences.get(pkg, "see the package's copyright file") for pkg in used)
    summary = ", ".join(f"{name} ({n})" for name, n in licence_counts.most_common(5))
    PROVENANCE.write_text(
        json.dumps({pkg: {"version": versions.get(pkg), "licence": licences.get(pkg)} for pkg in used}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    lines = [
        "// Generated by scripts/lid-build-catalogue-words.py; do not edit by hand.",
        f"// By script, for {', '.join(codes)}: up to {WORDS_PER_LANGUAGE} words in rank order, counted over the",
        f"// translated UI text of {len(used)} Debian 12 packages (gettext catalogues of GNOME, MATE, Sugar, VLC,",
        "// Minetest and others; each package's version and licence: scripts/lid-catalogue-packages.json). A catalogue",
        f"// is under its package's licence, most often: {summary};",
        "// no message is copied, only words ranked by how often they occur.",
        "export const CATALOGUE_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {",
    ]
    for script, by_code in lists.items():
        lines.append(f"  {script}: {{")
        for code, words in by_code.items():
            lines.append(f'    {code}: "{" ".join(words)}",')
        lines.append("  },")
    lines.append("};")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for by_code in lists.values():
        for code, words in by_code.items():
            print(f"{code}: {len(words)} words ({', '.join(words[:8])} ...)")


if __name__ == "__main__":
    main()
