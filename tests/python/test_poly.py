"""polybatch.Poly (lazy expressions), the library functions on Polys and on
arrays, and polybatch.verify."""

import math
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


def test_operators_build_lazy_expression(rng):
    a, b, c = rng.standard_normal((10, 3)), rng.standard_normal((10, 4)), rng.standard_normal((10, 2))
    A, B, C = pb.Poly(a), pb.Poly(b), pb.Poly(c)
    e = (A * B - 2 * C) ** 2 + 1 - A
    assert isinstance(e, pb.Poly)
    assert e.shape == (10, 11)
    # Nothing was computed: changing an input before eval changes the result.
    a[0, 0] += 1.0
    ref = per_row(
        lambda x, y, z: P.polysub(P.polyadd(P.polypow(P.polysub(P.polymul(x, y), 2 * z), 2), [1.0]), x), a, b, c
    )
    np.testing.assert_allclose(e.eval(), ref, rtol=1e-11, atol=1e-11)


def test_reflected_operators_with_arrays_and_numbers(rng):
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    A = pb.Poly(a)
    np.testing.assert_allclose((b + A).eval(), a + b)
    np.testing.assert_allclose((b - A).eval(), b - a)
    np.testing.assert_allclose((3 - A).eval(), per_row(lambda x: P.polysub([3.0], x), a))
    np.testing.assert_allclose((-A).eval(), -a)
    np.testing.assert_allclose((A * 0.5).eval(), 0.5 * a)
    np.testing.assert_allclose((b * A).eval(), rows_convolve(b, a), rtol=1e-12)


