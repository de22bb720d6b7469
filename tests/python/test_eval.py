"""polybatch.eval: the command line's expression language over named arrays,
against numpy.polynomial row by row; exact dtypes against fractions."""

from fractions import Fraction

import numpy as np
import numpy.polynomial.polynomial as P
import pytest
from conftest import rows_convolve, rows_correlate

import polybatch as pb


def per_row(f, *arrays):
    n = max(len(np.atleast_2d(x)) for x in arrays)
    rows = [f(*(np.atleast_2d(x)[i % len(np.atleast_2d(x))] for x in arrays)) for i in range(n)]
    width = max(len(r) for r in rows)
    return np.array([np.pad(r, (0, width - len(r))) for r in rows])


def test_arithmetic_expression(rng):
    a, b, c = rng.standard_normal((12, 4)), rng.standard_normal((12, 3)), rng.standard_normal((12, 6))
    r = pb.eval("2*a*b - c + 1.5", a=a, b=b, c=c)
    ref = per_row(lambda x, y, z: P.polyadd(P.polysub(2 * P.polymul(x, y), z), [1.5]), a, b, c)
    assert r.shape == (12, 6)
    np.testing.assert_allclose(r, ref, rtol=1e-12, atol=1e-12)


def test_functions(rng):
    a, b = rng.standard_normal((8, 4)), rng.standard_normal((8, 3))
    np.testing.assert_allclose(pb.eval("derivative(a)", a=a), per_row(P.polyder, a), rtol=1e-12)
    np.testing.assert_allclose(pb.eval("integral(a)", a=a), per_row(P.polyint, a), rtol=1e-12)
    np.testing.assert_allclose(pb.eval("a^3", a=a), per_row(lambda x: P.polypow(x, 3), a), rtol=1e-11)
    np.testing.assert_allclose(pb.eval("pow(a, 2)", a=a), per_row(lambda x: P.polypow(x, 2), a), rtol=1e-12)
    comp = per_row(_compose, a, b)
    np.testing.assert_allclose(pb.eval("compose(a, b)", a=a, b=b), comp, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        pb.eval("truncate(a*b, 3)", a=a, b=b), per_row(lambda x, y: P.polymul(x, y)[:3], a, b), rtol=1e-12
    )
    np.testing.assert_allclose(
        pb.eval("convolve(a, b, same)", a=a, b=b), rows_convolve(a, b, "same"), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(pb.eval("correlate(a, b)", a=a, b=b), rows_correlate(a, b), rtol=1e-12)
    x = 0.75
    np.testing.assert_allclose(
        pb.eval("eval_at(a, 0.75)", a=a), per_row(lambda r: [P.polyval(x, r)], a), rtol=1e-12
    )


def _compose(x, y):
    """x(y(t)) by Horner on coefficient arrays."""
    acc = np.array([x[-1]])
    for c in x[-2::-1]:
        acc = P.polyadd(P.polymul(acc, y), [c])
    return acc


def test_eval_int64_and_threads(rng):
    a = rng.integers(-50, 50, (1000, 3))
    b = rng.integers(-50, 50, (1000, 4))
    r = pb.eval("a*b + 3*a", a=a, b=b, threads=1)
    assert r.dtype == np.int64
    ref = rows_convolve(a, b)
    ref[:, :3] += 3 * a
    np.testing.assert_array_equal(r, ref)


def test_eval_dtype_argument(rng):
    a = rng.standard_normal((5, 3))
    r = pb.eval("a*a", a=a, dtype="float32")
    assert r.dtype == np.float32
    np.testing.assert_allclose(r, rows_convolve(a, a), rtol=1e-5, atol=1e-6)
    r = pb.eval("a*a", a=a.astype(np.float32), dtype=np.float64)
    assert r.dtype == np.float64
    ints = np.array([[1.0, 2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(pb.eval("a*a", a=ints, dtype="int64"), rows_convolve(ints, ints).astype(np.int64))


def test_eval_out_and_alias(rng):
    a, b = rng.standard_normal((30, 5)), rng.standard_normal((30, 5))
    expected = a + 2 * b
    r = pb.eval("a + 2*b", out=a, a=a, b=b)
    assert r is a
    np.testing.assert_allclose(a, expected, rtol=1e-14)
    # Product root over its own destination: a = a * s.
    s = rng.standard_normal((30, 1))
    expected = rows_convolve(a, s)
    pb.eval("a*s", out=a, a=a, s=s)
    np.testing.assert_allclose(a, expected, rtol=1e-12)


def test_exact_integers_beyond_int64():
    big = 3**50
    a = np.array([[big, -1], [2, 5]], dtype=object)
    b = np.array([[big, 7], [-3, 1]], dtype=object)
    r = pb.eval("a*b", a=a, b=b, dtype="int")
    assert r.dtype == object
    assert all(type(x) is int for x in r.ravel())
    assert list(r[0]) == [big * big, 7 * big - big, -7]
    assert list(r[1]) == [-6, 2 - 15, 5]
    # Object arrays of ints select the exact integer type without dtype=.
    r2 = pb.mul(a, b)
    assert list(r2[0]) == list(r[0])
    # A huge power: exact.
    x = np.array([2, 1], dtype=object)  # 2 + x
    r3 = pb.eval("a^100", a=x, dtype="int")
    from math import comb

    assert r3.shape == (101,)
    assert all(r3[k] == comb(100, k) * 2 ** (100 - k) for k in range(101))


def test_exact_rationals():
    a = np.array([[Fraction(1, 3), Fraction(-2, 7)], [Fraction(5), Fraction(1, 10**30)]], dtype=object)
    b = np.array([[Fraction(3, 2), 1]], dtype=object)  # broadcasts; an int inside is fine
    r = pb.eval("a*b", a=a, b=b, dtype="rational")
    assert all(type(x) is Fraction for x in r.ravel())
    for i in range(2):
        ref = [Fraction(0)] * 3
        for j in range(2):
            for k in range(2):
                ref[j + k] += a[i, j] * b[0, k]
        assert list(r[i]) == ref
    # Decimal literals are exact in rationals.
    r = pb.eval("a + 0.1", a=np.array([Fraction(0)], dtype=object), dtype="rational")
    assert r[0] == Fraction(1, 10)


def test_floats_convert_exactly_to_rationals():
    a = np.array([0.1, 0.5])
    r = pb.eval("a*a", a=a, dtype="rational")
    assert r[0] == Fraction(0.1) ** 2  # the double 0.1, exactly, squared
    assert r[1] == 2 * Fraction(0.1) * Fraction(1, 2)
    with pytest.raises(ValueError, match="not an integer"):
        pb.eval("a", a=a, dtype="int")
    r = pb.eval("a*a", a=np.array([2.0, 3.0]), dtype="int")
    assert list(r) == [4, 12, 9]


def test_mixed_object_and_float_arrays_are_rational():
    a = np.array([[1, 2]], dtype=object)
    b = np.array([[0.5, 0.25]])
    r = pb.mul(a, b)
    assert list(r[0]) == [Fraction(1, 2), Fraction(5, 4), Fraction(1, 2)]


def test_exact_out(rng):
    a = np.array([[1, 2], [3, 4]], dtype=object)
    out = np.empty((2, 3), dtype=object)
    r = pb.eval("a*a", a=a, out=out, dtype="int")
    assert r is out
    assert list(out[1]) == [9, 24, 16]


def test_int64_overflow_raises():
    a = np.array([[2**40, 1]], dtype=np.int64)
    with pytest.raises(OverflowError):
        pb.mul(a, a)
    with pytest.raises(OverflowError):
        pb.eval("a^2", a=a)
    # The same in exact integers is fine.
    r = pb.eval("a^2", a=a, dtype="int")
    assert r[0, 0] == 2**80


def test_number_only_expression():
    r = pb.eval("2 + 3")
    assert r.shape == (1,) and r[0] == 5.0
