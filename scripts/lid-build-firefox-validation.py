"""Build a validation set of short interface strings from Mozilla's Firefox ESR language packs.

For tuning compass's language identifier (src/lid/) on text nobody tuned on before: `node scripts/lid-eval.mjs --set
firefox` scores it and, unlike the held-out sets, may print its misses. It is validation only; nothing here becomes
training data of a word list.

Source: Debian bookworm's firefox-esr-l10n-* 153.7.0esr-1~deb12u1 (Mozilla Public License 2.0), the languages of
compass's 42 that Firefox ships, minus Malay and Indonesian (their packs built the ms/id table,
scripts/lid-build-malay-indonesian.py). Earlier sessions already used these packs as validation for ja/zh, hi/ne and
ru/uk/sr/ky: those languages' figures are not fresh.

Each pack's .ftl and .properties messages (and their Fluent attributes) are read; a message is kept when
- it is translated: it equals no en-US message of Firefox itself (the firefox-esr package's omni.ja files) and differs
  from the en-GB pack's message under the same id (English itself takes en-GB's messages),
- its placeables could be filled: Fluent terms ({ -brand-short-name }) get the pack's own term value, number-like
  variables ({ $count }, { $tabCount }) a number; any other variable, message reference, select expression, printf or
  plural placeholder, markup or escaped line break drops the message,
- and it is short and interface-like: at most 40 characters, and at least 2 words, or at least 3 Han or kana letters.
Messages are deduplicated per language (Portuguese and Chinese pool pt-BR and pt-PT, zh-CN and zh-TW) and a seeded
sample of 500 per language is written to .cache/lid-firefox/validation.json (not committed).

Usage: .venv-lid/bin/python scripts/lid-build-firefox-validation.py
"""

import glob
import importlib.util
import io
import json
import random
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "lid-firefox"
OUT = CACHE / "validation.json"

VERSION = "153.7.0esr-1~deb12u1"
# Firefox's locale -> compass's language code.
PACKS = {
    "ar": "ar",
    "bn": "bn",
    "cs": "cs",
    "de": "de",
    "el": "el",
    "en-GB": "en",
    "es-ES": "es",
    "fa": "fa",
    "tl": "fil",
    "fr": "fr",
    "he": "he",
    "hi-IN": "hi",
    "it": "it",
    "ja": "ja",
    "ko": "ko",
    "lt": "lt",
    "ne-NP": "ne",
    "nl": "nl",
    "pl": "pl",
    "pt-BR": "pt",
    "pt-PT": "pt",
    "ro": "ro",
    "ru": "ru",
    "si": "si",
    "sr": "sr",
    "sv-SE": "sv",
    "te": "te",
    "tr": "tr",
    "uk": "uk",
    "vi": "vi",
    "zh-CN": "zh",
    "zh-TW": "zh",
}
REFERENCE = "en-GB"
PER_LANGUAGE = 500
MAX_CHARS = 40
SEED = "lid-firefox-validation"

TERM = re.compile(r"\{\s*(-[A-Za-z][\w-]*)(?:\.[\w-]+)?\s*(?:\([^)]*\))?\s*\}")
VARIABLE = re.compile(r"\{\s*\$([A-Za-z][\w-]*)\s*\}")
STRING_LITERAL = re.compile(r'\{\s*"([^"]*)"\s*\}')
NUMBER_LIKE = re.compile(
    r"count|num|number|total|amount|percent|quantity|size|days|hours|minutes|seconds|limit", re.IGNORECASE
)
UNFILLABLE = re.compile(r"[{}<>]|%\d*\$?[A-Za-z@]|#\d|\\n|\\u|&\w+;")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _malay_indonesian_builder():
    spec = importlib.util.spec_from_file_location("msid", ROOT / "scripts" / "lid-build-malay-indonesian.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# A .properties file's key -> value, read as the Malay/Indonesian table's builder reads the same packs.
parse_properties = _malay_indonesian_builder().parse_properties


def fetch() -> None:
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    for package in ["firefox-esr", *(f"firefox-esr-l10n-{locale.lower()}" for locale in [*PACKS, REFERENCE])]:
        if not glob.glob(str(debs / f"{package}_*.deb")):
            subprocess.run(["apt-get", "download", f"{package}={VERSION}"], cwd=debs, check=True)
    if not (CACHE / "x").exists():
        for deb in sorted(glob.glob(str(debs / "firefox-esr-l10n-*.deb"))):
            subprocess.run(["dpkg-deb", "-x", deb, str(CACHE / "x")], check=True)


def english_us() -> set[str]:
    """Every en-US message of Firefox itself (its omni.ja archives), raw."""
    (deb,) = glob.glob(str(CACHE / "debs" / "firefox-esr_*.deb"))
    out: set[str] = set()
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for member in tar:
            if member.name.endswith("/omni.ja") and member.isfile():
                with zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read())) as omni:
                    out.update(messages_of(omni, "en-US").values())
    proc.stdout.close()
    if proc.wait(timeout=120) != 0:
        raise RuntimeError(f"dpkg-deb --fsys-tarfile {deb} failed")
    return out


