"""Dependencies, lateness, warnings, countdown, next up, order and critical chain."""

from datetime import date

import pytest

from prioritization import projectfile
from prioritization.timeline import schedule
from prioritization.timeline.milestones import Milestone
from tests.conftest import EXAMPLE

D = date.fromisoformat


def ms(mid, start, end, precision="range", **kw) -> Milestone:
    return Milestone(mid, kw.pop("title_sv", f"Steg {mid}"), D(start), D(end), precision, **kw)


# A (done) -> B -> C -> D (decision); X is an external anchor without dependencies
A = ms("A", "2024-01-01", "2024-01-31", "month", status="done")
B = ms("B", "2024-02-01", "2024-03-15", depends_on=("A",))
C = ms("C", "2024-03-01", "2024-03-31", "month", depends_on=("B",))
DEC = ms("D", "2024-05-01", "2024-05-31", "month", depends_on=("C",), decision=True)
X = ms("X", "2024-04-10", "2024-04-10", "day", kind="external")
TIMELINE = (A, B, C, DEC, X)
TODAY = date(2024, 3, 20)


def test_lateness_on_a_day():
    assert schedule.effective_statuses(TIMELINE, TODAY) == {
        "A": "done", "B": "late", "C": "planned", "D": "planned", "X": "planned"}
    assert [m.id for m in schedule.late(TIMELINE, TODAY)] == ["B"]
    assert schedule.late(TIMELINE, date(2024, 3, 15)) == []  # B's last day


def test_warnings_hand_checked():
    # C has started (1 March) while B is not done; the decision starts in 42 days; B ended 5 days ago
    found = schedule.warnings(TIMELINE, TODAY)
    assert [(w.code, w.milestone, w.params) for w in found] == [
        ("dependency_open", "C", {"milestone": "C", "dependency": "B"}),
        ("decision_soon", "D", {"milestone": "D", "days": 42}),
        ("late", "B", {"milestone": "B", "days": 5}),
    ]
    assert [w.code for w in schedule.warnings(TIMELINE, TODAY, decision_threshold_days=42)] == [
        "dependency_open", "late"]


def test_no_dependency_warning_before_the_start_or_once_done():
    assert not [w for w in schedule.warnings(TIMELINE, date(2024, 2, 29)) if w.code == "dependency_open"]
    done_b = tuple(m.replace(status="done") if m.id == "B" else m for m in TIMELINE)
    assert not [w for w in schedule.warnings(done_b, TODAY) if w.code == "dependency_open"]


def test_decision_late_and_done():
    after = date(2024, 6, 3)
    codes = [(w.code, w.milestone, w.params.get("days")) for w in schedule.warnings(TIMELINE, after)]
    assert ("decision_late", "D", 3) in codes
    assert not any(c[0] == "decision_soon" for c in codes)
    finished = tuple(m.replace(status="done") for m in TIMELINE)
    assert schedule.warnings(finished, after) == []


def test_countdown():
    cd = schedule.countdown(TIMELINE, TODAY)
    assert (cd.milestone.id, cd.days_to_start, cd.days_to_end, cd.status, cd.ongoing) == ("D", 42, 72, "planned", False)
    assert schedule.countdown(TIMELINE, date(2024, 5, 10)).ongoing
    assert schedule.countdown((X,), TODAY) is None  # no internal milestone, no decision


def test_decision_milestone_flag_then_title_then_last_internal():
    assert schedule.decision_milestone(TIMELINE).id == "D"
    unflagged = (A, B.replace(title_sv="Beslut i kommittén"), C, DEC.replace(decision=False), X)
    assert schedule.decision_milestone(unflagged).id == "B"
    plain = (A, B, C, DEC.replace(decision=False), X.replace(end=D("2025-01-01"), precision="range"))
    assert schedule.decision_milestone(plain).id == "D"  # the external X ends later but is not ours


def test_next_up():
    assert [m.id for m in schedule.next_up(TIMELINE, TODAY)] == ["C", "X", "D"]
    assert [m.id for m in schedule.next_up(TIMELINE, TODAY, limit=1)] == ["C"]
    assert [m.id for m in schedule.next_up(TIMELINE, date(2023, 12, 1), limit=None)] == ["B", "C", "X", "D"]
    flagged = tuple(m.replace(status="late") if m.id == "X" else m for m in TIMELINE)  # marked late ahead of time
    assert [m.id for m in schedule.next_up(flagged, TODAY)] == ["C", "X", "D"]


def test_topological_order_and_cycles():
    assert [m.id for m in schedule.topological_order(TIMELINE)] == ["A", "B", "C", "X", "D"]
    cyclic = (A.replace(depends_on=("C",)), B, C)
    with pytest.raises(ValueError, match="dependency cycle among A, B, C"):
        schedule.topological_order(cyclic)


def test_critical_chain_follows_the_dependency_that_ends_last():
    assert [m.id for m in schedule.critical_chain(TIMELINE)] == ["A", "B", "C", "D"]
    p = ms("P", "2024-01-01", "2024-02-01")
    q = ms("Q", "2024-01-01", "2024-03-01")
    e = ms("E", "2024-03-02", "2024-03-10", depends_on=("P", "Q"))
    assert [m.id for m in schedule.critical_chain((p, q, e), "E")] == ["Q", "E"]
    assert schedule.critical_chain((X,)) == []
    with pytest.raises(KeyError):
        schedule.critical_chain(TIMELINE, "nope")


def test_earliest_safe_start_counts_a_band_to_its_end():
    assert schedule.earliest_safe_start(C, TIMELINE) == date(2024, 3, 16)
    assert schedule.earliest_safe_start(A, TIMELINE) is None


def test_example_on_the_research_date():
    """data/sodertorn-exempel.json on 26 Nov 2026: the 2023/24 process and E01–E09 are done;
    E10 (NP adopted, Mar–Jun 2026) and E11 (RUP, May 2026) are planned and past their end, so late;
    E12 (Jun–Dec 2026) has started although E10 is not confirmed done."""
    timeline = projectfile.load(EXAMPLE).milestones
    found = {(w.code, w.milestone, w.params.get("dependency")) for w in schedule.warnings(timeline, date(2026, 11, 26))}
    assert found == {("late", "E10", None), ("late", "E11", None), ("dependency_open", "E12", "E10")}
    assert schedule.countdown(timeline, date(2023, 10, 15)).milestone.id == "M09"
    assert schedule.countdown(timeline, date(2023, 10, 15)).days_to_start == 47  # 15 Oct -> 1 Dec 2023
    assert [m.id for m in schedule.critical_chain(timeline)] == [f"M{k:02d}" for k in range(10)]
