"""compass's one language-code scheme on the Python side (mirrors ``adapters/languages.ts``).

Canonical codes are ISO 639-1 as Global-MMLU names its configs (``fil`` for Filipino). Aya's ``language_code`` and
the paper's tables use ISO 639-3. ``test/vectors/languages.json`` holds the table both implementations assert.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = (
    "am", "ar", "bn", "cs", "de", "el", "en", "es", "fa", "fil", "fr", "ha", "he", "hi", "id", "ig", "it", "ja", "ko",
    "ky", "lt", "mg", "ms", "ne", "nl", "ny", "pl", "pt", "ro", "ru", "si", "sn", "so", "sr", "sv", "sw", "te", "tr",
    "uk", "vi", "yo", "zh",
)  # fmt: skip

ISO639_3: dict[str, str] = {
    "am": "amh", "ar": "ara", "bn": "ben", "cs": "ces", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "fa": "fas", "fil": "fil", "fr": "fra", "ha": "hau", "he": "heb", "hi": "hin", "id": "ind", "ig": "ibo",
    "it": "ita", "ja": "jpn", "ko": "kor", "ky": "kir", "lt": "lit", "mg": "mlg", "ms": "msa", "ne": "nep",
    "nl": "nld", "ny": "nya", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "si": "sin", "sn": "sna",
    "so": "som", "sr": "srp", "sv": "swe", "sw": "swa", "te": "tel", "tr": "tur", "uk": "ukr", "vi": "vie",
    "yo": "yor", "zh": "zho",
}  # fmt: skip

# Individual-language codes (Aya, franc) and legacy tags.
ALIASES: dict[str, str] = {
    "arb": "ar", "pes": "fa", "prs": "fa", "per": "fa", "tgl": "fil", "tl": "fil", "plt": "mg", "zlm": "ms",
    "zsm": "ms", "may": "ms", "npi": "ne", "swh": "sw", "cmn": "zh", "chi": "zh", "iw": "he", "cze": "cs",
    "ger": "de", "gre": "el", "fre": "fr", "dut": "nl", "rum": "ro", "mol": "ro",
}  # fmt: skip

_FROM_639_3 = {v: k for k, v in ISO639_3.items()}


def to_canonical(code: str) -> str | None:
    """Any known spelling (ISO 639-1/2/3, BCP-47 with region) to the canonical code, or None."""
    lower = code.strip().lower().replace("_", "-")
    if lower in ISO639_3:
        return lower
    if lower in ALIASES:
        return ALIASES[lower]
    if lower in _FROM_639_3:
        return _FROM_639_3[lower]
    primary = lower.split("-")[0]
    return to_canonical(primary) if primary != lower else None


def to_iso639_3(code: str) -> str:
    return ISO639_3[code]
