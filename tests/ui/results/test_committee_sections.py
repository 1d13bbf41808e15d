"""The committee's stage on the ranking dashboard (issue 13): the decided list first once it exists,
the priority list with local input points, where each municipality's points went, the anchoring
matrix, parked objects apart; every figure as prioritization.report.committee gives it; nothing
without data; people's text shown literally; the municipalities' points hidden from other roles
until the input window closes."""

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from prioritization import analysis, i18n, projectfile
from prioritization.committee.model import (
    LET_THROUGH,
    OPPOSE,
    PARKED,
    SUPPORT,
    Allocation,
    Check,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
    Draft,
    InputWindow,
    LocalPoints,
    Municipality,
    ScreeningResult,
    Stance,
)
from prioritization.committee.priority import priority_list
from prioritization.committee.ranking import model_list
from prioritization.model import CANDIDATE
from prioritization.report import committee as view
from prioritization.storage import committee as committee_store
from prioritization.storage import rounds, versions
from prioritization.storage.access import MUNICIPALITY, VIEWER, Actor
from prioritization.ui.results import committee_sections
from tests.ui.conftest import app, shown

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")

OPENED = datetime(2024, 9, 2, 6, 0, tzinfo=UTC)
CLOSED = datetime(2024, 9, 27, 14, 0, tzinfo=UTC)  # 16:00 in Stockholm
TOWNS = (Municipality("huddinge", "Huddinge"), Municipality("haninge", "Haninge"), Municipality("tyreso", "Tyresö"))
# Markdown, HTML, a link, maths and a directive: all must be shown as typed
HOSTILE = "**Viktigt** för [regionen](http://exempel.se) _nu_ <b>fet</b> $x$ :red[röd] # 1"
DRAFT_SHA, DECIDED_SHA = "a" * 64, "b" * 64
HEADINGS = ("Beslutad lista", "Prioritetslista med kommunernas inspelspoäng", "Var kommunernas poäng hamnade",
            "Förankring i kommunerna", "Parkerade i gallringen – rangordnas inte")


def page(actor, lang="sv", **state):
    return app(actor, lang, script=RESULTS, page="overview", **state)


def run(at):
    at.run()
    assert not at.exception, at.exception
    return at


def subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def texts(at) -> str:
    """What a reader sees of every text element (backslash escapes of people's text removed)."""
    return shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                           + [w.value for w in at.warning] + [s.value for s in at.success]))


# each committee table by a column heading only it has
TABLES = {"priority": "Prioritetspoäng", "spent": "Antal objekt", "given": "Kommunens motivering",
          "anchoring": "Ställningstagande", "decided": "Modellens rang", "screening": "Uppfyller inte",
          "priority_en": "Local rank"}


def tables(at, kind: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if TABLES[kind] in d.value.columns]


def table(at, kind: str) -> pd.DataFrame:
    (found,) = tables(at, kind)
    return found


def has_table(at, kind: str) -> bool:
    return bool(tables(at, kind))


def ranked_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Rang" in d.value.columns and "Poäng (0–100)" in d.value.columns)


def allocations(project) -> tuple[Allocation, ...]:
    """Points on candidates the model ranks low, so that they move up in the priority list."""
    low = [ro.object.id for ro in analysis.rank(project).ranked][-4:]
    return (Allocation("huddinge", low[0], 40, "Stationsläget i Flemingsberg"),
            Allocation("huddinge", low[3], 30, HOSTILE),
            Allocation("haninge", low[0], 25),
            Allocation("haninge", low[1], 40, "Väg 73"),
            Allocation("tyreso", low[2], 35, "Kollektivtrafik"))


def points_committee(project, window: InputWindow | None = None) -> Committee:
    milestone = project.milestones[0].id if project.milestones else None
    return Committee(municipalities=TOWNS, window=window or InputWindow(milestone, OPENED, CLOSED),
                     points=LocalPoints(100, 40, 0.3), allocations=allocations(project))


def open_window(project) -> InputWindow:
    return InputWindow(project.milestones[0].id if project.milestones else None, OPENED, None)


@pytest.fixture
def base(app_db, fac, example):
    """The example round as a project without a committee section."""
    return dataclasses.replace(rounds.export_project(app_db, fac, example), committee=Committee())


