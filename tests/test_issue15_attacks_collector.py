"""Issue 15 review (hostile): ``projectfile.collector_paused`` runs in every Streamlit session's
thread (live reads, frozen versions). However two reads overlap, the cyclic garbage collector must
be on again once both have ended, or a long-running server never collects reference cycles again."""

import gc

from prioritization import projectfile


class _SwitchingGc:
    """The ``gc`` module as ``collector_paused`` sees it, with a thread switch at the worst moment:
    when the second read asks whether the collector is on (it is off: the first read paused it), the
    first read ends, before the second read turns the collector off."""

    def __init__(self, first):
        self.first = first
        self.first_inside = False
        self.switched = False

    def isenabled(self) -> bool:
        on = gc.isenabled()
        if self.first_inside and not self.switched:
            self.switched = True
            self.first.__exit__(None, None, None)  # the other thread's read ends here
        return on

    def disable(self) -> None:
        gc.disable()

    def enable(self) -> None:
        gc.enable()


def test_two_overlapping_reads_leave_the_collector_on(monkeypatch):
    was_on = gc.isenabled()
    gc.enable()
    try:
        first = projectfile.collector_paused()
        switching = _SwitchingGc(first)
        monkeypatch.setattr(projectfile, "gc", switching)
        first.__enter__()
        switching.first_inside = True
        with projectfile.collector_paused():  # the second read, in another session's thread
            if not switching.switched:  # the switch did not come while it started: the first ends now
                switching.switched = True
                first.__exit__(None, None, None)
        assert gc.isenabled(), "the collector was left off after both reads ended"
    finally:
        if was_on:
            gc.enable()


def test_nested_reads_pause_the_collector_and_turn_it_back_on():
    gc.enable()
    with projectfile.collector_paused():
        assert not gc.isenabled()
        with projectfile.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # off before: stays off
    try:
        with projectfile.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
