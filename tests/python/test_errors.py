"""Bad input raises ValueError / TypeError / OverflowError with a message, never
crashes, and never writes into out= when a check fails."""

import numpy as np
import pytest

import polybatch as pb


def test_wrong_ndim():
    with pytest.raises(ValueError, match="1-D .*or 2-D"):
        pb.mul(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="1-D"):
        pb.mul(np.array(3.0), np.ones(2))
    # A number is not an array at all: the same TypeError as with Polys,
    # naming the function called (mul, not the convolve it is built on).
    for f in (pb.mul, pb.convolve, pb.correlate):
        with pytest.raises(TypeError, match=f"polybatch.{f.__name__} takes arrays .*not a number"):
            f(np.float64(3.0), np.ones(2))
        with pytest.raises(TypeError, match=f"polybatch.{f.__name__} takes arrays .*not a number"):
            f(pb.Poly(np.ones(2)), 2)


def test_zero_size():
    with pytest.raises(ValueError, match="at least one row"):
        pb.mul(np.ones((0, 3)), np.ones((0, 3)))
    with pytest.raises(ValueError, match="at least one"):
        pb.mul(np.ones((2, 0)), np.ones((2, 3)))
    with pytest.raises(ValueError):
        pb.eval("a", a=np.ones(0))


def test_mismatched_batches():
    with pytest.raises(ValueError, match="batch|mismatch"):
        pb.mul(np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="a \\+ b|mismatch"):
        pb.eval("a + b", a=np.ones((3, 2)), b=np.ones((4, 2)))


@pytest.mark.parametrize(
    "bad",
    [
        np.ones((2, 2), dtype=np.complex128),
        np.ones((2, 2), dtype=np.float16),
        np.ones((2, 2), dtype=bool),
        np.ones((2, 2), dtype=np.uint64),
        np.array([["a", "b"]]),
    ],
)
def test_unsupported_dtypes_are_type_errors(bad):
    with pytest.raises(TypeError, match="unsupported dtype"):
        pb.mul(bad, np.ones((2, 2)))


def test_non_arrays_are_type_errors():
    with pytest.raises(TypeError):
        pb.mul(None, np.ones(2))
    with pytest.raises(TypeError):
        pb.mul("abc", np.ones(2))
    with pytest.raises(TypeError):
        pb.eval("a", a=None)


def test_none_and_bool_counts_are_type_errors():
    a = np.ones((2, 3))
    with pytest.raises(TypeError, match="not None"):
        pb.Poly(None)
    with pytest.raises(TypeError, match="n must be an integer, got bool"):
        pb.truncate(a, True)
    with pytest.raises(TypeError, match="k must be an integer, got bool"):
        pb.pow(a, True)
    with pytest.raises(TypeError, match="got bool"):
        pb.series.exp(a, True)


def test_most_negative_int64_scalar():
    # -2**63 fits int64: the generated literal is one negative number, not the negation of 2**63.
    got = (pb.Poly(np.array([[5], [7]], dtype=np.int64)) + (-(2**63))).eval()
    assert got.dtype == np.int64
    assert got.tolist() == [[5 - 2**63], [7 - 2**63]]
    with pytest.raises(OverflowError):
        (pb.Poly(np.array([[-1]], dtype=np.int64)) + (-(2**63))).eval()


def test_object_arrays_with_other_objects():
    bad = np.array([[1, "x"]], dtype=object)
    with pytest.raises(TypeError, match="str"):
        pb.mul(bad, bad)
    bad = np.array([[1, None]], dtype=object)
    with pytest.raises(TypeError, match="NoneType"):
        pb.eval("a", a=bad, dtype="rational")
    with pytest.raises(TypeError, match="dtype='int' or 'rational'"):
        pb.eval("a", a=np.array([1, 2], dtype=object), dtype="float64")
    with pytest.raises(ValueError, match="no exact value"):
        pb.eval("a", a=np.array([np.nan]), dtype="rational")