def round_with(db, fac, project, committee: Committee, objects=None) -> tuple[int, object]:
    """Import ``project`` with ``committee`` as a new round; returns its id and the project as stored."""
    changed = dataclasses.replace(project, committee=committee, **({"objects": objects} if objects else {}))
    rid = rounds.import_project(db, fac, changed)
    stored = rounds.export_project(db, fac, rid)
    assert stored.committee == committee  # the import carries the committee section
    return rid, stored


def lock(db, fac, rid):
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, fac, rid, status)


def snapshot(at) -> dict:
    """What the page shows, element by element, for comparing two runs."""
    return {"subheaders": subheaders(at), "markdown": [m.value for m in at.markdown],
            "captions": [c.value for c in at.caption], "info": [i.value for i in at.info],
            "warnings": [w.value for w in at.warning], "success": [s.value for s in at.success],
            "tables": [d.value.to_json() for d in at.dataframe], "expanders": [e.label for e in at.expander],
            "charts": len(at.get("vega_lite_chart"))}


# ------------------------------------------------------------------------------------ no data


def test_a_round_without_a_committee_section_looks_as_before(app_db, fac, base, monkeypatch):
    rid, _ = round_with(app_db, fac, base, Committee())
    at = run(page(fac, round_id=rid))
    assert not set(HEADINGS) & set(subheaders(at))
    assert not any(has_table(at, k) for k in TABLES)
    # exactly as without the committee sections at all
    for name in ("decided", "priority", "points", "anchoring", "screened"):
        monkeypatch.setattr(committee_sections, name, lambda *a, **k: None)
    assert snapshot(run(page(fac, round_id=rid))) == snapshot(at)


def test_points_switched_on_but_none_given_says_so_and_shows_no_list(app_db, fac, base):
    committee = Committee(municipalities=TOWNS, window=InputWindow(), points=LocalPoints(100, 40, 0.3))
    rid, _ = round_with(app_db, fac, base, committee)
    at = run(page(fac, round_id=rid))
    assert "Prioritetslista med kommunernas inspelspoäng" in subheaders(at)
    assert "inga poäng är givna ännu" in texts(at)
    assert not has_table(at, "priority") and not has_table(at, "given") and not has_table(at, "spent")
    assert not {"Beslutad lista", "Förankring i kommunerna"} & set(subheaders(at))


# ------------------------------------------------------------------------------------ local input points


def test_priority_list_shows_t_l_and_priority_with_their_ranks(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, points_committee(base))
    pl = priority_list(project, analysis.rank(project))
    expected = view.priority_frame(pl, "sv")
    at = run(page(fac, round_id=rid))
    shown_table = table(at, "priority")
    h = view.priority_headers("sv")
    assert list(shown_table.columns) == [h["rank"], h["object"], h["priority"], h["technical_rank"], h["technical"],
                                         "Lokal rang", h["local"], h["points"]]
    assert list(shown_table[h["object"]]) == list(expected["object"])
    assert list(shown_table[h["rank"]]) == list(expected["rank"])
    assert list(shown_table[h["technical_rank"]]) == list(expected["technical_rank"])
    assert list(shown_table["Lokal rang"]) == [r.local_rank for r in pl.rows]
    assert list(shown_table[h["points"]]) == list(expected["points"])
    for col in ("priority", "technical", "local"):
        assert list(shown_table[h[col]]) == [i18n.number(x, "sv", 3) for x in expected[col]]
    assert shown_table[h["local"]].iloc[0].count(",") == 1  # Swedish decimal comma
    body = texts(at)
    assert view.formula_sentence(pl, "sv") in body
    assert view.share_sentence(pl, lang="sv") in body
    assert "16:00 (svensk tid)" in body  # the window closed 14:00 UTC, shown in Stockholm time
    # the model's own list is unchanged and comes first
    assert list(ranked_table(at)["Objekt"]) == [ro.object.name for ro in analysis.rank(project).ranked]
    heads = subheaders(at)
    assert heads.index("Rangordnad lista") < heads.index("Prioritetslista med kommunernas inspelspoäng")


