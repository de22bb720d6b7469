"""polybatch.dask.eval: polybatch.eval over dask arrays, block by block.

Rows are independent, so a batch chunked along its rows is evaluated one
row block at a time by polybatch.eval (any scheduler: threads, processes,
dask.distributed). Chunks along the coefficient axis are merged first; a
batch of one row is passed whole to every block, where it broadcasts.
"""

import functools

import dask.array as da
import numpy as np

from . import _core

__all__ = ["eval"]


def _block(*blocks, expr, names, dtype):
    return _core.eval(expr, dict(zip(names, blocks)), None, dtype, None)


def eval(expr, dtype=None, **arrays):
    """A lazy dask array: ``polybatch.eval(expr, dtype=dtype, **arrays)`` for
    dask (or numpy) arrays of shape B x L (or 1-D), computed per row block."""
    if not arrays:
        raise ValueError("polybatch.dask.eval: give at least one array (NAME=ARRAY)")
    inputs = {}
    for name, x in arrays.items():
        if not isinstance(x, da.Array):
            x = da.from_array(np.asarray(x), chunks=-1)
        if x.ndim not in (1, 2):
            raise ValueError(
                f"polybatch.dask.eval: {name} has shape {x.shape}; a batch is 1-D (one polynomial) or 2-D (B x L)"
            )
        inputs[name] = x
    if dtype is None and any(x.dtype == object for x in inputs.values()):
        # Each block would infer "int" or "rational" from its own values.
        raise ValueError("polybatch.dask.eval: object arrays need dtype='int' or dtype='rational'")
    batches = {x.shape[0] for x in inputs.values() if x.ndim == 2}
    big = batches - {1}
    if len(big) > 1:
        shapes = ", ".join(f"{n} {x.shape}" for n, x in inputs.items())
        raise ValueError(f"polybatch.dask.eval: batch sizes must be equal, or 1 (a batch of one broadcasts): {shapes}")
    rows = big.pop() if big else 1

    # The result's length and dtype from the expression over one row of
    # each operand, computing nothing (a row of zeros would be outside the
    # domain of inv, log or div); this checks the expression and the
    # operands' lengths and dtypes too.
    probe = {}
    for name, x in inputs.items():
        shape = (1, x.shape[1]) if x.ndim == 2 else x.shape
        probe[name] = np.zeros(shape, dtype=x.dtype) if x.dtype != object else np.zeros(shape, int).astype(object)
    length = _core.shape(expr, probe, dtype)[-1]
    dtype_text = _core.result_dtype(expr, probe, dtype)
    result_dtype = np.dtype(object if dtype_text in ("int", "rational") else dtype_text)

    names = list(inputs)
    row_chunks = None
    for x in inputs.values():
        if x.ndim == 2 and x.shape[0] == rows:
            row_chunks = x.chunks[0]
            break
    letters = iter("abcdefghjlmnopqrstuvwxyz")  # 'i' (rows) and 'k' (result) are the output's
    args = []
    for x in inputs.values():
        if row_chunks is not None and x.ndim == 2 and x.shape[0] == rows:
            args += [x.rechunk({0: row_chunks, 1: -1}), ("i", next(letters))]
        else:
            args += [x.rechunk(-1), tuple(next(letters) for _ in range(x.ndim))]
    one_d = row_chunks is None
    out_index = ("k",) if one_d else ("i", "k")
    return da.blockwise(
        functools.partial(_block, expr=expr, names=names, dtype=dtype),
        out_index,
        *args,
        new_axes={"k": length},
        concatenate=True,
        dtype=result_dtype,
        meta=np.empty((0,) * len(out_index), dtype=result_dtype),
    )
