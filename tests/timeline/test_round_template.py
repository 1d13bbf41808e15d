"""The template for the plan round starting in year N (research/domain.md section 5.2)."""

from datetime import date

import pytest

from prioritization import projectfile
from prioritization.timeline import milestones as fmt
from prioritization.timeline import schedule
from prioritization.timeline.template import decision_winter, plan_period, round_template
from tests.conftest import EXAMPLE


def test_n2026_reproduces_the_shape_of_the_2023_24_process():
    template = {m.id: m for m in round_template(2026)}
    example = {m.id: m for m in projectfile.load(EXAMPLE).milestones}
    shared = [k for k in example if k in template]
    # every step of the 2023/24 process and every anchor except the one-off RUP (E11) has a template step
    assert shared == [k for k in example if k != "E11"]
    for k in shared:
        t, e = template[k], example[k]
        assert t.kind == e.kind and t.owner == e.owner and t.depends_on == e.depends_on, k
        assert t.start <= e.start and e.end <= t.end, f"{k}: template band {t.start}–{t.end} misses {e.start}–{e.end}"
    decision = schedule.decision_milestone(tuple(template.values()))
    assert decision.id == "M09"
    assert (decision.start, decision.end) == (date(2023, 12, 1), date(2024, 2, 29))  # winter 2023/24
    assert "vinter 2023/24" in decision.title_sv


def test_n2030_decides_in_winter_2027_28():
    template = round_template(2030)
    decision = schedule.decision_milestone(template)
    assert (decision.start, decision.end) == (date(2027, 12, 1), date(2028, 2, 29))
    assert decision_winter(2030) == "2027/28" and plan_period(2030) == "2030–2041"
    by_id = {m.id: m for m in template}
    assert by_id["E02"].start == date(2028, 1, 1)  # inriktningsunderlag early 2028
    assert by_id["E10"].end == date(2030, 6, 30)  # NP decision spring/summer 2030
    assert "2030–2041" in by_id["E10"].title_sv
    assert all(m.status == "planned" for m in template)
    assert sum(m.decision for m in template) == 1


@pytest.mark.parametrize("n", [2018, 2022, 2026, 2027, 2030, 2034, 2100])
def test_template_is_a_valid_acyclic_timeline_in_order(n):
    template = round_template(n)
    assert fmt.from_data(fmt.to_data(template)) == template  # passes the reader, round trip exact
    order = [m.id for m in schedule.topological_order(template)]
    assert order.index("M09") > order.index("M00")
    # the decision comes before the inriktningsunderlag remiss answer that uses the list
    by_id = {m.id: m for m in template}
    assert by_id["M09"].end < by_id["E03"].end
    assert by_id["M09"].start.year == n - 3


@pytest.mark.parametrize("bad", [1999, 2201, 2026.0, "2026", True])
def test_bad_years(bad):
    with pytest.raises(ValueError, match="first plan year"):
        round_template(bad)
