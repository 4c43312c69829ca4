"""The closed-loop demo's figure: JS(P_ref ‖ P_mon) of each region against θ over the demo's requests, with the
trigger, canary, promote and rollback marked. Usage: python plot_loop.py loop-timeline.json loop.png"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

doc = json.loads(open(sys.argv[1], encoding="utf-8").read())
regions = [(name, checks) for name, checks in sorted(doc["series"].items(), key=lambda kv: kv[0] == "all") if checks]
colors = {"trigger": "tab:red", "canary": "tab:orange", "promote": "tab:green", "rollback": "tab:purple"}
fig, axes = plt.subplots(len(regions), 1, figsize=(10, 2.6 * len(regions)), sharex=True, squeeze=False)
for ax, (name, checks) in zip(axes[:, 0], regions, strict=True):
    xs = [c["request"] for c in checks]
    ax.plot(xs, [c["js"] for c in checks], color="tab:blue", marker=".", lw=1.2, label="JS at each check")
    ax.step(xs, [c["theta"] for c in checks], where="post", color="grey", ls="--", lw=1, label="θ of the cluster model in force")
    over = [c for c in checks if c["outcome"] == "over-theta"]
    ax.scatter([c["request"] for c in over], [c["js"] for c in over], color="tab:red", zorder=3, s=30, label="over θ")
    for event in doc["events"]:
        if event["event"] in colors:
            ax.axvline(event["request"], color=colors[event["event"]], lw=1.2, alpha=0.8)
    ax.set_ylabel(f"{name}\nJS")
    ax.set_xlim(0, doc["requests"] * 1.03)  # room for the last event (the rollback) at the right edge
top = axes[0, 0]
seen = set()
for event in doc["events"]:
    if event["event"] in colors and event["event"] not in seen:
        top.axvline(event["request"], color=colors[event["event"]], lw=1.2, label=event["event"])
        seen.add(event["event"])
top.legend(loc="upper left", fontsize=7, ncol=4)
top.set_title("compass closed loop: sw drift per region, trigger → watch → canary → guard")
axes[-1, 0].set_xlabel("requests (all languages and regions)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print(f"figure → {sys.argv[2]}")
