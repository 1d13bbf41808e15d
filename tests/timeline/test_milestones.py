"""Validation of the ``milestones`` list: every problem with its exact path; canonical writing."""

from datetime import date

import pytest

from prioritization.timeline import milestones as fmt
from prioritization.timeline.milestones import LATE, Milestone, MilestoneLinks


def m(mid: str, start: str = "2023-03-01", end: str | None = "2023-03-31", **kw) -> dict:
    d = {"id": mid, "title_sv": f"Milstolpe {mid}", "start": start, "precision": "range", **kw}
    if end is not None:
        d["end"] = end
    return d


def errors(data) -> list[str]:
    return [f"{p}: {msg}" for p, msg in fmt.problems(data)]


def test_minimal_milestone_gets_the_defaults():
    (x,) = fmt.from_data([{"id": "A", "title_sv": "Möte", "start": "2023-03-16"}])
    assert x == Milestone("A", "Möte", date(2023, 3, 16), date(2023, 3, 16))
    assert (x.precision, x.kind, x.status, x.depends_on, x.decision) == ("day", "internal", "planned", (), False)


def test_end_before_start_names_the_place():
    data = [m("A"), m("B"), m("C"), m("D", start="2023-02-01", end="2023-01-01")]
    assert errors(data) == ["milestones[3].end: 2023-01-01 is before start 2023-02-01"]


def test_not_a_date():
    assert errors([m("A", start="2023-02-30")]) == [
        'milestones[0].start: text "2023-02-30" is not a date (expected YYYY-MM-DD)']
    assert errors([m("A", start="20230201")]) == [
        'milestones[0].start: text "20230201" is not a date (expected YYYY-MM-DD)']
    assert errors([m("A", start=None)]) == ["milestones[0].start: is missing"]


def test_duplicate_ids_and_unknown_dependencies():
    data = [m("A"), m("B", depends_on=["A", "X"]), m("A")]
    assert errors(data) == [
        'milestones[2].id: duplicate id "A" (also milestones[0])',
        'milestones[1].depends_on[1]: unknown milestone "X"',
    ]


def test_self_dependency_and_dependency_listed_twice():
    assert errors([m("A", depends_on=["A"])]) == ['milestones[0].depends_on[0]: milestone "A" depends on itself']
    assert errors([m("A"), m("B", depends_on=["A", "A"])]) == ['milestones[1].depends_on[1]: "A" is listed twice']


def test_dependency_cycles_are_reported_once_each():
    data = [m("A", depends_on=["C"]), m("B", depends_on=["A"]), m("C", depends_on=["B"]),
            m("D"), m("E", depends_on=["F"]), m("F", depends_on=["E", "D"])]
    assert errors(data) == [
        "milestones[0].depends_on: dependency cycle A → C → B → A",
        "milestones[4].depends_on: dependency cycle E → F → E",
    ]


def test_a_long_chain_is_no_problem():
    data = [m(f"M{k}", depends_on=[f"M{k - 1}"] if k else []) for k in range(5000)]
    assert len(fmt.from_data(data)) == 5000
    data[0]["depends_on"] = ["M4999"]
    (problem,) = errors(data)
    assert problem.startswith("milestones[0].depends_on: dependency cycle M0 → M4999 → M4998")


def test_precision_rules():
    assert errors([m("A", precision="day", start="2023-03-16", end="2023-03-17")]) == [
        'milestones[0].end: 2023-03-17: a "day" milestone ends on its start day 2023-03-16 '
        '(use precision "range" for a span)']
    assert errors([m("A", precision="month", start="2023-02-02", end="2023-02-28")]) == [
        'milestones[0].start: 2023-02-02: a "month" milestone starts on the first day of a month']
    assert errors([m("A", precision="season", start="2023-12-01", end="2024-02-28")]) == [
        'milestones[0].end: 2024-02-28: a "season" milestone ends on the last day of a month']
    assert errors([m("A", end=None)]) == ['milestones[0].end: is missing (a "range" milestone needs an end)']
    assert errors([m("A", precision="week")]) == [
        'milestones[0].precision: expected one of day, month, season, range, got text "week"']


