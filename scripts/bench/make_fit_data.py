#!/usr/bin/python3
"""Seeded synthetic IsoFLOP table shared by the scalelab and SciPy fitting benchmarks.

The truth is the Chinchilla loss surface (Hoffmann et al. 2022, approach 3):

    L(N, D) = E + A / N^alpha + B / D^beta,  E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28.

8 compute budgets C = logspace(18, 21, 8) FLOPs. For each budget, 30 model sizes N log-spaced over
a factor of 30, centred (in log) on the surface's compute-optimal N*(C) under C = 6ND:

    N*(C) = G * (C/6)^(beta/(alpha+beta)),  G = (alpha*A / (beta*B))^(1/(alpha+beta)).

Tokens D = C / (6N), flops = C exactly, and loss = L(N, D) * exp(0.02 * z) with z standard normal
from numpy.random.default_rng(240), drawn in row order. Numbers are written with '%.17g'.

Usage: scripts/bench/make_fit_data.py [OUT_CSV]   (default scripts/bench/data/chinchilla_240.csv)
"""

import os
import sys

import numpy as np

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
BUDGETS = np.logspace(18, 21, 8)
SIZES_PER_BUDGET = 30
SPAN = 30.0  # ratio of largest to smallest model size within a budget
SIGMA = 0.02
SEED = 240

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "chinchilla_240.csv")


def loss_surface(n, d):
    return E + A / n**ALPHA + B / d**BETA


def optimal_params(c):
    g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
    return g * (c / 6.0) ** (BETA / (ALPHA + BETA))


def make_rows():
    rng = np.random.default_rng(SEED)
    rows = []
    half = np.sqrt(SPAN)
    for c in BUDGETS:
        n_opt = optimal_params(c)
        sizes = np.logspace(np.log10(n_opt / half), np.log10(n_opt * half), SIZES_PER_BUDGET)
        for n in sizes:
            d = c / (6.0 * n)
            rows.append([n, d, c, loss_surface(n, d), c])
    rows = np.array(rows)
    rows[:, 3] *= np.exp(SIGMA * rng.standard_normal(len(rows)))
    return rows


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    rows = make_rows()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write("params,tokens,flops,loss,budget\n")
        for r in rows:
            f.write(",".join("%.17g" % v for v in r) + "\n")
    print("wrote %d rows (%d budgets x %d sizes, seed %d, sigma %g) to %s"
          % (len(rows), len(BUDGETS), SIZES_PER_BUDGET, SEED, SIGMA, out))


if __name__ == "__main__":
    main()
