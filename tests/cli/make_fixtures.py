#!/usr/bin/env python3
"""Writes the small input files of the command-line tests (tests/cli/data).

Pure Python (struct), so the fixtures can be regenerated without numpy; the
.npy layout follows numpy's format specification (version 1.0). The outputs
are committed, so the tests themselves need no Python.
"""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def npy_bytes(descr, shape, values, fortran=False, fmt=None):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False",
        "(%d,)" % shape[0] if len(shape) == 1 else "(" + ", ".join(str(s) for s in shape) + ")")
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    out = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")
    code = fmt or {"<f8": "d", "<f4": "f", "<i8": "q", "<i4": "i", ">f8": "d"}[descr]
    endian = ">" if descr.startswith(">") else "<"
    return out + struct.pack(endian + code * len(values), *values)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def rows(b, l, seed):
    # Small integers so that every type computes the products exactly.
    vals, x = [], seed
    for _ in range(b * l):
        x = (x * 1103515245 + 12345) % 2**31
        vals.append((x >> 16) % 19 - 9)
    return vals


def main():
    os.makedirs(HERE, exist_ok=True)
    a, b, c = rows(4, 5, 1), rows(4, 7, 2), rows(4, 3, 3)
    write("a.npy", npy_bytes("<f8", (4, 5), [float(v) for v in a]))
    write("b.npy", npy_bytes("<f8", (4, 7), [float(v) for v in b]))
    write("c.npy", npy_bytes("<f8", (4, 3), [float(v) for v in c]))
    write("a_f32.npy", npy_bytes("<f4", (4, 5), [float(v) for v in a]))
    write("a_i32.npy", npy_bytes("<i4", (4, 5), a))
    write("a_i64.npy", npy_bytes("<i8", (4, 5), a))
    write("b_i64.npy", npy_bytes("<i8", (4, 7), b))
    # The same 4 x 5 values stored column by column.
    fortran = [float(a[i * 5 + k]) for k in range(5) for i in range(4)]
    write("a_fortran.npy", npy_bytes("<f8", (4, 5), fortran, fortran=True))
    write("one.npy", npy_bytes("<f8", (3,), [1.0, 2.0, 3.0]))
    write("m3.npy", npy_bytes("<f8", (3, 5), [1.0] * 15))
    write("half.npy", npy_bytes("<f8", (1, 2), [0.5, 1.0]))
    write("big_i64.npy", npy_bytes("<i8", (1, 2), [2**53 + 1, 1]))
    write("complex.npy", npy_bytes("<c16", (2, 2), [0.0] * 8, fmt="d"))
    write("bigendian.npy", npy_bytes(">f8", (2, 2), [1.0, 2.0, 3.0, 4.0]))
    write("cube.npy", npy_bytes("<f8", (2, 2, 2), [1.0] * 8))
    write("empty.npy", npy_bytes("<f8", (0, 3), []))
    write("empty_1d.npy", npy_bytes("<f8", (0,), []))
    full = npy_bytes("<f8", (4, 5), [float(v) for v in a])
    write("truncated.npy", full[: len(full) - 13])
    write("truncated_header.npy", full[:40])
    write("not_npy.npy", "this is a text file, not numpy\n")
    write("bad_header.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", 54) + b"{'descr': '<f8', 'fortran_order': maybe, 'shape': (1, 1), }" [:54])

    def csv(vals, l):
        return "".join(",".join(str(v) for v in vals[i:i + l]) + "\n" for i in range(0, len(vals), l))
    write("a.csv", "# the same rows as a.npy\n" + csv(a, 5))
    write("b.csv", csv(b, 7))
    write("ragged.csv", "1,2,3\n4,5,6\n7,8\n")
    write("nonnum.csv", "1,2,3\n4,five,6\n")
    write("overflow.csv", "1,2\n3,99999999999999999999\n")
    write("bigint.csv", "123456789012345678901234567890,1\n-1,2\n")
    write("rational.csv", "1/3,-2/7,5\n1/2,0.25,-1\n")
    write("decimal.csv", "0.1,0.2\n1e-3,3\n")
    write("empty.csv", "# nothing here\n\n")
    io_fixtures()


def io_fixtures():
    """Fixtures of tests/cli/io_tests.sh, made by numpy itself where it can be
    imported (numpy's own writer, its .npy versions 2.0 and 3.0, and the
    expected product computed by numpy.convolve); skipped without numpy."""
    try:
        import numpy as np
    except ImportError:
        print("numpy not found: the io_* fixtures are left as they are")
        return
    rng = np.random.default_rng(7)
    # Nonzero small integers: every product is exact and no -0.0 appears, so
    # any correct evaluation gives these bytes.
    def ints(b, l):
        return rng.integers(1, 10, size=(b, l)) * rng.choice([-1, 1], size=(b, l))
    a = ints(50, 5).astype(np.float64)
    b = ints(50, 7).astype(np.float64)
    ab = np.array([np.convolve(a[i], b[i]) for i in range(a.shape[0])])
    np.save(os.path.join(HERE, "io_a.npy"), a)
    np.save(os.path.join(HERE, "io_b.npy"), b)
    np.save(os.path.join(HERE, "io_ab.npy"), ab)
    for version in ((2, 0), (3, 0)):
        with open(os.path.join(HERE, "io_a_v%d.npy" % version[0]), "wb") as f:
            np.lib.format.write_array(f, a, version=version)
    np.save(os.path.join(HERE, "io_a_f32.npy"), a.astype(np.float32))
    np.save(os.path.join(HERE, "io_a_i64.npy"), a.astype(np.int64))
    np.save(os.path.join(HERE, "io_a_fortran.npy"), np.asfortranarray(a))
    # Data at an offset that is not a multiple of 8 (numpy never writes one;
    # another writer may): it must be copied, not read in place.
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (50, 5), }"
    header += " " * ((3 - (10 + len(header) + 1)) % 8) + "\n"
    assert (10 + len(header)) % 8 == 3
    write("io_a_unaligned.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") +
          a.astype("<f8").tobytes())
    # A header whose shape's byte size wraps around 2^64 (8 x (2^61 + 1) = 8).
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693953, 8), }"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    write("io_lying.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") +
          bytes(64))


if __name__ == "__main__":
    main()
