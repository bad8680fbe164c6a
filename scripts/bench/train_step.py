#!/usr/bin/python3
"""Training-step speed of scalelab's trainer against PyTorch on CPU, interleaved in one run.

For each model shape and each repetition, runs scalelab's StepBenchmark (forward, backward,
clipping and AdamW on random tokens) and then scripts/bench/torch_gpt.py on the same shape,
both float32, 2 threads, OMP_WAIT_POLICY=PASSIVE. Reports median tokens/s of each, the ratio,
achieved GFLOP/s (6N + attention per token, Kaplan et al. 2020) and its fraction of the GEMM rate
`scalelab doctor` measures in the same run, scalelab's per-phase breakdown, peak RSS, and two
1-thread runs in parallel against two 2-thread runs in sequence.

Run it through scripts/bench/train-step, which installs PyTorch and the OpenBLAS it uses.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.join(ROOT, "cli", "target", "scalelab", "lib", "*")


def scalelab_cmd(d, layers, heads, context, vocab, batch, steps, warmup, threads, precision="fp32"):
    return ["java", "-Xmx4g", "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector", "-Dscalelab.phases=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", LIB,
            "dev.scalelab.sweep.bench.StepBenchmark",
            *map(str, (d, layers, heads, context, vocab, batch, steps, warmup, threads, precision))]


def torch_cmd(d, layers, heads, context, vocab, batch, steps, warmup, threads, bf16=False):
    return ["/usr/bin/python3", os.path.join(ROOT, "scripts", "bench", "torch_gpt.py"),
            "--d-model", str(d), "--layers", str(layers), "--heads", str(heads), "--context", str(context),
            "--vocab", str(vocab), "--batch", str(batch), "--steps", str(steps), "--warmup-steps", str(warmup),
            "--threads", str(threads)] + (["--bf16"] if bf16 else [])


def run_json(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout.strip()
    try:
        return json.loads(out)  # pretty-printed JSON (scalelab doctor)
    except json.JSONDecodeError:
        return json.loads(out.splitlines()[-1])  # one JSON line after any other output


def write_report(path, doctor, peak, results, **extra):
    """Writes the JSON report (machine, GEMM peak, per-shape results, extra fields) and returns it."""
    report = {"date": time.strftime("%Y-%m-%d"), "cpu": doctor["cpu"]["model"],
              "classifier": doctor["nd4j"]["classifier"], "gemm_peak_gflops": peak, **extra, "shapes": results}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(ROOT, "scripts", "bench", "results", "train_step.json"))
    ap.add_argument("--openblas", required=True, help="folder holding OpenBLAS's libblas.so.3 for PyTorch")
    ap.add_argument("--shapes", choices=("standard", "narrow", "bf16"), default="standard",
                    help="standard: d=64 and d=256 (head size 32-64); narrow: the quickstart's small models "
                         "(head size 4, vocabulary 176, batch 16), 1 thread each as a sweep runs them; bf16: the "
                         "standard shapes with scalelab's bf16 matrix multiplies and PyTorch's bf16 autocast beside "
                         "both float32 runs")
    args = ap.parse_args()

    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    torch_env = dict(env, LD_LIBRARY_PATH=args.openblas, OPENBLAS_NUM_THREADS="2")
    doctor = run_json([os.path.join(ROOT, "scalelab"), "doctor", "--format", "json"], env)
    peak = doctor["gemm"]["peakGflopsPerSecond"]
    shapes = [  # d, layers, heads, context, vocab, batch, steps, warm-up
        (64, 2, 2, 128, 256, 32, 40, 10),
        (256, 4, 4, 128, 256, 32, 12, 3),
    ]
    threads = 2
    if args.shapes == "narrow":
        shapes = [(8, 2, 2, 128, 176, 16, 200, 50), (16, 2, 4, 128, 176, 16, 150, 40),
                  (40, 2, 10, 128, 176, 16, 60, 15)]
        threads = 1
        torch_env = dict(torch_env, OPENBLAS_NUM_THREADS="1")
    if args.shapes == "bf16":
        return mixed_precision(args, shapes, threads, env, torch_env, doctor, peak)
    results = []
    for shape in shapes:
        runs = {"scalelab": [], "pytorch": []}
        for _ in range(args.reps):  # interleaved: the machine's load hits both alike
            runs["scalelab"].append(run_json(scalelab_cmd(*shape, threads=threads), env))
            runs["pytorch"].append(run_json(torch_cmd(*shape, threads=threads), torch_env))
        row = {"shape": dict(zip(("d_model", "layers", "heads", "context", "vocab", "batch"), shape[:6]))}
        for name, rs in runs.items():
            tps = [r["tokens_per_second"] for r in rs]
            row[name] = {
                "tokens_per_second_median": statistics.median(tps),
                "tokens_per_second_all": tps,
                "gflops_per_second_median": statistics.median(r["gflops_per_second"] for r in rs),
                "max_rss_mb": max(r["max_rss_mb"] for r in rs),
            }
        row["scalelab"]["phase_seconds_mean"] = runs["scalelab"][len(rs) // 2]["phase_seconds_mean"]
        row["pytorch"]["torch_version"] = runs["pytorch"][0]["torch_version"]
        row["ratio"] = row["scalelab"]["tokens_per_second_median"] / row["pytorch"]["tokens_per_second_median"]
        row["scalelab_fraction_of_gemm_peak"] = row["scalelab"]["gflops_per_second_median"] / peak
        row["pytorch_fraction_of_gemm_peak"] = row["pytorch"]["gflops_per_second_median"] / peak
        results.append(row)

    if args.shapes == "narrow":
        write_report(args.out, doctor, peak, results, threads=threads)
        for r in results:
            sh = r["shape"]
            print(f"| d={sh['d_model']}, {sh['layers']} layers, {sh['heads']} heads | "
                  f"{r['scalelab']['tokens_per_second_median']:,.0f} | {r['pytorch']['tokens_per_second_median']:,.0f} | "
                  f"{r['ratio']:.2f}x |")
        return

    # Two 1-thread runs at once against two 2-thread runs one after the other (d=64).
    small = shapes[0]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(scalelab_cmd(*small, threads=1), env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
             for _ in range(2)]
    par = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    parallel_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    seq = [run_json(scalelab_cmd(*small, threads=2), env) for _ in range(2)]
    sequential_wall = time.perf_counter() - t0
    concurrency = {
        "two_1_thread_runs_in_parallel_tokens_per_second_each": [r["tokens_per_second"] for r in par],
        "two_2_thread_runs_in_sequence_tokens_per_second_each": [r["tokens_per_second"] for r in seq],
        "parallel_aggregate_tokens_per_second": sum(r["tokens_per_second"] for r in par),
        "sequential_aggregate_tokens_per_second": 2 / sum(1 / r["tokens_per_second"] for r in seq),
        "parallel_wall_seconds": parallel_wall,
        "sequential_wall_seconds": sequential_wall,
    }

    report = write_report(args.out, doctor, peak, results, concurrency_d64=concurrency)

    print(f"CPU {report['cpu']}, {report['classifier']}, GEMM peak {peak:.1f} GFLOP/s (scalelab doctor)")
    print("| shape | scalelab tok/s | PyTorch tok/s | ratio | scalelab GFLOP/s (% of peak) | PyTorch GFLOP/s (% of peak) | RSS MB scalelab / PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        s, p, sh = r["scalelab"], r["pytorch"], r["shape"]
        print(f"| d={sh['d_model']}, {sh['layers']} layers, {sh['heads']} heads | {s['tokens_per_second_median']:,.0f} | "
              f"{p['tokens_per_second_median']:,.0f} | {r['ratio']:.2f}x | {s['gflops_per_second_median']:.1f} "
              f"({100 * r['scalelab_fraction_of_gemm_peak']:.0f}%) | {p['gflops_per_second_median']:.1f} "
              f"({100 * r['pytorch_fraction_of_gemm_peak']:.0f}%) | {s['max_rss_mb']:.0f} / {p['max_rss_mb']:.0f} |")
    for r in results:
        phases = ", ".join(f"{k} {1000 * v:.1f}" for k, v in r["scalelab"]["phase_seconds_mean"].items())
        print(f"phases (ms/step), d={r['shape']['d_model']}: {phases}")
    c = concurrency
    print(f"two 1-thread runs in parallel: {c['parallel_aggregate_tokens_per_second']:,.0f} tok/s together "
          f"({c['parallel_wall_seconds']:.1f} s); two 2-thread runs in sequence: "
          f"{c['sequential_aggregate_tokens_per_second']:,.0f} tok/s ({c['sequential_wall_seconds']:.1f} s)")
    print(f"written: {args.out}")


def mixed_precision(args, shapes, threads, env, torch_env, doctor, peak):
    """scalelab fp32 and bf16, PyTorch fp32 and bf16 autocast, interleaved per repetition."""
    contenders = {
        "scalelab_fp32": lambda sh: run_json(scalelab_cmd(*sh, threads=threads), env),
        "scalelab_bf16": lambda sh: run_json(scalelab_cmd(*sh, threads=threads, precision="bf16"), env),
        "pytorch_fp32": lambda sh: run_json(torch_cmd(*sh, threads=threads), torch_env),
        "pytorch_bf16": lambda sh: run_json(torch_cmd(*sh, threads=threads, bf16=True), torch_env),
    }
    results = []
    for shape in shapes:
        runs = {name: [] for name in contenders}
        for _ in range(args.reps):
            for name, run in contenders.items():
                runs[name].append(run(shape))
        row = {"shape": dict(zip(("d_model", "layers", "heads", "context", "vocab", "batch"), shape[:6]))}
        for name, rs in runs.items():
            row[name] = {"tokens_per_second_median": statistics.median(r["tokens_per_second"] for r in rs),
                         "tokens_per_second_all": [r["tokens_per_second"] for r in rs],
                         "final_loss": [r["final_loss"] for r in rs]}
        for name in ("scalelab_fp32", "scalelab_bf16"):
            row[name]["phase_seconds_mean"] = runs[name][len(runs[name]) // 2]["phase_seconds_mean"]
        results.append(row)
    report = write_report(args.out, doctor, peak, results, threads=threads)
    print(f"CPU {report['cpu']}, {report['classifier']}, GEMM peak {peak:.1f} GFLOP/s (scalelab doctor)")
    print("| shape | scalelab fp32 | scalelab bf16 | PyTorch fp32 | PyTorch bf16 autocast |"
          " scalelab bf16 / PyTorch fp32 | scalelab bf16 / PyTorch bf16 | scalelab bf16 / fp32 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        sh = r["shape"]
        t = {k: r[k]["tokens_per_second_median"] for k in contenders}
        print(f"| d={sh['d_model']}, {sh['layers']} layers | {t['scalelab_fp32']:,.0f} | {t['scalelab_bf16']:,.0f} | "
              f"{t['pytorch_fp32']:,.0f} | {t['pytorch_bf16']:,.0f} | {t['scalelab_bf16'] / t['pytorch_fp32']:.2f}x | "
              f"{t['scalelab_bf16'] / t['pytorch_bf16']:.2f}x | {t['scalelab_bf16'] / t['scalelab_fp32']:.2f}x |")
    for r in results:
        for name in ("scalelab_fp32", "scalelab_bf16"):
            phases = ", ".join(f"{k} {1000 * v:.1f}" for k, v in r[name]["phase_seconds_mean"].items())
            print(f"phases (ms/step), d={r['shape']['d_model']} {name}: {phases}")
    print(f"written: {args.out}")


if __name__ == "__main__":
    sys.exit(main())
