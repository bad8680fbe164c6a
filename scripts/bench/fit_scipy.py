#!/usr/bin/python3
"""SciPy peer of scalelab's fitting benchmark: Chinchilla "approach 3" by multi-start L-BFGS-B.

What it measures
    The wall time of (1) a 4,500-start grid of L-BFGS-B fits of the Chinchilla loss surface and
    (2) 1,000 bootstrap refits, written the way a researcher would write them with SciPy: one
    process, no multiprocessing, a vectorised NumPy objective with an analytic gradient. It is the
    baseline that scalelab's Java fitter is compared against on the same data.

Model and objective (Hoffmann et al. 2022, approach 3)
    theta = (a, b, e, alpha, beta). For each row i, with n_i = log N_i, d_i = log D_i and
    l_i = log L_i:

        pred_i = LSE(a - alpha*n_i, b - beta*d_i, e)      (log-sum-exp of the three terms)
        r_i    = pred_i - l_i
        objective(theta) = SUM_i Huber(r_i),  delta = 1e-3,
        Huber(r) = r^2/2 if |r| <= delta else delta*(|r| - delta/2).

    so E = exp(e), A = exp(a), B = exp(b) in L(N, D) = E + A/N^alpha + B/D^beta. The gradient is
    analytic: with g_i = Huber'(r_i) (r_i inside delta, delta*sign(r_i) outside) and w_ik the softmax
    weights of the three LSE terms, d/da = sum g*w1, d/db = sum g*w2, d/de = sum g*w3,
    d/dalpha = -sum g*w1*n, d/dbeta = -sum g*w2*d. It is checked once against central finite
    differences (normwise relative error printed to stderr).

Grid
    alpha, beta in {0, 0.5, 1, 1.5, 2}; e in {-1, -0.5, 0, 0.5, 1}; a, b in {0, 5, 10, 15, 20, 25}:
    5*5*5*6*6 = 4,500 starts, each scipy.optimize.minimize(method='L-BFGS-B', jac=True, no bounds,
    options maxiter=10000, ftol=1e-15, gtol=1e-10, maxcor=10). The lowest objective wins;
    "converged" counts starts whose result.success is True.

Bootstrap
    1,000 resamples of the rows with replacement (numpy.random.default_rng(1)), each refit by one
    L-BFGS-B run (same options) from the full-sample optimum. Reports the 2.5/97.5 percentiles of
    E, A, B, alpha, beta and of a_exp = beta/(alpha+beta), b_exp = alpha/(alpha+beta) (the exponents
    of N_opt ~ C^a_exp and D_opt ~ C^b_exp).

Output
    One JSON line on stdout (framework, versions, points, starts, converged, best parameters and
    objective, grid_seconds, bootstrap_refits, bootstrap_seconds, intervals). Progress and the
    gradient check go to stderr. Times are time.perf_counter wall seconds.

Run (Debian's python3-scipy; the pyenv `python3` on PATH lacks SciPy):
    /usr/bin/python3 scripts/bench/make_fit_data.py
    /usr/bin/python3 scripts/bench/fit_scipy.py [CSV] [--starts-limit K] [--bootstrap N]
CSV defaults to scripts/bench/data/chinchilla_240.csv (columns params, tokens, loss are used).
--starts-limit K uses only the first K starts of the grid (quick checks); --bootstrap 0 skips the
bootstrap.
"""

import argparse
import csv
import itertools
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

DEFAULT_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "chinchilla_240.csv")

DELTA = 1e-3
OPTIONS = {"maxiter": 10000, "ftol": 1e-15, "gtol": 1e-10, "maxcor": 10}

ALPHAS = BETAS = (0.0, 0.5, 1.0, 1.5, 2.0)
ES = (-1.0, -0.5, 0.0, 0.5, 1.0)
AS = BS = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)


