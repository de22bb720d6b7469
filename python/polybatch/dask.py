"""polybatch.dask.eval: polybatch.eval over dask arrays, block by block.

Rows are independent, so a batch chunked along its rows is evaluated one
row block at a time by polybatch.eval (any scheduler: threads, processes,
dask.distributed). Chunks along the coefficient axis are merged first; a
batch of one row is passed whole to every block, where it broadcasts.
"""

import functools
import math

import dask
import dask.array as da
import numpy as np

from . import _core
from ._poly import _check_named

__all__ = ["eval"]

_WHAT = "polybatch.dask.eval"


def _block(*blocks, expr, names, dtype, numbered, passed_whole=()):
    # numbered: the first block is this block's row numbers in the batch
    # (never empty: empty row chunks are dropped before the blocks are formed).
    # passed_whole: the names whose batch of one (or 1-D array) every block
    # gets whole; the engine's indices for them are their own.
    row_numbers, blocks = (blocks[0], blocks[1:]) if numbered else (None, blocks)
    try:
        return _core.eval(expr, dict(zip(names, blocks)), None, dtype, None)
    except (ValueError, TypeError, OverflowError) as e:
        # Row numbers in the engine's message count from the block's first
        # row; say which rows of the whole batch the block holds.
        if row_numbers is None:
            raise
        first, last = int(row_numbers[0]), int(row_numbers[-1])
        whole = ""
        if passed_whole:
            listed = ", ".join(passed_whole)
            keeps = "keep their" if len(passed_whole) > 1 else "keeps its"
            whole = f"; {listed}, passed whole to every block, {keeps} own indices"
        raise type(e)(f"{_WHAT}: in the block of rows {first}..{last} (its row 0 is row {first}{whole}): {e}") from e


def _whole(expr, dtype):
    return _core.eval(expr, {}, None, dtype, None)


def eval(expr, dtype=None, **arrays):
    """A lazy dask array: ``polybatch.eval(expr, dtype=dtype, **arrays)`` for
    dask (or numpy) arrays of shape B x L (or 1-D), computed per row block.
    Only the arrays the expression names take part, as in polybatch.eval."""
    for word in ("out", "threads"):
        if word in arrays:
            raise TypeError(
                f"{_WHAT} takes no {word}= (it returns a lazy dask array; the scheduler runs its blocks, "
                f"and compute() makes the result)"
            )
    _check_named(_WHAT, arrays)
    inputs = {}
    from_dask = set()  # the names given as dask arrays: their row chunks lead
    for name in _core.names(expr):  # a syntax error is a ValueError here
        if name not in arrays:
            continue  # the probe below names what is missing
        x = arrays[name]
        if isinstance(x, da.Array):
            from_dask.add(name)
        else:
            # polybatch.eval's own reading: its TypeErrors for None, text,
            # unsupported dtypes and tensors that need .detach() or .cpu().
            x = da.from_array(_core.as_array(x, name, _WHAT), chunks=-1)
        if x.ndim not in (1, 2):
            raise ValueError(f"{_WHAT}: {name} has shape {x.shape}; a batch is 1-D (one polynomial) or 2-D (B x L)")
        if any(math.isnan(c) for chunks in x.chunks for c in chunks):
            raise ValueError(
                f"{_WHAT}: {name} has chunks of unknown size (shape {x.shape}, as after boolean indexing); "
                f"call {name}.compute_chunk_sizes() first"
            )
        if x.shape[-1] == 0:
            raise ValueError(f"{_WHAT}: {name} has shape {x.shape}; a polynomial needs at least one coefficient")
        inputs[name] = x
    if dtype is None and any(x.dtype == object for x in inputs.values()):
        # Each block would infer "int" or "rational" from its own values.
        raise ValueError(f"{_WHAT}: object arrays need dtype='int' or dtype='rational'")
    batches = {x.shape[0] for x in inputs.values() if x.ndim == 2}
    big = batches - {1}
    if len(big) > 1:
        shapes = ", ".join(f"{n} {x.shape}" for n, x in inputs.items())
        raise ValueError(f"{_WHAT}: batch sizes must be equal, or 1 (a batch of one broadcasts): {shapes}")
    rows = big.pop() if big else 1

    # The result's shape and dtype from the expression over one row of each
    # operand (no rows where a batch has none), computing nothing: a row of
    # zeros would be outside the domain of inv, log or div. This checks the
    # expression, the names and the operands' lengths and dtypes too.
    probe = {}
    for name, x in inputs.items():
        shape = (min(x.shape[0], 1), x.shape[1]) if x.ndim == 2 else x.shape
        probe[name] = np.zeros(shape, dtype=x.dtype) if x.dtype != object else np.zeros(shape, int).astype(object)
    shape = _core.shape(expr, probe, dtype, _WHAT)
    length = shape[-1]
    dtype_text = _core.result_dtype(expr, probe, dtype, _WHAT)
    result_dtype = np.dtype(object if dtype_text in ("int", "rational") else dtype_text)

    if not inputs:  # numbers only: one small result
        return da.from_delayed(dask.delayed(_whole)(expr, dtype), shape=tuple(shape), dtype=result_dtype)

    names = list(inputs)
    one_d = len(shape) == 1
    row_chunks = None
    if not one_d:
        # The row chunks of the first full batch given as a dask array (numpy
        # inputs, one chunk each, follow it), else of the first full batch.
        full = [n for n, x in inputs.items() if x.ndim == 2 and x.shape[0] == rows]
        leader = next((n for n in full if n in from_dask), full[0] if full else None)
        if leader is not None:
            # Without its empty chunks (boolean indexing leaves them): dask
            # 2022.12 fails on a one-row array chunked (0, 1).
            row_chunks = tuple(c for c in inputs[leader].chunks[0] if c > 0) or (rows,)
    # Each row block also gets its row numbers (made per block, when it is
    # computed), so that an error can name rows of the whole batch.
    numbered = row_chunks is not None
    args = [da.arange(rows, chunks=(row_chunks,)), ("i",)] if numbered else []
    for n, x in enumerate(inputs.values()):
        # Index names of dask's blockwise: "i" (rows) and "k" (coefficients)
        # are the result's; each input's own axes get names of their own.
        if row_chunks is not None and x.ndim == 2 and x.shape[0] == rows:
            args += [x.rechunk({0: row_chunks, 1: -1}), ("i", f"c{n}")]
        else:
            args += [x.rechunk(-1), tuple(f"w{n}_{d}" for d in range(x.ndim))]
    out_index = ("k",) if row_chunks is None else ("i", "k")
    return da.blockwise(
        functools.partial(
            _block,
            expr=expr,
            names=names,
            dtype=dtype,
            numbered=numbered,
            passed_whole=tuple(n for n, x in inputs.items() if x.ndim == 1 or x.shape[0] != rows) if numbered else (),
        ),
        out_index,
        *args,
        new_axes={"k": length},
        concatenate=True,
        dtype=result_dtype,
        meta=np.empty((0,) * len(out_index), dtype=result_dtype),
    )
