"""CPU torch tensors in and out: results come back as tensors sharing memory
with no copy, out= tensors are written in place, grad and device refused."""

import numpy as np
import pytest
from conftest import rows_convolve, rows_correlate

import polybatch as pb

torch = pytest.importorskip("torch")


def test_round_trip_matches_conv1d():
    g = torch.Generator().manual_seed(7)
    x = torch.randn(64, 5, generator=g, dtype=torch.float64)
    y = torch.randn(64, 7, generator=g, dtype=torch.float64)
    r = pb.mul(x, y)
    assert isinstance(r, torch.Tensor) and r.dtype == torch.float64 and r.shape == (64, 11)
    # The seed question's grouped conv1d answer, an independent reference.
    ref = torch.conv1d(x.unsqueeze(0), y.unsqueeze(1).flip(2), padding=y.size(1) - 1, groups=x.size(0)).squeeze(0)
    torch.testing.assert_close(r, ref)
    # correlate(a, v, "valid") is what conv1d computes without flipping.
    c = pb.correlate(y, x)
    ref = torch.conv1d(y.unsqueeze(0), x.unsqueeze(1), groups=64).squeeze(0)
    torch.testing.assert_close(c, ref)


def test_mixed_numpy_and_torch_gives_torch_float32():
    a = torch.ones(3, 2, dtype=torch.float32)
    b = np.ones((3, 2), dtype=np.float32)
    r = pb.mul(a, b)
    assert isinstance(r, torch.Tensor) and r.dtype == torch.float32
    np.testing.assert_array_equal(r.numpy(), rows_convolve(b, b))


def test_int_tensors_and_promotion():
    a = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    b = torch.tensor([[5, 6], [7, 8]], dtype=torch.int64)
    r = pb.mul(a, b)
    assert r.dtype == torch.int64
    np.testing.assert_array_equal(r.numpy(), rows_convolve(a.numpy(), b.numpy()))


def test_out_tensor_written_in_place():
    x = torch.randn(10, 4, dtype=torch.float64)
    y = torch.randn(10, 3, dtype=torch.float64)
    out = torch.empty(10, 6, dtype=torch.float64)
    r = pb.mul(x, y, out=out)
    assert r is out
    np.testing.assert_allclose(out.numpy(), rows_convolve(x.numpy(), y.numpy()), rtol=1e-12)
    # out is an input tensor (alias).
    s = torch.randn(10, 1, dtype=torch.float64)
    expected = rows_convolve(x.numpy(), s.numpy())
    pb.mul(x, s, out=x)
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-12)


def test_non_contiguous_tensor_is_copied_correctly():
    x = torch.randn(8, 10, dtype=torch.float64)
    a = x[:, ::2]
    assert not a.is_contiguous()
    r = pb.correlate(a, x[:, :2])
    np.testing.assert_allclose(r.numpy(), rows_correlate(a.numpy(), x[:, :2].numpy()), rtol=1e-12)


def test_requires_grad_is_a_type_error():
    x = torch.ones(2, 3, requires_grad=True)
    with pytest.raises(TypeError, match="detach"):
        pb.mul(x, x.detach())
    with pytest.raises(TypeError, match="detach"):
        pb.eval("a", a=x)


def test_unsupported_tensor_dtypes():
    with pytest.raises(TypeError):
        pb.mul(torch.ones(2, dtype=torch.bfloat16), torch.ones(2))
    with pytest.raises(TypeError):
        pb.mul(torch.ones(2, dtype=torch.complex64), torch.ones(2))


def test_poly_over_tensors_and_tensor_plus_poly():
    x = torch.randn(5, 3, dtype=torch.float64)
    y = torch.randn(5, 3, dtype=torch.float64)
    e = pb.Poly(x) * pb.Poly(y) + 1
    r = e.eval()
    assert isinstance(r, torch.Tensor)
    ref = rows_convolve(x.numpy(), y.numpy())
    ref[:, 0] += 1
    np.testing.assert_allclose(r.numpy(), ref, rtol=1e-12)
    r2 = (y + pb.Poly(x)).eval()
    np.testing.assert_allclose(r2.numpy(), (x + y).numpy(), rtol=1e-15)
