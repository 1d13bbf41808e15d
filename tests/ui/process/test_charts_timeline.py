"""The timeline Gantt chart, checked through its Vega-Lite spec (and one rendering with vl-convert
for the Swedish month names on the time axis)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest

from prioritization import i18n, projectfile
from prioritization.timeline import schedule
from prioritization.timeline.labels import when_text
from prioritization.timeline.milestones import DAY, EXTERNAL, INTERNAL, MONTH, SEASON, Milestone, MilestoneLinks
from prioritization.timeline.template import round_template
from prioritization.ui.process import charts_timeline as ct
from tests.conftest import EXAMPLE

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def milestones():
    return projectfile.load(EXAMPLE).milestones


def layers(spec: dict) -> dict[str, dict]:
    return {layer["name"]: layer for layer in spec["layer"]}


def rows(spec: dict, name: str) -> list[dict]:
    return spec["datasets"][layers(spec)[name]["data"]["name"]]


def ts(d: date) -> str:
    return pd.Timestamp(d).isoformat()


def test_one_row_per_milestone_grouped_internal_first(milestones):
    spec = ct.gantt_chart(milestones, "sv", TODAY).to_dict(validate=True)
    drawn = rows(spec, "bars") + rows(spec, "points")
    assert sorted(r["id"] for r in drawn) == sorted(m.id for m in milestones)  # each exactly once
    domain = layers(spec)["bars"]["encoding"]["y"]["scale"]["domain"]
    headers = [ct.group_label(INTERNAL), ct.group_label(EXTERNAL)]
    assert [r for r in domain if r not in headers] == [r["row"] for r in sorted(drawn, key=lambda r: r["position"])]
    assert len(domain) == len(milestones) + 2
    internal = [m for m in milestones if m.kind == INTERNAL]
    assert domain[0] == headers[0] and domain[len(internal) + 1] == headers[1]
    kinds = [next(r["kind"] for r in drawn if r["row"] == row) for row in domain if row not in headers]
    assert kinds == sorted(kinds, key=lambda k: k != INTERNAL)  # all internal rows above all external ones
    assert spec["height"] == {"step": ct.ROW_STEP}


def test_precision_decides_the_mark(milestones):
    spec = ct.gantt_chart(milestones, "sv", TODAY).to_dict()
    bars, points = rows(spec, "bars"), rows(spec, "points")
    by_id = {m.id: m for m in milestones}
    assert {r["id"] for r in points} == {m.id for m in milestones if m.precision == DAY}
    assert layers(spec)["points"]["mark"]["shape"] == "diamond"
    for r in bars:
        m = by_id[r["id"]]
        assert r["start"] == ts(m.start) and r["end"] == ts(m.end + timedelta(days=1))  # covers its last day
        if m.precision in (MONTH, SEASON):  # a band: lighter fill and its time in words (the season label)
            assert r["fill_opacity"] < ct.BAR_OPACITY and when_text(m, "sv") in r["end_label"]
        else:
            assert r["fill_opacity"] == ct.BAR_OPACITY
    decision = next(r for r in bars if r["decision"])
    assert decision["row"].startswith(ct.DECISION_MARK) and decision["end_label"] == "vinter 2023/24"
    assert decision["stroke"] == ct.DECISION_COLOUR and decision["stroke_width"] > 2


def test_today_rule_at_the_given_day(milestones):
    spec = ct.gantt_chart(milestones, "sv", TODAY).to_dict()
    assert layers(spec)["today"]["mark"]["type"] == "rule"
    assert [r["today"] for r in rows(spec, "today")] == [ts(TODAY)]
    assert rows(spec, "today_label")[0]["label"] == "i dag " + i18n.day(TODAY, "sv")
    lo, hi = layers(spec)["bars"]["encoding"]["x"]["scale"]["domain"]
    assert lo <= ts(TODAY) <= hi
    assert "today" not in layers(ct.gantt_chart(milestones, "sv", None).to_dict())


def test_late_items_are_marked_not_by_colour_alone(milestones):
    spec = ct.gantt_chart(milestones, "sv", TODAY).to_dict()
    drawn = rows(spec, "bars") + rows(spec, "points")
    late = {m.id: m for m in schedule.late(milestones, TODAY)}
    assert late, "the example has late external anchors on this day"
    for r in drawn:
        if r["id"] in late:
            word = "ej bekräftad" if late[r["id"]].kind == EXTERNAL else "försenad"
            assert r["late"] and r["stroke"] == ct.LATE_COLOUR and ct.LATE_MARK in r["row"]
            assert f"{ct.LATE_MARK} {word}" in r["end_label"]
        else:
            assert not r["late"] and ct.LATE_MARK not in r["row"] and ct.LATE_MARK not in r["end_label"]
    # dashed outline and bold labels (a pattern and a weight, not only a colour)
    for name in ("bars", "points"):
        assert layers(spec)[name]["mark"]["strokeDash"] == {"expr": ct.DASH_EXPR}
    weight = layers(spec)["bars"]["encoding"]["y"]["axis"]["labelFontWeight"]["expr"]
    for r in drawn:
        assert (repr(r["row"])[1:-1] in weight) == (r["id"] in late or r["decision"])
    # an internal milestone that is late is "försenad"
    moved = [m.replace(status="planned") if m.id == "M08" else m for m in milestones]
    m08 = next(r for r in ct.gantt_frame(moved, "sv", TODAY).to_dict("records") if r["id"] == "M08")
    assert m08["late"] and "⚠ försenad" in m08["end_label"] and m08["status_label"] == "Försenad"


def test_dependencies_run_from_the_end_of_the_predecessor_to_the_start_of_the_dependant(milestones):
    spec = ct.gantt_chart(milestones, "sv", TODAY).to_dict()
    deps = rows(spec, "dependencies")
    expected = [(d, m.id) for m in milestones for d in m.depends_on]
    assert sorted((r["from_id"], r["to_id"]) for r in deps) == sorted(expected)
    by_id = {m.id: m for m in milestones}
    for r in deps:
        pred, dep = by_id[r["from_id"]], by_id[r["to_id"]]
        assert r["x"] == ts(pred.start if pred.precision == DAY else pred.end + timedelta(days=1))
        assert r["x2"] == ts(dep.start)
    rule = layers(spec)["dependencies"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["y2"]["field"] == "to_row"
    assert len(rows(spec, "arrows")) == len(deps)


def test_no_dependencies_no_dependency_layers():
    alone = [Milestone("A", "Ensam", date(2024, 1, 1), date(2024, 1, 1))]
    spec = ct.gantt_chart(alone, "sv", date(2024, 2, 1)).to_dict(validate=True)
    assert "dependencies" not in layers(spec) and "arrows" not in layers(spec)
    assert rows(spec, "points")[0]["late"]  # planned, day passed


def test_swedish_and_english_time_locale(milestones):
    sv = ct.gantt_chart(milestones, "sv", TODAY).to_dict()
    en = ct.gantt_chart(milestones, "en", TODAY).to_dict()
    assert sv["config"]["locale"]["time"]["months"][0] == "januari"
    assert sv["config"]["locale"]["number"]["decimal"] == ","
    assert en["config"]["locale"]["time"]["months"][0] == "January"
    assert layers(sv)["bars"]["encoding"]["x"]["axis"]["format"] == "%b %Y"
    assert rows(en, "bars")[0]["title"] == next(m for m in milestones if m.id == rows(en, "bars")[0]["id"]).title("en")


def test_vega_renders_swedish_month_names(milestones):
    vlc = pytest.importorskip("vl_convert")
    svg = vlc.vegalite_to_svg(ct.gantt_chart(milestones, "sv", TODAY).properties(width=900).to_dict())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    months = {f"{m} {y}" for m in ct.SV_TIME_LOCALE["shortMonths"] for y in range(2022, 2028)}
    shown = [x for x in labels if x in months]
    assert len(shown) >= 4 and any(x.startswith(("juli", "mars", "maj", "okt")) for x in shown)
    assert not any(x.startswith(("Jul ", "Oct ", "May ")) for x in labels)
    svg_en = vlc.vegalite_to_svg(ct.gantt_chart(milestones, "en", TODAY).properties(width=900).to_dict())
    assert any(re.fullmatch(r"(Jan|Jul) 20\d\d", x) for x in re.findall(r"<text[^>]*>([^<]*)</text>", svg_en))


def test_template_preview_chart_without_today():
    template = round_template(2030)
    spec = ct.gantt_chart(template, "sv", None, title="Mall").to_dict(validate=True)
    assert "today" not in layers(spec) and spec["title"] == "Mall"
    assert not any(r["late"] for r in rows(spec, "bars") + rows(spec, "points"))
    decision = next(r for r in rows(spec, "bars") if r["decision"])
    assert decision["when"] == "vinter 2027/28"


def test_table_is_the_text_alternative(milestones):
    sha = "ab" * 32
    linked = [m.replace(links=MilestoneLinks((sha,), ("2",))) if m.id == "M07" else m for m in milestones]
    table = ct.milestone_table(linked, "sv", TODAY, {sha: "Till kommittén"})
    assert list(table.columns) == ["Id", "Milstolpe", "När", "Ansvarig", "Status", "Typ", "Beror på",
                                   "Kopplat material", "Källa"]
    assert sorted(table["Id"]) == sorted(m.id for m in milestones)
    row = table.set_index("Id")
    assert row.loc["M07", "Kopplat material"] == f"version ”Till kommittén” ({sha[:12]}); bedömningsrunda 2"
    assert row.loc["M09", "När"] == "vinter 2023/24" and "beslutet" in row.loc["M09", "Status"]
    for m in schedule.late(milestones, TODAY):
        assert row.loc[m.id, "Status"] == ("Ej bekräftad" if m.kind == EXTERNAL else "Försenad")
    assert row.loc["E03", "Beror på"] == "E02, M09"
    en = ct.milestone_table(milestones, "en", TODAY)
    assert "Milestone" in en.columns and en.set_index("Id").loc["M09", "When"] == "winter 2023/24"


def test_gantt_with_no_labelled_milestone_draws():
    """One planned single-day milestone that is not late has no words after its mark: the chart
    must still be drawn (it raised a TypeError on the empty label frame)."""
    from datetime import date

    from prioritization.timeline.milestones import Milestone
    from prioritization.ui.process.charts_timeline import gantt_chart

    spec = gantt_chart([Milestone("A", "Möte", date(2024, 3, 1), date(2024, 3, 1))], "sv", date(2024, 2, 1)).to_dict()
    assert "layer" in spec or "vconcat" in spec or "hconcat" in spec
