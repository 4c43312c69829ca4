"""Write src/lid/ui-words.ts: for the Latin-script languages wordfreq covers, the interface words its lists miss.

wordfreq's lists (src/lid/frequent-words.ts, 12,000 words a language) come from general text and lack much of the
interface register, above all the inflected forms of Czech, Polish, Italian... ("zobrazit", "odebrat", "rimuovi",
"uruchom"): on a short interface string whose words no list holds, franc's UDHR trigrams alone decided. This list
adds, per language, the words most frequent in the human-translated UI text of Debian's packages that the language's
wordfreq list lacks; detect.ts ranks them after that list (Zipf's law), so a word shared with a list keeps its weight
and one known to this language alone speaks for it.

Input: the gettext catalogues (.mo under usr/share/locale/{locale}/LC_MESSAGES/) of the Debian 12 packages that
scripts/lid-build-catalogues.py downloads (.cache/lid-catalogues/debs, or --debs DIR); the packages that gave
messages, with their versions and licences (from lid-build-catalogues.py's licences.json beside the .debs; mostly
GPL-2.0+, GPL-3.0+, LGPL-2.0+/2.1+), are written to scripts/lid-ui-words-packages.json. Not read: Mozilla's
and LibreOffice's language packs and the Firefox/Thunderbird packages (Firefox's strings are the validation set of
scripts/lid-build-firefox-validation.py), nor the packages that lid-build-catalogues.py already leaves out (Django,
locales-all, iso-codes, ...) or that carry country and place names (xkb-data, libgweather-4-common,
libmateweather-common; the held-out CLDR emoji names include flag names). Messages are cleaned as
lid-build-catalogues.py cleans them (placeholders, markup, accelerators out; a translation equal to its msgid
dropped) and deduplicated per language.

A word (letter run, lower-cased, NFC) is counted once per message; it is kept when it occurs in at least MIN_MESSAGES
messages, is not in the language's wordfreq list as detect.ts holds it (src/lid/frequent-words.ts, 12,000 words), and is not English left untranslated: not
among English's ENGLISH_TOP most frequent words (wordfreq 3.1.1) nor in MIN_MESSAGES or more of the catalogues' English
msgids (names and terms copied through: "vlc", "gtk"). At most WORDS_PER_LANGUAGE are kept, most frequent first.
Vietnamese is left out: its syllables are in its wordfreq list, and what remained were names and acronyms. English
gets the same from the catalogues' msgids, less the words the translations keep as they are (international terms:
"tabs", "proxy", "cookies"; see international_terms), so that they stay no evidence for English inside another
language's string.

The same text gives the close pairs' word odds (UI_PAIRS: Spanish/Portuguese, and Hindi/Nepali, whose catalogues,
the same packages' hi and ne locales, are read for this alone): a word's log10 odds of one language over the other is
the ratio of the shares of their messages that hold it (each count plus one), clipped to +-2; the PAIR_WORDS most
frequent words whose odds reach the pair's least odds (PAIRS) are kept. detect.ts applies them when the two are its
best candidates (for Hindi/Nepali, after its own hi/ne step from LibreOffice's translations, hindi-nepali.ts).

Usage: .venv-lid/bin/python scripts/lid-build-ui-words.py [--debs DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import re
import subprocess
import tarfile
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote

from wordfreq import top_n_list

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "lid" / "ui-words.ts"
FREQUENT = ROOT / "src" / "lid" / "frequent-words.ts"
PROVENANCE = ROOT / "scripts" / "lid-ui-words-packages.json"
TEXT = ROOT / ".cache" / "lid-ui-words"
WORDFREQ_VERSION = "3.1.1"

# Debian locale directory (without its _CC or @variant) -> compass code; wordfreq's code is compass's but fil.
LANGUAGES = {
    "cs": "cs", "de": "de", "es": "es", "fr": "fr", "it": "it", "lt": "lt", "nl": "nl", "pl": "pl", "pt": "pt",
    "ro": "ro", "sv": "sv", "tr": "tr", "tl": "fil", "fil": "fil",
}  # fmt: skip
# Languages read only for the close pairs' word odds (their words are in frequent-words.ts already).
PAIR_ONLY_LANGUAGES = {"hi": "hi", "ne": "ne"}
READ_LANGUAGES = LANGUAGES | PAIR_ONLY_LANGUAGES
SKIPPED_PACKAGES = re.compile(
    r"^(?:firefox-esr.*|thunderbird.*|libreoffice-l10n-.*|python3-django.*|locales-all|iso-codes|libgeonames-common"
    r"|console-data|xkb-data|libgweather-4-common|libmateweather-common)_"
)
LOCALE_RE = re.compile(r"/usr/share/locale/(?P<loc>[a-z]{2,3})(?:_[A-Z]{2})?/LC_MESSAGES/[^/]+\.mo$")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1effʼ'’-]+$")
# Devanagari letters and signs, without the danda and the digits: WORD would cut a word at its vowel signs (marks).
DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0971-\u097f]+")

LIST_SIZE = 12000  # scripts/lid-build-wordlists.py's WORDS_PER_LANGUAGE: the rank after which these words come
MIN_MESSAGES = 3
ENGLISH_TOP = 30000
WORDS_PER_LANGUAGE = 2000
MAX_MEMBER_BYTES = 64 << 20
# The close pairs detect.ts separates with word odds when they are its two best candidates.
# Spanish/Portuguese and Hindi/Nepali: en-nl, en-fr, de-nl, cs-pl, it-ro, it-pt, es-it and fr-ro each moved the Firefox validation
# set by at most 0.0004 and the dev split not at all, for about 30 KiB (gzip) each.
# Each pair with the pattern of its words (findall), that of the words it keeps and the least odds kept. Hindi/Nepali
# (docs/lid-eval.md): their shared Sanskrit terms have odds near 0 either way; at 0.5 the words of 0.5-1 ("पूर्णांक",
# "अमान्य") lost a dev Nepali string, at 1.0 (0.8-1.2 alike) none, for 4 more of the 1,000 validation strings.
PAIRS = {"es-pt": (WORD, LATIN, 0.5), "hi-ne": (DEVANAGARI_WORD, DEVANAGARI_WORD, 1.0)}
PAIR_MIN_MESSAGES = 5
PAIR_CLIP = 2.0
PAIR_WORDS = 3000
# English's own list (from the msgids) leaves out the words translations keep: with 0.1 Firefox's English strings
# measured 0.922 right against 0.888 without the list, Filipino's 0.924 against 0.934 (0.03 and 0.3 differed by less).
LOAN_SHARE = 0.1


def catalogues_module():
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "lid-build-catalogues.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract(deb: Path) -> tuple[dict[str, list[str]], set[str]]:
    """The cleaned translations of the .deb's catalogues for READ_LANGUAGES, by compass code, and their English
    msgids."""
    catalogues = catalogues_module()
    out: dict[str, list[str]] = defaultdict(list)
    english: set[str] = set()
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                m = LOCALE_RE.search(member.name)
                if not m or m.group("loc") not in READ_LANGUAGES or not member.isfile():
                    continue
                if member.size > MAX_MEMBER_BYTES:
                    raise ValueError(f"{deb.name}:{member.name}: {member.size} bytes, over the bound")
                data = tar.extractfile(member).read()
                # The English msgids are those of LANGUAGES' catalogues, the English the ui-words lists are kept from.
                msgids = english if m.group("loc") in LANGUAGES else set()
                for message in catalogues.read_mo(data, f"{deb.name}:{member.name}", msgids):
                    if cleaned := catalogues.clean(message):
                        out[READ_LANGUAGES[m.group("loc")]].append(cleaned)
    finally:
        proc.stdout.close()
        proc.wait(timeout=120)
    return out, english


def texts(debs: Path) -> dict[str, list[str]]:
    """Each language's deduplicated messages, and the English msgids under "en", cached under .cache/lid-ui-words;
    writes PROVENANCE: the packages that gave messages, with their versions and licences."""
    codes = sorted({*READ_LANGUAGES.values(), "en"})
    if all((TEXT / f"{code}.txt").exists() for code in codes):
        return {code: (TEXT / f"{code}.txt").read_text(encoding="utf-8").splitlines() for code in codes}
    files = sorted(p for p in debs.glob("*.deb") if not SKIPPED_PACKAGES.match(p.name))
    licences = (
        json.loads((debs.parent / "licences.json").read_text()) if (debs.parent / "licences.json").exists() else {}
    )
    seen: dict[str, dict[str, None]] = defaultdict(dict)
    used: dict[str, dict[str, str | None]] = {}
    with ProcessPoolExecutor(2) as pool:
        for deb, (result, english) in zip(files, pool.map(extract, files)):
            for code, messages in result.items():
                seen[code].update(dict.fromkeys(messages))
            seen["en"].update(dict.fromkeys(" ".join(e.split()) for e in sorted(english)))
            if result:
                name, version = deb.name.split("_")[:2]
                used[name] = {"version": unquote(version), "licence": licences.get(name)}
    TEXT.mkdir(parents=True, exist_ok=True)
    for code in codes:
        (TEXT / f"{code}.txt").write_text("".join(m + "\n" for m in seen[code]), encoding="utf-8")
    PROVENANCE.write_text(json.dumps(dict(sorted(used.items())), indent=1) + "\n", encoding="utf-8")
    print(f"{len(files)} packages read, {len(used)} with catalogues of these languages")
    return {code: list(seen[code]) for code in codes}


def message_counts(messages: list[str], word: re.Pattern[str] = WORD) -> Counter[str]:
    """How many messages hold each word (a match of `word`)."""
    counts: Counter[str] = Counter()
    for message in messages:
        counts.update({unicodedata.normalize("NFC", w.lower()) for w in word.findall(message)})
    return counts


def frequent_words(code: str) -> set[str]:
    """The language's Latin-script list in src/lid/frequent-words.ts, as detect.ts holds it."""
    pattern = r'\n  Latin: \{\n(?:    \w+: "[^"]*",\n)*?    ' + re.escape(code) + r': "([^"]*)"'
    match = re.search(pattern, FREQUENT.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit(f"{FREQUENT}: no Latin list for {code}")
    return set(match.group(1).split(" "))


def ui_words(code: str, messages: list[str], english: set[str]) -> list[str]:
    listed = frequent_words(code)
    kept = [
        word
        for word, n in sorted(message_counts(messages).items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= MIN_MESSAGES and LATIN.match(word) and len(word) > 1 and word not in listed and word not in english
    ]
    return kept[:WORDS_PER_LANGUAGE]


def pair_odds(
    a: list[str], b: list[str], words: re.Pattern[str], kept: re.Pattern[str], min_odds: float
) -> list[tuple[str, float]]:
    """Each word (a match of `words`, all of it matching `kept`) with its log10 odds of language a over b in their
    interface text: the ratio of the shares of messages holding it, each count plus one, clipped to +-PAIR_CLIP; the
    PAIR_WORDS most frequent words (in both together, at least PAIR_MIN_MESSAGES) whose odds reach min_odds, in that
    order."""
    counts_a, counts_b = message_counts(a, words), message_counts(b, words)
    scored = []
    for word in counts_a.keys() | counts_b.keys():
        n_a, n_b = counts_a[word], counts_b[word]
        if n_a + n_b < PAIR_MIN_MESSAGES or not kept.fullmatch(word):
            continue
        odds = math.log10(((n_a + 1) / len(a)) / ((n_b + 1) / len(b)))
        if abs(odds) >= min_odds:
            scored.append((-(n_a + n_b), word, max(-PAIR_CLIP, min(PAIR_CLIP, odds))))
    return [(word, odds) for _, word, odds in sorted(scored)[:PAIR_WORDS]]


def international_terms(messages: dict[str, list[str]]) -> set[str]:
    """English msgid words that the translations keep as they are ("tabs", "proxy", "cookies"): those whose share of
    messages, averaged over the other languages, is at least LOAN_SHARE of their share of the English msgids."""
    english = message_counts(messages["en"])
    others = {code: message_counts(messages[code]) for code in sorted(set(LANGUAGES.values()))}
    out = set()
    for word, n in english.items():
        if n < MIN_MESSAGES:
            continue
        rate = n / len(messages["en"])
        kept = sum(others[code][word] / len(messages[code]) for code in others) / len(others)
        if kept >= LOAN_SHARE * rate:
            out.add(word)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debs", type=Path, default=ROOT / ".cache" / "lid-catalogues" / "debs")
    args = parser.parse_args()
    messages = texts(args.debs)
    # Untranslated English: wordfreq's frequent English words, and the words of at least MIN_MESSAGES msgids (names
    # and terms the catalogues copy through: "vlc", "gtk", "plugin").
    english = set(top_n_list("en", ENGLISH_TOP))
    english |= {word for word, n in message_counts(messages["en"]).items() if n >= MIN_MESSAGES}
    lists = {code: ui_words(code, messages[code], english) for code in sorted(set(LANGUAGES.values()))}
    lists["en"] = ui_words("en", messages["en"], international_terms(messages))
    lines = [
        "// Generated by scripts/lid-build-ui-words.py: do not edit. For each Latin-script language wordfreq covers, the",
        "// words of Debian's translated interface text (gettext catalogues of the packages in",
        "// scripts/lid-ui-words-packages.json, under their licences, mostly GPL-2.0+/LGPL-2.0+; English: their msgids)",
        f"// that its wordfreq {WORDFREQ_VERSION} list lacks, most frequent first. detect.ts ranks them after the list's words.",
        "",
        "/** The rank of each language's first word here: the length of its wordfreq list in frequent-words.ts. */",
        f"export const UI_WORDS_FIRST_RANK = {LIST_SIZE};",
        "",
        "export const UI_WORDS: Record<string, string> = {",
    ]
    for code, words in lists.items():
        print(f"{code}: {len(words)} words; first {' '.join(words[:12])}")
        lines.append(f'  {code}: "{" ".join(words)}",')
    lines.append("};")
    lines += [
        "",
        "/**",
        ' * Close pairs ("a-b"): each word\'s log10 odds of a over b, "word:odds" (positive: a), from the two languages\'',
        f" * interface text as above (message shares, plus one, clipped to +-{PAIR_CLIP:g}).",
        " */",
        "export const UI_PAIRS: Record<string, string> = {",
    ]
    for pair, (words, kept, min_odds) in PAIRS.items():
        first, second = pair.split("-")
        odds = pair_odds(messages[first], messages[second], words, kept, min_odds)
        print(f"{pair}: {len(odds)} words")
        lines.append(
            f'  "{pair}":\n    "{" ".join(f"{word}:{value:.2f}" for word, value in odds)}",'
        )  # as biome formats it
    lines.append("};")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
