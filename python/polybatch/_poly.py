"""Poly: lazy polynomial-batch expressions built with Python operators.

A Poly is a small tree in Python. Evaluating it writes the tree as ONE
expression of the command line's language over named arrays and hands that
to the compiled core, which parses it with the same parser as ``polybatch
eval`` and computes it in one fused pass (no B-sized temporaries for inner
nodes). Nothing is copied when a Poly is built.
"""

import math
import numbers
import operator
import re
from decimal import Decimal
from fractions import Fraction

from . import _core


class _Node:
    __slots__ = ("kind", "args", "param")

    def __init__(self, kind, args=(), param=None):
        self.kind = kind  # "leaf", "number", "add", "sub", "mul", "neg", "pow", or a function name
        self.args = args
        self.param = param  # the array, the number, the mode, n or k


def _is_complex(x):
    # complex, numpy's complex scalars: numbers, but no coefficient of ours
    return isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real)


def _is_bool(x):
    # Python's bool and numpy's bool_ scalar (not a numbers.Number)
    return isinstance(x, bool) or (type(x).__module__ == "numpy" and type(x).__name__ in ("bool_", "bool"))


def _is_number(x):
    return (isinstance(x, (numbers.Number, Fraction)) and not _is_complex(x)) or _is_bool(x)


def _as_scalar(x):
    """A number as one of the kinds the expression is written with (bool,
    int, Fraction, float), keeping its value exactly: other integers (numpy's,
    sympy's) as int, other rationals (sympy's) as Fraction, other reals
    (numpy's float32 or longdouble, mpmath's) as float where a double holds
    them exactly, else a TypeError rather than a rounded value."""
    _refuse_complex(x)
    if _is_bool(x) or isinstance(x, (int, Fraction, float)):
        return x
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    if isinstance(x, numbers.Real):
        f = float(x)
        # A finite value that overflows the double (a longdouble 1e400) is not
        # inf; math.isfinite would convert x to a double first.
        if (math.isfinite(f) or (x == x and abs(x) != math.inf)) and f != x:
            raise TypeError(
                f"polybatch: the scalar {x!r} ({type(x).__name__}) is not a double, and no kind of array "
                "polybatch takes holds it exactly; pass float(x) to round it, or a fractions.Fraction"
            )
        return f
    return x


def _refuse_complex(x):
    if _is_complex(x):
        raise TypeError(f"polybatch: coefficients and scalars are real; got the complex number {x!r}")
    if isinstance(x, Decimal):
        # Python itself refuses to mix a Decimal with floats; as a double it
        # would lose digits unnoticed, as a Fraction turn float work exact.
        raise TypeError(
            f"polybatch: a decimal.Decimal scalar is not taken ({x!r}); pass float(x), or fractions.Fraction(x) "
            "for its exact value"
        )


