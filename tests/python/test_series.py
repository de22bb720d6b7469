"""polybatch.series.<fn> on arrays (eager) and Poly expressions (lazy, fused),
against independent references: mpmath's Taylor coefficients of f(a(x)) at 50
digits for the floating dtypes, sympy's exact series for the rational dtype."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy

import polybatch as pb

# Dyadic inputs (exact in float32 and float64) with constant terms that every
# function accepts: positive (log, sqrt, pow) and cos(a0) != 0 (tan).
ROWS = np.array([[0.5, 1.0, -0.25, 0.125], [0.25, -0.5, 0.75, 0.0], [1.0, 0.125, 0.5, -1.0]])

MP = {
    "inv": lambda y: 1 / y,
    "exp": mpmath.exp,
    "log": mpmath.log,
    "sqrt": mpmath.sqrt,
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": mpmath.tan,
    "atan": mpmath.atan,
    "sinh": mpmath.sinh,
    "cosh": mpmath.cosh,
    "tanh": mpmath.tanh,
}


def taylor(f, rows, n):
    """Coefficients 0..n-1 of f(row(x)) for every row, in mpmath at 50 digits."""
    out = []
    with mpmath.workdps(50):
        for row in np.atleast_2d(rows):
            coeffs = [mpmath.mpf(float(c)) for c in row]

            def g(x, coeffs=coeffs):
                return f(mpmath.polyval(coeffs[::-1], x))

            out.append([float(c) for c in mpmath.taylor(g, 0, n - 1)])
    return np.array(out)


def close(got, ref, tol):
    scale = np.maximum(1.0, np.abs(ref))
    err = np.max(np.abs(np.asarray(got, dtype=np.float64) - ref) / scale)
    assert err <= tol, f"max scaled error {err:.3g} > {tol:.3g}"


@pytest.mark.parametrize("fn", sorted(MP))
def test_float64_arrays_against_mpmath(fn):
    got = getattr(pb.series, fn)(ROWS, n=8)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (3, 8)
    close(got, taylor(MP[fn], ROWS, 8), 1e-12)


@pytest.mark.parametrize("fn", ["exp", "log", "tan", "atan"])
def test_float32_keeps_its_dtype(fn):
    got = getattr(pb.series, fn)(ROWS.astype(np.float32), 6)
    assert got.dtype == np.float32 and got.shape == (3, 6)
    close(got, taylor(MP[fn], ROWS, 6), 2e-5)


def test_n_defaults_to_the_length_and_1d_stays_1d():
    got = pb.series.exp(ROWS[0])
    assert got.shape == (4,)
    close(got, taylor(mpmath.exp, ROWS[0], 4)[0], 1e-13)
    one = pb.series.log(np.array([2.0]), 1)  # length 1: the constant term alone
    assert one.shape == (1,) and abs(one[0] - np.log(2.0)) < 1e-15


# Long rows run by Newton iteration (n = 300 is past every crossover; tan's is
# 256). Small dyadic inputs, so every result decays and stays finite.
LONG_ROWS = np.array([[0.5, 0.125, -0.0625, 0.03125], [0.25, -0.125, 0.0625, 0.0]])


@pytest.mark.parametrize("fn", ["sqrt", "atan", "sin", "cos", "sinh", "cosh", "tan", "tanh"])
def test_long_rows_keep_the_mpmath_head(fn):
    got = getattr(pb.series, fn)(LONG_ROWS, n=300)
    assert got.shape == (2, 300) and np.all(np.isfinite(got))
    close(got[:, :8], taylor(MP[fn], LONG_ROWS, 8), 1e-12)


def test_long_rows_satisfy_the_identities():
    n = 300

    def product(x, y):
        return np.array([np.convolve(p, q)[:n] for p, q in zip(x, y)])

    one = np.zeros((2, n))
    one[:, 0] = 1.0
    padded = np.zeros((2, n))
    padded[:, :4] = LONG_ROWS
    s, c, t = pb.series.sin(LONG_ROWS, n), pb.series.cos(LONG_ROWS, n), pb.series.tan(LONG_ROWS, n)
    sh, ch, q = pb.series.sinh(LONG_ROWS, n), pb.series.cosh(LONG_ROWS, n), pb.series.sqrt(LONG_ROWS, n)
    assert np.max(np.abs(product(s, s) + product(c, c) - one)) < 1e-13
    assert np.max(np.abs(product(ch, ch) - product(sh, sh) - one)) < 1e-13
    assert np.max(np.abs(product(t, c) - s)) < 1e-13
    assert np.max(np.abs(product(q, q) - padded)) < 1e-13


@pytest.mark.parametrize("s", [0.5, -1.5, 3, -2])
def test_pow_against_mpmath(s):
    got = pb.series.pow(ROWS, s, 7)
    close(got, taylor(lambda y: mpmath.power(y, s), ROWS, 7), 1e-12)


def test_div_broadcasts_a_batch_of_one():
    b = np.array([[2.0, -0.5, 0.25]])
    got = pb.series.div(ROWS, b, 6)
    with mpmath.workdps(50):
        ref = []
        for row in ROWS:
            num = [mpmath.mpf(float(c)) for c in row][::-1]
            den = [mpmath.mpf(float(c)) for c in b[0]][::-1]
            def quotient(x, num=num, den=den):
                return mpmath.polyval(num, x) / mpmath.polyval(den, x)

            ref.append([float(c) for c in mpmath.taylor(quotient, 0, 5)])
    close(got, np.array(ref), 1e-12)


def test_poly_is_lazy_and_fuses():
    a, b, c = ROWS, np.array([[1.0, 1.0]]), np.array([[2.0, 0.5, 1.0]])
    e = pb.series.exp(pb.Poly(a) * b + 2 * pb.Poly(a), 8) * pb.Poly(c)
    assert isinstance(e, pb.Poly)
    assert "exp(" in e.expression and e.shape == (3, 10)
    inner = np.array([np.convolve(r, b[0]) + 2 * np.pad(r, (0, 1)) for r in a])
    ref = np.array([np.convolve(row, c[0]) for row in taylor(mpmath.exp, inner, 8)])
    close(e.eval(), ref, 1e-12)
    assert isinstance(pb.series.pow(pb.Poly(a), 0.5), pb.Poly)
    assert isinstance(pb.series.div(pb.Poly(a), c), pb.Poly)


def test_torch_in_torch_out():
    torch = pytest.importorskip("torch")
    t = torch.tensor(ROWS)
    got = pb.series.sin(t, 5)
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    close(got.numpy(), taylor(mpmath.sin, ROWS, 5), 1e-12)


def test_out_may_be_the_input():
    a = ROWS.copy()
    ref = taylor(mpmath.atan, ROWS, 4)
    r = pb.series.atan(a, out=a)
    assert r is a
    close(a, ref, 1e-12)


def sympy_series(expr_of_x, n):
    x = sympy.Symbol("x")
    s = sympy.series(expr_of_x(x), x, 0, n).removeO()
    return [Fraction(int(sympy.fraction(c)[0]), int(sympy.fraction(c)[1])) for c in sympy.Poly(s, x).all_coeffs()[::-1]]


def fractions(*rows):
    return np.array([[Fraction(c) for c in r] for r in rows], dtype=object)


def poly_of(row):
    return lambda x: sum(sympy.Rational(c.numerator, c.denominator) * x**k for k, c in enumerate(row))


def padded(coeffs, n):
    return coeffs + [Fraction(0)] * (n - len(coeffs))


@pytest.mark.parametrize(
    "fn, row, sym",
    [
        ("exp", [0, Fraction(1, 3), Fraction(-2, 5)], sympy.exp),
        ("log", [1, Fraction(2, 7), 3], sympy.log),
        ("sqrt", [Fraction(4, 9), 1, Fraction(-1, 3)], sympy.sqrt),
        ("tan", [0, 1, 2], sympy.tan),
        ("atan", [0, Fraction(3, 4), Fraction(1, 5)], sympy.atan),
        ("inv", [3, Fraction(1, 2), -1], lambda y: 1 / y),
        ("cosh", [0, 2, Fraction(-1, 7)], sympy.cosh),
    ],
)
def test_rational_is_exact_against_sympy(fn, row, sym):
    a = fractions(row)
    got = getattr(pb.series, fn)(a, 6)
    assert got.dtype == object
    p = poly_of(a[0])
    assert list(got[0]) == padded(sympy_series(lambda x: sym(p(x)), 6), 6)


def test_rational_pow_with_a_fraction_exponent():
    a = fractions([1, Fraction(1, 2), Fraction(-1, 3)])
    got = pb.series.pow(a, Fraction(1, 3), 5)
    p = poly_of(a[0])
    assert list(got[0]) == padded(sympy_series(lambda x: p(x) ** sympy.Rational(1, 3), 5), 5)


def test_integer_dtypes_are_a_type_error_naming_the_dtype():
    with pytest.raises(TypeError, match="exp.*integer coefficients for dtype=int64"):
        pb.series.exp(np.array([[0, 1, 2]], dtype=np.int64))
    with pytest.raises(TypeError, match="dtype=int"):
        pb.series.exp(np.array([0, 1, 2], dtype=object))
    # dtype= picks a field type for integer inputs.
    got = pb.series.exp(np.array([0, 1, 2], dtype=object), 4, dtype="rational")
    assert list(got) == [1, 1, Fraction(5, 2), Fraction(13, 6)]


def test_domain_errors_name_the_row():
    a = np.array([[1.0, 1.0], [-0.5, 1.0]])
    with pytest.raises(ValueError, match="log.*row 1"):
        pb.series.log(a)
    with pytest.raises(ValueError, match="inv.*row 0"):
        pb.series.inv(np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match="exp.*row 0"):
        pb.series.exp(fractions([1, 2]))  # exact: the constant term must be 0


def test_argument_errors():
    with pytest.raises(ValueError, match="n must be >= 1"):
        pb.series.exp(ROWS, 0)
    # Counts beyond the expression language's nine digits are refused by name,
    # not as a parse error about the generated expression.
    with pytest.raises(ValueError, match=r"^polybatch\.series\.exp: n = 1000000000000 is too large"):
        pb.series.exp(ROWS, 10**12)
    with pytest.raises(ValueError, match=r"^polybatch\.truncate: n = 10000000000 is too large"):
        pb.truncate(ROWS, 10**10)
    with pytest.raises(ValueError, match=r"^polybatch\.pow: k = 10000000000 is too large"):
        pb.pow(ROWS, 10**10)
    with pytest.raises(TypeError):
        pb.series.exp(ROWS, 2.5)
    with pytest.raises(TypeError, match="exponent s must be a number"):
        pb.series.pow(ROWS, "half")
    with pytest.raises(TypeError, match="not a number"):
        pb.series.exp(2.0)
    with pytest.raises(ValueError, match="shape mismatch"):
        pb.series.div(ROWS, np.ones((2, 3)))


def test_eval_language_spells_the_same_functions():
    got = pb.eval("series_pow(a, 0.5, 6) + exp(a, 6) - div(a, b)", a=ROWS, b=np.array([[2.0]]))
    ref = taylor(mpmath.sqrt, ROWS, 6) + taylor(mpmath.exp, ROWS, 6)
    ref[:, :4] -= ROWS / 2  # a / 2 (length 4 by default, zero-padded in the sum)
    close(got, ref, 1e-12)