def parse_ftl(text: str) -> dict[str, str]:
    """Message and term ids (and id.attribute) -> raw pattern, continuation lines joined by a space."""
    out: dict[str, str] = {}
    key = None
    message = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            if not line.strip():
                continue
            key = None
            continue
        if m := re.match(r"^(-?[A-Za-z][\w-]*)\s*=\s*(.*)$", line):
            key = message = m.group(1)
            out[key] = m.group(2).strip()
        elif message and (m := re.match(r"^\s+\.([\w-]+)\s*=\s*(.*)$", line)):
            key = f"{message}.{m.group(1)}"
            out[key] = m.group(2).strip()
        elif key and line[:1] in " \t":
            out[key] = f"{out[key]} {line.strip()}".strip()
    return out


def read_pack(locale: str) -> dict[str, str]:
    """Message id (file path without the locale, and key) -> raw message."""
    (xpi,) = glob.glob(
        str(CACHE / "x" / "usr" / "lib" / "firefox-esr" / "**" / f"langpack-{locale}@*.xpi"), recursive=True
    )
    with zipfile.ZipFile(xpi) as pack:
        return messages_of(pack, locale)


def messages_of(pack: zipfile.ZipFile, locale: str) -> dict[str, str]:
    """The .ftl and .properties messages of a language pack or omni.ja under `locale`'s directories."""
    out: dict[str, str] = {}
    for name in sorted(pack.namelist()):
        if f"/{locale}/" not in f"/{name}":
            continue
        if name.endswith(".ftl"):
            messages = parse_ftl(pack.read(name).decode("utf-8", "replace"))
        elif name.endswith(".properties"):
            messages = parse_properties(pack.read(name).decode("utf-8", "replace"))
        else:
            continue
        path = name.replace(f"/{locale}/", "/L/")
        out.update({f"{path}#{key}": value for key, value in messages.items()})
    return out


def term_values(pack: dict[str, str]) -> dict[str, str]:
    """Fluent term -> its text: the plain value, or a select's default variant (*[nominative] Firefox)."""
    terms: dict[str, str] = {}
    for key, value in pack.items():
        term = key.split("#", 1)[1]
        if not term.startswith("-") or "." in term:
            continue
        if "->" in value:
            default = re.search(r"\*\[[^\]]*\]\s*([^\[\}]*)", value)
            value = default.group(1).strip() if default else ""
        if value and "{" not in value:
            terms[term] = value
    return terms


def filled(raw: str, terms: dict[str, str], rng: random.Random) -> str | None:
    """The message with its placeables filled, or None when one cannot be filled realistically."""
    if "->" in raw:
        return None
    text = STRING_LITERAL.sub(lambda m: m.group(1), raw)
    missing = False

    def term(m: re.Match[str]) -> str:
        nonlocal missing
        if m.group(1) not in terms:
            missing = True
        return terms.get(m.group(1), "")

    def variable(m: re.Match[str]) -> str:
        nonlocal missing
        if not NUMBER_LIKE.search(m.group(1)):
            missing = True
        return str(rng.randint(2, 60))

    text = VARIABLE.sub(variable, TERM.sub(term, text))
    if missing or UNFILLABLE.search(text):
        return None
    text = text.replace("\\'", "'").replace('\\"', '"').strip().strip('"').strip()
    return " ".join(text.split()) or None


def interface_like(text: str) -> bool:
    if len(text) > MAX_CHARS:
        return False
    words = [token for token in text.split() if WORD.search(token)]
    return len(words) >= 2 or len(HAN_KANA.findall(text)) >= 3


def main() -> None:
    fetch()
    reference = read_pack(REFERENCE)
    untranslated = english_us()
    print(f"{len(untranslated)} en-US messages")
    pools: dict[str, set[str]] = {}
    for locale, lang in PACKS.items():
        pack = read_pack(locale)
        terms = term_values(pack)
        rng = random.Random(f"{SEED}/{locale}")
        for key, raw in sorted(pack.items()):
            if key.split("#", 1)[1].startswith("-"):
                continue
            if locale != REFERENCE and (reference.get(key) == raw or raw in untranslated):
                continue
            text = filled(raw, terms, rng)
            if text and interface_like(text):
                pools.setdefault(lang, set()).add(text)
    items = []
    for lang in sorted(pools):
        texts = sorted(pools[lang])
        chosen = random.Random(f"{SEED}/{lang}").sample(texts, min(PER_LANGUAGE, len(texts)))
        items.extend({"lang": lang, "text": text} for text in sorted(chosen))
        print(f"{lang}: {len(texts)} candidates, {len(chosen)} kept")
    meta = {
        "source": f"Debian bookworm firefox-esr-l10n-* {VERSION}",
        "licence": "MPL-2.0",
        "generator": "scripts/lid-build-firefox-validation.py",
    }
    OUT.write_text(json.dumps({"meta": meta, "items": items}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(items)} strings -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
