"""polybatch.roots on numpy arrays, torch tensors and Poly expressions, against
numpy.roots (sorted, matched root by root), mpmath.polyroots at 50 digits,
and the backward error |p(z)| / sum |a_k| |z|^k computed in mpmath."""

import mpmath
import numpy as np
import pytest
import torch

import polybatch as pb

SEED = 20240611


def backward_error(row, z):
    """|p(z)| / sum |a_k||z|^k at 50 digits (row ascending)."""
    with mpmath.workdps(50):
        x = mpmath.mpc(complex(z))
        num = mpmath.mpf(0)
        num = abs(mpmath.polyval([mpmath.mpf(float(c)) for c in row[::-1]], x))
        den = mpmath.polyval([abs(mpmath.mpf(float(c))) for c in row[::-1]], abs(x))
        return float(num / den) if den != 0 else 0.0


def match(got, ref, tol):
    """Every finite root of `got` pairs with its own root of `ref`."""
    fin = got[np.isfinite(got)]
    assert len(fin) == len(ref), (got, ref)
    left = list(ref)
    for x in fin:
        d = [abs(x - r) for r in left]
        k = int(np.argmin(d))
        assert d[k] <= tol * max(1.0, abs(x)), (x, left)
        left.pop(k)


def numpy_roots(row):
    c = np.trim_zeros(np.asarray(row, dtype=np.float64), "b")
    return np.roots(c[::-1]) if len(c) > 1 else np.array([])


def test_random_rows_against_numpy_and_backward_error():
    rng = np.random.default_rng(SEED)
    print("seed", SEED)
    for degree in (1, 2, 3, 4, 5, 8, 12):
        a = rng.standard_normal((60, degree + 1))
        z = pb.roots(a)
        assert z.dtype == np.complex128 and z.shape == (60, degree)
        u = np.finfo(np.float64).eps / 2
        for i in range(60):
            match(z[i], numpy_roots(a[i]), 1e-6)
            key = [(x.real, x.imag) for x in z[i]]
            assert key == sorted(key)
            for x in z[i]:
                assert backward_error(a[i], x) <= 4 * (degree + 1) * u


def test_against_mpmath_polyroots():
    rows = [
        [6.0, -5.0, 1.0],  # (x-2)(x-3)
        [1.0, 0.0, 0.0, 1.0],  # x^3 + 1
        [-1.0, 0.0, 0.0, 0.0, 0.0, 1.0],  # fifth roots of unity
        [2.0, -3.0, 0.5, 7.0, -1.25, 0.75, 1.0],
    ]
    width = max(len(r) for r in rows)
    a = np.array([r + [0.0] * (width - len(r)) for r in rows])
    z = pb.roots(a)
    for i, r in enumerate(rows):
        with mpmath.workdps(50):
            ref = [complex(x) for x in mpmath.polyroots(r[::-1], maxsteps=200, extraprec=200)]
        match(z[i], ref, 1e-13)
        assert np.all(np.isnan(z[i][len(r) - 1 :]))


def test_float32_one_d_and_special_rows():
    a = np.array([2.0, -3.0, 1.0], dtype=np.float32)  # (x-1)(x-2)
    z = pb.roots(a)
    assert z.dtype == np.complex64 and z.shape == (2,)
    assert np.allclose(z, [1.0, 2.0], rtol=1e-6, atol=0)
    b = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [5.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]])
    zb = pb.roots(b)
    assert zb.shape == (4, 3)
    assert list(zb[0]) == [-1.0, 0.0, 0.0]
    assert np.all(np.isnan(zb[1])) and np.all(np.isnan(zb[2]))
    assert zb[3][0] == -1.0 and np.all(np.isnan(zb[3][1:]))
    # integers are computed in float64, as numpy.roots does
    zi = pb.roots(np.array([[-4, 0, 1]], dtype=np.int64))
    assert zi.dtype == np.complex128 and list(zi[0]) == [-2.0, 2.0]


def test_torch_and_poly():
    rng = np.random.default_rng(SEED + 1)
    a = rng.standard_normal((10, 5))
    zt = pb.roots(torch.from_numpy(a))
    assert isinstance(zt, torch.Tensor) and zt.dtype == torch.complex128 and zt.shape == (10, 4)
    assert np.array_equal(zt.numpy(), pb.roots(a))
    zt32 = pb.roots(torch.from_numpy(a.astype(np.float32)))
    assert zt32.dtype == torch.complex64
    b = rng.standard_normal((10, 3))
    p = pb.Poly(a) * pb.Poly(b)
    z = pb.roots(p)
    assert z.shape == (10, 6)
    for i in range(10):
        match(z[i], np.concatenate([numpy_roots(a[i]), numpy_roots(b[i])]), 1e-6)


