#!/usr/bin/python3
"""Weak scaling of polybatch.dask.eval on a dask.distributed LocalCluster:
1 then 2 worker processes (one thread each, bound to 127.0.0.1), rows per
worker fixed. The inputs are generated on the workers (da.random), so the
figure is the evaluation plus dask's scheduling, not the transfer of inputs
from this process, and a, b and c are slices of one array, so a block's operands
live on one worker; the result is reduced on the workers (a sum), so it is not
shipped back either. Median of --repeats.

  PYTHONPATH=build/release/python /usr/bin/python3 bench/dask_scaling.py --rows-per-worker 2000000
"""
import argparse
import statistics
import time

import dask.array as da
from dask.distributed import Client, LocalCluster

import polybatch.dask


def run(workers, rows_per_worker, chunk, repeats):
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        rows = rows_per_worker * workers
        # One random array sliced into a, b, c: the three operands of a row
        # block live on the same worker, so no chunk crosses processes.
        x = da.random.RandomState(1).standard_normal((rows, 17), chunks=(chunk, 17)).persist()
        a, b, c = x[:, :5], x[:, 5:12], x[:, 12:]
        client.wait_for_workers(workers)
        times = []
        for i in range(repeats):
            # A new constant each time: identical graphs share keys, and dask
            # may hand back a result still held from the previous repeat.
            r = polybatch.dask.eval(f"(a*b)*c + {i + 2}*a", a=a, b=b, c=c)
            t0 = time.perf_counter()
            total = r.sum().compute()
            times.append(time.perf_counter() - t0)
        return rows, statistics.median(times), float(total)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows-per-worker", type=int, default=2_000_000)
    p.add_argument("--chunk", type=int, default=250_000)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print("| workers | rows | median time (s) | ns/row | rows/s per worker |")
    print("|---:|---:|---:|---:|---:|")
    for workers in (1, 2):
        rows, t, _ = run(workers, args.rows_per_worker, args.chunk, args.repeats)
        print(f"| {workers} | {rows:,} | {t:.3f} | {t / rows * 1e9:.1f} | {rows / t / workers:,.0f} |")


if __name__ == "__main__":
    main()
