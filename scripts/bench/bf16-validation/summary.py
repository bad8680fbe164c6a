#!/usr/bin/env python3
"""Summary of scripts/bench/bf16-validation/run: bf16 against float32 on the same sweeps and seeds.

Losses: for each sweep point (budget, width) and seed, the bf16 final validation loss minus the float32
one (same seed, same validation sample), against the seed-to-seed spread of the float32 losses at that
point (sample standard deviation over the seeds). Fits: alpha and beta of the Chinchilla law, E free and
E fixed at the validation floor, each with its bootstrap interval; they agree when each precision's
estimate lies inside the other's interval. Writes DIR/losses.csv and DIR/fits.csv, prints Markdown.

    summary.py DIR SEED [SEED ...]
"""
import csv
import json
import os
import statistics
import sys


def runs(path):
    with open(path) as f:
        return {(r["budget"], r["d_model"]): r for r in csv.DictReader(f) if r["status"] == "COMPLETED"}


def write(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def main(out, seeds):
    loss_rows, by_point, walls = [], {}, {"fp32": 0.0, "bf16": 0.0}
    for s in seeds:
        a = runs(os.path.join(out, f"seed{s}-fp32", "runs.csv"))
        b = runs(os.path.join(out, f"seed{s}-bf16", "runs.csv"))
        for key in sorted(a, key=lambda k: (float(k[0]), int(k[1]))):
            if key not in b:
                continue
            la, lb = float(a[key]["loss"]), float(b[key]["loss"])
            walls["fp32"] += float(a[key]["wall_seconds"])
            walls["bf16"] += float(b[key]["wall_seconds"])
            loss_rows.append([s, key[0], key[1], a[key]["params"], a[key]["tokens"], la, lb, lb - la, (lb - la) / la])
            by_point.setdefault(key, []).append((la, lb))
    write(os.path.join(out, "losses.csv"), ["seed", "budget", "d_model", "params", "tokens", "loss_fp32",
                                            "loss_bf16", "diff_nats", "rel_diff"], loss_rows)

    print(f"## bf16 against float32: {len(seeds)} seeds ({', '.join(map(str, seeds))}), "
          f"{len(by_point)} sweep points\n")
    print("| budget | d | fp32 loss (mean of seeds) | fp32 seed spread (sd) | bf16 - fp32 (mean) | |mean diff| / spread |")
    print("|---|---|---|---|---|---|")
    within, diffs, sds = 0, [], []
    for key in sorted(by_point, key=lambda k: (float(k[0]), int(k[1]))):
        pairs = by_point[key]
        fp = [p[0] for p in pairs]
        d = [p[1] - p[0] for p in pairs]
        diffs.extend(d)
        sd = statistics.stdev(fp) if len(fp) > 1 else float("nan")
        sds.append(sd)
        md = statistics.mean(d)
        ratio = abs(md) / sd if sd > 0 else float("inf")
        within += ratio <= 1
        print(f"| {float(key[0]):.3g} | {key[1]} | {statistics.mean(fp):.4f} | {sd:.4f} | {md:+.4f} | {ratio:.2f} |")
    mean_d = statistics.mean(diffs)
    se = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else float("nan")
    print(f"\n{within} of {len(by_point)} points: the mean bf16 - fp32 difference is within one seed-to-seed sd.")
    print(f"Over all {len(diffs)} paired runs: bf16 - fp32 = {mean_d:+.5f} nats (standard error {se:.5f}), "
          f"mean |diff| {statistics.mean(abs(x) for x in diffs):.5f}; median fp32 seed-to-seed sd {statistics.median(sds):.5f}.")
    print(f"Training wall time, summed over runs: fp32 {walls['fp32'] / 60:.1f} min, bf16 {walls['bf16'] / 60:.1f} min "
          f"({walls['fp32'] / walls['bf16']:.2f}x).\n")

    fit_rows = []
    print("| seed | fit | param | fp32 [interval] | bf16 [interval] | agree |")
    print("|---|---|---|---|---|---|")
    agree, total = 0, 0
    for s in seeds:
        for fit in ("free", "fixed"):
            cards = {}
            for p in ("fp32", "bf16"):
                with open(os.path.join(out, f"seed{s}-{p}", "fits", f"{fit}.json")) as f:
                    cards[p] = json.load(f)["parameters"]
            for name in ("alpha", "beta"):
                x, y = cards["fp32"][name], cards["bf16"][name]
                ok = (x["lo"] <= y["value"] <= x["hi"]) and (y["lo"] <= x["value"] <= y["hi"])
                agree += ok
                total += 1
                fit_rows.append([s, fit, name, x["value"], x["lo"], x["hi"], y["value"], y["lo"], y["hi"], ok])
                print(f"| {s} | E {fit} | {name} | {x['value']:.3f} [{x['lo']:.3f}, {x['hi']:.3f}] | "
                      f"{y['value']:.3f} [{y['lo']:.3f}, {y['hi']:.3f}] | {'yes' if ok else 'NO'} |")
    write(os.path.join(out, "fits.csv"), ["seed", "fit", "param", "fp32", "fp32_lo", "fp32_hi", "bf16", "bf16_lo",
                                          "bf16_hi", "agree"], fit_rows)
    print(f"\n{agree} of {total} exponents agree (each precision's estimate inside the other's interval).")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: summary.py DIR SEED [SEED ...]")
    main(sys.argv[1], sys.argv[2:])