class Poly:
    """A lazy batch of polynomials: a leaf over an array (no copy) or an
    expression of Polys and numbers. ``+ - *`` and ``**`` (integer power)
    build expressions; ``.eval(out=None)`` computes one fused pass; ``.shape``
    is known without evaluating."""

    __slots__ = ("_node",)
    # numpy and torch defer to Poly's reflected operators (ndarray + Poly).
    __array_ufunc__ = None

    def __init__(self, a):
        if isinstance(a, Poly):
            self._node = a._node
        elif isinstance(a, _Node):
            self._node = a
        else:
            if _is_number(a):
                raise TypeError("Poly(a) takes an array (numpy or CPU torch), not a number")
            if a is None:
                raise TypeError("Poly(a) takes an array (numpy or CPU torch), not None")
            if isinstance(a, (str, bytes)):
                raise TypeError(f"Poly(a) takes an array (numpy or CPU torch), not a {type(a).__name__}")
            if not hasattr(a, "shape"):
                import numpy as np

                a = np.asarray(a)
            self._node = _Node("leaf", (), a)

    # -- building -----------------------------------------------------------
    @staticmethod
    def _wrap(x):
        if isinstance(x, Poly):
            return x._node
        if _is_number(x):
            return _Node("number", (), _as_scalar(x))
        return Poly(x)._node

    def _binary(self, kind, other, reflected=False):
        _refuse_complex(other)
        if not (isinstance(other, Poly) or _is_number(other) or hasattr(other, "shape")):
            return NotImplemented
        a, b = self._node, Poly._wrap(other)
        if reflected:
            a, b = b, a
        return Poly(_Node(kind, (a, b)))

    def __add__(self, other):
        return self._binary("add", other)

    def __radd__(self, other):
        return self._binary("add", other, True)

    def __sub__(self, other):
        return self._binary("sub", other)

    def __rsub__(self, other):
        return self._binary("sub", other, True)

    def __mul__(self, other):
        return self._binary("mul", other)

    def __rmul__(self, other):
        return self._binary("mul", other, True)

    def __neg__(self):
        return Poly(_Node("neg", (self._node,)))

    def __pos__(self):
        return self

    def __pow__(self, k):
        if not isinstance(k, numbers.Integral) or isinstance(k, bool):
            raise TypeError(f"Poly ** k needs an integer k >= 0, got {type(k).__name__}")
        if k < 0:
            raise ValueError(f"Poly ** k: negative powers are not polynomials (k must be >= 0), got {_short(int(k))}")
        if k > _MAX_COUNT:
            raise ValueError(f"Poly ** k: k = {_short(int(k))} is too large (at most {_MAX_COUNT:_})")
        return Poly(_Node("pow", (self._node,), int(k)))

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        # tensor + Poly: torch asks the Poly operand what to do.
        name = getattr(func, "__name__", "").strip("_")
        ops = {
            "add": operator.add,
            "radd": lambda x, y: y + x,
            "sub": operator.sub,
            "rsub": lambda x, y: y - x,
            "mul": operator.mul,
            "rmul": lambda x, y: y * x,
        }
        if name not in ops or len(args) != 2 or kwargs:
            return NotImplemented
        x, y = (a if isinstance(a, Poly) else Poly(a) for a in args)
        return ops[name](x, y)

    @staticmethod
    def _call(fn, *operands, mode=None, n=None, k=None, s=None, out=None, build_only=False, name=None):
        """A library function on Polys (lazy) or arrays (evaluated now);
        `name` is the function's public name where it differs from fn."""
        lazy = build_only or (any(isinstance(x, Poly) for x in operands) and out is None)
        nodes = []
        for x in operands:
            _refuse_number(name or _public_name(fn), x)
            nodes.append(Poly._wrap(x))
        if fn in ("convolve", "correlate"):
            _check_mode(name or fn, mode)
            param = mode
        elif fn == "truncate":
            param = _count("truncate", "n", n, 1)
        elif fn == "pow":
            param = _count("pow", "k", k, 0)
        elif fn in _SERIES:
            if fn == "series_pow":
                _refuse_complex(s)
                if not _is_number(s) or _is_bool(s):
                    raise TypeError(f"polybatch.series.pow: the exponent s must be a number, got {type(s).__name__}")
                nodes.append(_Node("number", (), _as_scalar(s)))
            param = None
            if n is not None:
                param = _count(_public_name(fn), "n", n, 1)
        else:
            param = None
        p = Poly(_Node(fn, tuple(nodes), param))
        return p if lazy else p.eval(out=out)

    # -- the one expression handed to C++ -----------------------------------
    def _compile(self):
        arrays, names = {}, {}
        kinds = set()
        floats = []
        rounded_later = []
        legend = {}  # what each generated name stands for, for messages

        def leaf(a):
            key = id(a)
            if key not in names:
                names[key] = f"p{len(names)}"
                arrays[names[key]] = a
                kinds.add(_kind(a))
                legend[names[key]] = f"the {_describe(a)}"
            return names[key]

        def number(x):
            if _is_bool(x):
                x = int(x)
            if isinstance(x, numbers.Integral):
                s = _decimal(int(x))
            elif isinstance(x, Fraction) or (isinstance(x, numbers.Real) and not _float32_literal(float(x))):
                # No literal for these: a one-coefficient array (a batch of
                # one broadcasts; multiplying by it scales). A double that
                # float32 reads only as 0 is one too, rounded below as numpy
                # rounds it when the arrays are float32.
                import numpy as np

                arr = np.array([x], dtype=object if isinstance(x, Fraction) else float)
                name = f"p{len(names)}"
                names[("n", len(names))] = name
                arrays[name] = arr
                kinds.add(_kind(arr))
                legend[name] = f"the number {x!r}"
                if arr.dtype != object:
                    rounded_later.append(name)
                return name
            else:
                floats.append(x)
                # Every digit of the double (a finite decimal): the engine
                # reads it once, rounded into float32 as numpy rounds the
                # double, and exactly into exact dtypes (repr's shortest
                # digits are another number: 0.1 would become 1/10).
                s = format(Decimal(float(x)), "e")
            return f"({s})" if s.startswith("-") else s

        # Binding strength of each node as the engine's language reads it:
        # a chain a + b + c is written without parentheses (each pair of
        # them is a level of the parser's nesting limit), a right operand of
        # the same strength keeps them (the order of the operations is kept).
        binary = {"add": ("+", 1), "sub": ("-", 1), "mul": ("*", 2)}  # operator, strength
        atom = 9

        def wrap(child, need):
            s, level = child
            return s if level >= need else f"({s})"

        def render(node, kids):
            k = node.kind
            if k == "leaf":
                return leaf(node.param), atom
            if k == "number":
                return number(node.param), atom
            if k in binary:
                op, level = binary[k]
                return f"{wrap(kids[0], level)} {op} {wrap(kids[1], level + 1)}", level
            if k == "neg":
                return f"(-{wrap(kids[0], atom)})", atom
            if k == "pow":
                return f"({kids[0][0]})^{node.param}", atom
            args = [t for t, _ in kids]
            if node.param is not None:
                args.append(str(node.param))
            return f"{k}({', '.join(args)})", atom

        def post_order(root):
            # Each distinct node once, children first, left to right, without
            # recursion (a chain of a thousand operations would pass Python's
            # recursion limit before the engine's own limit refuses it).
            seen, order = set(), []
            stack = [(root, False)]
            while stack:
                node, ready = stack.pop()
                if id(node) in seen:
                    continue
                if not ready:
                    stack.append((node, True))
                    stack.extend((child, False) for child in reversed(node.args) if id(child) not in seen)
                    continue
                seen.add(id(node))
                order.append(node)
            return order

        def text(root):
            order = post_order(root)
            # Sizes before any text: a Poly used several times is written out
            # each time (p = p + p, repeated, doubles the text every time),
            # and a deep nest writes each level's text inside the next.
            size, height, uses = {}, {}, {}
            for node in order:
                for c in node.args:
                    uses[id(c)] = uses.get(id(c), 0) + 1
                size[id(node)] = 1 + sum(size[id(c)] for c in node.args)
                # operations down to a leaf, as the engine counts them (a
                # negative number, written "(-x)", is one number there)
                height[id(node)] = 1 + max(height[id(c)] for c in node.args) if node.args else 0
                if size[id(node)] > _MAX_NODES:
                    raise ValueError(
                        f"polybatch: the expression written out has more than {_MAX_NODES:,} operations and "
                        "operands (a Poly used several times is written out each time: p = p + p, repeated, "
                        "doubles it every time)"
                    )
                if height[id(node)] > _MAX_HEIGHT:
                    raise ValueError(
                        f"polybatch: the expression is nested too deeply (its tree is more than {_MAX_HEIGHT} "
                        "operations deep)"
                    )
            # Operands are named p0, p1, ... in the order they are written;
            # a node's text is dropped once its last parent has used it.
            done = {}
            for node in order:
                kids = [done[id(c)] for c in node.args]
                for c in node.args:
                    uses[id(c)] -= 1
                    if uses[id(c)] == 0:
                        del done[id(c)]
                done[id(node)] = render(node, kids)
            return done[id(root)][0]

        source = text(self._node)
        leaves = [arrays[name] for key, name in names.items() if not isinstance(key, tuple)]
        if rounded_later and "object" not in kinds and _all_float32(leaves):
            # numpy's rule for a Python float with float32 arrays: the
            # result stays float32, the number rounded into it.
            for name in rounded_later:
                arrays[name] = arrays[name].astype("float32")
        dtype = None
        if floats and "float" not in kinds:
            # A float literal makes integer inputs compute in floating point
            # (numpy's rule for Python floats); exact inputs stay exact.
            dtype = "rational" if "object" in kinds else "float64"
        return source, arrays, dtype, legend

    # -- evaluating ---------------------------------------------------------
    def eval(self, out=None, threads=None):
        """Computes the expression in one fused pass, into ``out`` if given."""
        source, arrays, dtype, legend = self._compile()
        return _explaining(legend, _core.eval, source, arrays, out, dtype, threads)

    @property
    def shape(self):
        """The result's shape, from the operands' shapes (nothing is computed)."""
        source, arrays, dtype, legend = self._compile()
        return _explaining(legend, _core.shape, source, arrays, dtype)

    @property
    def expression(self):
        """The expression text handed to the engine (names p0, p1, ...)."""
        return self._compile()[0]

    def __repr__(self):
        # Showing a Poly never raises: one too large or too deep to write
        # out, or one the engine refuses, says why instead.
        try:
            text = self.expression
        except (ValueError, TypeError) as e:
            return f"Poly(<not written out: {e}>)"
        try:
            shape = self.shape
        except (ValueError, TypeError) as e:  # an expression that cannot be built says why
            shape = f"invalid: {e}"
        return f"Poly({text}, shape={shape})"