def read_table(path):
    """Returns (log N, log D, log L) arrays from a CSV with columns params, tokens, loss."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    params = np.array([float(r["params"]) for r in rows])
    tokens = np.array([float(r["tokens"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    return np.log(params), np.log(tokens), np.log(loss)


def make_objective(n, d, l):
    """The summed-Huber objective on log-residuals and its analytic gradient, as one function."""

    def fun(theta):
        a, b, e, alpha, beta = theta
        terms = np.empty((3, n.size))
        terms[0] = a - alpha * n
        terms[1] = b - beta * d
        terms[2] = e
        top = terms.max(axis=0)
        expd = np.exp(terms - top)
        total = expd.sum(axis=0)
        pred = top + np.log(total)
        w = expd / total  # softmax weights of the three terms
        r = pred - l
        absr = np.abs(r)
        inside = absr <= DELTA
        value = np.where(inside, 0.5 * r * r, DELTA * (absr - 0.5 * DELTA)).sum()
        g = np.where(inside, r, DELTA * np.sign(r))
        gw = g * w
        grad = np.array([gw[0].sum(), gw[1].sum(), gw[2].sum(), -(gw[0] @ n), -(gw[1] @ d)])
        return value, grad

    return fun


def check_gradient(fun, theta, step=1e-6):
    """Normwise relative error of the analytic gradient against central finite differences:
    max_k |g_k - fd_k| / max(|g|_inf, |fd|_inf). (Componentwise ratios blow up on components that
    are tiny next to the rest, where the difference quotient is all rounding noise.)"""
    _, grad = fun(theta)
    fd = np.empty_like(grad)
    for k in range(theta.size):
        hi, lo = theta.copy(), theta.copy()
        hi[k] += step
        lo[k] -= step
        fd[k] = (fun(hi)[0] - fun(lo)[0]) / (2 * step)
    scale = max(np.max(np.abs(grad)), np.max(np.abs(fd)), 1e-300)
    return float(np.max(np.abs(grad - fd)) / scale)


def grid():
    """The 4,500 starts, in a fixed order: a, b, e, alpha, beta from outermost to innermost."""
    return [np.array(p) for p in itertools.product(AS, BS, ES, ALPHAS, BETAS)]


def fit(fun, x0):
    return minimize(fun, x0, jac=True, method="L-BFGS-B", options=OPTIONS)


def named(theta):
    a, b, e, alpha, beta = (float(v) for v in theta)
    return {"a": a, "b": b, "e": e, "alpha": alpha, "beta": beta,
            "E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=DEFAULT_CSV)
    parser.add_argument("--starts-limit", type=int, default=None, help="use only the first K starts")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap refits (0 skips)")
    args = parser.parse_args()

    n, d, l = read_table(args.csv)
    fun = make_objective(n, d, l)

    # Check the gradient at two points: near the Chinchilla truth and at an arbitrary grid-like point.
    truth = np.array([np.log(406.4), np.log(410.7), np.log(1.69), 0.34, 0.28])
    err = max(check_gradient(fun, truth), check_gradient(fun, np.array([5.0, 10.0, 0.5, 0.5, 1.0])))
    print("gradient check: normwise relative error vs central differences %.3g" % err, file=sys.stderr)

    starts = grid()
    if args.starts_limit is not None:
        starts = starts[:args.starts_limit]

    best, converged, failures = None, 0, {}
    t0 = time.perf_counter()
    for x0 in starts:
        res = fit(fun, x0)
        if res.success:
            converged += 1
        else:
            msg = str(res.message)
            failures[msg] = failures.get(msg, 0) + 1
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    grid_seconds = time.perf_counter() - t0
    print("grid: %d starts in %.2f s, %d converged, best objective %.17g"
          % (len(starts), grid_seconds, converged, best.fun), file=sys.stderr)
    for msg, count in sorted(failures.items(), key=lambda kv: -kv[1]):
        print("  not converged (%d): %s" % (count, msg), file=sys.stderr)

    out = {
        "framework": "scipy",
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "points": int(n.size),
        "starts": len(starts),
        "converged": converged,
        "best": {**named(best.x), "objective": float(best.fun)},
        "grid_seconds": grid_seconds,
        "bootstrap_refits": 0,
    }

    if args.bootstrap > 0:
        rng = np.random.default_rng(1)
        samples, boot_converged = [], 0
        t0 = time.perf_counter()
        for _ in range(args.bootstrap):
            idx = rng.integers(0, n.size, n.size)
            res = fit(make_objective(n[idx], d[idx], l[idx]), best.x)
            boot_converged += bool(res.success)
            samples.append(res.x)
        bootstrap_seconds = time.perf_counter() - t0
        s = np.array(samples)
        a, b, e, alpha, beta = s.T
        columns = {"E": np.exp(e), "A": np.exp(a), "B": np.exp(b), "alpha": alpha, "beta": beta,
                   "a_exp": beta / (alpha + beta), "b_exp": alpha / (alpha + beta)}
        print("bootstrap: %d refits in %.2f s, %d converged"
              % (args.bootstrap, bootstrap_seconds, boot_converged), file=sys.stderr)
        out.update({
            "bootstrap_refits": args.bootstrap,
            "bootstrap_seconds": bootstrap_seconds,
            "intervals": {k: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
                          for k, v in columns.items()},
        })

    print(json.dumps(out))


if __name__ == "__main__":
    main()
