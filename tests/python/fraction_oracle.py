"""Exact references for the verify tests (polybatch.verify in tests/python,
`polybatch eval --verify` in tests/cli): polynomial arithmetic over
fractions.Fraction, and verify_report's definition of the errors. Never
polybatch."""

from fractions import Fraction as F
import math

import numpy as np


def fr(row):
    return [F(float(x)) for x in row]


def mul(p, q):
    out = [F(0)] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def add(p, q, s=1):
    n = max(len(p), len(q))
    p, q = p + [F(0)] * (n - len(p)), q + [F(0)] * (n - len(q))
    return [x + s * y for x, y in zip(p, q)]


def scale(s, p):
    return [s * x for x in p]


def compose(p, q):
    r = [p[-1]]
    for x in reversed(p[:-1]):
        r = add(mul(r, q), [x])
    return r


def value(p, x):
    return [compose(p, [x])[0]]


def correlate(p, q):  # numpy.correlate, mode valid
    r = mul(p, q[::-1])
    lo, hi = min(len(p), len(q)), max(len(p), len(q))
    return r[lo - 1 : hi]


def expected_report(rows):
    """verify_report's definition, exactly, over (row index, exact row,
    computed row) in row order: the first position of the largest relative
    error; +inf where the exact row is 0 or the computed value is not finite
    (the first such position). Returns (max abs, max rel, (row, coefficient))."""
    max_abs, max_rel, inf_abs, inf_rel, worst = F(0), F(0), False, False, (0, 0)
    for i, x, computed in rows:
        assert len(x) == len(computed), (len(x), len(computed))
        mag = max(abs(v) for v in x)
        for k, (xk, ck) in enumerate(zip(x, computed)):
            if not np.isfinite(ck):
                inf_abs = True
                if not inf_rel:
                    inf_rel, worst = True, (i, k)
                continue
            err = abs(F(float(ck)) - xk)
            max_abs = max(max_abs, err)
            if err == 0:
                continue
            sc = abs(xk) if xk != 0 else mag
            if sc == 0:
                if not inf_rel:
                    inf_rel, worst = True, (i, k)
            elif not inf_rel and err / sc > max_rel:
                max_rel, worst = err / sc, (i, k)
    return (math.inf if inf_abs else float(max_abs), math.inf if inf_rel else float(max_rel), worst)
