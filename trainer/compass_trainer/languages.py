"""compass's one language-code scheme on the Python side (mirrors ``adapters/languages.ts`` for the 42 it routes).

Canonical codes are ISO 639-1 as Global-MMLU names its configs (``fil`` for Filipino). Aya's ``language_code`` and
the paper's tables use ISO 639-3. ``test/vectors/languages.json`` holds the table both implementations assert.

The trainer accepts any valid ISO 639-1/3 code or BCP-47 tag (validated by ``langcodes`` against the IANA subtag
registry): the 42 keep the canonical form above; any other language is its shortest standard subtag (``tam`` and
``ta-IN`` → ``ta``, ``zul`` → ``zu``, ``gsw`` stays ``gsw``).
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = (
    "am",
    "ar",
    "bn",
    "cs",
    "de",
    "el",
    "en",
    "es",
    "fa",
    "fil",
    "fr",
    "ha",
    "he",
    "hi",
    "id",
    "ig",
    "it",
    "ja",
    "ko",
    "ky",
    "lt",
    "mg",
    "ms",
    "ne",
    "nl",
    "ny",
    "pl",
    "pt",
    "ro",
    "ru",
    "si",
    "sn",
    "so",
    "sr",
    "sv",
    "sw",
    "te",
    "tr",
    "uk",
    "vi",
    "yo",
    "zh",
)

ISO639_3: dict[str, str] = {
    "am": "amh",
    "ar": "ara",
    "bn": "ben",
    "cs": "ces",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "fa": "fas",
    "fil": "fil",
    "fr": "fra",
    "ha": "hau",
    "he": "heb",
    "hi": "hin",
    "id": "ind",
    "ig": "ibo",
    "it": "ita",
    "ja": "jpn",
    "ko": "kor",
    "ky": "kir",
    "lt": "lit",
    "mg": "mlg",
    "ms": "msa",
    "ne": "nep",
    "nl": "nld",
    "ny": "nya",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "si": "sin",
    "sn": "sna",
    "so": "som",
    "sr": "srp",
    "sv": "swe",
    "sw": "swa",
    "te": "tel",
    "tr": "tur",
    "uk": "ukr",
    "vi": "vie",
    "yo": "yor",
    "zh": "zho",
}

# Individual-language codes (Aya, franc) and legacy tags.
ALIASES: dict[str, str] = {
    "arb": "ar",
    "pes": "fa",
    "prs": "fa",
    "per": "fa",
    "tgl": "fil",
    "tl": "fil",
    "plt": "mg",
    "zlm": "ms",
    "zsm": "ms",
    "may": "ms",
    "npi": "ne",
    "swh": "sw",
    "cmn": "zh",
    "chi": "zh",
    "iw": "he",
    "cze": "cs",
    "ger": "de",
    "gre": "el",
    "fre": "fr",
    "dut": "nl",
    "rum": "ro",
    "mol": "ro",
}

_FROM_639_3 = {v: k for k, v in ISO639_3.items()}


def to_canonical(code: str) -> str | None:
    """Any valid spelling (ISO 639-1/2/3, BCP-47 with script or region) to the canonical code, or None."""
    lower = code.strip().lower().replace("_", "-")
    known = _routed(lower)
    if known or not lower:
        return known
    import langcodes

    try:
        language = langcodes.Language.get(langcodes.standardize_tag(lower)).language
    except (langcodes.LanguageTagError, ValueError):
        return None
    if not language or language == "und" or not langcodes.tag_is_valid(language):
        return None
    return _routed(language) or language


def _routed(lower: str) -> str | None:
    """The canonical code of one of the 42 languages compass routes, or None."""
    if lower in ISO639_3:
        return lower
    if lower in ALIASES:
        return ALIASES[lower]
    if lower in _FROM_639_3:
        return _FROM_639_3[lower]
    primary = lower.split("-")[0]
    return _routed(primary) if primary != lower else None


def is_routed(code: str) -> bool:
    """Whether the edge routes this (canonical) language: the 42 of Global-MMLU."""
    return code in ISO639_3


def to_iso639_3(code: str) -> str | None:
    """The ISO 639-3 code of a canonical code, or None where the language has none."""
    if code in ISO639_3:
        return ISO639_3[code]
    import langcodes

    try:
        return langcodes.Language.get(code).to_alpha3()
    except LookupError:
        return None
