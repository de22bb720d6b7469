#!/usr/bin/python3
"""One command for the convolution figures: builds the benchmarks, runs polybatch,
torch grouped conv1d, numpy/scipy batched forms, a Python loop over
numpy.convolve and xt::convolve per row on the same data, checks that they
agree, runs the Google Benchmark binary (ratios to the streaming bound), and
writes docs/performance.md and docs/performance.png.

  nice /usr/bin/python3 bench/compare_peers.py [--quick] [--build-dir build-bench]

Needs Debian's python3-numpy, python3-scipy, python3-matplotlib; python3-torch
is used when importable and skipped (with a note in the report) otherwise.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

TORCH_ROWS = 100_000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def build(build_dir):
    sh(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DPOLYBATCH_BUILD_BENCH=ON",
        "-DPOLYBATCH_NATIVE=ON", "-DPOLYBATCH_BUILD_TESTS=OFF", "-DPOLYBATCH_BUILD_EXAMPLES=OFF",
        "-DPOLYBATCH_BUILD_CLI=OFF"], stdout=subprocess.DEVNULL)
    sh(["cmake", "--build", build_dir, "--target", "bench_convolve", "bench_peers", "-j2"], stdout=subprocess.DEVNULL)


def median_time(reps, f):
    ts = []
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), out


def numpy_batched(a, v):
    """numpy's best batched form for short rows: one broadcast multiply-add
    per coefficient of a, vectorised over the batch."""
    B, m = a.shape
    n = v.shape[1]
    r = np.zeros((B, m + n - 1), dtype=a.dtype)
    for i in range(m):
        r[:, i:i + n] += a[:, i:i + 1] * v
    return r


def peers_case(exe, dtype, B, m, n, reps, loop_rows, torch):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, size=(B, m)).astype(dtype)
    v = rng.uniform(-1, 1, size=(B, n)).astype(dtype)
    F = m + n - 1
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        pa, pv, opb, oxt = (os.path.join(tmp, x) for x in ("a.bin", "v.bin", "pb.bin", "xt.bin"))
        a.tofile(pa)
        v.tofile(pv)
        tname = "float" if dtype == np.float32 else "double"
        out = subprocess.run([exe, tname, str(B), str(m), str(n), str(reps), pa, pv, opb, oxt], check=True,
                             capture_output=True, text=True).stdout
        for line in out.strip().splitlines():
            name, secs = line.split()
            results[name] = float(secs)
        r_pb = np.fromfile(opb, dtype=dtype).reshape(B, F)
        r_xt = np.fromfile(oxt, dtype=dtype).reshape(B, F)

    tol = 1e-5 if dtype == np.float32 else 1e-12
    agree = {"xt_convolve": float(np.max(np.abs(r_xt - r_pb)))}

    t, r = median_time(reps, lambda: numpy_batched(a, v))
    results["numpy_batched"] = t
    agree["numpy_batched"] = float(np.max(np.abs(r - r_pb)))

    import scipy.signal
    t, r = median_time(reps, lambda: scipy.signal.fftconvolve(a, v, mode="full", axes=1))
    results["scipy_fftconvolve"] = t
    agree["scipy_fftconvolve"] = float(np.max(np.abs(r - r_pb)))

    # A Python loop over numpy.convolve, timed on a slice and scaled per row.
    k = min(loop_rows, B)
    t, r = median_time(max(1, reps // 2), lambda: np.stack([np.convolve(a[i], v[i]) for i in range(k)]))
    results["numpy_loop"] = t * B / k
    agree["numpy_loop"] = float(np.max(np.abs(r - r_pb[:k])))

    if torch is not None:
        # Grouped conv1d is slow in float64 (one group per row): timed on the
        # first TORCH_ROWS rows and scaled per row.
        kt = min(B, TORCH_ROWS)
        ta = torch.from_numpy(a[:kt])
        tv = torch.from_numpy(v[:kt])
        for threads in (1, 2):
            torch.set_num_threads(threads)

            def conv():
                with torch.no_grad():
                    return torch.nn.functional.conv1d(ta.unsqueeze(0), tv.unsqueeze(1).flip(2), padding=n - 1,
                                                      groups=kt)[0]
            t, r = median_time(reps if dtype == np.float32 else 1, conv)
            results[f"torch_conv1d_{threads}t"] = t * B / kt
            agree[f"torch_conv1d_{threads}t"] = float(np.max(np.abs(r.numpy() - r_pb[:kt])))
    scale = 1e-4 if dtype == np.float32 else 1e-10  # fft: looser
    ok = all(err <= (scale if name.startswith("scipy") else tol) for name, err in agree.items())
    return {"dtype": tname, "B": B, "m": m, "n": n, "seconds": results, "max_abs_diff": agree, "agree": ok}


def run_gbench(exe, quick):
    filt = "product/[a-z]+/(2/2|5/5|9/9|2/9|9/2)/|fused|long" if quick else "."
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    sh([exe, f"--benchmark_filter={filt}", f"--benchmark_out={path}", "--benchmark_out_format=json"],
       stdout=subprocess.DEVNULL)
    with open(path) as f:
        data = json.load(f)
    os.unlink(path)
    return data


def fmt(x):
    return f"{x:.2f}" if x < 100 else f"{x:,.0f}"


def write_report(peers, gb, torch_note, args, elapsed):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = []
    P = lines.append
    P("# Performance")
    P("")
    P("_Generated by `nice /usr/bin/python3 bench/compare_peers.py" + (" --quick" if args.quick else "") +
      f"` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ({elapsed:.0f} s); do not edit by hand, edit the "
      "script._")
    P("")
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    P(f"Machine: {cpu}, {os.cpu_count()} cores, {platform.platform()}. The machine is shared: every figure is a "
      "median of repeated runs, and every ratio is measured in the same run as its bound, but absolute times "
      "move with the load of other users. Load average (1 min) at the start and end of this run: "
      f"{args.load_start:.1f} and {os.getloadavg()[0]:.1f}; with a load near or above the core count, "
      "2-thread figures cannot get both cores and ratios scatter by +-30% between runs.")
    P("")
    P("Build: Release, `-DPOLYBATCH_NATIVE=ON` (`-march=native`, so xsimd uses AVX-512 here). polybatch is "
      "header-only and uses xsimd's default architecture for the flags you compile with: without `-march` "
      "flags that is SSE2, and the kernels still run (same results up to FMA contraction), only slower.")
    P("")

    # ---- peers table
    P("## polybatch against its peers, same data, one run")
    P("")
    P("`r = a * v` for B row pairs (row-wise `numpy.convolve(a[i], v[i])`), ns per row (median of "
      f"{args.reps} runs). All outputs are checked against polybatch's (max |diff| <= 1e-5 in float32, 1e-12 in "
      "float64, 1e-4/1e-10 for scipy's FFT).")
    P("")
    names = [("polybatch_1t", "polybatch, 1 thread, reused output"),
             ("polybatch_2t", "polybatch, 2 threads, reused output"),
             ("polybatch_fresh_1t", "polybatch, 1 thread, fresh output (first touch)"),
             ("torch_conv1d_1t", "torch grouped conv1d, 1 thread"),
             ("torch_conv1d_2t", "torch grouped conv1d, 2 threads"),
             ("numpy_batched", "numpy batched (one multiply-add per coefficient of a)"),
             ("scipy_fftconvolve", "scipy.signal.fftconvolve(axes=1)"),
             ("numpy_loop", "Python loop over numpy.convolve"),
             ("xt_convolve", "xt::convolve row by row (C++)")]
    header = "| implementation | " + " | ".join(f"{c['dtype']} {c['m']}x{c['n']}" for c in peers) + " |"
    P(header)
    P("|---|" + "---:|" * len(peers))
    for key, label in names:
        if not all(key in c["seconds"] for c in peers):
            continue
        cells = []
        for c in peers:
            ns = c["seconds"][key] / c["B"] * 1e9
            base = c["seconds"]["polybatch_1t"]
            cells.append(f"{fmt(ns)} ({c['seconds'][key] / base:.1f}x)")
        P(f"| {label} | " + " | ".join(cells) + " |")
    P("")
    P(f"B = {peers[0]['B']:,} rows; (Nx) is the time relative to polybatch on 1 thread. "
      "The Python loop is timed on the first 20,000 rows and torch on the first "
      f"{TORCH_ROWS:,} (one run in float64), both scaled per row. "
      f"All peers agree: {'yes' if all(c['agree'] for c in peers) else 'NO, see max_abs_diff below'}. "
      + torch_note)
    P("")
    if not all(c["agree"] for c in peers):
        for c in peers:
            P(f"- {c['dtype']} {c['m']}x{c['n']}: {c['max_abs_diff']}")
        P("")

    # ---- ratio to streaming bound
    bms = [b for b in gb["benchmarks"] if b.get("run_type", "iteration") == "iteration"]

    def parse(name):
        return name.split("/iterations")[0].split("/")

    P("## Ratio to the streaming bound (bench/bench_convolve)")
    P("")
    P("The bound is a kernel that reads exactly the same input bytes and writes the same output bytes "
      "(bench/stream_bound.hpp), timed alternately with polybatch in the same benchmark, on the same thread "
      "count; the ratio is median(polybatch) / median(bound). B = 4,000,000, output preallocated.")
    P("")
    worst = {}
    grid = {}
    for b in bms:
        p = parse(b["name"])
        if p[0] == "product":
            t, m, n, th = p[1], int(p[2]), int(p[3]), int(p[4])
            grid[(t, th, m, n)] = b
            key = (t, th)
            if key not in worst or b["ratio"] > worst[key][0]:
                worst[key] = (b["ratio"], m, n, b["ns_per_row"], b["bound_ns_per_row"])
    P("| scalar | threads | worst ratio over (m, n) in {2..9}^2 | at (m, n) | ns/row | bound ns/row |")
    P("|---|---:|---:|---|---:|---:|")
    for (t, th), (ratio, m, n, ns, bound) in sorted(worst.items()):
        P(f"| {t} | {th} | {ratio:.2f} | ({m}, {n}) | {ns:.2f} | {bound:.2f} |")
    P("")
    for b in bms:
        p = parse(b["name"])
        if p[0] == "fused":
            P(f"- `(a*b)*c`, all lengths 5, {p[1]}, {p[2]} thread(s): {b['ns_per_row']:.2f} ns/row, bound "
              f"{b['bound_ns_per_row']:.2f}, ratio **{b['ratio']:.2f}**")
    P("")
    for t in ("float", "double"):
        for th in (1, 2):
            if not any(k[0] == t and k[1] == th for k in grid):
                continue
            P(f"<details><summary>{t}, {th} thread(s): ratio for every (m, n)</summary>")
            P("")
            P("| m \\ n | " + " | ".join(str(n) for n in range(2, 10)) + " |")
            P("|---|" + "---:|" * 8)
            for m in range(2, 10):
                P(f"| {m} | " + " | ".join(f"{grid[(t, th, m, n)]['ratio']:.2f}" if (t, th, m, n) in grid else "-"
                                           for n in range(2, 10)) + " |")
            P("")
            P("</details>")
            P("")

    # ---- long rows
    P("## Long rows: ns/row against length (1 thread)")
    P("")
    longs = {}
    for b in bms:
        p = parse(b["name"])
        if p[0] == "long":
            longs[(p[1], int(p[2]), int(p[3]))] = b["ns_per_row"]
    lengths = sorted({k[1] for k in longs})
    P("| length | " + " | ".join(f"{t} {what}" for t in ("float", "double")
                                 for what in ("polybatch", "vector schoolbook", "scalar schoolbook")) + " |")
    P("|---:|" + "---:|" * 6)
    for L in lengths:
        cells = []
        for t in ("float", "double"):
            for algo in (0, 1, 2):
                v = longs.get((t, L, algo))
                cells.append(fmt(v) if v is not None else "-")
        P(f"| {L} | " + " | ".join(cells) + " |")
    P("")
    for t in ("float", "double"):
        if (t, 1024, 0) in longs and (t, 1024, 1) in longs:
            P(f"- {t}, length 1024: polybatch (Karatsuba) is **{longs[(t, 1024, 1)] / longs[(t, 1024, 0)]:.1f}x** "
              f"faster than the vectorised schoolbook and "
              f"**{longs.get((t, 1024, 2), float('nan')) / longs[(t, 1024, 0)]:.1f}x** faster than the scalar one.")
    P("")
    P(STATIC_TEXT)

    # ---- chart
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    ax = axes[0]
    keys = [k for k, _ in names if all(k in c["seconds"] for c in peers)]
    width = 0.8 / len(keys)
    for j, k in enumerate(keys):
        ax.bar([i + j * width for i in range(len(peers))], [c["seconds"][k] / c["B"] * 1e9 for c in peers], width,
               label=dict(names)[k])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(peers))])
    ax.set_xticklabels([f"{c['dtype']} {c['m']}x{c['n']}" for c in peers])
    ax.set_yscale("log")
    ax.set_ylabel("ns per row (log)")
    ax.set_title(f"r = a * v, B = {peers[0]['B']:,}")
    ax.legend(fontsize=7)
    ax = axes[1]
    labels = {0: "polybatch (Karatsuba)", 1: "vectorised schoolbook", 2: "scalar schoolbook"}
    for t, style in (("float", "--"), ("double", "-")):
        for algo in (0, 1, 2):
            xs = [L for L in lengths if (t, L, algo) in longs]
            ax.plot(xs, [longs[(t, L, algo)] for L in xs], style, marker="o", label=f"{t}: {labels[algo]}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("row length (both operands)")
    ax.set_ylabel("ns per row (log)")
    ax.set_title("long rows, 1 thread")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(ROOT, "docs", "performance.png"), dpi=110)

    path = os.path.join(ROOT, "docs", "performance.md")
    kept = preserved_sections(path)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n" + kept)


# Sections of performance.md that other scripts measure (bench/cli_io.sh,
# kernels_vs_native.sh, compile_time.sh, compare_python.py, CI):
# carried over as they are when this script rewrites the file.
PRESERVED_HEADINGS = ("## Command-line I/O", "## Run-time dispatch and compile time", "## Python", "## CI phases")


def preserved_sections(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return ""
    kept = ""
    for heading in PRESERVED_HEADINGS:
        start = text.find("\n" + heading + "\n")
        if start < 0:
            continue
        end = text.find("\n## ", start + 1)
        kept += "\n" + text[start + 1:end + 1 if end >= 0 else len(text)].rstrip("\n") + "\n"
    return kept


STATIC_TEXT = """![polybatch against peers and long rows](performance.png)

