"""Background threads: order kept, errors handed back, nothing left running."""

import threading
import time

import pytest

from kg.run.threads import BackgroundWorker, prefetch


def test_prefetch_keeps_order_and_runs_ahead():
    produced = []

    def items():
        for i in range(100):
            produced.append(i)
            yield i

    out = []
    for i in prefetch(items(), depth=8):
        if i == 0:
            time.sleep(0.2)  # the producer runs ahead meanwhile, but only *depth* (+1 in hand) items
            assert 8 <= len(produced) <= 10
        out.append(i)
    assert out == list(range(100))


def test_prefetch_raises_the_producers_error_where_it_happened():
    def items():
        yield 1
        yield 2
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for i in prefetch(items()):
            got.append(i)
    assert got == [1, 2]


def test_closing_prefetch_stops_its_thread():
    def endless():
        i = 0
        while True:
            yield i
            i += 1

    gen = prefetch(endless(), depth=4, name="kg-test-prefetch")
    assert next(gen) == 0
    gen.close()
    time.sleep(0.3)
    assert not any(t.name == "kg-test-prefetch" and t.is_alive() for t in threading.enumerate())


def test_worker_runs_everything_before_close_returns():
    seen = []
    with BackgroundWorker(lambda x: (time.sleep(0.001), seen.append(x)), depth=4) as worker:
        for i in range(50):
            worker.submit(i)
    assert seen == list(range(50))


def test_worker_error_is_raised_by_close_or_the_next_submit():
    def fail_on_3(x):
        if x == 3:
            raise ValueError("bad item 3")

    worker = BackgroundWorker(fail_on_3)
    for i in range(5):
        worker.submit(i)
    with pytest.raises(ValueError, match="bad item 3"):
        worker.close()

    worker = BackgroundWorker(fail_on_3, depth=1)
    with pytest.raises(ValueError, match="bad item 3"):
        for i in range(1000):
            worker.submit(i)
            time.sleep(0.001)
    worker.close()


def test_the_callers_error_wins_in_a_with_block():
    done = []
    with pytest.raises(KeyError):
        with BackgroundWorker(done.append) as worker:
            worker.submit(1)
            raise KeyError("caller")
    assert done == [1]  # what was submitted is still finished


def test_the_workers_error_behind_the_callers_is_kept_as_a_note():
    def fail(x):
        raise OSError(28, "No space left on device")

    with pytest.raises(KeyError) as caught:
        with BackgroundWorker(fail, name="kg-test-writer") as worker:
            worker.submit(1)
            raise KeyError("caller")
    assert caught.value.__notes__ == ["meanwhile kg-test-writer failed: OSError: [Errno 28] No space left on device"]