def test_bad_dtype_argument():
    with pytest.raises(ValueError, match="unknown dtype"):
        pb.eval("a", a=np.ones(2), dtype="float16")
    with pytest.raises(TypeError):
        pb.eval("a", a=np.ones(2), dtype=object())


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        pb.convolve(np.ones(3), np.ones(2), "middle")
    with pytest.raises(ValueError, match="mode"):
        pb.correlate(pb.Poly(np.ones(3)), np.ones(2), "middle")


def test_parse_errors_quote_the_column():
    with pytest.raises(ValueError, match="column 5") as info:
        pb.eval("a * )", a=np.ones(2))
    assert "^" in str(info.value)
    with pytest.raises(ValueError, match="unknown function"):
        pb.eval("sinc(a)", a=np.ones(2))
    with pytest.raises(ValueError, match="division"):
        pb.eval("a / 2", a=np.ones(2))


def test_unknown_name():
    with pytest.raises(ValueError, match="unknown name 'b'.*b=ARRAY.*given: a"):
        pb.eval("a * b", a=np.ones(2))


def test_literal_not_representable():
    with pytest.raises(ValueError, match="not an integer for dtype=int64"):
        pb.eval("a * 2.5", a=np.ones(2, dtype=np.int64))


@pytest.mark.parametrize(
    "out,match",
    [
        (np.zeros((4, 10)), "shape"),
        (np.zeros((4, 11), dtype=np.float32), "dtype"),
        (np.zeros((11, 4)).T, "C-contiguous"),
        (np.zeros(44), "shape"),
        ([0.0] * 44, "numpy array"),
    ],
)
def test_bad_out_writes_nothing(out, match):
    a, b = np.ones((4, 5)), np.ones((4, 7))
    before = np.array(out, copy=True)
    with pytest.raises((ValueError, TypeError), match=match):
        pb.mul(a, b, out=out)
    np.testing.assert_array_equal(np.asarray(out), before)


def test_read_only_out():
    out = np.zeros((1, 3))
    out.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        pb.mul(np.ones(2), np.ones(2).reshape(1, 2), out=out)


def test_shape_error_leaves_out_untouched():
    out = np.full((3, 3), 7.0)
    with pytest.raises(ValueError):
        pb.eval("a*b", out=out, a=np.ones((3, 2)), b=np.ones((4, 2)))
    assert (out == 7.0).all()


def test_result_too_long():
    with pytest.raises(ValueError, match="coefficients per row"):
        pb.eval("a^100000000", a=np.ones((1, 3)))


def test_threads_argument():
    with pytest.raises(ValueError):
        pb.eval("a", a=np.ones(2), threads=0)
    with pytest.raises(TypeError):
        pb.eval("a", a=np.ones(2), threads=1.5)
    with pytest.raises(ValueError):
        pb.set_num_threads(0)
    # Beyond a machine word, or more workers than any machine has: a
    # ValueError, not a RuntimeError and not a million threads started.
    for huge in (2**64, -(2**64), 10**6):
        with pytest.raises(ValueError, match="threads must be at"):
            pb.eval("a", a=np.ones(2), threads=huge)
        with pytest.raises(ValueError, match="threads must be at"):
            pb.set_num_threads(huge)
    with pytest.raises(TypeError):
        pb.set_num_threads(None)
    old = pb.num_threads()
    pb.set_num_threads(3)
    assert pb.num_threads() == 3
    pb.set_num_threads(old)


def test_float32_out_of_range_value():
    # 1e300 has no float32 value: an error naming the element, not an infinity.
    with pytest.raises(ValueError, match=r"out of range for float32"):
        pb.eval("a*a", a=np.array([[1.0, 1e300]]), dtype="float32")
    ok = pb.eval("a", a=np.array([[1.0, -3e38]]), dtype="float32")
    assert ok.dtype == np.float32 and ok[0, 1] == np.float32(-3e38)
    assert np.isinf(pb.eval("a", a=np.array([np.inf]), dtype="float32")[0])


def test_complex_scalars_are_refused():
    a = pb.Poly(np.ones((2, 3)))
    for z in (1 + 2j, np.complex64(1 + 2j), np.complex128(3j)):
        with pytest.raises(TypeError, match="complex"):
            a * z
        with pytest.raises(TypeError, match="complex"):
            z + a
        with pytest.raises(TypeError, match="complex"):
            pb.series.pow(np.ones((2, 3)), z)


