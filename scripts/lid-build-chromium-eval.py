"""Write test/fixtures/lid-eval-chromium.json: a second held-out set of short strings, from Chromium's interface
translations, for the languages Chromium ships (32 of compass's 42).

Why a second one: the packaged set's held-out split (docs/lid-eval.md) was scored in aggregate many times while the
word lists and weights were chosen, so its figures are partly tuned on it. This set was built after that work and
is scored once per change that lands, never while choosing one (`node scripts/lid-eval.mjs --set chromium`).

Source: Debian 12's chromium-l10n package (pinned below; BSD-3-Clause, translations by Google's localisation
teams), whose locales/{locale}.pak files hold every interface string. A .pak (version 5) is a little-endian table:
version u32, encoding u8, 3 padding bytes, resource count u16, alias count u16, then (id u16, offset u32) per resource
plus one sentinel, then the data; strings are UTF-8, gzip-compressed resources (HTML, JSON) are skipped.

A string is kept when it is at most 40 characters after placeholders ($1, <ph>, {x}), markup and accelerator marks
are removed, has at least two words (or three characters of Han, kana or Hangul), differs from the en-GB string of
the same resource (an untranslated string is English), and is not a line of the text the word lists were built from
(.cache/lid-catalogues/text/{lang}.txt, when present). SHORT_PER_LANGUAGE strings are drawn per language with a
seeded generator; Portuguese and Chinese take half from each of their two locales.

Usage: python3 scripts/lid-build-chromium-eval.py   (Python 3 standard library, apt-get, dpkg-deb)
"""

from __future__ import annotations

import json
import random
import re
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "lid-chromium"
CATALOGUE_TEXT = ROOT / ".cache" / "lid-catalogues" / "text"
OUT = ROOT / "test" / "fixtures" / "lid-eval-chromium.json"
PACKAGE = "chromium-l10n"
PACKAGE_VERSION = "156.0.8078.79-1~deb12u1"
SHORT_PER_LANGUAGE = 60
MAX_CHARS = 40
MAX_PAK_BYTES = 16 * 1024 * 1024
SEED = 11

# compass code -> Chromium locales (Chromium has no ha, ig, ky, mg, ne, ny, si, sn, so, yo).
LOCALES = {
    "am": ["am"], "ar": ["ar"], "bn": ["bn"], "cs": ["cs"], "de": ["de"], "el": ["el"], "en": ["en-GB"],
    "es": ["es"], "fa": ["fa"], "fil": ["fil"], "fr": ["fr"], "he": ["he"], "hi": ["hi"], "id": ["id"],
    "it": ["it"], "ja": ["ja"], "ko": ["ko"], "lt": ["lt"], "ms": ["ms"], "nl": ["nl"], "pl": ["pl"],
    "pt": ["pt-BR", "pt-PT"], "ro": ["ro"], "ru": ["ru"], "sr": ["sr"], "sv": ["sv"], "sw": ["sw"], "te": ["te"],
    "tr": ["tr"], "uk": ["uk"], "vi": ["vi"], "zh": ["zh-CN", "zh-TW"],
}
ENGLISH = "en-GB"

PLACEHOLDER = re.compile(r"<ph[^>]*>.*?</ph>|<[^>]+>|\$\d+|\{[^{}]*\}|%[sd]|&[a-z]+;|&#\d+;")
WORD = re.compile(r"[^\W\d_]+")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def fetch() -> Path:
    """The package's locales directory, downloading and unpacking the pinned .deb once."""
    locales = CACHE / "root" / "usr" / "lib" / "chromium" / "locales"
    if locales.is_dir():
        return locales
    CACHE.mkdir(parents=True, exist_ok=True)
    debs = list(CACHE.glob(f"{PACKAGE}_*.deb"))
    if not debs:
        subprocess.run(["apt-get", "download", f"{PACKAGE}={PACKAGE_VERSION}"], cwd=CACHE, check=True, timeout=600)
        debs = list(CACHE.glob(f"{PACKAGE}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(CACHE / "root")], check=True, timeout=600)
    return locales


def pak_strings(path: Path) -> dict[int, str]:
    data = path.read_bytes()
    if len(data) > MAX_PAK_BYTES:
        raise SystemExit(f"{path}: {len(data)} bytes, over {MAX_PAK_BYTES}")
    version = struct.unpack_from("<I", data, 0)[0]
    if version != 5:
        raise SystemExit(f"{path}: .pak version {version}, expected 5")
    count = struct.unpack_from("<H", data, 8)[0]
    entries = [struct.unpack_from("<HI", data, 12 + 6 * i) for i in range(count + 1)]
    strings: dict[int, str] = {}
    for (resource, start), (_, end) in zip(entries, entries[1:]):
        raw = data[start:end]
        if raw[:2] == b"\x1f\x8b":
            continue
        try:
            strings[resource] = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return strings


def clean(text: str) -> str:
    text = PLACEHOLDER.sub(" ", text).replace("&", "")
    return " ".join(unicodedata.normalize("NFC", text).split()).strip(" :;,.")


def short_enough(text: str) -> bool:
    if not text or len(text) > MAX_CHARS:
        return False
    return len(WORD.findall(text)) >= 2 or len(CJK.findall(text)) >= 3


def main() -> None:
    locales = fetch()
    english = pak_strings(locales / f"{ENGLISH}.pak")
    rng = random.Random(SEED)
    items = []
    for lang, names in LOCALES.items():
        training = set()
        catalogue = CATALOGUE_TEXT / f"{lang}.txt"
        if catalogue.exists():
            training = {line.strip() for line in catalogue.read_text(encoding="utf-8").splitlines()}
        per_locale = SHORT_PER_LANGUAGE // len(names)
        for name in names:
            strings = pak_strings(locales / f"{name}.pak")
            pool = sorted(
                {
                    text
                    for resource, raw in strings.items()
                    if (lang == "en" or raw != english.get(resource))
                    and short_enough(text := clean(raw))
                    and text not in training
                }
            )
            if len(pool) < per_locale:
                raise SystemExit(f"{name}.pak: only {len(pool)} short strings")
            for text in rng.sample(pool, per_locale):
                items.append({"lang": lang, "locale": name, "text": text})
    about = (
        f"Short strings (<= {MAX_CHARS} characters) from {PACKAGE} {PACKAGE_VERSION} (Debian 12), Chromium's interface "
        "translations, for the 32 of compass's languages it ships; a held-out set built after the LID work of "
        "issue 11, scored, never tuned on. Built by scripts/lid-build-chromium-eval.py."
    )
    OUT.write_text(json.dumps({"about": about, "items": items}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(items)} strings over {len(LOCALES)} languages", file=sys.stderr)


if __name__ == "__main__":
    main()
