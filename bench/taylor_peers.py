#!/usr/bin/env python3
"""scipy solve_ivp(method="DOP853") on the ensembles of bench/taylor_problems.hpp:
the B trajectories stacked into one state vector, the right-hand side
vectorised with numpy (one call evaluates every trajectory). Accuracy against
the double-double references written by `bench_taylor --ref DIR`.

Where bench_taylor also wrote its ladder of polybatch runs (DIR/NAME_ladder.csv:
tol, the rung's tol, seconds, error), each scipy run is set against polybatch at
the same tol and at equal accuracy: the loosest rung whose error is at most
scipy's, as bench_taylor compares Odeint. Run it straight after bench_taylor,
on the same machine, with the same --rows.

Usage: python3 bench/taylor_peers.py --ref DIR [--rows 1000] [--tols 1e-9 1e-13] [--repeats 3]
"""
import os
import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp


def pendulum(B):
    y0 = np.stack([0.1 + 2.7 * np.arange(B) / B, np.zeros(B)], axis=1)
    def f(t, y):
        y = y.reshape(B, 2)
        return np.stack([y[:, 1], -np.sin(y[:, 0])], axis=1).ravel()
    return "pendulum", y0, 20.0, f


def kepler(B):
    e = 0.1 + 0.8 * np.arange(B) / B
    y0 = np.stack([1 - e, np.zeros(B), np.zeros(B), np.sqrt((1 + e) / (1 - e))], axis=1)
    def f(t, y):
        y = y.reshape(B, 4)
        r2 = y[:, 0] ** 2 + y[:, 1] ** 2
        r3 = 1.0 / (r2 * np.sqrt(r2))
        return np.stack([y[:, 2], y[:, 3], -y[:, 0] * r3, -y[:, 1] * r3], axis=1).ravel()
    return "kepler", y0, 20.0, f


def lotka_volterra(B):
    i = np.arange(B) / B
    y0 = np.stack([1.0 + 9.0 * i, 1.0 + 4.0 * i], axis=1)
    def f(t, y):
        y = y.reshape(B, 2)
        xy = y[:, 0] * y[:, 1]
        return np.stack([1.5 * y[:, 0] - xy, xy - 3.0 * y[:, 1]], axis=1).ravel()
    return "lotka-volterra", y0, 10.0, f


def lorenz(B):
    y0 = np.stack([1.0 + np.arange(B) / B, np.ones(B), np.ones(B)], axis=1)
    def f(t, y):
        y = y.reshape(B, 3)
        return np.stack([10.0 * (y[:, 1] - y[:, 0]), y[:, 0] * (28.0 - y[:, 2]) - y[:, 1],
                         y[:, 0] * y[:, 1] - (8.0 / 3.0) * y[:, 2]], axis=1).ravel()
    return "lorenz", y0, 2.0, f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", required=True, help="directory written by bench_taylor --ref (run with the same --rows)")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--tols", type=float, nargs="+", default=[1e-9, 1e-13])
    ap.add_argument("--repeats", type=int, default=3, help="scipy runs per problem and tol; the median is kept")
    a = ap.parse_args()
    print(f"scipy solve_ivp DOP853, B = {a.rows} stacked, numpy-vectorised RHS, median of {a.repeats} runs\n")
    print("| problem | tol | scipy seconds | scipy error | pb seconds / error at tol | faster by | "
          "pb tol (equal acc.) | pb seconds / error | faster by |")
    print("|---|---|---|---|---|---|---|---|---|")
    for make in (pendulum, kepler, lotka_volterra, lorenz):
        name, y0, t1, f = make(a.rows)
        ref = np.loadtxt(f"{a.ref}/{name}.csv", delimiter=",", ndmin=2)
        rows = ref[:, 0].astype(int)
        ladder_file = f"{a.ref}/{name}_ladder.csv"
        ladder = (np.loadtxt(ladder_file, delimiter=",", ndmin=2) if os.path.exists(ladder_file)
                  else np.zeros((0, 4)))
        for tol in a.tols:
            times = []
            for _ in range(a.repeats):
                start = time.perf_counter()
                sol = solve_ivp(f, (0.0, t1), y0.ravel(), method="DOP853", rtol=tol, atol=tol)
                times.append(time.perf_counter() - start)
            seconds = float(np.median(times))
            y = sol.y[:, -1].reshape(a.rows, -1)[rows]
            scale = np.maximum(1.0, np.abs(ref[:, 1:]).max(axis=1))
            err = (np.abs(y - ref[:, 1:]).max(axis=1) / scale).max()
            rungs = ladder[np.isclose(ladder[:, 0], tol, rtol=1e-9, atol=0)] if len(ladder) else ladder
            same = rungs[np.isclose(rungs[:, 1], tol, rtol=1e-9, atol=0)] if len(rungs) else rungs
            at_tol = (f"{same[0, 2]:.3f} / {same[0, 3]:.1e} | {seconds / same[0, 2]:.1f}x" if len(same)
                      else "- | -")
            # Rungs are written loosest first: the first accurate enough is the fastest.
            good = [r for r in rungs if r[3] <= err]
            equal = (f"{good[0][1]:.0e} | {good[0][2]:.3f} / {good[0][3]:.1e} | {seconds / good[0][2]:.1f}x" if good
                     else "none as accurate | - | -")
            print(f"| {name} | {tol:.0e} | {seconds:.3f} | {err:.1e} | {at_tol} | {equal} |", flush=True)


if __name__ == "__main__":
    main()
