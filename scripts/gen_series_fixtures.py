#!/usr/bin/python3
"""Reference values for tests/test_series.cpp, computed outside polybatch.

For each function f and input row a (random doubles, taken as exact binary
values), f(a) mod x^n is computed as the composition
    f(a) = sum_m f^(m)(a0)/m! * h^m,   h = a - a0,
with the Taylor coefficients of f at a0 from sympy (exact symbolic
derivatives, evaluated to 80 digits) and h^m by naive truncated products in
mpmath at 100 digits: a different route from the library's recurrences.
A second column gives the majorant (the same sum with |f^(m)(a0)|/m! and
|h|), the scale of each coefficient's rounding error.

Writes tests/fixtures/series_mpmath.txt (n = 8: three rows per function,
inputs of length 3, 5 or 8) and series_mpmath_n16.txt, series_mpmath_n32.txt
(n = 16, 32: two rows per function, inputs of length 3, 5, 8 or n, each file
from its own generator seeded SEED + n); seeds fixed, logged in the headers.
Usage: /usr/bin/python3 scripts/gen_series_fixtures.py
"""
import os
import random

import mpmath
import sympy

SEED = 20240611
# (n, rows per function and exponent, input lengths, div rows, file name);
# the n = 8 entry reproduces the original fixture byte for byte.
SIZES = [
    (8, 3, [3, 5, 8], 3, "series_mpmath.txt"),
    (16, 2, [3, 5, 8, 16], 2, "series_mpmath_n16.txt"),
    (32, 2, [3, 5, 8, 32], 2, "series_mpmath_n32.txt"),
]
mpmath.mp.dps = 100

x = sympy.Symbol("x")
FUNCS = {
    "inv": (lambda s: 1 / x, "any"),
    "exp": (lambda s: sympy.exp(x), "any"),
    "log": (lambda s: sympy.log(x), "pos"),
    "sqrt": (lambda s: sympy.sqrt(x), "pos"),
    "pow": (lambda s: x ** s, "pos"),
    "sin": (lambda s: sympy.sin(x), "any"),
    "cos": (lambda s: sympy.cos(x), "any"),
    "tan": (lambda s: sympy.tan(x), "any"),
    "atan": (lambda s: sympy.atan(x), "any"),
    "sinh": (lambda s: sympy.sinh(x), "any"),
    "cosh": (lambda s: sympy.cosh(x), "any"),
    "tanh": (lambda s: sympy.tanh(x), "any"),
}


_DERIVS = {}


def derivatives(expr, n):
    """expr, expr', ..., expr^(n-1), each differentiated once from the last.
    Past the eighth (n = 16, 32) the last is put over a common denominator in
    lowest terms first (sympy.cancel), or tan's and atan's expressions swell
    beyond reach; the first eight are the original fixture's, untouched."""
    ds = _DERIVS.setdefault(expr, [expr])
    while len(ds) < n:
        ds.append(sympy.diff(ds[-1] if len(ds) < 8 else sympy.cancel(ds[-1]), x))
    return ds[:n]


def taylor_at(expr, a0, n):
    return [mpmath.mpf(sympy.N(d.subs(x, a0) / sympy.factorial(m), 80))
            for m, d in enumerate(derivatives(expr, n))]


def mul(p, q, n):
    return [sum(p[i] * q[k - i] for i in range(k + 1)) for k in range(n)]


def compose(coef, h, n):
    res, power = [mpmath.mpf(0)] * n, [mpmath.mpf(1)] + [mpmath.mpf(0)] * (n - 1)
    for m in range(n):
        res = [r + coef[m] * p for r, p in zip(res, power)]
        power = mul(power, h, n)
    return res


def series(expr, a, n):
    a = [mpmath.mpf(v) for v in a] + [mpmath.mpf(0)] * max(0, n - len(a))
    a0 = sympy.Rational(*float(a[0]).as_integer_ratio())
    coef = taylor_at(expr, a0, n)
    h = [mpmath.mpf(0)] + a[1:n]
    val = compose(coef, h, n)
    maj = compose([abs(c) for c in coef], [abs(v) for v in h], n)
    return val, maj


def write(N, per_row, lengths, div_rows, filename, seed):
    rng = random.Random(seed)
    lines = ["# f n s | a (doubles, exact) | reference (40 digits) | majorant; seed %d" % seed]
    for name, (make, domain) in FUNCS.items():
        exponents = [sympy.Rational(3, 10), sympy.Rational(-5, 2)] if name == "pow" else [sympy.Integer(0)]
        for s in exponents:
            for _ in range(per_row):
                la = rng.choice(lengths)
                a0 = rng.uniform(0.3, 1.7) if domain == "pos" else rng.uniform(-0.9, 0.9)
                a = [a0] + [rng.uniform(-1, 1) for _ in range(la - 1)]
                val, maj = series(make(s), a, N)
                lines.append("%s %d %s | %s | %s | %s" % (
                    name, N, s, " ".join(repr(v) for v in a),
                    " ".join(mpmath.nstr(v, 40, min_fixed=0, max_fixed=0) for v in val),
                    " ".join(mpmath.nstr(v, 5) for v in maj)))
    # div(a, b): the quotient's Taylor series as a * (1/b) by naive products.
    for _ in range(div_rows):
        a = [rng.uniform(-1, 1) for _ in range(5)]
        b = [rng.uniform(0.3, 1.7)] + [rng.uniform(-1, 1) for _ in range(4)]
        inv, maj_inv = series(1 / x, b, N)
        am = [mpmath.mpf(v) for v in a] + [mpmath.mpf(0)] * (N - len(a))
        val = mul(am, inv, N)
        maj = mul([abs(v) for v in am], maj_inv, N)
        lines.append("div %d 0 | %s ; %s | %s | %s" % (
            N, " ".join(repr(v) for v in a), " ".join(repr(v) for v in b),
            " ".join(mpmath.nstr(v, 40, min_fixed=0, max_fixed=0) for v in val),
            " ".join(mpmath.nstr(v, 5) for v in maj)))
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", filename)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.normpath(path), len(lines) - 1, "cases")


def main():
    for n, per_row, lengths, div_rows, filename in SIZES:
        write(n, per_row, lengths, div_rows, filename, SEED if n == 8 else SEED + n)

if __name__ == "__main__":
    main()
