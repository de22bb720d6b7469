#!/usr/bin/python3
"""Writes tests/fixtures/roots_mpmath.txt: hard rows for pb::roots with their
roots from mpmath.polyroots at 60 digits (an independent reference).

Each case is three lines:  'c a0 a1 ... an' (coefficients, ascending powers,
exactly representable doubles), 'r re0 im0 re1 im1 ...' (the roots sorted by
(real, imag)), 't TOL' (the accepted distance of each computed root from the
reference, from the row's conditioning).
Run: /usr/bin/python3 scripts/gen_roots_fixtures.py > tests/fixtures/roots_mpmath.txt"""
import random

import mpmath

mpmath.mp.dps = 60
random.seed(20240601)


def poly_from_roots(roots):
    c = [mpmath.mpf(1)]
    for r in roots:
        c = [(c[k - 1] if k > 0 else 0) - r * (c[k] if k < len(c) else 0) for k in range(len(c) + 1)]
    return c


def case(coeffs, tol):
    coeffs = [float(mpmath.re(x)) for x in coeffs]  # exactly what the test reads
    desc = list(reversed([mpmath.mpf(x) for x in coeffs]))
    roots = mpmath.polyroots(desc, maxsteps=2000, extraprec=2000)
    roots = sorted((complex(r) for r in roots), key=lambda z: (z.real, z.imag))
    print("c " + " ".join(repr(x) for x in coeffs))
    print("r " + " ".join(f"{z.real!r} {z.imag!r}" for z in roots))
    print(f"t {tol!r}")


# Wilkinson's polynomial of degree 12 (exact integer coefficients below 2^53).
case(poly_from_roots(range(1, 13)), 1e-4)
# Chebyshev T_20 (real roots clustered at +-1), coefficients exact.
case(mpmath.taylor(lambda x: mpmath.chebyt(20, x), 0, 20), 1e-9)
# x^40 - 1 (roots of unity) and x^64 + x + 1.
case([-1] + [0] * 39 + [1], 1e-13)
case([1, 1] + [0] * 62 + [1], 1e-12)
# Roots spread over 60 orders of magnitude: prod (x - 10^(3k)), k = -5..5 (rounded coefficients).
case(poly_from_roots([mpmath.mpf(10) ** (3 * k) for k in range(-5, 6)]), 1e-9)
# A random degree-30 row with standard normal coefficients.
case([random.gauss(0, 1) for _ in range(31)], 1e-10)
# A cluster: (x - 1)^4 (x + 0.5)(x^2 + 1), multiplicity 4 converges to about u^(1/4).
case(poly_from_roots([1, 1, 1, 1, -0.5, 1j, -1j]), 1e-3)
