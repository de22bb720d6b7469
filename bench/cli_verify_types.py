#!/usr/bin/env python3
"""`polybatch eval --verify` for every scalar type of the command line: the
machine-speed check of every row (the default) against the exact rational
check (--verify-rationals) on a 20,000-row sample, both timed by the CLI's own
--time line ("verify V ms"), medians of repeated runs, reported per row and as
a ratio. Inputs are decimal CSV (values uniform in (-1, 1), 17 significant
digits), so dd, quad and mpfr values use their whole mantissa; int reads int64
.npy (|x| < 2^20). Both checks must report the same errors on the rows they
share: the script compares the full report on a 2,000-row file first.

Usage: /usr/bin/python3 bench/cli_verify_types.py POLYBATCH [--rows 200000]
           [--repeats 3] [--threads 1] [--types dd quad mpfr:100 mpfr:200 int double]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np

EXPRESSIONS = {"a*b": ("a", "b"), "(a*b)*c": ("a", "b", "c")}
SHAPES = {"a": 5, "b": 7, "c": 3}
SAMPLE = 20000


def write_inputs(folder, rows, seed):
    rng = np.random.default_rng(seed)
    for name, length in SHAPES.items():
        x = rng.uniform(-1, 1, (rows, length))
        np.savetxt(os.path.join(folder, name + ".csv"), x, delimiter=",", fmt="%.17g")
        np.save(os.path.join(folder, name + "i.npy"), rng.integers(-(2**20), 2**20, (rows, length)))


def run(pb, folder, expr, scalar, threads, extra):
    integer = scalar == "int"
    files = ["%s=%s" % (n, os.path.join(folder, n + ("i.npy" if integer else ".csv"))) for n in EXPRESSIONS[expr]]
    out = os.path.join(folder, "r.npy" if integer else "r.csv")
    args = [pb, "eval", expr, *files, "--type", scalar, "-o", out, "--verify", "--time", "--no-sync",
            "--threads", str(threads), *extra]
    got = subprocess.run(args, capture_output=True, text=True)
    if got.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(args), got.stderr))
    report = next(line for line in got.stderr.splitlines() if line.startswith("verify:"))
    ms = float(re.search(r"verify ([0-9.]+) ms", got.stderr).group(1))
    return report, ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("polybatch")
    ap.add_argument("--rows", type=int, default=200000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--types", nargs="+", default=["dd", "quad", "mpfr:100", "mpfr:200", "int", "double"])
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as big:
        write_inputs(small, 2000, a.seed)
        for scalar in a.types:
            for expr in EXPRESSIONS:
                fast, _ = run(a.polybatch, small, expr, scalar, a.threads, [])
                exact, _ = run(a.polybatch, small, expr, scalar, a.threads, ["--verify-rationals", "--verify-rows", "0"])
                if re.sub(r" \(\d+ in rationals\)", "", fast) != exact:
                    sys.exit("reports differ for %s %s:\n  %s\n  %s" % (scalar, expr, fast, exact))
        write_inputs(big, a.rows, a.seed)
        print("%d rows, %d thread(s), medians of %d runs; rational check on %d evenly spaced rows" %
              (a.rows, a.threads, a.repeats, SAMPLE))
        print("| type | expression | every row, machine speed | us/row | rational sample | us/row | ratio |")
        print("|---|---|---|---|---|---|---|")
        for scalar in a.types:
            for expr in EXPRESSIONS:
                fast = statistics.median(run(a.polybatch, big, expr, scalar, a.threads, [])[1]
                                         for _ in range(a.repeats))
                exact = statistics.median(run(a.polybatch, big, expr, scalar, a.threads, ["--verify-rationals"])[1]
                                          for _ in range(a.repeats))
                per_fast, per_exact = fast * 1e3 / a.rows, exact * 1e3 / min(SAMPLE, a.rows)
                print("| %s | `%s` | %.0f ms | %.2f | %.0f ms | %.1f | %.0fx |" %
                      (scalar, expr, fast, per_fast, exact, per_exact, per_exact / per_fast))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
