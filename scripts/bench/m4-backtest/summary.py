#!/usr/bin/env python3
"""Summarises scripts/bench/m4-backtest/run: per domain and law, the curves scored, the median log RMSE
of the held-out points, how often the law is the best of the three by log RMSE, and the prediction
interval's coverage and width (Markdown on stdout)."""
import glob
import json
import math
import os
import statistics
import sys


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)


def main(folder):
    files = sorted(glob.glob(os.path.join(folder, "m4-*.json")))
    if not files:
        sys.exit(f"summary: error: no m4-*.json in {folder}; run scripts/bench/m4-backtest/run first")
    print("| domain | law | curves scored | skipped | median log RMSE | best on | median coverage | median width |")
    print("|---|---|---|---|---|---|---|---|")
    for f in files:
        domain = os.path.basename(f)[3:-5]
        groups = json.load(open(f))["groups"]
        scored = [g for g in groups if "laws" in g]
        laws = {}
        best = {}
        for g in scored:
            rmse = {l["law"]: l["summary"]["logRmse"] for l in g["laws"]}
            ok = {k: v for k, v in rmse.items() if finite(v)}
            if ok:
                winner = min(ok, key=ok.get)
                best[winner] = best.get(winner, 0) + 1
            for l in g["laws"]:
                laws.setdefault(l["law"], []).append(l["summary"])
        for law, summaries in laws.items():
            r = [s["logRmse"] for s in summaries if finite(s["logRmse"])]
            cov = [s["coverage"] for s in summaries if finite(s.get("coverage"))]
            width = [s["predictionWidth"] for s in summaries if finite(s.get("predictionWidth"))]
            print(f"| {domain} | {law} | {len(summaries)} | {len(groups) - len(scored)} | "
                  f"{statistics.median(r):.4f} | {best.get(law, 0)} of {len(scored)} | "
                  f"{statistics.median(cov) if cov else float('nan'):.3f} | "
                  f"{100 * statistics.median(width) if width else float('nan'):.1f}% |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/m4-backtest")
