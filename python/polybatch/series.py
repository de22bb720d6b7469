"""polybatch.series: power-series functions mod x^n (the C++ pb::series::*).

Given a ``Poly`` they build a lazy node that fuses into the expression; given
arrays they evaluate at once (numpy or torch out, as for every function of the
package). ``n`` defaults to the (first) argument's length. Field dtypes only:
float32, float64 and the exact "rational"; integer inputs raise TypeError
(pass ``dtype="float64"`` or ``dtype="rational"``, which evaluates at once).
Every check and all the arithmetic happen in the compiled core.
"""

from . import _core
from ._poly import Poly, _explaining

__all__ = ["inv", "div", "exp", "log", "sqrt", "pow", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh"]


def _apply(fn, operands, n, out, dtype, s=None):
    p = Poly._call(fn, *operands, n=n, s=s, build_only=True)
    if any(isinstance(x, Poly) for x in operands) and out is None and dtype is None:
        return p
    source, arrays, implied, legend = p._compile()
    return _explaining(legend, _core.eval, source, arrays, out, implied if dtype is None else dtype, None)


def inv(p, n=None, out=None, dtype=None):
    """1/p mod x^n (constant term non-zero)."""
    return _apply("inv", (p,), n, out, dtype)


def div(a, b, n=None, out=None, dtype=None):
    """a/b mod x^n row by row (constant term of b non-zero; a batch of 1 broadcasts)."""
    return _apply("div", (a, b), n, out, dtype)


def exp(p, n=None, out=None, dtype=None):
    """exp(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("exp", (p,), n, out, dtype)


def log(p, n=None, out=None, dtype=None):
    """log(p) mod x^n (constant term > 0; exact dtypes: 1)."""
    return _apply("log", (p,), n, out, dtype)


def sqrt(p, n=None, out=None, dtype=None):
    """sqrt(p) mod x^n (constant term >= 0; exact dtypes: a rational square)."""
    return _apply("sqrt", (p,), n, out, dtype)


def pow(p, s, n=None, out=None, dtype=None):
    """p^s mod x^n for a number s (int, float or fractions.Fraction)."""
    return _apply("series_pow", (p,), n, out, dtype, s=s)


def sin(p, n=None, out=None, dtype=None):
    """sin(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("sin", (p,), n, out, dtype)


def cos(p, n=None, out=None, dtype=None):
    """cos(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("cos", (p,), n, out, dtype)


def tan(p, n=None, out=None, dtype=None):
    """tan(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("tan", (p,), n, out, dtype)


def atan(p, n=None, out=None, dtype=None):
    """atan(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("atan", (p,), n, out, dtype)


def sinh(p, n=None, out=None, dtype=None):
    """sinh(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("sinh", (p,), n, out, dtype)


def cosh(p, n=None, out=None, dtype=None):
    """cosh(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("cosh", (p,), n, out, dtype)


def tanh(p, n=None, out=None, dtype=None):
    """tanh(p) mod x^n (exact dtypes: constant term 0)."""
    return _apply("tanh", (p,), n, out, dtype)