def test_errors():
    bad = np.ones((3, 4))
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"roots\(a\): row 2 .*non-finite coefficient \(coefficient 1\)"):
        pb.roots(bad)
    with pytest.raises(TypeError, match="object array"):
        pb.roots(np.array([[1, 2]], dtype=object))
    # roots' own message: no suggestion of dtype='int' / 'rational', which it never accepts
    for wrong in (np.array([["1", "2"]]), np.ones((2, 3), dtype=complex), np.ones((2, 3), dtype=np.float16)):
        with pytest.raises(TypeError, match="unsupported dtype .*takes float32, float64, int32 or int64") as err:
            pb.roots(wrong)
        assert "rational" not in str(err.value)
    for empty in (np.zeros((2, 0)), np.zeros((0, 3))):
        with pytest.raises(ValueError, match="at least one row and one coefficient"):
            pb.roots(empty)
    with pytest.raises(TypeError):
        pb.roots("x^2")
    assert pb.roots(np.ones((2, 1))).shape == (2, 0)  # constants have no roots


def test_threads_do_not_change_results():
    rng = np.random.default_rng(SEED + 2)
    a = rng.standard_normal((3000, 7))
    old = pb.num_threads()
    try:
        pb.set_num_threads(1)
        z1 = pb.roots(a)
        pb.set_num_threads(2)
        z2 = pb.roots(a)
    finally:
        pb.set_num_threads(old)
    assert np.array_equal(z1, z2, equal_nan=True)


def test_out_is_filled_and_reused():
    rng = np.random.default_rng(SEED + 7)
    a = rng.standard_normal((40, 4))
    out = np.empty((40, 3), dtype=np.complex128)
    got = pb.roots(a, out=out)
    assert got is out
    np.testing.assert_array_equal(out, pb.roots(a))
    b = rng.standard_normal((40, 4))
    assert pb.roots(b, out=out) is out
    np.testing.assert_array_equal(out, pb.roots(b))
    a32 = a.astype(np.float32)
    out32 = np.empty((40, 3), dtype=np.complex64)
    np.testing.assert_array_equal(pb.roots(a32, out=out32), pb.roots(a32))
    row = rng.standard_normal(5)
    out1 = np.empty(4, dtype=np.complex128)
    np.testing.assert_array_equal(pb.roots(row, out=out1), pb.roots(row))


def test_out_sharing_memory_with_a():
    # a is a view of out's own buffer: the roots of row i would land on input
    # rows not read yet unless a is read before anything is written.
    rng = np.random.default_rng(SEED + 9)
    rows, length = 300, 6
    out = np.empty((rows, length - 1), dtype=np.complex128)
    a = out.view(np.float64).ravel()[: rows * length].reshape(rows, length)
    assert a.flags.c_contiguous and np.shares_memory(a, out)
    a[:] = rng.standard_normal((rows, length))
    original = a.copy()
    assert pb.roots(a, out=out) is out
    np.testing.assert_array_equal(out, pb.roots(original))
    for i in range(0, rows, 37):  # the roots of the rows as they were, by numpy
        match(out[i], numpy_roots(original[i]), 1e-6)


def test_out_is_checked():
    a = np.ones((6, 3))
    with pytest.raises(ValueError, match="out has dtype complex64, the result is complex128"):
        pb.roots(a, out=np.empty((6, 2), dtype=np.complex64))
    with pytest.raises(ValueError, match=r"out has shape \(6, 3\), the result is \(6, 2\)"):
        pb.roots(a, out=np.empty((6, 3), dtype=np.complex128))
    with pytest.raises(ValueError, match="C-contiguous"):
        pb.roots(a, out=np.empty((6, 4), dtype=np.complex128)[:, ::2])
    frozen = np.empty((6, 2), dtype=np.complex128)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        pb.roots(a, out=frozen)
    with pytest.raises(TypeError, match="numpy array or a CPU torch tensor"):
        pb.roots(a, out=[[0j, 0j]] * 6)
    out = np.zeros((6, 2), dtype=np.complex128)
    bad = a.copy()
    bad[4, 1] = np.nan
    with pytest.raises(ValueError, match="row 4"):
        pb.roots(bad, out=out)
    assert not out.any()


def test_out_may_be_a_torch_tensor():
    a = torch.randn(9, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(SEED))
    out = torch.empty(9, 3, dtype=torch.complex128)
    assert pb.roots(a, out=out) is out
    assert torch.equal(out, pb.roots(a))