def test_where_each_municipalitys_points_went(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, points_committee(base))
    at = run(page(fac, round_id=rid))
    assert "Var kommunernas poäng hamnade" in subheaders(at)
    spent = table(at, "spent")
    expected = view.spent_frame(project)
    assert list(spent["Kommun"]) == list(expected["municipality"]) == ["Huddinge", "Haninge", "Tyresö"]
    assert list(spent["Poäng"]) == list(expected["points"]) == [70, 65, 35]
    assert list(spent["Antal objekt"]) == list(expected["objects"])
    given = table(at, "given")
    expected = view.points_frame(project, "sv")
    assert list(given["Kommun"]) == list(expected["municipality"])
    assert list(given["Objekt"]) == list(expected["object"])
    assert list(given["Poäng"]) == list(expected["points"])
    assert list(given["Kommunens motivering"]) == list(expected["rationale"])
    assert HOSTILE in set(given["Kommunens motivering"])  # a table shows text as typed


def test_english(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, points_committee(base))
    pl = priority_list(project, analysis.rank(project))
    at = run(page(fac, "en", round_id=rid))
    assert {"Priority list with the municipalities' local input points",
            "Where the municipalities' points went"} <= set(subheaders(at))
    assert view.share_sentence(pl, lang="en") in texts(at)
    assert has_table(at, "priority_en")


def test_points_are_hidden_from_other_roles_until_the_window_closes(app_db, fac, base, click_download):
    rid, project = round_with(app_db, fac, base, points_committee(base, open_window(base)))
    lock(app_db, fac, rid)
    # the facilitator sees them, marked as provisional
    at = run(page(fac, round_id=rid))
    assert has_table(at, "priority") and has_table(at, "given")
    assert "Inspelsfönstret är öppet" in texts(at)
    # a viewer of the live round: neither the list nor the points, not in the downloaded file either
    viewer = Actor(VIEWER, "Kommittén", round_id=rid)
    at = run(page(viewer, round_id=rid))
    assert "ej fryst" in at.warning[0].value
    assert not has_table(at, "priority") and not has_table(at, "given")
    assert "visas för alla när inspelsfönstret har stängt" in texts(at)
    doc = json.loads(click_download(at, "overview_download_json"))
    assert "allocations" not in doc.get("committee", {})
    # a municipal representative: its own points in the file, no list built from a part of them
    huddinge = Actor(MUNICIPALITY, "Huddinge", round_id=rid, municipality="huddinge")
    at = run(page(huddinge, round_id=rid))
    assert not has_table(at, "priority") and not has_table(at, "given")
    doc = json.loads(click_download(at, "overview_download_json"))
    assert {a["municipality"] for a in doc["committee"]["allocations"]} == {"huddinge"}
    # once the window has closed, every allocation is visible to all
    rid2, _ = round_with(app_db, fac, base, points_committee(base))
    lock(app_db, fac, rid2)
    at = run(page(Actor(VIEWER, "Kommittén", round_id=rid2), round_id=rid2))
    assert len(table(at, "given")) == len(allocations(base))
    assert has_table(at, "priority")


def test_a_version_frozen_during_the_window_shows_the_points_once_the_window_has_closed(app_db, fac, base):
    rid, _ = round_with(app_db, fac, base, points_committee(base, open_window(base)))
    lock(app_db, fac, rid)
    versions.freeze(app_db, fac, rid, "Under inspelsfönstret")
    viewer = Actor(VIEWER, "Kommittén", round_id=rid)
    at = run(page(viewer, round_id=rid))  # a viewer's default: the newest frozen version
    assert "Under inspelsfönstret" in at.success[0].value
    assert not has_table(at, "priority") and "visas för alla när inspelsfönstret har stängt" in texts(at)
    committee_store.close_window(app_db, fac, rid)
    at = run(page(viewer, round_id=rid))
    assert "Under inspelsfönstret" in at.success[0].value
    assert len(table(at, "given")) == len(allocations(base)) and has_table(at, "priority")
    assert "frystes medan inspelsfönstret var öppet" in texts(at)


# ------------------------------------------------------------------------------------ anchoring


def anchoring_committee() -> Committee:
    draft = Draft(DRAFT_SHA, "Remiss *hösten* 2024", datetime(2024, 10, 1, 8, 0, tzinfo=UTC), date(2024, 11, 15))
    stances = (Stance("huddinge", DRAFT_SHA, SUPPORT, decision=DecisionRef("Kommunstyrelsen", date(2024, 11, 4),
                                                                           "KS § 123"),
                      replied_at=datetime(2024, 11, 5, 9, 0, tzinfo=UTC)),
               Stance("haninge", DRAFT_SHA, OPPOSE, comment="Väg 73 saknas",
                      replied_at=datetime(2024, 11, 6, 9, 0, tzinfo=UTC)))
    return Committee(municipalities=TOWNS, drafts=(draft,), stances=stances)


