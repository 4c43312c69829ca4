"""Write the texts of the demo's live traffic from the sample data (``traffic.json``): Swahili requests like the usage
proxy, the Swahili topics sw's training data was thin in (cooking, math) that one region drifts to, and requests in
the other sample languages. Usage: python make_demo_stream.py OUT_DIR"""

import json
import sys
from pathlib import Path

data = Path(__file__).parents[1] / "compass_trainer" / "data"
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rows = lambda name: [json.loads(line) for line in (data / name).read_text(encoding="utf-8").splitlines()]
usage = rows("usage.jsonl")
traffic = {
    "sw": [r["inputs"] for r in usage if r["language_code"] == "swh"],
    "swDrifted": [r["inputs"] for r in rows("pool.jsonl") if r["language_code"] == "swh" and r["topic"] in ("cooking", "math")],
    "others": [r["inputs"] for r in usage if r["language_code"] != "swh"],
}
(out / "traffic.json").write_text(json.dumps(traffic, ensure_ascii=False, indent=1), encoding="utf-8")
print(
    f"traffic texts: {len(traffic['sw'])} usage-like sw, {len(traffic['swDrifted'])} drifted sw (cooking, math), "
    f"{len(traffic['others'])} in other languages → {out / 'traffic.json'}"
)
