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


def _fr(row):
    return [F(float(x)) for x in row]


def _mul(p, q):
    out = [F(0)] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def _add(p, q, s=1):
    n = max(len(p), len(q))
    p, q = p + [F(0)] * (n - len(p)), q + [F(0)] * (n - len(q))
    return [x + s * y for x, y in zip(p, q)]


def _compose(p, q):
    r = [p[-1]]
    for x in reversed(p[:-1]):
        r = _add(_mul(r, q), [x])
    return r


def _correlate(p, q):  # numpy.correlate, mode valid
    r = _mul(p, q[::-1])
    lo, hi = min(len(p), len(q)), max(len(p), len(q))
    return r[lo - 1 : hi]


def _expected(computed, exact_rows):
    """verify_report's definition, exactly: the first position of the largest
    relative error; +inf where the exact row is 0 or the computed value is not
    finite (the first such position)."""
    max_abs, max_rel, inf_abs, inf_rel, worst = F(0), F(0), False, False, (0, 0)
    for i, x in enumerate(exact_rows):
        mag = max(abs(v) for v in x)
        for k, (xk, ck) in enumerate(zip(x, computed[i])):
            if not np.isfinite(ck):
                inf_abs = True
                if not inf_rel:
                    inf_rel, worst = True, (i, k)
                continue
            err = abs(F(float(ck)) - xk)
            max_abs = max(max_abs, err)
            if err == 0:
                continue
            scale = abs(xk) if xk != 0 else mag
            if scale == 0:
                if not inf_rel:
                    inf_rel, worst = True, (i, k)
            elif not inf_rel and err / scale > max_rel:
                max_rel, worst = err / scale, (i, k)
    return (math.inf if inf_abs else float(max_abs), math.inf if inf_rel else float(max_rel), worst)


def _check(e, exact_of_row, arrays):
    rep = pb.verify(e)
    computed = e.eval()
    exact_rows = []
    for i in range(len(computed)):
        r = {n: _fr(v[i if len(v) > 1 else 0]) for n, v in arrays.items()}
        exact_rows.append(exact_of_row(r))
        assert len(exact_rows[-1]) == computed.shape[1]
    abs_err, rel_err, worst = _expected(computed, exact_rows)
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
    big = np.array([[1.0, 2.0], [1e200, 1e200], [3.0, 1e300]]).astype(dtype) if dtype == np.float64 else None
    if big is None:
        big = np.array([[1.0, 2.0], [1e20, 1e20], [3.0, 1e30]], dtype=np.float32)
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
    abs_err, rel_err, worst = _expected(e.eval(), exact)
    rep = pb.verify(e)
    assert (rep.worst_row, rep.worst_coefficient) == worst
    assert rep.max_rel_error == pytest.approx(rel_err, rel=1e-15, abs=0) and rel_err > 0