def test_anchoring_matrix_with_its_sentence_and_what_is_missing(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, anchoring_committee())
    draft = project.committee.current_draft
    at = run(page(fac, round_id=rid))
    assert "Förankring i kommunerna" in subheaders(at)
    body = texts(at)
    assert view.anchoring_sentence(project, draft, "sv") in body
    assert "*hösten*" in body and "Remiss \\*hösten\\*" in "\n".join(m.value for m in at.markdown)  # literally
    assert "10:00 (svensk tid)" in body  # sent 08:00 UTC
    matrix = table(at, "anchoring")
    expected = view.anchoring_frame(project, draft, "sv")
    assert list(matrix.columns) == ["Kommun", "Ställningstagande", "Svarade", "Kommunens beslut", "Synpunkter",
                                    "Saknas"]
    assert matrix.values.tolist() == expected.values.tolist()
    assert list(matrix["Ställningstagande"]) == ["Tillstyrker", "Avstyrker", "–"]
    warnings = " ".join(w.value for w in at.warning)
    assert "Tyresö (Svar saknas)" in warnings and "Haninge (Beslutsreferens saknas)" in warnings
    assert "Avstyrker: Haninge" in warnings
    assert not {"Beslutad lista", "Prioritetslista med kommunernas inspelspoäng"} & set(subheaders(at))


def test_the_latest_draft_when_none_is_out(app_db, fac, base):
    c = anchoring_committee()
    closed = dataclasses.replace(c.drafts[0], closed_at=datetime(2024, 11, 20, 12, 0, tzinfo=UTC))
    rid, project = round_with(app_db, fac, base, dataclasses.replace(c, drafts=(closed,)))
    at = run(page(fac, round_id=rid))
    assert view.anchoring_sentence(project, closed, "sv") in texts(at)
    assert "stängd för svar sedan 2024-11-20 13:00 (svensk tid)" in texts(at)


# ------------------------------------------------------------------------------------ the decision


def decided_committee(project) -> Committee:
    """The example's points, and a decision that moves the model's third object first, with a reason
    full of Markdown."""
    c = points_committee(project)
    model = model_list(dataclasses.replace(project, committee=c))
    third = model[2][0]
    order = [(oid, rank, tier) for oid, rank, tier in model]
    decided = [order[2], order[0], order[1], *order[3:]]
    entries = tuple(DecidedEntry(oid, model_rank, i + 1, tier, tier, HOSTILE if oid == third else None)
                    for i, (oid, model_rank, tier) in enumerate(decided))
    decision = Decision(DECIDED_SHA, "Underlag till beslut", DecisionRef("Samarbetskommittén", date(2024, 12, 10),
                                                                         "Protokoll 2024-12-10 § 5"), entries,
                        datetime(2024, 12, 10, 15, 30, tzinfo=UTC))
    return dataclasses.replace(c, decision=decision)


def test_decided_list_comes_first_with_the_reason_for_every_move(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, decided_committee(base))
    at = run(page(fac, round_id=rid))
    heads = subheaders(at)
    assert heads[0] == "Beslutad lista" and heads.index("Beslutad lista") < heads.index("Rangordnad lista")
    body = texts(at)
    assert view.decision_sentence(project, "sv") in body
    assert "Den beslutade listan är referensen" in body
    assert "16:30 (svensk tid)" in body  # recorded 15:30 UTC
    expected = view.decided_frame(project, "sv")
    decided = table(at, "decided")
    h = view.decided_headers("sv")
    assert list(decided.columns) == [h[c] for c in view.DECIDED_COLUMNS if c != "object_id"]
    assert decided.values.tolist() == expected.drop(columns=["object_id"]).values.tolist()
    moved = expected[expected["reason"] != ""].iloc[0]
    assert moved["move"] == "↑ 2"
    assert decided[h["reason"]].iloc[0] == HOSTILE  # as typed in the table
    # the reason is shown literally in Markdown: nothing bold, no link, no HTML, no maths or colour
    departure = next(m.value for m in at.markdown if "Motivering:" in m.value)
    assert f"{moved['object']}**: modellens rang 3 → beslutad rang 1. Motivering: {HOSTILE}" in shown(departure)
    for live in ("**Viktigt**", "](http", "<b>", "$x$", ":red["):
        assert live not in departure