# The expression language's power-series functions (polybatch.series.*).
_SERIES = frozenset(
    ("inv", "div", "exp", "log", "sqrt", "series_pow", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh")
)


# The expression language takes counts (n, k) as literals of at most nine
# digits; larger ones are refused here, naming the function and argument,
# rather than as a parse error about a fragment of the generated expression.
_MAX_COUNT = 999_999_999


def _count(name, arg, value, least):
    # bool is an int to operator.index, but True as a length or power is a
    # slip, as Poly ** True and series.pow(p, True) already treat it.
    if _is_bool(value):
        raise TypeError(f"polybatch.{name}: {arg} must be an integer, got bool {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise TypeError(f"polybatch.{name}: {arg} must be an integer, got {type(value).__name__} {value!r}") from None
    if count < least:
        if name == "pow":
            raise ValueError(f"polybatch.pow: negative powers are not polynomials (k must be >= 0), got {_short(count)}")
        raise ValueError(f"polybatch.{name}: {arg} must be >= {least}, got {_short(count)}")
    if count > _MAX_COUNT:
        raise ValueError(f"polybatch.{name}: {arg} = {_short(count)} is too large (at most {_MAX_COUNT:_})")
    return count


def _short(n):
    """An integer for a message: in full unless it is very long (str()
    refuses more than 4300 digits)."""
    if abs(n) < 10**60:
        return str(n)
    return f"{'-' if n < 0 else ''}an integer of about {int(abs(n).bit_length() * 0.30103) + 1} digits"


def _refuse_number(name, x):
    """Functions of arrays take no numbers (multiply by a number instead)."""
    _refuse_complex(x)
    if _is_number(x):
        raise TypeError(f"polybatch.{name} takes arrays or Poly expressions, not a number ({x!r})")


def _check_named(what, arrays):
    """Every keyword of eval names an array: a Poly, a number, a string or
    None there is a TypeError naming it (a misspelled option, such as
    dytpe="float32", would otherwise be an unused name, silently ignored)."""
    for name, value in arrays.items():
        if isinstance(value, Poly):
            raise TypeError(
                f"{what}: {name} is a Poly expression, not an array; pass {name}={name}.eval(), or build the "
                "whole expression from Poly operators"
            )
        if value is None or isinstance(value, (str, bytes)) or _is_number(value) or _is_complex(value):
            raise TypeError(
                f"{what}: {name}={value!r} is not an array (a {type(value).__name__}); every keyword other than "
                "out, dtype and threads names an array"
            )


def _check_mode(name, mode):
    if not isinstance(mode, str) or mode not in ("full", "same", "valid"):
        raise ValueError(f"polybatch.{name}: mode must be 'full', 'same' or 'valid', got {mode!r}")


_NO_MODE = object()


def _check_operands(name, a, v, mode=_NO_MODE):
    """The arguments of the two-array functions on plain arrays (mul,
    convolve, correlate): arrays, not numbers, and a mode where they take one."""
    _refuse_number(name, a)
    _refuse_number(name, v)
    if mode is not _NO_MODE:
        _check_mode(name, mode)


def _public_name(fn):
    if fn == "series_pow":
        return "series.pow"
    return f"series.{fn}" if fn in _SERIES else fn


# The largest expression handed to the engine, written out (its tree is
# built from the text in memory, a few hundred bytes a node), and the
# deepest (the engine's own limit: building and evaluating recurse).
_MAX_NODES = 1_000_000
_MAX_HEIGHT = 1000


def _describe(a):
    """An operand in a message: its type, dtype and shape."""
    kind = "tensor" if type(a).__module__.startswith("torch") else "array"
    return f"{kind} of dtype {a.dtype} and shape {tuple(a.shape)}"


def _explaining(legend, f, *args):
    """f(*args), with the generated names (p0, p1, ...) a message mentions
    explained after it (the user never wrote them)."""
    try:
        return f(*args)
    except (ValueError, TypeError, OverflowError) as e:
        text = str(e)
        named = [f"{n} is {d}" for n, d in legend.items() if re.search(rf"\b{n}\b", text)]
        if not named:
            raise
        raise type(e)(f"{text} (in this Poly expression {'; '.join(named)})") from None


def _decimal(n):
    """n in decimal digits, however long (str() refuses more than 4300)."""
    if abs(n) < 10**4000:
        return str(n)
    sign, n = ("-" if n < 0 else ""), abs(n)
    base, pieces = 10**4000, []
    while n:
        n, r = divmod(n, base)
        pieces.append(r)
    return sign + str(pieces[-1]) + "".join(str(r).zfill(4000) for r in reversed(pieces[:-1]))


# float32's smallest subnormal is 2^-149: a double below half of it reads as 0.
_FLOAT32_HALF_SUBNORMAL = 2.0**-150


def _float32_literal(x):
    """Whether a double can be a literal: finite, and not so small that
    float32 reads it only as 0 (the engine refuses a literal that underflows,
    numpy rounds it; one beyond float32's range stays a literal, refused in
    float32 rather than turned into infinity)."""
    return math.isfinite(x) and (x == 0 or abs(x) > _FLOAT32_HALF_SUBNORMAL)


def _all_float32(leaves):
    """Whether there are arrays and all are float32, so that the result is
    float32 (integers with float32 compute in float64, as in numpy, and a
    float64 operand would widen it)."""
    return bool(leaves) and all(str(a.dtype) in ("float32", "torch.float32") for a in leaves)


def _kind(a):
    dt = getattr(a, "dtype", None)
    if dt is None:
        return "other"
    if getattr(dt, "is_floating_point", False):  # torch dtype
        return "float"
    k = getattr(dt, "kind", None)
    if k == "f":
        return "float"
    if k == "O":
        return "object"
    return "int"


def verify(e):
    """pb::verify for a Poly expression: evaluates it in its dtype and again in
    exact rationals (from the exact values of its inputs) and returns a
    report with max_abs_error, max_rel_error and worst_row."""
    if not isinstance(e, Poly):
        raise TypeError(f"polybatch.verify takes a Poly expression, got {type(e).__name__}")
    source, arrays, dtype, legend = e._compile()
    return _explaining(legend, _core.verify, source, arrays, dtype)
