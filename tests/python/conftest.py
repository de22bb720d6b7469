"""Shared references for the Python tests: numpy row by row, never polybatch."""

import numpy as np
import pytest


def rows_convolve(a, v, mode="full"):
    """numpy.convolve of every row (a batch of one broadcasts)."""
    a2, v2 = np.atleast_2d(a), np.atleast_2d(v)
    n = max(len(a2), len(v2))
    rows = [np.convolve(a2[i % len(a2)], v2[i % len(v2)], mode) for i in range(n)]
    return np.array(rows)


def rows_correlate(a, v, mode="valid"):
    a2, v2 = np.atleast_2d(a), np.atleast_2d(v)
    n = max(len(a2), len(v2))
    rows = [np.correlate(a2[i % len(a2)], v2[i % len(v2)], mode) for i in range(n)]
    return np.array(rows)


@pytest.fixture
def rng():
    return np.random.default_rng(20261201)
