"""polybatch.verify on float32 and float64 expressions (checked at machine
speed, rows too wide redone in rationals) against exact fractions.Fraction
arithmetic on adversarial rows: cancellation, huge and tiny magnitudes,
subnormals, a zero row, coefficients far more than 256 bits apart, batch-1
broadcast, length 1, literals; and a computed value that overflows."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

import polybatch as pb
from fraction_oracle import add as _add, compose as _compose, correlate as _correlate, expected_report, fr as _fr, mul as _mul

B = 300


def _inputs(rng, dtype, plain):
    # huge, the smallest subnormal, and w: products more than 512 bits apart for doubles (none overflows)
    huge, tiny, w = (1e300, 5e-324, 1e100) if dtype == np.float64 else (1e30, 1e-45, 1e19)

    def rows(L):
        x = rng.standard_normal((B, L)) * 10.0 ** rng.integers(-4, 5, (B, 1))
        x[0] = 0  # a zero row
        return x

    a, b, c, u = rows(5), rows(4), rows(3), rows(1)
    one = rng.standard_normal((1, 3))
    if not plain:
        a[1], b[1] = [1 + 2**-20, 1, -1, 3, 0.1], [1, -1, 1 + 2**-22, 0.3]  # cancellation
        a[2], b[2] = a[2] * huge ** (1 / 3), b[2] / huge ** (1 / 3)  # huge times tiny
        a[3], b[3] = a[3] * huge ** (1 / 8), b[3] * huge ** (1 / 8)
        a[4] = np.array([1, 3, -2, 7, 5]) * tiny  # subnormals
        b[4] = [2**60, 1e10, 3, -1]
        a[5], b[5] = [w, 1 / w / 1e3, 3, 1 / w, 2], [1 / w / 1e3, w, 2, 1]  # far apart
        c[5] = [1 / w, 1, 2]
        u[6] = tiny
    out = {n: v.astype(dtype) for n, v in dict(a=a, b=b, c=c, u=u, one=one).items()}
    assert all(np.all(np.isfinite(v)) for v in out.values())
    return out


def _check(e, exact_of_row, arrays):
    rep = pb.verify(e)
    computed = e.eval()
    rows = []
    for i in range(len(computed)):
        r = {n: _fr(v[i if len(v) > 1 else 0]) for n, v in arrays.items()}
        rows.append((i, exact_of_row(r), computed[i]))
    abs_err, rel_err, worst = expected_report(rows)
    assert (rep.worst_row, rep.worst_coefficient) == worst
    assert rep.max_abs_error == pytest.approx(abs_err, rel=1e-15, abs=0)
    assert rep.max_rel_error == pytest.approx(rel_err, rel=1e-15, abs=0)
    assert (rep.batch_size, rep.length) == computed.shape
    return rep


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_verify_matches_exact_fractions(rng, dtype, plain):
    arrays = _inputs(rng, dtype, plain)
    A, Bp, C, U, One = (pb.Poly(arrays[n]) for n in ("a", "b", "c", "u", "one"))
    lit = lambda x: F(float(dtype(x)))  # a literal's value in the dtype
    reps = [
        _check(A * Bp, lambda r: _mul(r["a"], r["b"]), arrays),
        _check((A * Bp) * C, lambda r: _mul(_mul(r["a"], r["b"]), r["c"]), arrays),
        _check(2.5 * A * Bp - C, lambda r: _add(_mul([F(5, 2) * x for x in r["a"]], r["b"]), r["c"], -1), arrays),
        _check(0.1 * A + A * One, lambda r: _add([lit(0.1) * x for x in r["a"]], _mul(r["a"], r["one"])), arrays),
        _check(
            pb.compose(A, Bp) - pb.derivative(C),
            lambda r: _add(_compose(r["a"], r["b"]), [k * x for k, x in enumerate(r["c"])][1:], -1),
            arrays,
        ),
        _check(U * U - U, lambda r: _add(_mul(r["u"], r["u"]), r["u"], -1), arrays),
        _check(
            pb.truncate(Bp**3, 5) + pb.correlate(A, C),
            lambda r: _add(_mul(_mul(r["b"], r["b"]), r["b"])[:5], _correlate(r["a"], r["c"])),
            arrays,
        ),
    ]
    if plain:  # every row's rounding counts: finite, non-zero errors
        assert all(0 < rep.max_rel_error < 1 for rep in reps)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_verify_overflow_is_infinite(dtype):
    large, largest = (1e200, 1e300) if dtype == np.float64 else (1e20, 1e30)  # their squares overflow
    big = np.array([[1.0, 2.0], [large, large], [3.0, largest]], dtype=dtype)
    rep = pb.verify(pb.Poly(big) * pb.Poly(big))
    assert math.isinf(rep.max_abs_error) and math.isinf(rep.max_rel_error)
    assert (rep.worst_row, rep.worst_coefficient) == (1, 0)


def test_verify_integral_still_checked_in_rationals(rng):
    a = rng.standard_normal((20, 4))
    e = pb.integral(pb.Poly(a)) * pb.Poly(a)
    exact = []
    for row in a:
        x = _fr(row)
        exact.append(_mul([F(0)] + [v / (k + 1) for k, v in enumerate(x)], x))
    computed = e.eval()
    abs_err, rel_err, worst = expected_report((i, x, computed[i]) for i, x in enumerate(exact))
    rep = pb.verify(e)
    assert (rep.worst_row, rep.worst_coefficient) == worst
    assert rep.max_rel_error == pytest.approx(rel_err, rel=1e-15, abs=0) and rel_err > 0


def test_verify_int64_every_row_exact(rng):
    # int64 results are exact or an overflow error: the exact check (machine speed, every row) must find
    # no error at all, also for values whose products and sums come close to 2^63, negative ones included.
    n = 30_000  # more rows than the command line's rational sample
    a = rng.integers(-(2**31), 2**31, (n, 5), dtype=np.int64)
    b = rng.integers(-(2**29), 2**29, (n, 4), dtype=np.int64)
    a[0], b[0] = [2**31 - 1, -(2**31), 0, 1, -1], [2**29 - 1, -(2**29), 2**29 - 1, -1]
    A, Bp = pb.Poly(a), pb.Poly(b)
    for e in (A * Bp, A * Bp - 3 * pb.derivative(A), pb.compose(pb.Poly(b % 7), pb.Poly(a % 5))):
        rep = pb.verify(e)
        assert (rep.batch_size, rep.length) == e.eval().shape
        assert rep.max_abs_error == 0 and rep.max_rel_error == 0
