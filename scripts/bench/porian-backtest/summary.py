#!/usr/bin/env python3
"""Markdown tables of a porian-backtest folder: per configuration and holdout, each law's held-out scores."""
import json
import os
import sys


def pct(v):
    return "" if v is None else f"{100 * v:.2f}%"


def share(v, n):
    return "" if v is None else f"{round(v * n)}/{n}"


def main(folder):
    files = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
    if not files:
        sys.exit(f"summary: error: no backtest JSON in {folder}; run scripts/bench/porian-backtest/run")
    print("| config | holdout | law | n | ARE | mean error | log RMSE | prediction coverage (width) "
          "| confidence coverage (width) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in files:
        config = name.split("-")[0].replace("config", "")
        j = json.load(open(os.path.join(folder, name)))
        for law in j["laws"]:
            s = law["summary"]
            n = s["n"]
            pred = "" if s.get("coverage") is None else f"{share(s['coverage'], n)} ({pct(s['predictionWidth'])})"
            conf = "" if s.get("confidenceCoverage") is None else \
                f"{share(s['confidenceCoverage'], n)} ({pct(s['confidenceWidth'])})"
            what = "loss" if law["law"] != "isoflop" else "N*, D*"
            print(f"| {config} | {law['holdout']} | {law['law']} ({what}) | {n} | {pct(s['meanAbsRelativeError'])} | "
                  f"{100 * s['meanRelativeError']:+.2f}% | {s['logRmse']:.4f} | {pred} | {conf} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/porian-backtest")