@pytest.mark.parametrize("rows", [3, 50_000])
def test_failure_part_way_leaves_out_untouched(rows):
    # The failing row is the last: with many rows the earlier tiles are
    # computed before it is reached, and still nothing lands in out=.
    a = np.ones((rows, 3), dtype=np.int64)
    a[-1, 0] = 2**62
    out = np.full((rows, 5), 7, dtype=np.int64)
    remedy = r"integer overflow in row %d.* \(evaluate in exact integers: dtype='int'" % (rows - 1)
    with pytest.raises(OverflowError, match=remedy) as caught:
        pb.mul(a, a, out=out)
    assert "rebind" not in str(caught.value)
    assert (out == 7).all()
    with pytest.raises(OverflowError):
        pb.eval("a*a + a", a=a, out=out)
    assert (out == 7).all()

    x = np.ones((rows, 4))
    x[-1, 0] = -1.0  # log's constant term must be > 0
    outf = np.full((rows, 4), 7.0)
    with pytest.raises(ValueError, match="log"):
        pb.series.log(x, out=outf)
    assert (outf == 7.0).all()
    with pytest.raises(ValueError, match="log"):
        pb.eval("2*log(a) - a", a=x, out=outf)
    assert (outf == 7.0).all()
    # and out= is still written in place when the call succeeds
    x[-1, 0] = 2.0
    assert pb.series.log(x, out=outf) is outf
    np.testing.assert_array_equal(outf, pb.series.log(x))


def test_messages_speak_python():
    # The library's C++ advice (pb::rebind, pb::cast, pb::series::) in Python's terms.
    with pytest.raises(OverflowError, match=r"dtype='int'") as e:
        pb.mul(np.array([2**62]), np.array([4]))
    assert "pb::" not in str(e.value) and "boost" not in str(e.value)
    with pytest.raises(ValueError, match=r"dtype='rational'") as e:
        pb.eval("integral(a)", a=np.array([[1, 1, 1]]))
    assert "pb::" not in str(e.value)
    with pytest.raises(ValueError, match=r"polybatch\.series\.log\(a, n\): row 1 has constant term -0\.5") as e:
        pb.series.log(np.array([[1.0, 1.0], [-0.5, 1.0]]))
    assert "pb::" not in str(e.value)