## Reading these figures

- **Reuse outputs.** `r = a * v;` into a batch (or an `pb::adapt` view) of the right shape writes in place and
  allocates nothing: no temporaries for inner nodes (they live in a per-thread tile scratch of about 4 KiB, sized
  once per evaluation), no per-row buffers for short rows. `pb::PolyBatch<T> r = a * v;` or `pb::eval(...)` must
  allocate the output, and the first write to fresh memory costs page faults: on these machines first touch runs
  near 1 GB/s, several times slower than the kernel itself (compare the "fresh output" row above with the "reused
  output" rows). In a loop, allocate once (`pb::PolyBatch<T>::uninitialized(B, L)` for outputs you fully
  overwrite) and assign into it.
- **Threads.** `pb::set_num_threads(n)` or `POLYBATCH_NUM_THREADS=n` (default: the hardware). Passes with fewer
  than 65,536 output coefficients stay on the caller's thread. Results are bit-identical for any thread count
  (tests/test_threads.cpp).
- **Kernels.** Lengths are run-time values; the dispatcher (kernels/convolve.hpp) picks, once per tile:
  for both lengths in 2..9, float and double, compiled for AVX2 or AVX-512, a kernel that works on groups of W
  rows (W = 16 floats / 8 doubles with AVX-512) with the transposition in registers
  (kernels/simd/convolve_interleaved.hpp, interleave.hpp): m + n plain vector loads per group, permutes and blends
  that turn them into coefficient vectors, m * n vertical FMAs, then either blends or a perfect-shuffle transpose
  network (whichever takes fewer shuffles for that output stride) back to row order, and F plain vector stores.
  Strided, broadcast or windowed operands, the last partial group and, on tiles of at least 64 groups, the
  up to W - 1 rows peeled so that the output's vector stores start on a cache line, go through a zero-padded
  group in L1 with the same operations, so no row's bits depend on its position, tile or thread. Without AVX2
  (the SSE2 default), or for length 1, fully unrolled per-row kernels (81 instantiations per scalar type, one
  body for both directions: correlation reverses chunks of b rows first), plus for float with m * n >= 42 the
  older kernel that transposes through L1. Longer rows: a vectorised schoolbook with
  register-blocked outputs, and Karatsuba (base case 32) when both operands and the requested window have at
  least 32 coefficients.
