"""polybatch.dask.eval: lazy dask arrays over row blocks, equal to the
single-process polybatch.eval and to numpy, on the threaded scheduler and on a
two-process dask.distributed cluster."""

import numpy as np
import pytest
from conftest import rows_convolve

import polybatch as pb

da = pytest.importorskip("dask.array")


def data(rows=10_000):
    rng = np.random.default_rng(3)
    return rng.standard_normal((rows, 5)), rng.standard_normal((rows, 7)), rng.standard_normal((1, 3))


def test_lazy_and_equal_to_eval():
    a, b, c = data()
    A = da.from_array(a, chunks=(1500, 2))  # chunks along L are merged first
    B = da.from_array(b, chunks=(4000, 7))  # different row chunks are aligned
    C = da.from_array(c)  # a batch of one broadcasts
    expr = "a*b + convolve(a, c, same)"
    r = pb.dask.eval(expr, a=A, b=B, c=C)
    assert isinstance(r, da.Array)
    assert r.shape == (10_000, 11) and r.dtype == np.float64
    got = r.compute(scheduler="threads")
    np.testing.assert_array_equal(got, pb.eval(expr, a=a, b=b, c=c))
    ref = rows_convolve(a, b)
    ref[:, :5] += rows_convolve(a, c, "same")
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13)


def test_exact_dtype_and_errors():
    a = np.array([[2**70, 1], [3, 4]], dtype=object)
    r = pb.dask.eval("a*a", a=da.from_array(a, chunks=(1, 2)), dtype="int").compute(scheduler="sync")
    assert list(r[0]) == [2**140, 2**71, 1]
    with pytest.raises(ValueError):
        pb.dask.eval("a*b", a=da.ones((4, 2)), b=da.ones((5, 2)))
    with pytest.raises(ValueError):
        pb.dask.eval("a*)", a=da.ones((4, 2)))
    with pytest.raises(ValueError, match="dtype='int'"):
        pb.dask.eval("a*a", a=da.from_array(a, chunks=(1, 2)))


def test_distributed_cluster_matches_single_process():
    distributed = pytest.importorskip("dask.distributed")
    a, b, _ = data(40_000)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        A = da.from_array(a, chunks=(10_000, 5))
        B = da.from_array(b, chunks=(10_000, 7))
        r = pb.dask.eval("(a*b)^2 - a", a=A, b=B)
        got = client.compute(r).result()
    np.testing.assert_array_equal(got, pb.eval("(a*b)^2 - a", a=a, b=b))
    ab = rows_convolve(a, b)
    ref = rows_convolve(ab, ab)
    ref[:, :5] -= a
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-10 * np.abs(ref).max())


def test_series_functions_outside_zero_domain():
    # log, inv and div are undefined on a row of zeros: building the graph
    # must not evaluate the expression on one.
    rng = np.random.default_rng(5)
    a = rng.uniform(0.5, 2.0, (2_000, 4))
    A = da.from_array(a, chunks=(500, 4))
    for expr in ("log(a)", "inv(a, 6)", "div(a, a*a)"):
        r = pb.dask.eval(expr, a=A)
        assert r.dtype == np.float64
        np.testing.assert_array_equal(r.compute(scheduler="threads"), pb.eval(expr, a=a))
    # log(a) against its own definition: exp(log(a)) = a to rounding
    back = pb.dask.eval("exp(log(a))", a=A).compute(scheduler="threads")
    np.testing.assert_allclose(back, a, rtol=1e-13, atol=1e-13)
    q = np.array([[1, 2], [1, 3]], dtype=object)
    r = pb.dask.eval("inv(a, 3)", a=da.from_array(q, chunks=(1, 2)), dtype="rational")
    assert r.dtype == object
    from fractions import Fraction

    assert list(r.compute(scheduler="sync")[0]) == [Fraction(1), Fraction(-2), Fraction(4)]


def test_only_the_arrays_the_expression_names_take_part():
    c = np.array([1.0, 2.0])
    A = da.ones((6, 3), chunks=(2, 3))
    # A 1-D result when only 1-D arrays are read, whatever else is passed.
    r = pb.dask.eval("c*c", c=c, a=A, b=np.ones((5, 3)))
    assert r.shape == (3,)
    np.testing.assert_array_equal(r.compute(scheduler="sync"), np.convolve(c, c))
    r = pb.dask.eval("1+2", a=A)
    np.testing.assert_array_equal(r.compute(scheduler="sync"), pb.eval("1+2", a=np.ones((6, 3))))
    # Any number of inputs, batches of one among them.
    arrays = {f"x{i}": da.from_array(np.full((6, 2), float(i)), chunks=(2, 2)) for i in range(25)}
    arrays.update({f"y{i}": np.full((1, 2), 1.0) for i in range(24)})
    expr = "+".join(arrays)
    got = pb.dask.eval(expr, **arrays).compute(scheduler="sync")
    np.testing.assert_array_equal(got, np.full((6, 2), sum(range(25)) + 24.0))