def test_month_and_season_without_end_expand_to_their_band():
    month, winter = fmt.from_data([m("A", precision="month", start="2024-02-01", end=None),
                                   m("B", precision="season", start="2023-12-01", end=None)])
    assert (month.start, month.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert (winter.start, winter.end) == (date(2023, 12, 1), date(2024, 2, 29))


def test_enumerations_text_and_decision():
    data = [m("A", type="intern", status="klar", title_sv=" ", owner=7, decision="yes"),
            m("B", decision=True), m("C", decision=True)]
    assert errors(data) == [
        "milestones[0].title_sv: must not be empty",
        "milestones[0].owner: expected text, got 7",
        'milestones[0].type: expected one of internal, external, got text "intern"',
        'milestones[0].status: expected one of planned, in_progress, done, late, got text "klar"',
        "milestones[0].decision: expected true or false, got text \"yes\"",
        "milestones[2].decision: only one milestone can be the decision (also milestones[1])",
    ]


def test_links():
    (x,) = fmt.from_data([m("A", links={"versions": ["ab" * 32], "phases": ["1", "2"]})])
    assert x.links == MilestoneLinks(("ab" * 32,), ("1", "2"))
    assert errors([m("A", links={"versions": "abc", "rounds": []})]) == [
        'milestones[0].links.rounds: unknown key "rounds" (allowed: versions, phases)',
        "milestones[0].links.versions: expected a list of version references (SHA-256), got text \"abc\""]
    assert errors([m("A", links={"phases": ["1", "1", ""]})]) == [
        'milestones[0].links.phases[1]: "1" is listed twice',
        "milestones[0].links.phases[2]: expected a non-empty text, got text \"\""]


def test_not_a_list_and_not_objects():
    assert errors({"id": "A"}) == ["milestones: expected a list of milestones, got an object"]
    assert errors(None) == ["milestones: expected a list of milestones, got null"]
    assert errors([3]) == ["milestones[0]: expected an object, got 3"]


def test_canonical_dict_round_trip_keeps_attributes_and_omits_defaults():
    raw = {"basis": "minutes", "id": "A", "title_sv": "Beslut", "start": "2023-12-01", "end": "2024-02-29",
           "precision": "season", "decision": True, "status": "done", "links": {"phases": ["2"]}}
    (x,) = fmt.from_data([raw])
    assert x.attributes == {"basis": "minutes"}
    out = fmt.to_dict(x)
    assert list(out) == ["id", "title_sv", "start", "end", "precision", "type", "depends_on", "status", "decision",
                         "links", "basis"]
    assert out["links"] == {"phases": ["2"]}
    assert fmt.from_data([out]) == (x,)


def test_effective_status_lateness():
    x = Milestone("A", "Remiss", date(2024, 1, 15), date(2024, 4, 30), "range")
    assert x.effective_status(date(2024, 4, 30)) == "planned"  # the last day still counts
    assert x.effective_status(date(2024, 5, 1)) == LATE
    assert x.replace(status="done").effective_status(date(2030, 1, 1)) == "done"
    assert x.replace(status="in_progress").effective_status(date(2024, 5, 1)) == LATE
    assert x.replace(status="late").effective_status(date(2024, 1, 1)) == LATE  # stored late stays late


def test_title_falls_back_to_swedish():
    x = Milestone("A", "Beslut", date(2024, 1, 1), date(2024, 1, 1))
    assert x.title("en") == "Beslut"
    assert x.replace(title_en="Decision").title("en") == "Decision"
    assert x.replace(title_en="Decision").title("sv") == "Beslut"


@pytest.mark.parametrize("bad", [[m("A", depends_on="B")], [m("A", depends_on=[None])]])
def test_depends_on_must_be_a_list_of_ids(bad):
    assert errors(bad) and all(e.startswith("milestones[0].depends_on") for e in errors(bad))