- **Why the short kernels look like this.** On this AMD EPYC (Zen 5, AVX-512) one core streams about 33 GB/s, so
  the bound for float 9x9 is about 4.3 ns per row: scalar FMAs alone (81 per row) take longer. Timed on
  L1-resident data (ns/row, 5x5 / 9x9 float): per-row unrolled kernel 3.1 / 9.8, transposing through L1 3.7 /
  7.0, transposing in registers 1.2 / 3.2 (with the network for the 17-coefficient output; blends alone took
  6.1). The permutes and blends are written with `__builtin_shufflevector` on xsimd's register type: xsimd 8.1
  has no two-source permute, and its compile-time `swizzle`/`select` build their masks through an
  initializer_list constructor that GCC 12 stopped inlining once a translation unit held a few dozen kernels
  (10-100x slower). Costs: these kernels take about 1 s of compile time per length pair with AVX-512, so a
  translation unit that evaluates float and double products compiles about two minutes longer with
  `-march=native`; define `POLYBATCH_NO_REGISTER_TRANSPOSE` to trade that speed for compile time. Alignment also
  shows for the smallest rows: from buffers 16 bytes off a cache line (what `std::vector` returns for large
  allocations, and what this benchmark uses) every vector access splits a line, hence the peeling above (float
  2x4 from 1.8 to 1.3 ns per row, double 2x4 from 3.7 to 2.7; double 4x4 alone ran slower peeled and is not).
