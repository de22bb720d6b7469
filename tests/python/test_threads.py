"""The GIL is released during compute: another Python thread runs while a
polybatch call is in flight, and two calls from two threads both complete
with correct results."""

import _thread
import threading
import time

import numpy as np
import pytest
from conftest import rows_convolve

import polybatch as pb


def test_other_threads_run_during_compute():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((300_000, 8))
    span = {}

    def work():
        span["start"] = time.perf_counter()
        pb.eval("a^6", a=a, threads=1)  # a few tenths of a second
        span["end"] = time.perf_counter()

    ticks = []
    t = threading.Thread(target=work)
    t.start()
    while t.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.0005)
    t.join()
    start, end = span["start"], span["end"]
    assert end - start > 0.02, "the call was too short to observe"
    # Ticks of this thread inside the middle half of the call: impossible if
    # the call held the GIL throughout.
    lo, hi = start + 0.25 * (end - start), end - 0.25 * (end - start)
    inside = [x for x in ticks if lo < x < hi]
    assert len(inside) >= 3


def test_two_threads_compute_concurrently_and_correctly():
    rng = np.random.default_rng(2)
    a = [rng.standard_normal((50_000, 5)) for _ in range(2)]
    b = [rng.standard_normal((50_000, 7)) for _ in range(2)]
    out = [np.empty((50_000, 11)) for _ in range(2)]
    errors = []

    def work(i):
        try:
            for _ in range(5):
                pb.mul(a[i], b[i], out=out[i])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i in range(2):
        np.testing.assert_allclose(out[i][::101], rows_convolve(a[i][::101], b[i][::101]), rtol=1e-12, atol=1e-14)


def test_a_calls_thread_count_does_not_undo_a_concurrent_setting():
    # threads= holds for that call only: set_num_threads from another thread
    # while it runs stays set (it used to be restored to the value before).
    rng = np.random.default_rng(3)
    a = rng.standard_normal((300_000, 8))
    old = pb.num_threads()
    try:
        pb.set_num_threads(4)
        started = threading.Event()

        def work():
            started.set()
            pb.eval("a^6", a=a, threads=2)

        t = threading.Thread(target=work)
        t.start()
        started.wait()
        time.sleep(0.01)
        pb.set_num_threads(1)
        assert pb.num_threads() == 1  # the call's own count is not the global one
        t.join()
        assert pb.num_threads() == 1
    finally:
        pb.set_num_threads(old)


def test_a_bad_thread_count_in_the_environment_warns_at_import():
    import os
    import subprocess
    import sys

    code = "import warnings; warnings.simplefilter('always'); import polybatch as pb; print(pb.num_threads())"
    for value, warns in (("abc", True), ("0", True), ("99999", True), ("3", False), ("", False)):
        env = dict(os.environ, POLYBATCH_NUM_THREADS=value)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        said = f"POLYBATCH_NUM_THREADS='{value}' is not a thread count (an integer from 1 to 1024)" in done.stderr
        assert said == warns, (value, done.stderr)
        if not warns and value:
            assert done.stdout.strip() == value


def test_ctrl_c_stops_a_long_evaluation():
    # _thread.interrupt_main acts as Ctrl-C does: Python's SIGINT handler
    # runs when the main thread next asks, which the pass does between
    # tiles. The powers below take tens of seconds uninterrupted (about
    # 35 s on a 2-core Xeon, where 400 rows took 14 s), so a call that
    # ignores the interrupt fails the time bound even on a machine four
    # times faster.
    rows = 1000
    a = np.array([[3**40 + 7 * r + 11 * k for k in range(9)] for r in range(rows)], dtype=object)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            pb.eval("a^40", a=a, dtype="int", threads=2)
    finally:
        timer.cancel()
    assert time.perf_counter() - start < 8
    # The module works normally afterwards.
    small = np.array([[1, 2], [3, 4]], dtype=object)
    assert pb.eval("a^2", a=small, dtype="int").tolist() == [[1, 4, 4], [9, 24, 16]]
