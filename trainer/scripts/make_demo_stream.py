"""Write the demo's live-traffic stand-ins from the sample data: a Swahili request stream that starts like the usage
proxy and drifts to the topics sw's training data was thin in (cooking, math), and the recent window after the drift.
Usage: python make_demo_stream.py OUT_DIR"""

import json
import sys
from pathlib import Path

data = Path(__file__).parents[1] / "compass_trainer" / "data"
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rows = lambda name: [json.loads(line) for line in (data / name).read_text(encoding="utf-8").splitlines()]
usage = [r for r in rows("usage.jsonl") if r["language_code"] == "swh"]
drifted = [r for r in rows("pool.jsonl") if r["language_code"] == "swh" and r["topic"] in ("cooking", "math")]
dump = lambda path, items: path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
dump(out / "stream.jsonl", usage * 20 + drifted * 30)
dump(out / "window.jsonl", drifted * 4)
print(f"stream: {len(usage) * 20} usage-like + {len(drifted) * 30} drifted requests → {out / 'stream.jsonl'}")