- **Explicit FMA on AVX-512.** xsimd 8.1 has no AVX-512 `fma` kernel: `xsimd::fma` there is `x * y + z`, fused or
  not at the compiler's discretion, and GCC 12 fused the same group kernel in one code path and not in another
  (rows differed in the last bit between the direct and staged paths; the tests caught it). The kernels call
  `kernels/simd/fused_multiply_add.hpp`, which uses the AVX-512 FMA intrinsic and otherwise xsimd.
- **Tried and not kept** (ns/row, L1-resident / from DRAM): output coefficients in the lanes with compile-time
  swizzles and no transposition (permute-bound beyond F * m of about 20, and slower than the scalar kernel from
  DRAM); one row per AVX-512 vector with masked loads and FMAs (5x5 2.4 in L1 but 4.7-5.0 from DRAM, vs 3.2-3.4
  for the scalar kernel); AVX-512 gathers/scatters (1.5-3x slower, microcoded here); a blend-only output
  transposition for every stride (16 permutes per coefficient when gcd(F, W) = 16: float 8x9 ran at 1.8x the
  bound on 2 threads); no software prefetch (float 9x5 at 1.4x the bound from DRAM; prefetching four groups
  ahead brought it to 1.1x).
- **Karatsuba accuracy.** Karatsuba's error is bounded normwise, not coefficient by coefficient: every
  coefficient is within a small multiple of u * sum_i |a_i| * max_j |b_j| (u the unit roundoff), because the
  middle products (a0 + a1)(b0 + b1) mix the halves of a row. On random rows the tests also measure at most about
  5 u * sum_i |a_i| |b_(k-i)| per coefficient (tests/test_convolve_long.cpp, fixed seeds), but that is not a
  guarantee: a coefficient far smaller than the row's largest (the tails of pow(0.5a, 37), or random rows of
  lengths 33 x 40 in test_dispatch) can carry an error of the row's scale, many orders of magnitude above its
  own sum|a||b|. Schoolbook's per-coefficient bound is min(m, n) u * sum|a||b|; rows that need small tail
  coefficients to full relative accuracy should stay below the Karatsuba threshold (32) or use `pb::dd`.
  Karatsuba groups W rows across SIMD lanes and does leftover rows one at a time with exactly the same
  operations, so the choice does not change any bits.
