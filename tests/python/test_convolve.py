"""polybatch.mul / convolve / correlate on numpy arrays against numpy row by row:
shapes, modes, dtypes and their promotion, broadcasting, out= and aliasing."""

import numpy as np
import pytest
from conftest import rows_convolve, rows_correlate

import polybatch as pb


@pytest.mark.parametrize("la,lb", [(5, 7), (1, 1), (1, 9), (16, 3), (33, 40)])
def test_mul_matches_numpy(rng, la, lb):
    a = rng.standard_normal((37, la))
    b = rng.standard_normal((37, lb))
    r = pb.mul(a, b)
    assert r.shape == (37, la + lb - 1) and r.dtype == np.float64
    np.testing.assert_allclose(r, rows_convolve(a, b), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("la,lv", [(5, 7), (7, 5), (4, 4), (1, 3), (9, 1)])
def test_convolve_and_correlate_modes(rng, mode, la, lv):
    a = rng.standard_normal((11, la))
    v = rng.standard_normal((11, lv))
    np.testing.assert_allclose(pb.convolve(a, v, mode), rows_convolve(a, v, mode), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pb.correlate(a, v, mode), rows_correlate(a, v, mode), rtol=1e-12, atol=1e-12)


def test_default_modes_are_numpys(rng):
    a, v = rng.standard_normal((3, 6)), rng.standard_normal((3, 4))
    assert pb.convolve(a, v).shape == (3, 9)  # full
    assert pb.correlate(a, v).shape == (3, 3)  # valid
    np.testing.assert_allclose(pb.correlate(a, v), rows_correlate(a, v, "valid"), rtol=1e-12)


def test_one_d_inputs_give_one_d_result(rng):
    a, b = rng.standard_normal(5), rng.standard_normal(7)
    r = pb.mul(a, b)
    assert r.shape == (11,)
    np.testing.assert_allclose(r, np.convolve(a, b), rtol=1e-12)
    # One 1-D operand broadcasts against a batch; the result is 2-D.
    B = rng.standard_normal((4, 7))
    r2 = pb.mul(a, B)
    assert r2.shape == (4, 11)
    np.testing.assert_allclose(r2, rows_convolve(a, B), rtol=1e-12)


def test_batch_of_one_broadcasts(rng):
    a = rng.standard_normal((1, 3))
    b = rng.standard_normal((6, 2))
    np.testing.assert_allclose(pb.mul(a, b), rows_convolve(a, b), rtol=1e-12)
    np.testing.assert_allclose(pb.mul(b, a), rows_convolve(b, a), rtol=1e-12)


def test_integers_are_exact_int64(rng):
    a = rng.integers(-1000, 1000, (20, 5))
    b = rng.integers(-1000, 1000, (20, 7))
    r = pb.mul(a, b)
    assert r.dtype == np.int64
    np.testing.assert_array_equal(r, rows_convolve(a, b))


@pytest.mark.parametrize(
    "da,db,expected",
    [
        (np.float32, np.float32, np.float32),
        (np.float32, np.float64, np.float64),
        (np.float32, np.int32, np.float64),
        (np.float32, np.int64, np.float64),
        (np.int32, np.int32, np.int64),
        (np.int32, np.int64, np.int64),
        (np.int64, np.float64, np.float64),
    ],
)
def test_dtype_promotion(rng, da, db, expected):
    a = rng.integers(-9, 9, (4, 3)).astype(da)
    b = rng.integers(-9, 9, (4, 2)).astype(db)
    r = pb.mul(a, b)
    assert r.dtype == expected
    np.testing.assert_array_equal(r, rows_convolve(a.astype(np.int64), b.astype(np.int64)).astype(expected))


def test_float32_accuracy(rng):
    a = rng.standard_normal((50, 5)).astype(np.float32)
    b = rng.standard_normal((50, 7)).astype(np.float32)
    r = pb.mul(a, b)
    assert r.dtype == np.float32
    np.testing.assert_allclose(r, rows_convolve(a.astype(np.float64), b.astype(np.float64)), rtol=1e-5, atol=1e-5)


def test_non_contiguous_inputs_are_read_correctly(rng):
    big = rng.standard_normal((10, 20))
    a = big[::2, 1:6]  # strided rows and columns
    b = big.T[:5, :7]  # Fortran order
    assert not a.flags.c_contiguous and not b.flags.c_contiguous
    np.testing.assert_allclose(pb.mul(a, b), rows_convolve(a, b), rtol=1e-12)
    swapped = np.asarray(a, dtype=">f8")  # non-native byte order
    np.testing.assert_allclose(pb.mul(swapped, b), rows_convolve(a, b), rtol=1e-12)


def test_lists_are_accepted():
    np.testing.assert_array_equal(pb.mul([1, 2], [3, 4]), [3, 10, 8])


def test_out_is_written_in_place_and_returned(rng):
    a, b = rng.standard_normal((9, 5)), rng.standard_normal((9, 7))
    out = np.full((9, 11), np.nan)
    r = pb.mul(a, b, out=out)
    assert r is out
    np.testing.assert_allclose(out, rows_convolve(a, b), rtol=1e-12)
    r = pb.convolve(a, b, "same", out=np.empty((9, 7)))
    np.testing.assert_allclose(r, rows_convolve(a, b, "same"), rtol=1e-12)
    r = pb.correlate(b, a, out=np.empty((9, 3)))
    np.testing.assert_allclose(r, rows_correlate(b, a), rtol=1e-12)


def test_out_may_be_an_input(rng):
    # Product-like roots reading their destination need a temporary: the
    # library's alias analysis must see through the adapted numpy memory.
    a = rng.standard_normal((40, 6))
    s = rng.standard_normal((40, 1))
    expected = rows_convolve(a, s)
    r = pb.mul(a, s, out=a)
    assert r is a
    np.testing.assert_allclose(a, expected, rtol=1e-12)
    # correlate(a, v, "same") into a, and a*a-type reuse through eval.
    a = rng.standard_normal((40, 6))
    v = rng.standard_normal((40, 3))
    expected = rows_correlate(a, v, "same")
    pb.correlate(a, v, "same", out=a)
    np.testing.assert_allclose(a, expected, rtol=1e-12)
    a = rng.standard_normal((40, 6))
    expected = rows_convolve(a, a, "same")
    pb.convolve(a, a, "same", out=a)
    np.testing.assert_allclose(a, expected, rtol=1e-12)


def test_out_aliasing_an_offset_view(rng):
    # out overlaps an input with another layout (rows shifted by one).
    buf = rng.standard_normal((11, 4))
    src, dst = buf[:-1], buf[1:]
    s = rng.standard_normal((10, 1))
    expected = rows_convolve(src.copy(), s)
    pb.mul(src, s, out=dst)
    np.testing.assert_allclose(buf[1:], expected, rtol=1e-12)


def test_nan_and_inf_propagate():
    a = np.array([[1.0, np.nan], [np.inf, 1.0]])
    b = np.array([[1.0, 1.0], [1.0, 0.0]])
    r = pb.mul(a, b)
    assert np.isnan(r[0, 1]) and np.isnan(r[0, 2]) and r[0, 0] == 1.0
    assert np.isinf(r[1, 0])


def test_large_batch_threads_agree(rng):
    a = rng.standard_normal((70000, 5))
    b = rng.standard_normal((70000, 7))
    old = pb.num_threads()
    try:
        pb.set_num_threads(1)
        r1 = pb.mul(a, b)
        pb.set_num_threads(2)
        assert pb.num_threads() == 2
        r2 = pb.mul(a, b)
    finally:
        pb.set_num_threads(old)
    np.testing.assert_array_equal(r1, r2)
    np.testing.assert_allclose(r1[::997], rows_convolve(a[::997], b[::997]), rtol=1e-12, atol=1e-14)
