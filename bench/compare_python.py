#!/usr/bin/python3
"""polybatch from Python against the Python answers to the seed problem, in one
process on the same data: B = 1M rows of lengths 5 and 7 (float64), the
row-wise product (full convolution) written into a preallocated output.

  PYTHONPATH=build/release/python nice /usr/bin/python3 bench/compare_python.py \
      [--rows 1000000] [--repeats 7] [--cxx build/bench/bench/bench_peers]

Compared: polybatch.mul with and without out= (1 and 2 threads); a numba
@njit(parallel=True) prange loop (1 and 2 threads); torch grouped conv1d in
float32 (the accepted answer of the seed question; torch has no fast
float64 path for it); numpy's best batched form (one broadcast
multiply-add per coefficient); and the C++ library call itself through
bench/bench_peers when its binary is given or found. Every result is checked
against polybatch's; prints a markdown table of medians.
"""

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import polybatch as pb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_ms(reps, f):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


def numpy_batched(a, v, out):
    """numpy's best batched form for short rows: one broadcast multiply-add
    per coefficient of a, vectorised over the batch."""
    n = v.shape[1]
    out[:] = 0
    for i in range(a.shape[1]):
        out[:, i : i + n] += a[:, i : i + 1] * v


def overhead_us(reps=20000):
    """Per-call time of polybatch.mul(a, b, out=o) at B = 8 (the Python-side cost)."""
    a, b = np.ones((8, 5)), np.ones((8, 7))
    o = np.empty((8, 11))
    for _ in range(1000):
        pb.mul(a, b, out=o)
    best = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            pb.mul(a, b, out=o)
        best.append((time.perf_counter() - t0) / reps * 1e6)
    return min(best)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--cxx", help="bench_peers binary (default: the first build/*/bench/bench_peers)")
    args = ap.parse_args()
    B, m, n = args.rows, 5, 7
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (B, m))
    v = rng.uniform(-1, 1, (B, n))
    F = m + n - 1
    rows = []  # (method, threads, ms, max |diff| to polybatch)

    old_threads = pb.num_threads()
    ref = pb.mul(a, v)
    out = np.empty((B, F))
    for t in (1, 2):
        pb.set_num_threads(t)
        rows.append(("polybatch.mul(a, v, out=o)", t, median_ms(args.repeats, lambda: pb.mul(a, v, out=out)),
                     float(np.max(np.abs(out - ref)))))
        rows.append(("polybatch.mul(a, v)", t, median_ms(args.repeats, lambda: pb.mul(a, v)), 0.0))
    pb.set_num_threads(old_threads)

    o2 = np.empty((B, F))
    rows.append(("numpy batched (broadcast multiply-add)", 1, median_ms(args.repeats, lambda: numpy_batched(a, v, o2)),
                 float(np.max(np.abs(o2 - ref)))))

    try:
        import numba

        @numba.njit(parallel=True, fastmath=False)
        def numba_rows(x, y, r):
            for i in numba.prange(x.shape[0]):
                for k in range(r.shape[1]):
                    r[i, k] = 0.0
                for j in range(x.shape[1]):
                    for k in range(y.shape[1]):
                        r[i, j + k] += x[i, j] * y[i, k]

        o3 = np.empty((B, F))
        numba_rows(a, v, o3)  # compile
        for t in (1, 2):
            numba.set_num_threads(min(t, numba.config.NUMBA_NUM_THREADS))
            rows.append(("numba @njit(parallel=True) prange", t,
                         median_ms(args.repeats, lambda: numba_rows(a, v, o3)), float(np.max(np.abs(o3 - ref)))))
    except ImportError:
        print("numba not importable: skipped", file=sys.stderr)

    try:
        import torch

        ta = torch.from_numpy(a.astype(np.float32))
        tv = torch.from_numpy(v.astype(np.float32))
        for t in (1, 2):
            torch.set_num_threads(t)

            def conv():
                with torch.no_grad():
                    return torch.conv1d(ta.unsqueeze(0), tv.unsqueeze(1).flip(2), padding=n - 1, groups=B)[0]

            r = conv()
            rows.append(("torch grouped conv1d (float32)", t, median_ms(max(3, args.repeats // 2), conv),
                         float(np.max(np.abs(r.numpy() - ref)))))
        pb.set_num_threads(1)
        of = np.empty((B, F), dtype=np.float32)
        rows.append(("polybatch.mul(a, v, out=o) (float32)", 1,
                     median_ms(args.repeats, lambda: pb.mul(ta, tv, out=of)), float(np.max(np.abs(of - ref)))))
        pb.set_num_threads(old_threads)
    except ImportError:
        print("torch not importable: skipped", file=sys.stderr)

    exe = args.cxx or next(iter(sorted(glob.glob(os.path.join(ROOT, "build", "*", "bench", "bench_peers")))), None)
    if exe and os.path.exists(exe):
        with tempfile.TemporaryDirectory() as tmp:
            pa, pv, opb, oxt = (os.path.join(tmp, x) for x in ("a.bin", "v.bin", "pb.bin", "xt.bin"))
            a.tofile(pa)
            v.tofile(pv)
            text = subprocess.run([exe, "double", str(B), str(m), str(n), str(args.repeats), pa, pv, opb, oxt],
                                  check=True, capture_output=True, text=True).stdout
            r_cxx = np.fromfile(opb).reshape(B, F)
            for line in text.split("\n"):
                if line.split()[:1] in (["polybatch_1t"], ["polybatch_2t"]):
                    name, secs = line.split()
                    rows.append((f"C++ `r = a * v` (bench_peers {name})", int(name[-2]), float(secs) * 1e3,
                                 float(np.max(np.abs(r_cxx - ref)))))
    else:
        print("bench_peers not found (build with -DPOLYBATCH_BUILD_BENCH=ON): C++ row skipped", file=sys.stderr)

    per_call = overhead_us()
    print(f"B = {B:,} rows of lengths {m} and {n}, float64 unless noted; median of {args.repeats}; "
          f"{os.cpu_count()} CPUs\n")
    print("| method | threads | ms | max abs diff to polybatch |")
    print("|---|---|---|---|")
    for name, t, ms, diff in rows:
        print(f"| {name} | {t} | {ms:.2f} | {diff:.1e} |")
    print(f"\nper-call overhead of polybatch.mul(a, b, out=o) at B = 8: {per_call:.2f} µs")
    tol = 1e-5  # float32 rows
    bad = [r for r in rows if r[3] > tol]
    if bad:
        print("DISAGREE:", bad, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
