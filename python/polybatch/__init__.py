"""polybatch: batched polynomial arithmetic, fused and exact, from Python.

Arrays are numpy arrays or CPU torch tensors of shape B x L (row i holds the
coefficients c0 + c1 x + ... of one polynomial, ascending powers) or 1-D (one
polynomial). Every check and all the arithmetic happen in the compiled core
(polybatch._core, the C++ library); this file only adds keyword arguments,
the lazy ``Poly`` class and the ``dask`` submodule.
"""

from . import _core, series
from ._poly import Poly, _check_named, _check_operands, verify

__all__ = [
    "Poly",
    "mul",
    "convolve",
    "correlate",
    "eval",
    "derivative",
    "integral",
    "compose",
    "truncate",
    "pow",
    "verify",
    "roots",
    "series",
    "set_num_threads",
    "num_threads",
    "VerifyReport",
]

VerifyReport = _core.VerifyReport

if _core.num_threads_env_problem():
    # The library ignores such a value (and uses the hardware's count); an
    # import is no place to fail, so it is said once here.
    import warnings

    warnings.warn(
        f"polybatch: {_core.num_threads_env_problem()}; it is ignored (set it to one, unset it, or call "
        "polybatch.set_num_threads)",
        RuntimeWarning,
        stacklevel=2,
    )
set_num_threads = _core.set_num_threads
num_threads = _core.num_threads

_mul = _core.mul
_convolve = _core.convolve
_correlate = _core.correlate
_eval = _core.eval


def mul(a, b, out=None):
    """Row-wise polynomial product (full convolution), as ``a * b`` in C++."""
    if isinstance(a, Poly) or isinstance(b, Poly):
        return Poly._call("convolve", a, b, mode="full", out=out, name="mul")
    _check_operands("mul", a, b)
    return _mul(a, b, out)


def convolve(a, v, mode="full", out=None):
    """``numpy.convolve(a[i], v[i], mode)`` for every row i."""
    if isinstance(a, Poly) or isinstance(v, Poly):
        return Poly._call("convolve", a, v, mode=mode, out=out)
    _check_operands("convolve", a, v, mode)
    return _convolve(a, v, mode, out)


def correlate(a, v, mode="valid", out=None):
    """``numpy.correlate(a[i], v[i], mode)`` for every row i (what torch.conv1d computes)."""
    if isinstance(a, Poly) or isinstance(v, Poly):
        return Poly._call("correlate", a, v, mode=mode, out=out)
    _check_operands("correlate", a, v, mode)
    return _correlate(a, v, mode, out)


def eval(expr, out=None, dtype=None, threads=None, **arrays):
    """Evaluates ``expr`` (the language of ``polybatch eval`` on the command
    line: + - * ^, convolve, correlate, pow, derivative, integral, compose,
    truncate, eval_at and the power series inv, div, exp, log, sqrt,
    series_pow, sin, cos, tan, atan, sinh, cosh, tanh) over the named arrays,
    in one fused pass.

    dtype: None (numpy promotion of the inputs), "float32", "float64",
    "int64", "int" (exact integers: object array of Python int) or
    "rational" (exact: object array of fractions.Fraction).
    threads: threads for this call (default: ``num_threads()``).
    """
    _check_named("polybatch.eval", arrays)
    return _eval(expr, arrays, out, dtype, threads)


def derivative(a, out=None):
    """d/dx of every row (length max(L-1, 1))."""
    return Poly._call("derivative", a, out=out)


def integral(a, out=None):
    """Antiderivative of every row with constant term 0 (length L+1)."""
    return Poly._call("integral", a, out=out)


def compose(a, b, out=None):
    """a(b(x)) row by row."""
    return Poly._call("compose", a, b, out=out)


def truncate(a, n, out=None):
    """The first n coefficients of a (only those are computed)."""
    return Poly._call("truncate", a, n=n, out=out)


def pow(a, k, out=None):
    """a to the integer power k >= 0."""
    return Poly._call("pow", a, k=k, out=out)


def roots(a, *, out=None):
    """Every complex root of each row of a (ascending powers), with
    multiplicity, sorted by (real, imaginary) part; NaN fills the places of a
    row of lower degree. complex64 for float32 input, complex128 otherwise (a
    torch tensor for torch input); 1-D input gives 1-D output. A ``Poly`` is
    evaluated first. ``out``: a C-contiguous, writeable numpy array or CPU
    torch tensor of the result's dtype and shape, filled and returned
    (repeated calls then reuse one result). Each root meets the backward
    error bound |p(z)| <= 2(n+1)u sum |a_k||z|^k, unless its row ran out of
    iterations (80 + 2n; random rows need 4-11): such a root is returned as
    it stands. See docs/roots.md."""
    if isinstance(a, Poly):
        a = a.eval()
    return _core.roots(a, out=out)


def __getattr__(name):
    # `polybatch.dask` is imported on first use: importing dask costs a
    # noticeable fraction of a second and most programs do not need it.
    if name == "dask":
        import importlib

        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module 'polybatch' has no attribute {name!r}")
