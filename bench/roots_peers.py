#!/usr/bin/env python3
"""Complex roots of random Gaussian rows (double): pb::roots and Eigen's
PolynomialSolver (both timed by the bench_roots binary, which this script
runs; pb::roots both into a fresh result, as pb::roots(a) returns it, and into
a result reused from the call before, as pb::roots(a, out) fills it), numpy's batched eigvals on the stacked companion matrices (one BLAS
thread) and a Python loop over numpy.roots (timed on a sample, scaled per row).
With --python DIR (a build's python/ folder) or an importable polybatch, also
polybatch.roots from Python: into a fresh numpy result per call (numpy's
allocator asks the kernel for huge pages, so the result's pages fault in 2 MB
at a time) and into out=.
Every method's roots go through the same backward-error statistic,
|p(z)| / sum |a_k| |z|^k in units of u = 2^-53, evaluated in long double.

Usage: OPENBLAS_NUM_THREADS=1 python3 bench/roots_peers.py BENCH_ROOTS_BINARY
           [--rows 1000000] [--degrees 2 3 4 8] [--repeats 3] [--seed 1] [--python DIR]
"""
import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

U = 2.0**-53


def backward_error(a, z):
    """Per root |p(z)| / sum |a_k||z|^k / u (rows of a ascending, z B x n),
    in long double, by Horner over all rows at once."""
    a = a.astype(np.longdouble)
    z = z.astype(np.clongdouble)
    r = np.abs(z)
    p = np.zeros(z.shape, dtype=np.clongdouble)
    s = np.zeros(z.shape, dtype=np.longdouble)
    for k in range(a.shape[1] - 1, -1, -1):
        c = a[:, k : k + 1]
        p = p * z + c
        s = s * r + np.abs(c)
    e = np.abs(p) / s
    return (e / U).astype(np.float64).ravel()


def stats(e):
    return np.median(e), np.max(e)


def eigvals_roots(a):
    """Roots as eigenvalues of the B stacked companion matrices (numpy.roots'
    method, batched)."""
    b, length = a.shape
    n = length - 1
    m = np.zeros((b, n, n))
    m[:, 0, :] = -a[:, n - 1 :: -1] / a[:, n : n + 1]
    idx = np.arange(n - 1)
    m[:, idx + 1, idx] = 1.0
    return np.linalg.eigvals(m)


def cpu_time(f):
    t0 = time.process_time()
    out = f()
    return time.process_time() - t0, out


def blas_name():
    """numpy.show_config()'s BLAS entry, and the BLAS/LAPACK libraries
    actually loaded (Debian's numpy links the generic libblas/liblapack,
    which the alternatives system points at OpenBLAS or the reference)."""
    text = io.StringIO()
    with redirect_stdout(text):
        np.show_config()
    config = "unknown"
    for line in text.getvalue().splitlines():
        line = line.strip()
        if line.startswith("libraries") or line.startswith("name"):
            config = line
            break
    np.linalg.eigvals(np.eye(2))
    loaded = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "blas" in path or "lapack" in path:
                    loaded.add(os.path.realpath(path))
    except OSError:
        pass
    return f"show_config: {config}; loaded: {', '.join(sorted(loaded)) or 'unknown'}"


def python_module(folder):
    """The polybatch package from `folder`, else from sys.path; None if
    neither has it."""
    if folder:
        sys.path.insert(0, folder)
    try:
        import polybatch
    except ImportError:
        if folder:
            sys.exit(f"--python {folder}: no importable polybatch package there")
        return None
    polybatch.set_num_threads(1)  # one core, as every other method here
    return polybatch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--degrees", type=int, nargs="+", default=[2, 3, 4, 8])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sample", type=int, default=20_000, help="rows timed for the numpy.roots loop")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--python", help="folder holding the built polybatch package (a build's python/)")
    args = ap.parse_args()
    module = python_module(args.python)

    print(f"numpy {np.__version__}, BLAS: {blas_name()}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"rows {args.rows}, seed {args.seed}, CPU time (process_time / std::clock), medians of {args.repeats}")
    print(f"polybatch Python module: {module.__file__ if module else 'not found (pass --python DIR)'}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print()
    print("| degree | method | ns/row | backward error median / max (u) | speed-up of polybatch: fresh result "
          "| into a reused result |")
    print("|---|---|---|---|---|---|")
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.degrees:
            a = rng.standard_normal((args.rows, n + 1))
            src = os.path.join(tmp, f"deg{n}.npy")
            np.save(src, a)
            prefix = os.path.join(tmp, f"deg{n}")
            out = subprocess.run([args.binary, src, prefix, str(args.repeats)], check=True, capture_output=True,
                                 text=True).stdout
            ns = dict((w[0], float(w[1])) for w in (line.split() for line in out.splitlines()))
            z_pb = np.load(prefix + ".polybatch.npy")
            z_eigen = np.load(prefix + ".eigen.npy")

            times = []
            for _ in range(args.repeats):
                t, z_eig = cpu_time(lambda: eigvals_roots(a))
                times.append(t)
            ns["eigvals"] = np.median(times) * 1e9 / args.rows

            if module is not None:
                z_py = module.roots(a)
                if not np.array_equal(z_py, z_pb, equal_nan=True):
                    sys.exit(f"degree {n}: polybatch.roots from Python differs from pb::roots")
                fresh, reused = [], []
                for _ in range(args.repeats):
                    del z_py
                    t, z_py = cpu_time(lambda: module.roots(a))
                    fresh.append(t)
                    t, _ = cpu_time(lambda: module.roots(a, out=z_py))
                    reused.append(t)
                ns["python"] = np.median(fresh) * 1e9 / args.rows
                ns["python_reused"] = np.median(reused) * 1e9 / args.rows

            sample = a[: args.sample]
            t, z_loop = cpu_time(lambda: np.array([np.roots(row[::-1]) for row in sample]))
            ns["numpy.roots loop"] = t * 1e9 / len(sample)

            rows = [
                ("polybatch", z_pb, a),
                ("polybatch, into a reused result", z_pb, a),
                ("Eigen PolynomialSolver", z_eigen, a),
                ("numpy eigvals (batched)", z_eig, a),
                ("numpy.roots loop", z_loop, sample),
            ]
            keys = ["polybatch", "polybatch_reused", "eigen", "eigvals", "numpy.roots loop"]
            if module is not None:
                rows[2:2] = [("polybatch.roots (Python), fresh numpy result", z_py, a),
                             ("polybatch.roots (Python), out=", z_py, a)]
                keys[2:2] = ["python", "python_reused"]
            for (name, z, rows_a), key in zip(rows, keys):
                med, mx = stats(backward_error(rows_a, z))
                speed = ns[key] / ns["polybatch"]
                speed_reused = ns[key] / ns["polybatch_reused"]
                print(f"| {n} | {name} | {ns[key]:,.0f} | {med:.2f} / {mx:,.1f} | {speed:.1f}x | {speed_reused:.1f}x |")
            if module is not None:
                print(f"| {n} | eigvals over polybatch.roots (Python): fresh / out= | | | "
                      f"{ns['eigvals'] / ns['python']:.1f}x | {ns['eigvals'] / ns['python_reused']:.1f}x |")
            os.remove(src)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