def test_poly_messages_explain_the_generated_names():
    a = np.array([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"in this Poly expression p1 is the number nan"):
        pb.verify(pb.Poly(a) * float("nan"))
    with pytest.raises(ValueError, match=r"p0 is the array of dtype float64 and shape \(2, 3\); p1 is the array"):
        (pb.Poly(np.ones((2, 3))) * pb.Poly(np.ones((3, 3)))).eval()


def test_dask_messages_name_dask():
    da = pytest.importorskip("dask.array")
    with pytest.raises(ValueError, match=r"polybatch\.dask\.eval: .*unknown name 'b'"):
        pb.dask.eval("a*b", a=da.ones((4, 2), chunks=2))


def test_exact_powers_of_constants_are_bounded():
    # a^k of an exact constant has k times its digits (3^999999999 took hours, with the GIL released).
    three = pb.Poly(np.array([3], dtype=object))
    with pytest.raises(ValueError, match="more than 1048575 times the digits of the inputs"):
        pb.pow(three, 999999999).eval()
    with pytest.raises(ValueError, match="powers of powers multiply"):
        pb.pow(pb.pow(three, 1048575), 1048575).eval()
    with pytest.raises(ValueError, match=r"needs s <= 1048576"):
        pb.eval("series_pow(a, 1000000000000000000, 2)", a=np.array([2, 1], dtype=object), dtype="rational")
    assert pb.pow(three, 1000).eval()[0] == 3**1000
    # A row's length times its digits too: (2 + x)^1048575 would be 128 GB a row.
    two_one = pb.Poly(np.array([2, 1], dtype=object))
    too_long = r"more than 2\^30 times the digits of an input value \(1048576 coefficients"
    with pytest.raises(ValueError, match=too_long):
        pb.pow(two_one, 1048575).eval()
    assert pb.pow(two_one, 100).eval()[100] == 1
    with pytest.raises(ValueError, match=too_long):
        pb.eval("series_pow(a, 1048576, 1048576)", a=np.array([2, 1], dtype=object), dtype="rational")


def test_horner_steps_may_leave_int64_when_the_value_fits():
    a = np.array([[-(2**63 - 1), 0, 1]], dtype=np.int64)
    assert pb.eval("eval_at(a, 3037000500)", a=a).tolist() == [[-(2**63 - 1) + 3037000500**2]]
    with pytest.raises(OverflowError, match="does not fit"):
        pb.eval("eval_at(a, 8589934592)", a=a)


def test_bad_mode_is_a_value_error_on_both_paths():
    a = np.ones((2, 3))
    for x in (a, pb.Poly(a)):
        for mode in (None, "ful", 3):
            with pytest.raises(ValueError, match="mode must be 'full', 'same' or 'valid'"):
                pb.convolve(x, a, mode)
            with pytest.raises(ValueError, match="mode must be 'full', 'same' or 'valid'"):
                pb.correlate(x, a, mode)


def test_eval_keywords_must_be_arrays():
    a = np.ones((2, 3))
    # A misspelled option is not an unused array name, silently ignored.
    with pytest.raises(TypeError, match="dytpe='float32' is not an array"):
        pb.eval("a * 2", a=a, dytpe="float32")
    for bad in (None, 2, 2.5, True, b"x"):
        with pytest.raises(TypeError, match="is not an array"):
            pb.eval("a * 2", a=a, unused=bad)
    with pytest.raises(TypeError, match="a is a Poly expression, not an array; pass a=a.eval"):
        pb.eval("a * 2", a=pb.Poly(a))
    # numpy integers are thread counts; bools are not.
    assert np.array_equal(pb.eval("a * 2", a=a, threads=np.int64(2)), 2 * a)
    with pytest.raises(TypeError, match="threads must be an int, got bool"):
        pb.eval("a * 2", a=a, threads=True)
    with pytest.raises(TypeError, match="threads must be an int"):
        pb.eval("a * 2", a=a, threads=np.bool_(True))
    with pytest.raises(ValueError, match="threads must be at most .*beyond 64 bits"):
        pb.eval("a * 2", a=a, threads=10**5000)


def test_poly_of_text_is_refused_when_built():
    for text in ("abc", b"abc"):
        with pytest.raises(TypeError, match="Poly\\(a\\) takes an array"):
            pb.Poly(text)


def test_repr_never_raises():
    a = pb.Poly(np.ones((1, 2)))
    deep = a
    for _ in range(1001):
        deep = deep + a
    assert "nested too deeply" in repr(deep)
    wide = a
    for _ in range(30):
        wide = wide + wide
    assert "more than 1,000,000 operations" in repr(wide)
    assert repr(a * a).startswith("Poly(p0 * p0, shape=(1, 3))")


def test_huge_power_is_refused_without_printing_it():
    a = pb.Poly(np.ones((1, 2)))
    with pytest.raises(ValueError, match="Poly \\*\\* k: k = an integer of about 5001 digits is too large"):
        a ** 10**5000
    with pytest.raises(ValueError, match="k = 1000000000 is too large"):
        a ** 10**9
    with pytest.raises(ValueError, match="polybatch.pow: k = an integer of about 5001 digits is too large"):
        pb.pow(np.ones((1, 2)), 10**5000)


def test_an_element_whose_type_check_raises_propagates_its_error():
    # isinstance() on an element reads its __class__; an error raised there
    # reaches the caller as it is (not a SystemError, not ignored).
    class Odd:
        @property
        def __class__(self):
            raise RuntimeError("no class for you")

        def __index__(self):
            return 3

    x = np.empty((1, 2), dtype=object)
    x[0, 0], x[0, 1] = Odd(), 1
    with pytest.raises(RuntimeError, match="no class for you"):
        pb.mul(x, x)