- **Karatsuba speed.** W rows move between row order and lane-vectors by W x W register transposes (element
  by element, those moves took a third of the time at length 1024), and the base case multiplies in register
  blocks of 8 outputs by 4 terms. At length 1024 this took float from 2.9x to 3.8x the vectorised schoolbook's
  speed (8.2 to 6.4 us per row) and double from 3.0x to 3.7x; base cases of 16 or 24 measured slower than 32.
- **Karatsuba memory.** Its workspace (and the zero-padded copy schoolbook uses) comes from a per-thread buffer
  that grows to the largest row length seen and is then reused: the first long-row evaluation on each thread
  allocates, later ones do not.
- **The fused case** `(a*b)*c` does 70 multiply-adds per row: the inner product goes to tile scratch in L1 and
  the outer one (9 x 5) reads it back, both with the register-transposing kernel. Tiles are sized so that one
  tile's scratch is about 4 KiB and a whole number of 16-row groups (112 float rows): with 16 KiB tiles
  (455 rows, about 66 KB of operands, scratch and output per tile, more than L1) this case ran 1.3-1.5x the
  bound, with 4 KiB tiles 1.0-1.2x.

## Reproduce

```sh
nice /usr/bin/python3 bench/compare_peers.py            # everything above (~15 min on 2 cores, with the build)
cmake -S . -B build-bench -DPOLYBATCH_BUILD_BENCH=ON -DPOLYBATCH_NATIVE=ON
cmake --build build-bench --target bench_convolve
nice build-bench/bench/bench_convolve --benchmark_filter='product/double/5/5'
```
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--quick", action="store_true", help="a subset of the (m, n) grid")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    args.load_start = os.getloadavg()[0]
    t0 = time.time()
    build(args.build_dir)
    try:
        import torch
        torch_note = f"torch {torch.__version__}."
    except Exception as e:  # noqa: BLE001 - any import failure means: skip torch
        torch = None
        torch_note = f"torch was not importable ({type(e).__name__}), so its rows are missing."
    peers_exe = os.path.join(args.build_dir, "bench", "bench_peers")
    peers = []
    for dtype in (np.float32, np.float64):
        for m, n in ((2, 2), (5, 5), (9, 9)):
            print(f"peers: {dtype.__name__} {m}x{n}", file=sys.stderr)
            peers.append(peers_case(peers_exe, dtype, args.rows, m, n, args.reps, 20000, torch))
    gb = run_gbench(os.path.join(args.build_dir, "bench", "bench_convolve"), args.quick)
    write_report(peers, gb, torch_note, args, time.time() - t0)
    bad = [c for c in peers if not c["agree"]]
    print("wrote docs/performance.md and docs/performance.png", file=sys.stderr)
    if bad:
        print("DISAGREEMENT:", bad, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