def test_decided_list_in_english(app_db, fac, base):
    rid, project = round_with(app_db, fac, base, decided_committee(base))
    at = run(page(fac, "en", round_id=rid))
    assert subheaders(at)[0] == "Decided list"
    assert view.decision_sentence(project, "en") in texts(at)
    assert "The decided list is the reference" in texts(at)


def test_a_frozen_version_shows_the_replies_and_the_decision_recorded_on_the_round_since(app_db, fac, base):
    """A version is never frozen with its own replies and decision in it: the committee, shown the
    draft version by default, still sees the anchoring matrix and the decided list."""
    rid, _ = round_with(app_db, fac, base, points_committee(base))
    lock(app_db, fac, rid)
    v = versions.freeze(app_db, fac, rid, "Remissversion")
    viewer = Actor(VIEWER, "Kommittén", round_id=rid)
    assert not {"Beslutad lista", "Förankring i kommunerna"} & set(subheaders(run(page(viewer, round_id=rid))))
    committee_store.send_draft(app_db, fac, rid, v.id, date(2024, 11, 15))
    committee_store.record_stance(app_db, fac, rid, "huddinge", v.sha256, SUPPORT)
    frozen = projectfile.loads(versions.stored_text(app_db, fac, v.id))
    model = model_list(frozen)
    order = [model[1], model[0], *model[2:]]  # the committee puts the model's second first
    committee_store.record_decision(app_db, fac, rid, v.id, DecisionRef("Samarbetskommittén", date(2024, 12, 10),
                                                                        "§ 5"),
                                    [(oid, i + 1, tier, HOSTILE if i == 0 else None)
                                     for i, (oid, _, tier) in enumerate(order)])
    now = rounds.export_project(app_db, fac, rid)
    at = run(page(viewer, round_id=rid))
    assert "Remissversion" in at.success[0].value  # the frozen version is shown
    assert subheaders(at)[0] == "Beslutad lista" and "Förankring i kommunerna" in subheaders(at)
    assert view.decision_sentence(now, "sv") in texts(at)
    assert table(at, "decided").values.tolist() == view.decided_frame(now, "sv").drop(
        columns=["object_id"]).values.tolist()
    assert view.anchoring_sentence(now, now.committee.drafts[0], "sv") in texts(at)


# ------------------------------------------------------------------------------------ screening


def test_parked_objects_are_listed_apart_with_their_reasons(app_db, fac, base):
    parked, let = base.candidates[3].id, base.candidates[-1].id
    objects = tuple(dataclasses.replace(o, status=PARKED) if o.id == parked else o for o in base.objects)
    checks = (Check("need", "Behovet är dokumenterat", "The need is documented"),
              Check("cost", "Kostnadsuppskattning finns", "A cost estimate is given"))
    committee = Committee(checklist=checks, screening=(
        ScreeningResult(parked, PARKED, ("need", "cost"), "Saknar ÅVS _ännu_ [se bilaga](http://x.se)"),
        ScreeningResult(let, LET_THROUGH, ("need",), "Släpps igenom: **viktigt** för Salem")))
    rid, project = round_with(app_db, fac, base, committee, objects)
    name = project.object(parked).name
    at = run(page(fac, round_id=rid))
    heads = subheaders(at)
    assert "Parkerade i gallringen – rangordnas inte" in heads
    assert heads.index("Redan prioriterade – bevakas (rangordnas inte)") < heads.index("Parkerade i gallringen – rangordnas inte")
    assert name not in set(ranked_table(at)["Objekt"])  # never ranked
    apart, through = tables(at, "screening")  # the parked apart, then those let through (in the expander)
    assert apart.to_dict("records") == [{"Objekt": name, "Uppfyller inte": "Behovet är dokumenterat; "
                                         "Kostnadsuppskattning finns", "Skäl": "Saknar ÅVS _ännu_ [se bilaga](http://x.se)",
                                         "Kommuner": ", ".join(project.object(parked).attributes.get("municipalities")
                                                               or [])}]
    assert "Släppta igenom mot checklistan (1)" in [e.label for e in at.expander]
    assert list(through["Skäl"]) == ["Släpps igenom: **viktigt** för Salem"]
    assert [o.status for o in project.objects if o.id == let] == [CANDIDATE]