def test_errors_name_rows_of_the_whole_batch_and_come_before_scheduling():
    a = np.ones((10, 3))
    a[7, 0] = -1
    with pytest.raises(ValueError, match=r"rows 4\.\.7 .*row 0 is row 4.*row 3 has constant term -1"):
        pb.dask.eval("log(a)", a=da.from_array(a, chunks=(4, 3))).compute(scheduler="sync")
    big = np.ones((10, 2), dtype=np.int64)
    big[9] = 2**62
    with pytest.raises(OverflowError, match=r"rows 8\.\.9"):
        pb.dask.eval("a*a", a=da.from_array(big, chunks=(4, 2))).compute(scheduler="sync")
    # Refused when the graph is built, with eval's exception types.
    with pytest.raises(ValueError, match="at least one row"):
        pb.dask.eval("a*a", a=da.zeros((0, 5)))
    with pytest.raises(TypeError, match="NoneType"):
        pb.dask.eval("a*a", a=None)
    with pytest.raises(TypeError, match="str"):
        pb.dask.eval("a*a", a="abc")
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="detach"):
        pb.dask.eval("a*a", a=torch.ones(4, 3, requires_grad=True))
    t = torch.arange(12, dtype=torch.float64).reshape(4, 3)
    np.testing.assert_array_equal(pb.dask.eval("a*a", a=t).compute(scheduler="sync"), pb.eval("a*a", a=t.numpy()))


def test_empty_row_blocks_unknown_chunks_and_eager_arguments():
    a = np.arange(300.0).reshape(100, 3)
    A = da.from_array(a, chunks=(25, 3))
    # Boolean indexing leaves chunks of unknown size: named, with the remedy.
    masked = A[A[:, 0] >= 150]
    with pytest.raises(ValueError, match="a has chunks of unknown size.*compute_chunk_sizes"):
        pb.dask.eval("a*a", a=masked)
    # Known again, two of its row blocks are empty: they are dropped.
    masked.compute_chunk_sizes()
    assert 0 in masked.chunks[0]
    kept = a[a[:, 0] >= 150]
    got = pb.dask.eval("a*a + a", a=masked).compute(scheduler="sync")
    np.testing.assert_array_equal(got, pb.eval("a*a + a", a=kept))
    uneven = da.from_array(a, chunks=((30, 0, 70), 3))
    np.testing.assert_array_equal(pb.dask.eval("a*a", a=uneven).compute(scheduler="sync"), pb.eval("a*a", a=a))
    exact = da.from_array(a.astype(int).astype(object), chunks=((50, 0, 50), 3))
    r = pb.dask.eval("a*a", a=exact, dtype="int").compute(scheduler="sync")
    assert r.shape == (100, 5) and r[99, 4] == 299**2
    # One row left, after empty row blocks (dask 2022.12 itself fails on such an array).
    one = A[A[:, 0] == 297.0]
    one.compute_chunk_sizes()
    assert one.chunks[0] == (0, 0, 0, 1)
    np.testing.assert_array_equal(
        pb.dask.eval("a*a", a=one).compute(scheduler="sync"), [np.convolve(a[99], a[99])]
    )
    # out= and threads= belong to polybatch.eval: here they would be dropped.
    with pytest.raises(TypeError, match="takes no out="):
        pb.dask.eval("a*a", a=A, out=np.zeros((100, 5)))
    with pytest.raises(TypeError, match="takes no threads="):
        pb.dask.eval("a*a", a=A, threads=4)
    with pytest.raises(ValueError, match=r"a has shape \(5, 0\)"):
        pb.dask.eval("a*a", a=da.zeros((5, 0)))


def test_row_blocks_follow_the_dask_input_and_type_errors_name_whole_batch_rows():
    rng = np.random.default_rng(5)
    # Small integers in doubles: every product and sum exact, so the oracle compares equal.
    a, b = rng.integers(-99, 100, (1000, 4)).astype(float), rng.integers(-99, 100, (1000, 3)).astype(float)
    B = da.from_array(b, chunks=(100, 3))
    # a (numpy, one chunk) comes first in the expression: B's ten row blocks still lead.
    for expr in ("a*b", "b*a"):
        r = pb.dask.eval(expr, a=a, b=B)
        assert r.numblocks == (10, 1), expr
        np.testing.assert_array_equal(r.compute(scheduler="sync"), [np.convolve(x, y) for x, y in zip(a, b)])
    o = np.arange(16).reshape(8, 2).astype(object)
    o[6, 1] = "x"
    with pytest.raises(TypeError, match=r"rows 4\.\.7 .*row 0 is row 4.*a\[2, 1\]"):
        pb.dask.eval("a*a", a=da.from_array(o, chunks=(4, 2)), dtype="int").compute(scheduler="sync")
    # A batch of one is passed whole to every block: its indices are its own, and the message says so.
    one = np.array([[1.0, np.nan]])
    with pytest.raises(ValueError, match=r"rows 0\.\.3 \(its row 0 is row 0; b, passed whole to every block, "
                                         r"keeps its own indices\).*b\[0, 1\] is nan"):
        pb.dask.eval("a*b", a=da.from_array(np.ones((8, 2)), chunks=(4, 2)), b=one, dtype="rational").compute(
            scheduler="sync"
        )
