#!/usr/bin/env python3
"""A quickstart folder's sweep runs and its check run as one observation CSV (the check as the largest
budget), so `scalelab backtest TABLE --holdout largest-budget` scores any law on the quickstart's own
check: the sweep fits, the check is held out.

    check_table.py STUDY OUT.csv [nonEmbedding|total] [MIN_WIDTH]

The optional arguments count N as total parameters (embeddings included) or leave out the sweep's runs
narrower than MIN_WIDTH, for diagnostics of which sizes and which parameter count the law fits."""
import csv
import glob
import json
import sys


def main(folder, out, count="nonEmbedding", min_width=0):
    """count: which parameter count is N (nonEmbedding or total); min_width: leave out sweep runs narrower."""
    runs = list(csv.DictReader(open(f"{folder}/sweep/runs.csv")))
    results = glob.glob(f"{folder}/check/runs/*/result.json")
    if not results:
        sys.exit(f"check_table: error: {folder}/check has no finished run; run the quickstart there first")
    target = json.load(open(f"{folder}/quickstart.json"))["targetFlops"]
    check = [json.load(open(r)) for r in results]
    check = [r for r in check if r["status"] == "COMPLETED"]
    with open(out + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["params", "tokens", "budget", "loss", "validation_floor_nats"])
        for r in runs:
            if r["status"] == "COMPLETED" and int(r["d_model"]) >= min_width:
                n = r["params"] if count == "nonEmbedding" else r["total_params"]
                w.writerow([n, r["tokens"], r["budget"], r["loss"], r["validation_floor_nats"]])
        for r in check:
            if abs(6 * r["params"]["nonEmbedding"] * r["tokens"] / target - 1) < 0.15:
                w.writerow([r["params"][count], r["tokens"], target, r["finalValLoss"], r["validationFloorNats"]])
    import os
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "nonEmbedding",
         int(sys.argv[4]) if len(sys.argv) > 4 else 0)
