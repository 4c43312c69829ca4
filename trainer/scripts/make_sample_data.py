"""Write compass's embedded sample data (compass_trainer/data/{train,usage,pool}.jsonl) from scripts/sample_phrases.py.

Each (language, topic) yields 9 questions (3 templates × 3 fillers) with an answer. Splits per language: usage gets
3 questions of every topic (the usage proxy covers all topics); train gets the other 6 — except in the language's
two *thin* topics, where train keeps 1 and the remaining 5 go to the pool. Thin topics rotate across languages, so
every topic is thin somewhere and the pool holds each language's gap-fillers. The pool also carries every
language's training rows (the auxiliary pool is "other languages, possibly more of the target language"; selection
removes pool rows that duplicate the target's own training data). Rows follow the Aya schema.
Deterministic: run it again and the files are byte-identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sample_phrases import ANSWERS, PHRASES, TOPICS  # noqa: E402

OUT = Path(__file__).parents[1] / "compass_trainer" / "data"
ISO639_3 = {"en": "eng", "sw": "swh", "de": "deu", "es": "spa", "ru": "rus", "hi": "hin", "ar": "arb", "zh": "cmn"}


def main() -> None:
    splits: dict[str, list[dict]] = {"train": [], "usage": [], "pool": []}
    for li, (lang, topics) in enumerate(PHRASES.items()):
        thin = {TOPICS[(2 * li + 2) % len(TOPICS)], TOPICS[(2 * li + 9) % len(TOPICS)]}
        for topic in TOPICS:
            templates, fillers = topics[topic]
            rows = [
                {
                    "inputs": t.format(x=x),
                    "targets": ANSWERS[lang].format(x=x),
                    "language_code": ISO639_3[lang],
                    "topic": topic,
                    "id": f"{lang}-{topic}-{ti}{fi}",
                }
                for ti, t in enumerate(templates)
                for fi, x in enumerate(fillers)
            ]
            # Usage: one question per template (fillers rotated) so that usage covers the topic's phrasing.
            usage_ids = {f"{lang}-{topic}-{i}{i}" for i in range(3)}
            usage = [r for r in rows if r["id"] in usage_ids]
            rest = [r for r in rows if r["id"] not in usage_ids]
            splits["usage"] += usage
            if topic in thin:
                splits["train"] += rest[:1]
                splits["pool"] += rest[1:]
            else:
                splits["train"] += rest
    splits["pool"] += splits["train"]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        (OUT / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
