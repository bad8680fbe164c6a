#!/usr/bin/env python3
"""Summarises a calibration folder: one row per study and fit (DIR/calibration.csv), and per design and fit
the median absolute relative error and the coverage of both intervals (Markdown on stdout)."""
import csv
import json
import os
import statistics
import sys


def main(folder):
    rows = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "quickstart.json")
        if not os.path.isfile(path):
            continue
        h = json.load(open(path))
        design, _, seed = name.rpartition("-seed")
        for fit, e in h["predictedLoss"].items():
            pred = e.get("prediction") or [None, None]
            rows.append({
                "study": name, "design": design, "seed": seed, "fit": fit,
                "target_flops": h["targetFlops"], "predicted": e["value"],
                "confidence_lo": e["lo"], "confidence_hi": e["hi"],
                "prediction_lo": pred[0], "prediction_hi": pred[1],
                "actual": h["actualLoss"], "error": h["relativeError"][fit],
                "inside_confidence": h["insideInterval"][fit],
                "inside_prediction": h["insidePredictionInterval"].get(fit),
                "validation_floor": h.get("validationFloor"),
                # studies from before the fits counted every parameter counted the non-embedding ones
                "param_count": h.get("paramCount", "non-embedding"),
            })
    if not rows:
        sys.exit(f"summary: error: no study in {folder} has a quickstart.json yet; run scripts/bench/calibration/run")
    out = os.path.join(folder, "calibration.csv")
    with open(out + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    os.replace(out + ".tmp", out)

    print("| study | fit | predicted | confidence | prediction | actual | error | inside prediction |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        band = "" if r["prediction_lo"] is None else f"[{r['prediction_lo']:.4f}, {r['prediction_hi']:.4f}]"
        print(f"| {r['study']} | {r['fit']} | {r['predicted']:.4f} | [{r['confidence_lo']:.4f}, "
              f"{r['confidence_hi']:.4f}] | {band} | {r['actual']:.4f} | {100 * r['error']:+.2f}% | "
              f"{'yes' if r['inside_prediction'] else 'no'} |")
    print()
    print("| design | fit | studies | median abs. error | mean error | prediction coverage | confidence coverage |")
    print("|---|---|---|---|---|---|---|")
    groups = {}
    for r in rows:
        groups.setdefault((r["design"], r["fit"]), []).append(r)
    for (design, fit), g in groups.items():
        errors = [r["error"] for r in g]
        covered = sum(1 for r in g if r["inside_prediction"])
        conf = sum(1 for r in g if r["inside_confidence"])
        print(f"| {design} | {fit} | {len(g)} | {100 * statistics.median(abs(e) for e in errors):.2f}% | "
              f"{100 * statistics.mean(errors):+.2f}% | {covered}/{len(g)} | {conf}/{len(g)} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/calibration")
