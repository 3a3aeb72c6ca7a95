"""crmsh_py.collector.resume: the collector back on, no pass owed for what the pause left, and
cyclic garbage among those objects still freed by the next full pass."""

from __future__ import annotations

import gc
import weakref

from crmsh_py.collector import resume


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_resume_enables_with_nothing_young_and_cycles_still_collected() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kept = [[n] for n in range(50_000)]  # survivors of an allocation-heavy step
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle that becomes garbage after the step
        watch = weakref.ref(a)
        del a, b
        assert gc.get_count()[0] > 10_000  # a plain enable() would owe a pass over all of this
        resume()
        assert gc.isenabled()
        assert gc.get_count()[0] < 100  # nothing left in the youngest generation
        assert watch() is not None  # not collected yet: nothing scanned
        gc.collect()
        assert watch() is None  # the next full pass frees the cycle
        assert len(kept) == 50_000
    finally:
        if not was_enabled:
            gc.disable()


def test_a_pause_restores_the_collector_and_a_nested_one_leaves_the_outer_in_charge() -> None:
    from crmsh_py.collector import paused, without_gc

    was_enabled = gc.isenabled()
    gc.enable()
    try:
        with paused():
            assert not gc.isenabled()
            with paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the inner pause found it off: it stays off
            assert without_gc(gc.isenabled)() is False
            assert not gc.isenabled()
        assert gc.isenabled()
        try:
            with paused():
                raise KeyError("boom")
        except KeyError:
            pass
        assert gc.isenabled()  # back on after an error too
    finally:
        if not was_enabled:
            gc.disable()
