"""Which P_ref should the drift trigger compare against? Each choice (usage proxy alone; usage plus the selected
auxiliary data, METHOD §5; a 50/50 mix) on a thin-topic drift, a covered-topic drift and the table-11 protocol:
detections, delay and false positives. Writes docs/drift-reference.md.
Usage: .venv/bin/python trainer/benchmarks/drift_reference.py [--runs 10]"""

import argparse
from pathlib import Path

from compass_trainer.drift import DEFAULT_REFERENCE
from compass_trainer.drift_sim import compare_references

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=10)
parser.add_argument("--out", type=Path, default=Path(__file__).parents[2] / "docs" / "drift-reference.md")
args = parser.parse_args()

rows = compare_references(runs=args.runs)
lines = [
    "# The drift reference P_ref, measured",
    "",
    f"`trainer/benchmarks/drift_reference.py --runs {args.runs}` (`compass_trainer.drift_sim.compare_references`). "
    "Thin/covered-topic drift: 10 topics × 2 clusters, two topics at 5% of a normal topic's training data, usage uniform "
    "over topics, a COMPASS selection (quotas ∝ usage/training density, B = 0.8); 2,000 in-distribution samples, then "
    "3,000 on two thin (or two well-covered) topics. Table 11: the T1–T5 stream with T1 as the usage proxy and a "
    "training set biased as in appendix D.2. θ calibrated per reference as the trainer does; window 1000, a check "
    "every 100 samples. JS before/after: JS(P_ref ‖ in-distribution traffic) and JS(P_ref ‖ the shifted traffic) "
    "(for table 11, T1 and T2).",
    "",
    "| reference | scenario | θ | JS before | JS after | detected | mean delay | false positives / run |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
]
for r in rows:
    lines.append(f"| {r.reference} | {r.scenario} | {r.theta:.3f} | {r.js_before:.3f} | {r.js_after:.3f} | {r.detected:.0%} | "
                 f"{'–' if r.mean_delay != r.mean_delay else f'{r.mean_delay:.0f}'} | {r.false_positives:.1f} |")  # fmt: skip
lines += ["", f"Default: `{DEFAULT_REFERENCE}` (`compass_trainer.drift.DEFAULT_REFERENCE`, used for the published cluster model's P_ref).", ""]
args.out.write_text("\n".join(lines), encoding="utf-8")
print("\n".join(lines))