def test_functions_on_poly_are_lazy_and_on_arrays_eager(rng):
    a, b = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    A, B = pb.Poly(a), pb.Poly(b)
    for lazy, eager, ref in [
        (pb.mul(A, B), pb.mul(a, b), rows_convolve(a, b)),
        (pb.convolve(A, b, "same"), pb.convolve(a, b, "same"), rows_convolve(a, b, "same")),
        (pb.correlate(A, B), pb.correlate(a, b), rows_correlate(a, b)),
        (pb.derivative(A), pb.derivative(a), per_row(P.polyder, a)),
        (pb.integral(A), pb.integral(a), per_row(P.polyint, a)),
        (pb.truncate(A * B, 2), pb.truncate(a, 2), None),
        (pb.pow(A, 3), pb.pow(a, 3), per_row(lambda x: P.polypow(x, 3), a)),
    ]:
        assert isinstance(lazy, pb.Poly)
        assert isinstance(eager, np.ndarray)
        if ref is not None:
            np.testing.assert_allclose(lazy.eval(), ref, rtol=1e-11, atol=1e-12)
            np.testing.assert_allclose(eager, ref, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(pb.truncate(A * B, 2).eval(), rows_convolve(a, b)[:, :2], rtol=1e-12)
    np.testing.assert_allclose(pb.truncate(a, 2), a[:, :2])
    comp = pb.compose(A, B)
    assert comp.shape == (6, 7)
    np.testing.assert_allclose(comp.eval(), per_row(_compose, a, b), rtol=1e-10, atol=1e-10)


def _compose(x, y):
    """x(y(t)) by Horner on coefficient arrays."""
    acc = np.array([x[-1]])
    for c in x[-2::-1]:
        acc = P.polyadd(P.polymul(acc, y), [c])
    return acc


def test_poly_eval_out_and_one_d(rng):
    a, b = rng.standard_normal(3), rng.standard_normal(4)
    e = pb.Poly(a) * pb.Poly(b) + 1
    assert e.shape == (6,)
    out = np.empty(6)
    assert e.eval(out=out) is out
    np.testing.assert_allclose(out, P.polyadd(np.convolve(a, b), [1.0]), rtol=1e-12)


def test_poly_with_integers_and_float_literal_promotes():
    a = np.array([[1, 2, 3]])
    e = pb.Poly(a) * 0.5
    r = e.eval()
    assert r.dtype == np.float64
    np.testing.assert_allclose(r, [[0.5, 1.0, 1.5]])
    assert (pb.Poly(a) * 2).eval().dtype == np.int64


def test_poly_exact_with_fraction_scalar():
    a = np.array([[1, 2]], dtype=object)
    r = (pb.Poly(a) * Fraction(1, 3) + 1).eval()
    assert list(r[0]) == [Fraction(4, 3), Fraction(2, 3)]


def test_float_scalars_are_the_double_they_hold():
    # float32: rounded once, from the double, as numpy rounds it (1 + 2^-24
    # is a tie that goes to 1; its shortest repr rounds up when read again).
    a = np.ones((1, 2), np.float32)
    x = 1 + 2**-24
    np.testing.assert_array_equal((pb.Poly(a) * x).eval(), a * x)
    rng = np.random.default_rng(11)
    b = rng.standard_normal((20, 3)).astype(np.float32)
    for y in rng.standard_normal(20) * 10.0 ** rng.integers(-30, 30, 20):
        np.testing.assert_array_equal((pb.Poly(b) * float(y)).eval(), b * float(y))
    # Exact dtypes: the double's exact value, as the same float in an array.
    q = np.array([[Fraction(1, 3), 1]], dtype=object)
    got = (pb.Poly(q) * 0.1).eval()
    assert list(got[0]) == [Fraction(0.1) / 3, Fraction(0.1)]
    assert list(got[0]) == list(pb.eval("a*b", a=q, b=np.array([0.1]))[0])
    # Extremes: the largest double and the smallest subnormal survive.
    np.testing.assert_array_equal((pb.Poly(np.ones((1, 1))) * 5e-324).eval(), [[5e-324]])
    np.testing.assert_array_equal((pb.Poly(np.ones((1, 1))) * -1.7976931348623157e308).eval(), [[-1.7976931348623157e308]])


def test_numpy_bool_is_a_number_and_counts_are_integers():
    a = np.array([[1.0, 2.0]])
    np.testing.assert_array_equal((pb.Poly(a) * np.bool_(True)).eval(), a)
    np.testing.assert_array_equal((pb.Poly(a) + np.bool_(False)).eval(), a)
    with pytest.raises(TypeError, match=r"polybatch\.pow: k must be an integer, got float 2\.5"):
        pb.pow(a, 2.5)
    with pytest.raises(TypeError, match=r"polybatch\.truncate: n must be an integer"):
        pb.truncate(a, 2.0)
    with pytest.raises(ValueError, match="negative powers"):
        pb.pow(a, -1)


def test_same_array_twice_is_one_name(rng):
    a = rng.standard_normal((3, 2))
    A = pb.Poly(a)
    e = A * A + A
    assert e.expression.count("p0") == 3 and "p1" not in e.expression


def test_poly_errors():
    with pytest.raises(TypeError):
        pb.Poly(3)
    with pytest.raises(ValueError):
        pb.Poly(np.ones((2, 2))) ** -1
    with pytest.raises(TypeError):
        pb.Poly(np.ones((2, 2))) ** 1.5
    with pytest.raises(ValueError, match="mismatch|batch"):
        (pb.Poly(np.ones((2, 2))) + pb.Poly(np.ones((3, 2)))).shape


def test_verify_reports_rounding(rng):
    # Cancellation: (x + 1e8)^2 - x^2 - 2e8 x in float32 loses digits.
    a = np.array([[1e4, 1.0]], dtype=np.float32)
    A = pb.Poly(a)
    e = A * A - A * A + A
    rep = pb.verify(e)
    assert rep.max_abs_error == 0.0 and rep.max_rel_error == 0.0
    b = rng.standard_normal((50, 8)).astype(np.float32)
    B = pb.Poly(b)
    rep = pb.verify(B**4)
    assert 0 < rep.max_rel_error < 1e-2
    text = str(rep)
    assert "max_abs_error" in text and "max_rel_error" in text
    # Independent oracle: the exact powers in fractions.Fraction.
    computed = (B**4).eval()
    errors = []
    for i in range(50):
        exact = _exact_pow(b[i], 4)
        errors.append(max(abs(Fraction(float(c)) - x) for c, x in zip(computed[i], exact)))
    assert math.isclose(rep.max_abs_error, float(max(errors)), rel_tol=1e-12)
    assert 0 <= rep.worst_row < 50


def _exact_pow(row, k):
    r = [Fraction(1)]
    x = [Fraction(float(c)) for c in row]
    for _ in range(k):
        out = [Fraction(0)] * (len(r) + len(x) - 1)
        for i, u in enumerate(r):
            for j, v in enumerate(x):
                out[i + j] += u * v
        r = out
    return r


def test_verify_needs_poly():
    with pytest.raises(TypeError):
        pb.verify(np.ones((2, 2)))


def test_long_chains_evaluate_and_deeper_trees_are_value_errors(rng):
    # A chain is written without a parenthesis per operation: sums of many
    # terms stay within the parser's nesting limit.
    x = rng.standard_normal((3, 4))
    total = pb.Poly(x)
    for k in range(1, 400):
        total = total + float(k) * pb.Poly(x)
    assert "(" not in total.expression.replace("(-", "")
    np.testing.assert_allclose(total.eval(), x * (1 + sum(range(400))), rtol=1e-13)
    # The order of the operations is kept: a - (b - c) is not a - b - c.
    a, b, c = (pb.Poly(rng.standard_normal((2, 3))) for _ in range(3))
    assert (a - (b - c)).expression == "p0 - (p1 - p2)"
    np.testing.assert_allclose((a - (b - c)).eval(), a.eval() - b.eval() + c.eval(), rtol=1e-15)
    # Deeper than the engine's limit: a ValueError, in Poly and in a string.
    deep = pb.Poly(x)
    for _ in range(1500):
        deep = deep + 1
    with pytest.raises(ValueError, match="nested too deeply"):
        deep.eval()
    # A negative number is one number, as deep as a positive one: 1000 additions of -1 are within the limit.
    chain = pb.Poly(x)
    for _ in range(1000):
        chain = chain + (-1)
    expected = x.copy()
    expected[:, 0] -= 1000  # a number adds to the constant term
    np.testing.assert_allclose(chain.eval(), expected, rtol=1e-13, atol=1e-10)
    with pytest.raises(ValueError, match="nested too deeply"):
        pb.eval("+".join(["a"] * 20000), a=np.ones(2))
    with pytest.raises(ValueError, match="nested too deeply"):
        pb.eval("*".join(["a"] * 20000), a=np.ones(2))


def test_numbers_without_a_float32_literal_keep_float32():
    a = np.array([1.0, 3.0], np.float32)
    for x in (math.inf, -math.inf, math.nan):
        r = (pb.Poly(a) + x).eval()
        assert r.dtype == np.float32
        np.testing.assert_array_equal(r, (a[:1] + np.float32(x)).tolist() + [a[1]])
    # Rounded into float32 as numpy rounds it (to 0), where a literal is refused.
    r = (pb.Poly(a) * 1e-46).eval()
    assert r.dtype == np.float32 and np.array_equal(r, a * 1e-46)
    # In float64 the same number is kept, and so it is where float32 meets
    # integers (computed in float64) or a Fraction (computed exactly).
    r = (pb.Poly(a.astype(np.float64)) * 1e-46).eval()
    assert r.dtype == np.float64 and np.array_equal(r, a.astype(np.float64) * 1e-46)
    r = ((pb.Poly(a) + pb.Poly(np.array([1, 1]))) * 1e-300).eval()
    assert r.dtype == np.float64 and np.array_equal(r, np.array([2e-300, 4e-300]))
    r = (pb.Poly(a) * Fraction(1, 3) + 1e-50 * pb.Poly(a)).eval()
    assert r[0] == Fraction(1, 3) + Fraction(1e-50) and r[1] == 3 * r[0]
    # Beyond float32's range: refused, not turned into infinity.
    with pytest.raises(ValueError, match="out of range"):
        (pb.Poly(a) * 1e39).eval()


def test_exact_integer_scalars_of_any_size():
    big = 10**5000 + 12345
    r = (pb.Poly(np.array([1, -2], dtype=object)) * big).eval()
    assert r[0] == big and r[1] == -2 * big
    r = (pb.Poly(np.array([1, 2], dtype=object)) + (-big)).eval()
    assert r[0] == 1 - big and r[1] == 2
    q = np.array([[Fraction(1), Fraction(1)]], dtype=object)
    s = 10**5000
    r = pb.series.pow(q, s, 3)
    assert r[0, 1] == s and r[0, 2] == s * (s - 1) // 2


def test_shared_and_deep_trees_are_refused_before_they_exhaust_memory():
    import time

    p = pb.Poly(np.ones((1, 2)))
    for _ in range(10):
        p = p * p
    assert p.eval().shape == (1, 1025)  # 1024 operands written out: fine
    started = time.perf_counter()
    for grow in (lambda q: q * q, lambda q: q + q):
        q = pb.Poly(np.ones((1, 2)))
        for _ in range(60):
            q = grow(q)
        with pytest.raises(ValueError, match="written out has more than"):
            q.eval()
        with pytest.raises(ValueError, match="written out has more than"):
            q.shape
    deep = pb.Poly(np.ones((1, 2)))
    for _ in range(40_000):
        deep = pb.derivative(deep)
    with pytest.raises(ValueError, match="nested too deeply"):
        deep.shape
    assert time.perf_counter() - started < 30  # refused from the sizes, before any text


def test_scalars_keep_their_exact_value_or_are_refused():
    from decimal import Decimal

    import sympy

    q = np.array([[Fraction(1, 2), 3]], dtype=object)
    # Other rationals and integers: their exact value, as Fraction and int.
    got = (pb.Poly(q) * sympy.Rational(1, 3) + sympy.Integer(2)).eval()
    assert list(got[0]) == [Fraction(13, 6), Fraction(1)]  # a number adds to the constant term
    assert list((pb.Poly(q) * np.int64(-7)).eval()[0]) == [Fraction(-7, 2), Fraction(-21)]
    # numpy's float32 scalar is the double it holds.
    f = np.ones((1, 2))
    np.testing.assert_array_equal((pb.Poly(f) * np.float32(0.1)).eval(), f * float(np.float32(0.1)))
    # Decimal: refused, as Python refuses to mix it with floats (as a double
    # it would lose digits, and 1e400 or NaN have no double at all).
    for d in ("0.1", "1e400", "NaN", "sNaN"):
        with pytest.raises(TypeError, match="decimal.Decimal scalar is not taken"):
            (pb.Poly(f) * Decimal(d)).eval()
    # A longdouble that no double holds: refused, not rounded.
    third = np.longdouble(1) / 3
    if float(third) != third:
        with pytest.raises(TypeError, match="is not a double"):
            pb.Poly(f) * third
    np.testing.assert_array_equal((pb.Poly(f) * np.longdouble(0.5)).eval(), f * 0.5)
    big = np.longdouble("1e400")
    if np.isfinite(big):  # x87 long double: beyond every double, not inf
        with pytest.raises(TypeError, match="is not a double"):
            pb.Poly(f) * big


def test_object_array_elements():
    b = np.array([[3]], dtype=object)
    # numpy integers count as integers: the result stays int, as with Python ints.
    r = pb.mul(np.array([[1, np.int64(2), np.uint8(5)]], dtype=object), b)
    assert list(r[0]) == [3, 6, 15] and all(type(x) is int for x in r[0])
    # numpy's floats are floats (their exact value), as Python's are.
    r = pb.mul(np.array([[np.float32(0.5), np.float64(0.25), 1.5]], dtype=object), b)
    assert list(r[0]) == [Fraction(3, 2), Fraction(3, 4), Fraction(9, 2)]
    # Bools are refused, as bool arrays are.
    for t in (True, np.bool_(False)):
        with pytest.raises(TypeError, match=r"a\[0, 1\] is a bool"):
            pb.mul(np.array([[1, t]], dtype=object), b)


def test_verify_report_exact_errors_and_pickling():
    import pickle

    # The error 2^-1075 rounds to 0 as a double; the exact field keeps it.
    rep = pb.verify(pb.Poly(np.array([[5e-324]])) * pb.Poly(np.array([[0.5]])))
    assert rep.max_abs_error == 0.0
    assert rep.max_abs_error_exact == Fraction(1, 2**1075)
    assert rep.max_rel_error_exact == 1
    back = pickle.loads(pickle.dumps(rep))
    assert type(back) is pb.VerifyReport
    for field in (
        "max_abs_error",
        "max_rel_error",
        "worst_row",
        "worst_coefficient",
        "batch_size",
        "length",
        "max_abs_error_exact",
        "max_rel_error_exact",
    ):
        assert getattr(back, field) == getattr(rep, field), field
    assert str(back) == str(rep)
    # A computed inf: an infinite error, which no Fraction holds (not 0, which would say exact).
    a = np.array([[1e30, 1.0]], dtype=np.float32)
    rep = pb.verify(pb.Poly(a) * pb.Poly(a))
    assert rep.max_abs_error == math.inf and rep.max_abs_error_exact == math.inf
    assert math.isinf(rep.max_rel_error_exact) or math.isnan(rep.max_rel_error_exact)
    with pytest.raises(ValueError, match="a pickled report holds two floats and four counts"):
        pb.VerifyReport.__new__(pb.VerifyReport).__setstate__((0.0, 0.0, -1, 0, 1, 1, 0, 0))
