"""The seed problem in Python: a million 1-D convolutions of a length-5 and a
length-7 vector, row by row, with polybatch -- checked against numpy and the
grouped torch.conv1d answer on a sample of rows, and timed.

    PYTHONPATH=build/release/python python3 examples/seed_problem.py [--rows N]
"""

import argparse
import time

import numpy as np

import polybatch as pb


def whole_number(least, most):
    """An argparse type: a whole number in [least, most], or a one-line error."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not least <= value <= most:
            raise argparse.ArgumentTypeError(f"{value} is not from {least} to {most}")
        return value

    return parse


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--rows", type=whole_number(1, 50_000_000), default=1_000_000, help="number of pairs (default 1000000)"
)
parser.add_argument("--repeats", type=whole_number(1, 1000), default=5, help="timed runs, the best kept (default 5)")
args = parser.parse_args()

try:
    import torch
except ImportError:  # numpy alone is enough for polybatch
    torch = None

# The question's data: float32 batches, one pair of polynomials per row.
if torch is not None:
    x_batch = torch.randn(args.rows, 5)
    y_batch = torch.randn(args.rows, 7)
else:
    rng = np.random.default_rng(0)
    x_batch = rng.standard_normal((args.rows, 5), dtype=np.float32)
    y_batch = rng.standard_normal((args.rows, 7), dtype=np.float32)

# The answer: one call (no copy of the inputs; a torch input gives a tensor).
res = pb.mul(x_batch, y_batch)  # shape (rows, 11): np.convolve of every row pair

# Checks on a sample of rows: numpy per row, and the grouped conv1d answer.
xs, ys = np.asarray(x_batch[:1000]), np.asarray(y_batch[:1000])
numpy_rows = np.array([np.convolve(u.astype(np.float64), v.astype(np.float64)) for u, v in zip(xs, ys)])
worst = float(np.max(np.abs(np.asarray(res[:1000], dtype=np.float64) - numpy_rows)))
assert worst < 1e-5, f"polybatch differs from numpy.convolve by {worst}"
print(f"rows {args.rows}: result {tuple(res.shape)} {res.dtype}; max |polybatch - numpy.convolve| = {worst:.2e}")
if torch is not None:
    x, y = x_batch[:1000], y_batch[:1000]
    conv = torch.conv1d(x.unsqueeze(0), y.unsqueeze(1).flip(2), padding=y.size(1) - 1, groups=x.size(0))
    diff = float((conv.squeeze(0) - res[:1000]).abs().max())
    assert diff < 1e-5, f"polybatch differs from torch.conv1d by {diff}"
    print(f"max |polybatch - torch.conv1d (grouped)| = {diff:.2e}")


def best_ms(f):
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1e3)
    return min(times)


out = res  # reuse the result's memory: nothing of size B is allocated
print(f"polybatch.mul(x, y, out=out): {best_ms(lambda: pb.mul(x_batch, y_batch, out=out)):.2f} ms "
      f"({pb.num_threads()} threads)")
if torch is not None:
    pad = y_batch.size(1) - 1

    def grouped_conv1d():
        torch.conv1d(x_batch.unsqueeze(0), y_batch.unsqueeze(1).flip(2), padding=pad, groups=x_batch.size(0))

    print(f"torch.conv1d(groups=rows):     {best_ms(grouped_conv1d):.2f} ms")
print("ok")
