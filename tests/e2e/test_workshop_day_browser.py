"""Issue 11 ("The workshop day") in a real browser, at the level where a user meets each item: the
projector as the room sees it, the facilitator's own screen, a participant's phone, the committee's
pages and the files they download.

All tests run against one Streamlit server of their own, started with ``TZ=America/New_York`` (a
server abroad, or a container left in UTC-5), so every time shown or exported must be converted to
Swedish time by the app itself. Labels are read from the Swedish catalogue (``i18n.t``), so a
rewording does not break the tests, while a missing text or a text in the wrong place does.

The live workshop (one round: three candidates, one committed and one withdrawn ("parked") object,
two criteria, three participants; the projector stays open from the scoring on), in order:

* ``test_1_...names_stay_off_the_projector``: #1 (progress: "Deltagare som är klara" and "Besvarade
  celler" count only candidates, 3 av 3 and 100 %; the progress charts' text alternatives and labels
  leave out the committed and the parked object) and #4 (the named "Vem är klar?" list on the
  facilitator's participants page names the one who has not finished; the projector, which has no
  separate mode, never names anyone). The last participant finishes in her browser and the
  projector follows by itself.
* ``test_2_...starts_at_the_most_disputed``: #1 (heatmap and cell chooser without the committed and
  parked objects), #3 (after the reveal the chooser is on the most disputed cell, computed from the
  stored scores), #4 (that cell's anonymous comment is shown during the discussion, without names).
* ``test_3_...coloured_on_the_first_rounds_scale``: #5 (round 1 and round 2 heatmaps as drawn:
  same legend, same gradient, same colour for a cell whose spread did not change), #3 and #4 again
  after the second reveal (that round's most disputed cell, its comment).
* ``test_4_...spreads_out_keeps_one_colour_scale``: #5 when a spread grows in the second round (the
  first round's screen, already shown, must stay comparable, and must not move with the hidden
  second-round scores).
* ``test_5_new_round_copies_the_set_up_without_scores``: #9 ("Ny omgång" on Omgångar).

The decision document (a locked round with a timeline; a version frozen at 23:55 UTC, which is
00:55 on 6 December in Sweden and 18:55 in New York), downloaded by the committee's link:

* ``test_6_the_decision_document_calls_done_only_what_is_marked_done``: #6 (PDF timeline table and
  decision sentence follow the stored status, not the dates).
* ``test_7_one_frozen_version_shows_one_swedish_time_everywhere``: #7 (dashboard, versions page,
  Excel and PDF: 2025-12-06 00:55, labelled "svensk tid").
* ``test_8_the_committee_sees_no_facilitator_instructions``: #13 (dashboard, versions and timeline
  pages, help texts included, for the committee's link; the phrases are shown to be on the
  facilitator's pages first).

On a phone (390 x 844, touch):

* ``test_9_scoring_on_a_phone_next_at_the_bottom_and_no_toast_over_the_inputs``: #12.

Screenshots: test-artifacts/e2e/day-*.png (and the PDF's text, day-6-beslutsunderlag.txt).
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from prioritization import i18n, projectfile
from prioritization.storage import auth, rounds, scores, versions
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.ui.workshop import workshop_logic
from tests.e2e.conftest import ARTIFACTS, PASSWORD, AppServer, new_database, shot, until, wait_app

FAC = Actor(FACILITATOR, "Facilitator")


def T(key: str, **params) -> str:
    """The app's Swedish text (the labels are being reworded while issue 11 #11 is worked on)."""
    return i18n.t(key, "sv", **params)


def before_placeholder(key: str, placeholder: str | None = None) -> str:
    """A catalogue text up to its first placeholder (or up to ``{placeholder}``)."""
    raw = i18n.catalogue("sv")[key]
    return raw.split("{" + placeholder + "}")[0] if placeholder else raw.split("{")[0]


def template_regex(key: str, **known: str) -> re.Pattern:
    """A catalogue text as a pattern: the given placeholders filled in, the others anything."""
    parts = re.split(r"(\{\w+\})", i18n.catalogue("sv")[key])
    return re.compile("".join(re.escape(known[p[1:-1]]) if p[1:-1] in known else ".+?" if p.startswith("{")
                              else re.escape(p) for p in parts))
CRITERIA = {"K1": "Tillgänglighet", "K2": "Klimat"}
CANDIDATES = {"A": "Busslänk Fittja", "B": "Cykelstråk Flemingsberg", "C": "Spårväg Syd"}
UNSCORED = {"X": "Redan finansierad väg 73", "Y": "Parkerad tunnel Älvsjö"}  # committed, withdrawn
PEOPLE = {"p1": "Botkyrka", "p2": "Tyresö", "p3": "Huddinge"}
WORKSHOP = {
    "format": "prioritization-project", "version": 1, "name": "Workshopdagen (Exempeldata)",
    "criteria": [{"id": k, "name": v, "direction": "benefit", "scale": [1, 5]} for k, v in CRITERIA.items()],
    "weights": {"method": "direct", "points": {"K1": 60, "K2": 40}},
    # the unscored objects first: a list that forgot to leave them out would show them early
    "objects": [{"id": "X", "name": UNSCORED["X"], "status": "committed", "cost": 900},
                {"id": "A", "name": CANDIDATES["A"]}, {"id": "B", "name": CANDIDATES["B"]},
                {"id": "Y", "name": UNSCORED["Y"], "status": "withdrawn"},
                {"id": "C", "name": CANDIDATES["C"]}],
    "participants": [{"id": k, "name": v} for k, v in PEOPLE.items()],
    "scores": [],
}
CELLS = [(o, c) for o in CANDIDATES for c in CRITERIA]
# phase 1: A/K1 is the most disputed cell (IQR 2,0), C/K1 has IQR 1,0
ROUND1 = {"p1": [5, 3, 2, 4, 4, 3], "p2": [1, 3, 3, 4, 2, 3], "p3": [3, 4, 2, 5, 3, 3]}
# phase 2: they converge; C/K1 is unchanged (IQR 1,0) and now the most disputed cell
ROUND2 = {"p1": [4, 3, 2, 4, 4, 3], "p2": [3, 3, 2, 4, 2, 3], "p3": [3, 3, 2, 4, 3, 3]}
COMMENT1 = ("A", "K1", "p2", "Bussarna står still i rusningstrafiken")
COMMENT2 = ("C", "K1", "p1", "Spårvägen behöver en egen bro över Magelungen")


def participant(rid: int, key: str) -> Actor:
    return Actor(PARTICIPANT, PEOPLE.get(key, key), round_id=rid, participant_key=key)


def import_round(db, doc: dict) -> int:
    return rounds.import_project(db, FAC, projectfile.parse(json.loads(json.dumps(doc)), require_complete=False))


# --- the server, the facilitator's screen ---------------------------------------------------------


@pytest.fixture(scope="module")
def day(tmp_path_factory, browser):
    """One server in New York time, its own database, and the facilitator's laptop (signed in)."""
    tmp = tmp_path_factory.mktemp("day")
    url, db = new_database(tmp)
    app = AppServer(url, tmp / "streamlit.log", TZ="America/New_York").start()
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE", accept_downloads=True)
    fac = ctx.new_page()
    fac.goto(app.url)
    fac.get_by_label("Facilitatorns lösenord").fill(PASSWORD)
    fac.get_by_role("button", name="Logga in").click()
    fac.get_by_role("heading", name=T("dashboard.list_heading")).wait_for(timeout=60_000)
    wait_app(fac)
    state = {"app": app, "db": db, "url": app.url, "fac": fac, "tmp": tmp}
    yield state
    ctx.close()
    app.stop()
    db.dispose()


def nav(page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    wait_app(page)


def search(page, box, words: str) -> list[str]:
    """Type ``words`` into a selectbox and read the options it offers ([] for "No results"). The
    list can close again when the page redraws around it (the projector refreshes every few
    seconds), so typing is repeated until the list is seen open."""
    listbox = page.get_by_role("listbox")
    for _ in range(6):
        box.click()
        box.fill(words)
        if until(lambda: listbox.count() > 0 and listbox.first.is_visible(), 3):
            if listbox.first.get_attribute("data-empty") == "true":
                return []
            return page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
    raise AssertionError(f"the list of {box.get_attribute('aria-label')!r} did not open when typing {words!r}")


def pick(page, box, text: str) -> None:
    """Choose ``text`` in a selectbox by typing it and clicking the option, as a person would."""
    for _ in range(6):
        if text in search(page, box, text):
            try:
                page.get_by_role("option", name=text, exact=True).click(timeout=3_000)
            except Exception:  # noqa: BLE001, S112 - the list closed under the click: type again
                continue
            wait_app(page)
            if box.input_value() == text:
                return
    raise AssertionError(f"could not choose {text!r} in {box.get_attribute('aria-label')!r}")


def choose_round(page, name: str) -> None:
    """On Omgångar, "Arbeta med omgång": type the name and pick it, as a facilitator would."""
    nav(page, T("nav.rounds"))
    page.get_by_role("heading", name=T("rounds.heading")).wait_for(timeout=60_000)
    box = page.get_by_role("combobox", name=T("rounds.select"))
    if box.input_value() != name:
        pick(page, box, name)
    assert until(lambda: box.input_value() == name, 30), box.input_value()


def open_projector(page) -> None:
    nav(page, T("nav.workshop"))
    page.get_by_text(before_placeholder("workshop.progress_heading").strip(), exact=False).first.wait_for(
        timeout=60_000)
    wait_app(page)


def main_text(page) -> str:
    """What the page says: its text and the text alternatives of everything on it (charts)."""
    return page.locator('[data-testid="stMain"]').evaluate(
        "e => e.innerText + '\\n' + [...e.querySelectorAll('[aria-label]')]"
        ".map(x => x.getAttribute('aria-label')).join('\\n')")


def chart(page, alt_start: str):
    """A Vega-Lite chart by the start of its text alternative (Streamlit puts it on the chart)."""
    return page.locator(f'[data-testid="stVegaLiteChart"][aria-label^="{alt_start}"]')


def chart_labels(loc) -> list[str]:
    """Every aria-label inside a chart (axes, legend, marks) and its printed text."""
    return loc.evaluate("e => [...e.querySelectorAll('[aria-label]')].map(x => x.getAttribute('aria-label'))"
                        ".concat([...e.querySelectorAll('text')].map(t => t.textContent))")


def grid_rows(page, header: str) -> list[list[str]] | None:
    """The rows of the first table (data grid) on the page with a column ``header``, header row first.
    The grid draws on a canvas; its accessible table (what a screen reader reads) holds the text."""
    return page.locator('[data-testid="stMain"]').evaluate("""(e, header) => {
        for (const t of e.querySelectorAll('table[role="grid"]')) {
            const rows = [...t.querySelectorAll('tr')].map(tr => [...tr.children].map(c => c.textContent.trim()));
            if (rows.length && rows[0].includes(header)) return rows;
        }
        return null; }""", header)


def cell_chooser(page):
    return page.get_by_role("combobox", name=T("workshop.choose_cell"))


def chooser_finds(page, words: str) -> list[str]:
    """The options the cell chooser offers when the facilitator types ``words`` into it."""
    box = cell_chooser(page)
    before = box.input_value()
    found = search(page, box, words)
    page.keyboard.press("Escape")
    assert until(lambda: box.input_value() == before, 5), "Escape did not restore the chosen cell"
    return found


def most_disputed(db, rid: int, phase: int) -> str:
    """The most disputed cell of a phase, computed from the stored scores, as the chooser names it."""
    table = workshop_logic.disagreement_table(scores.anonymous_ratings(db, FAC, rid, phase))
    top = workshop_logic.cells_to_discuss(table, "iqr").iloc[0]
    return f"{CANDIDATES[top['object']]} – {CRITERIA[top['criterion']]}"


HEATMAP_ALT = before_placeholder("workshop.heatmap_alt")


def heatmap_colours(page) -> dict:
    """The heatmap's colour scale as drawn: legend text alternative, legend labels, gradient stops,
    and the fill of every cell (by its object and criterion)."""
    heat = chart(page, HEATMAP_ALT)
    heat.locator("svg").wait_for(timeout=60_000)
    return heat.evaluate("""e => {
        const legend = e.querySelector('[aria-roledescription="legend"]');
        const fills = {};
        for (const m of e.querySelectorAll('[aria-roledescription="rect mark"]')) {
            const a = m.getAttribute('aria-label') || '';
            const row = (a.match(/row: ([^;]+)/) || [])[1], col = (a.match(/column: ([^;]+)/) || [])[1];
            const fill = m.getAttribute('fill');
            if (row && col && fill && fill !== 'transparent' && !(row + '|' + col in fills)) fills[row + '|' + col] = fill;
        }
        return {
            legend: legend ? legend.getAttribute('aria-label') : null,
            labels: legend ? [...legend.querySelectorAll('text')].map(t => t.textContent) : [],
            stops: [...e.querySelectorAll('linearGradient stop')].map(s => s.getAttribute('offset') + ' ' + s.getAttribute('stop-color')),
            fills: fills,
        };
    }""")


# --- the live workshop ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workshop(day):
    """The workshop round, open for scoring; Botkyrka and Tyresö have finished, Huddinge has
    scored the first two objects only."""
    db = day["db"]
    rid = import_round(db, WORKSHOP)
    rounds.set_status(db, FAC, rid, "scoring")
    for p, values in ROUND1.items():
        for (o, c), v in zip(CELLS, values, strict=True):
            if p == "p3" and o == "C":
                continue  # Huddinge has not got that far
            comment = COMMENT1[3] if (o, c, p) == COMMENT1[:3] else None
            scores.save_score(db, participant(rid, p), rid, o, c, v, comment)
    choose_round(day["fac"], WORKSHOP["name"])
    return {"rid": rid, **day}


def click_score(page, criterion: str, value: int | str) -> None:
    group = page.get_by_role("radiogroup", name=T("score.your_score", criterion=criterion))
    group.get_by_role("radio", name=str(value), exact=True).click()


def test_1_progress_counts_only_scored_objects_and_names_stay_off_the_projector(browser, workshop):
    db, rid, fac = workshop["db"], workshop["rid"], workshop["fac"]

    # the facilitator's own screen: who has not finished, by name (#4)
    nav(fac, T("nav.setup_participants"))
    fac.get_by_role("tab", name=T("participants.tab_progress")).click()
    fac.get_by_text(T("participants.progress_intro", phase=1)).wait_for(timeout=60_000)
    wait_app(fac)
    answered = T("participants.col_answered")
    assert until(lambda: (grid_rows(fac, answered) or [[]])[1:], 30), f"no table with a column {answered!r}"
    rows = grid_rows(fac, answered)
    shot(fac, "day-1-who-has-not-finished")
    head, body = rows[0], rows[1:]
    who = {r[head.index(T("participants.col.name"))]: (r[head.index(answered)], r[head.index(T("participants.col_done"))])
           for r in body}
    assert who.get("Huddinge") == (T("participants.answered_of", n=4, total=6), T("participants.done_no")), \
        f"the facilitator's list does not name Huddinge as not finished (4 of 6 cells): {rows}"
    assert body[0][head.index(T("participants.col.name"))] == "Huddinge", "not finished first"
    for name in ("Botkyrka", "Tyresö"):
        assert who.get(name) == (T("participants.answered_of", n=6, total=6), T("participants.done_yes")), rows

    # the projector: counts without names
    open_projector(fac)
    metrics = fac.get_by_test_id("stMetricValue")
    metrics.filter(has_text=T("workshop.n_of_m", n=2, m=3)).first.wait_for(timeout=30_000)
    text = main_text(fac)
    for name in PEOPLE.values():
        assert name not in text, f"the projector names participant {name!r}"

    # Huddinge finishes on her own laptop; her page and the projector agree
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{workshop['url']}/?token={auth.invite(db, FAC, rid, PARTICIPANT, 'p3')}")
    page.get_by_text(T("score.progress", done=4, total=6)).wait_for(timeout=60_000)
    wait_app(page)
    for _ in range(len(CANDIDATES)):
        if page.get_by_role("heading", name=CANDIDATES["C"]).is_visible():
            break
        page.get_by_role("button", name=T("score.next")).first.click()
        wait_app(page)
    for c, v in zip(CRITERIA.values(), ROUND1["p3"][4:], strict=True):
        click_score(page, c, v)
        wait_app(page)
    page.get_by_text(T("score.progress", done=6, total=6)).wait_for(timeout=30_000)
    assert until(lambda: scores.progress(db, FAC, rid, 1) == {"p1": 6, "p2": 6, "p3": 6})
    shot(page, "day-1-participant-done")
    ctx.close()

    # the projector follows by itself: everyone is done and every cell answered (#1)
    metrics.filter(has_text=T("workshop.n_of_m", n=3, m=3)).first.wait_for(timeout=60_000)
    wait_app(fac)
    values = [re.sub(r"\s+", " ", v) for v in fac.get_by_test_id("stMetric").all_inner_texts()]
    shot(fac, "day-1-projector-all-done")
    assert f"{T('workshop.finished')} {T('workshop.n_of_m', n=3, m=3)}" in values, values
    assert f"{T('workshop.answered')} {i18n.percent(1.0, 'sv')}".replace("\xa0", " ") in values, \
        f"the projector does not say that every cell is answered: {values}"
    people = chart(fac, before_placeholder("workshop.progress_alt_people"))
    assert people.get_attribute("aria-label") == T("workshop.progress_alt_people", n=3, m=3)
    assert [t for t in chart_labels(people) if re.fullmatch(r"\d+/\d+", t)] == ["6/6"] * 3
    per_object = chart_labels(chart(fac, T("workshop.progress_alt_objects")))
    for name in CANDIDATES.values():
        assert any(name in t for t in per_object), (name, per_object)
    for name in UNSCORED.values():
        assert not any(name in t for t in per_object), f"{name!r} (not scored) is in the progress chart"
    assert [t for t in per_object if re.fullmatch(r"\d+/\d+", t)] == ["6/6"] * 3, per_object
    text = main_text(fac)
    for name in [*PEOPLE.values(), *UNSCORED.values()]:
        assert name not in text, f"the projector shows {name!r}"


def preselected(page, expected: str, when: str, problems: list[str]) -> None:
    """The cell the chooser shows without anyone touching it; if it is not ``expected``, the problem
    is noted and the facilitator picks the cell by hand, so the rest of the test still runs."""
    shown = cell_chooser(page).input_value()
    if shown == expected:
        return
    problems.append(f"{when} the cell chooser is preselected on {shown!r}, not on the most disputed cell "
                    f"{expected!r}")
    pick(page, cell_chooser(page), expected)


def test_2_the_reveal_shows_only_scored_cells_and_starts_at_the_most_disputed(workshop):
    db, rid, fac = workshop["db"], workshop["rid"], workshop["fac"]
    problems: list[str] = []
    open_projector(fac)  # open all through the scoring, as on the day
    fac.get_by_role("button", name=T("workshop.step.revealed")).click()
    fac.get_by_role("heading", name=T("workshop.discuss_heading")).wait_for(timeout=60_000)
    wait_app(fac)
    assert rounds.round_info(db, FAC, rid)["status"] == "revealed"
    workshop["round1"] = heatmap_colours(fac)  # for test 3
    shot(fac, "day-2-revealed")

    # the heatmap: the three candidates, never the committed or the parked object (#1)
    heat = chart_labels(chart(fac, HEATMAP_ALT))
    for name in CANDIDATES.values():
        assert any(f"row: {name}" in t for t in heat), (name, heat)
    for name in UNSCORED.values():
        assert not any(name in t for t in heat), f"{name!r} (not scored) is in the heatmap"

    # the cell chooser starts at the most disputed cell (#3)
    expected = most_disputed(db, rid, 1)
    assert expected == f"{CANDIDATES['A']} – {CRITERIA['K1']}"  # the plan above: IQR 2,0
    preselected(fac, expected, "After the first reveal", problems)
    # its anonymous comment is shown during the discussion, without the author (#4)
    fac.get_by_role("heading", name=T("workshop.comments_heading", phase=1)).wait_for(timeout=30_000)
    comment = fac.get_by_text(COMMENT1[3])
    comment.wait_for(timeout=30_000)
    listing = comment.locator("xpath=ancestor::*[@data-testid='stMarkdownContainer'][1]").inner_text()
    text = main_text(fac)
    for name in PEOPLE.values():
        assert name not in listing and name not in text, f"{name!r} is shown with the comments"
    shot(fac, "day-2-comment")

    # the chooser offers the candidates' cells only (#1)
    assert chooser_finds(fac, CANDIDATES["B"]), "typing a candidate's name finds no cell: the check below is void"
    for name in UNSCORED.values():
        if offered := chooser_finds(fac, name.split()[0]):
            problems.append(f"the cell chooser offers cells of {name!r}, which is not scored: {offered}")
    assert not problems, "\n".join(problems)


def start_second_round(page) -> None:
    page.get_by_role("button", name=T("workshop.step.second_round")).click()
    page.get_by_text(T("workshop.status_changed", status=T("status.second_round"))).wait_for(timeout=60_000)
    wait_app(page)


def reveal_second_round(page) -> None:
    page.get_by_role("button", name=T("workshop.step.revealed")).click()
    page.get_by_role("heading", name=T("workshop.convergence_heading")).wait_for(timeout=60_000)
    wait_app(page)


def test_3_the_second_round_is_coloured_on_the_first_rounds_scale(workshop):
    db, rid, fac = workshop["db"], workshop["rid"], workshop["fac"]
    problems: list[str] = []
    round1 = workshop.get("round1")
    assert round1, "needs test 2 (the first round's heatmap as shown)"
    open_projector(fac)
    start_second_round(fac)
    assert rounds.round_info(db, FAC, rid)["status"] == "second_round"
    for p, values in ROUND2.items():
        for (o, c), v in zip(CELLS, values, strict=True):
            comment = COMMENT2[3] if (o, c, p) == COMMENT2[:3] else None
            if comment is None and p == COMMENT1[2] and (o, c) == COMMENT1[:2]:
                comment = COMMENT1[3]  # carried over into the second round
            scores.save_score(db, participant(rid, p), rid, o, c, v, comment, phase=2)
    reveal_second_round(fac)
    assert rounds.round_info(db, FAC, rid)["revealed_phase"] == 2
    round2 = heatmap_colours(fac)
    shot(fac, "day-3-second-round")

    # the test means something: on its own, round 2 would be coloured 0..1,0, round 1 was 0..2,0
    spread = {p: workshop_logic.disagreement_table(scores.anonymous_ratings(db, FAC, rid, p))["iqr"].max()
              for p in (1, 2)}
    assert spread == {1: 2.0, 2: 1.0}, spread
    # #5: the same scale on both screens: legend, its labels and gradient, and the colour of a
    # cell whose spread did not change (Spårväg Syd / Tillgänglighet, 1,0 in both rounds)
    assert round2["legend"] == round1["legend"], ("the rounds' colour scales differ", round1["legend"],
                                                  round2["legend"])
    assert round2["labels"] == round1["labels"] and round2["stops"] == round1["stops"], (round1, round2)
    same = f"{CANDIDATES['C']}|{CRITERIA['K1']}"
    assert round1["fills"][same] == round2["fills"][same], \
        f"the same spread (1,0) has different colours in round 1 and round 2: {round1['fills']} {round2['fills']}"

    # #3 and #4 for round 2: the chooser starts at this round's most disputed cell, with its comment
    expected = most_disputed(db, rid, 2)
    assert expected == f"{CANDIDATES['C']} – {CRITERIA['K1']}"
    preselected(fac, expected, "After the second reveal (the facilitator left the chooser where it was)", problems)
    fac.get_by_role("heading", name=T("workshop.comments_heading", phase=2)).wait_for(timeout=30_000)
    fac.get_by_text(COMMENT2[3]).wait_for(timeout=30_000)
    text = main_text(fac)
    for name in PEOPLE.values():
        assert name not in text, f"the projector names participant {name!r}"
    assert not problems, "\n".join(problems)


GROWS = {**WORKSHOP, "name": "Andra rundan sprider sig (Exempeldata)",
         "objects": [{"id": k, "name": v} for k, v in CANDIDATES.items()]}


def test_4_the_second_round_that_spreads_out_keeps_one_colour_scale(workshop):
    """#5 when the room disagrees more after the discussion: the first round's screen was shown
    with its colours, so the second round's must use the same ones; and while the second round is
    scored (hidden), the first round's screen must not change with it."""
    db, fac = workshop["db"], workshop["fac"]
    problems: list[str] = []
    rid = import_round(db, GROWS)
    rounds.set_status(db, FAC, rid, "scoring")
    before = {"p1": [3, 3, 2, 4, 4, 3], "p2": [2, 3, 3, 4, 2, 3], "p3": [3, 4, 2, 5, 3, 3]}  # C/K1: IQR 1,0
    after = {"p1": [5, 3, 2, 4, 4, 3], "p2": [1, 3, 3, 4, 2, 3], "p3": [3, 4, 2, 5, 3, 3]}  # A/K1: IQR 2,0
    for p, values in before.items():
        for (o, c), v in zip(CELLS, values, strict=True):
            scores.save_score(db, participant(rid, p), rid, o, c, v)
    rounds.set_status(db, FAC, rid, "revealed")
    choose_round(fac, GROWS["name"])
    open_projector(fac)
    fac.get_by_role("heading", name=T("workshop.discuss_heading")).wait_for(timeout=60_000)
    first = heatmap_colours(fac)
    same = f"{CANDIDATES['C']}|{CRITERIA['K1']}"  # IQR 1,0 in both rounds

    def scale(colours: dict) -> str:
        return f"{colours['legend']!r} ({colours['fills'][same]} for 1,0)"

    start_second_round(fac)
    updated = fac.get_by_text(re.compile("^" + re.escape(before_placeholder("workshop.updated"))))
    for p, values in after.items():
        for (o, c), v in zip(CELLS, values, strict=True):
            scores.save_score(db, participant(rid, p), rid, o, c, v, phase=2)
    # the projector still shows round 1 while round 2 is scored; wait for a refresh after the scores
    was = updated.inner_text()
    assert until(lambda: updated.inner_text() != was, 30), "the projector did not refresh"
    wait_app(fac)
    hidden = heatmap_colours(fac)
    if (hidden["legend"], hidden["fills"][same]) != (first["legend"], first["fills"][same]):
        problems.append("while round 2 is scored and hidden, the round-1 heatmap on the projector changed its "
                        f"colour scale with the hidden scores: {scale(first)} -> {scale(hidden)}")
    reveal_second_round(fac)
    second = heatmap_colours(fac)
    shot(fac, "day-4-second-round-spreads")
    if (second["legend"], second["fills"][same]) != (first["legend"], first["fills"][same]):
        problems.append("the second round's heatmap is coloured on another scale than the first round's, which "
                        f"the room saw: round 1 {scale(first)}, round 2 {scale(second)}")
    assert not problems, "\n".join(problems)


def test_5_new_round_copies_the_set_up_without_scores(workshop):
    """#9: "Ny omgång" on Omgångar, copying the workshop round's set-up without its scores."""
    db, rid, fac = workshop["db"], workshop["rid"], workshop["fac"]
    scores.set_agreed_score(db, FAC, rid, "A", "K1", 3, "Enades efter diskussion")
    source = rounds.export_project(db, FAC, rid)
    assert any(s.participant is None for s in source.scores) and len(source.scores) > 10
    choose_round(fac, WORKSHOP["name"])
    fac.get_by_role("heading", name=T("rounds.new_heading"), exact=True).wait_for(timeout=30_000)
    source_box = fac.get_by_role("combobox", name=T("rounds.new_source"))
    if source_box.input_value() != WORKSHOP["name"]:  # the facilitator says which round to copy
        pick(fac, source_box, WORKSHOP["name"])
    name = "Workshopdagen 2027"
    field = fac.get_by_role("textbox", name=T("rounds.new_name"))
    field.fill(name)
    field.press("Enter")
    wait_app(fac)
    fac.get_by_role("button", name=T("rounds.new_button")).click()
    fac.get_by_text(T("rounds.new_created", name=name, source=WORKSHOP["name"])).wait_for(timeout=60_000)
    wait_app(fac)
    shot(fac, "day-5-new-round")
    assert fac.get_by_role("combobox", name=T("rounds.select")).input_value() == name  # chosen now
    new = [r for r in rounds.list_rounds(db, FAC) if r.name == name]
    assert len(new) == 1
    copy = rounds.export_project(db, FAC, new[0].id)
    assert [(c.id, c.name, c.scale) for c in copy.criteria] == [(c.id, c.name, c.scale) for c in source.criteria]
    assert [(o.id, o.name, o.status) for o in copy.objects] == [(o.id, o.name, o.status) for o in source.objects]
    assert [(p.id, p.name) for p in copy.participants] == [(p.id, p.name) for p in source.participants]
    assert copy.scores == (), f"the new round has scores: {copy.scores[:3]}"
    assert rounds.round_info(db, FAC, new[0].id)["status"] == "setup"
    assert len(rounds.export_project(db, FAC, rid).scores) == len(source.scores)  # the source keeps its own


# --- the decision document --------------------------------------------------------------------------

FROZEN_AT = datetime(2025, 12, 5, 23, 55, tzinfo=UTC)  # 00:55 on 6 December in Stockholm, 18:55 in New York
SWEDISH_TIME = "2025-12-06 00:55"
SWEDISH_DAY = "6 december 2025"
WRONG_TIMES = ("2025-12-05 23:55", "2025-12-05 18:55", "23:55", "18:55", "5 december 2025")
VERSION_NAME = "Underlag till Samarbetskommittén"
MILESTONES = {"M1": "Remissvar sammanställda", "M2": "Workshop med kommunerna",
              "M3": "Regeringens beslut om nationell plan", "M4": "Beslut i Samarbetskommittén",
              "M5": "Uppföljning av listan"}


def _milestones(today: date) -> list[dict]:
    def on(days: int, key: str, **more) -> dict:
        when = (today + timedelta(days=days)).isoformat()
        return {"id": key, "title_sv": MILESTONES[key], "start": when, "end": when, "precision": "day",
                "type": "internal", "status": "planned", **more}
    return [
        on(-60, "M1", owner="Kansliet"),  # its date has passed; nobody has confirmed it
        on(-45, "M2", owner="Trafiknätverket", status="done"),
        on(-30, "M3", owner="Regeringen", type="external"),  # an anchor not confirmed
        on(-15, "M4", owner="Samarbetskommittén", decision=True),  # the decision, not marked done
        on(120, "M5", owner="Kansliet"),
    ]


@pytest.fixture(scope="module")
def decision(day, browser):
    """A finished round with a timeline, locked, one version frozen at 23:55 UTC; the committee's
    link; the PDF and the Excel file as the committee downloads them from the dashboard."""
    db = day["db"]
    values = {"p1": [5, 3, 2, 4, 4, 3], "p2": [4, 3, 3, 4, 2, 3]}
    doc = {**WORKSHOP, "name": "Beslutsunderlag med tidplan (Exempeldata)",
           "participants": [{"id": p, "name": PEOPLE[p]} for p in values],
           "milestones": _milestones(date.today()),
           "scores": [{"object": o, "criterion": c, "participant": p, "value": v}
                      for p, vs in values.items() for (o, c), v in zip(CELLS, vs, strict=True)]}
    rid = import_round(db, doc)
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, FAC, rid, status)
    with pytest.MonkeyPatch.context() as mp:  # frozen at a known instant, sealed as any other
        mp.setattr(versions, "utcnow", lambda: FROZEN_AT)
        v = versions.freeze(db, FAC, rid, VERSION_NAME)
    assert v.created_at.replace(tzinfo=UTC) == FROZEN_AT
    token = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="sv-SE", accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{day['url']}/?token={token}")
    page.get_by_role("heading", name=T("dashboard.list_heading")).wait_for(timeout=60_000)
    wait_app(page)
    files = {}
    for kind in ("pdf", "xlsx"):
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name=T(f"overview.download_{kind}"), exact=True).click()
        files[kind] = info.value.path().read_bytes()
    yield {"rid": rid, "doc": doc, "token": token, "viewer": page, "files": files, **day}
    ctx.close()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_6_the_decision_document_calls_done_only_what_is_marked_done(decision):
    text = pdf_text(decision["files"]["pdf"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "day-6-beslutsunderlag.txt").write_text(text, encoding="utf-8")
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    assert T("export.pdf.timeline") in text, "the PDF has no timeline section"
    status = {key: T(f"timeline.status.{key}") for key in ("done", "late", "planned")}

    def row(title: str) -> str:
        found = [ln for ln in lines if ln.startswith(title) and ln.endswith(tuple(status.values()))]
        assert len(found) == 1, f"milestone {title!r} is not once in the PDF's timeline table: {found}"
        return found[0]

    # stored as planned, their dates passed: never done (the timeline page says late / not confirmed)
    for key in ("M1", "M3", "M4"):
        assert not row(MILESTONES[key]).endswith(status["done"]), \
            f"the PDF calls {MILESTONES[key]!r} done; its stored status is planned: {row(MILESTONES[key])!r}"
        assert row(MILESTONES[key]).endswith(status["late"]), row(MILESTONES[key])
    assert row(MILESTONES["M2"]).endswith(status["done"]), row(MILESTONES["M2"])  # marked done
    assert row(MILESTONES["M5"]).endswith(status["planned"]), row(MILESTONES["M5"])
    # the decision sentence: passed but not marked done
    flat = re.sub(r"\s+", " ", text)
    title = {"title": MILESTONES["M4"]}
    assert not template_regex("export.pdf.timeline_decision_done", **title).search(flat), \
        "the PDF says the committee's decision is marked done; it is not"
    assert template_regex("export.pdf.timeline_decision_late", **title).search(flat), flat[-1500:]


def test_7_one_frozen_version_shows_one_swedish_time_everywhere(decision):
    page = decision["viewer"]
    zone = T("time.zone")
    # the dashboard (the committee's first page): the frozen version, its day in Sweden
    banner = page.locator('[data-testid="stAlert"]').filter(has_text=VERSION_NAME).first
    banner.wait_for(timeout=30_000)
    assert SWEDISH_DAY in banner.inner_text(), banner.inner_text()
    assert SWEDISH_DAY in page.get_by_role("combobox", name=T("results.source")).input_value()
    # the versions page: time in Swedish time, labelled
    nav(page, T("nav.versions"))
    chosen = page.get_by_role("combobox", name=T("versions.pick"))
    chosen.wait_for(timeout=60_000)
    wait_app(page)
    shot(page, "day-7-versions")
    assert chosen.input_value() == f"{VERSION_NAME} ({SWEDISH_TIME} ({zone}))", chosen.input_value()
    column = T("versions.col_time")
    assert zone in column
    table = grid_rows(page, column)
    assert table, f"the versions table has no column {column!r}"
    assert [r[table[0].index(column)] for r in table[1:]] == [SWEDISH_TIME], table

    # the Excel file: "Fryst (svensk tid)" holds Stockholm wall-clock time
    from openpyxl import load_workbook
    label = T("export.tab.about_frozen_at")
    assert zone in label
    wb = load_workbook(io.BytesIO(decision["files"]["xlsx"]))
    frozen = [(ws.title, r[1].value) for ws in wb.worksheets for r in ws.iter_rows(min_col=1, max_col=2)
              if r[0].value == label]
    assert frozen, f"the Excel file has no {label!r}"
    assert all(value == datetime(2025, 12, 6, 0, 55) for _, value in frozen), frozen

    # the PDF: the same time, labelled, and never the UTC or New York one
    flat = re.sub(r"\s+", " ", pdf_text(decision["files"]["pdf"]))
    assert T("export.pdf.frozen_at", when=f"{SWEDISH_TIME} ({zone})") in flat, \
        re.findall(r".{40}2025-12-0\d.{30}", flat)
    for wrong in WRONG_TIMES:
        assert wrong not in flat, f"the PDF shows {wrong} for a version frozen at {SWEDISH_TIME} Swedish time"


def test_8_the_committee_sees_no_facilitator_instructions(decision):
    """#13: each role sees only what it can act on. The phrases are first shown to be on the
    facilitator's pages, so their absence for the committee is not a changed wording."""
    fac, page = decision["fac"], decision["viewer"]
    facilitator_only = (T("versions.freeze_heading"), T("versions.freeze"), "Bara facilitatorn",
                        "Markera den som klar", "Frys versioner")
    choose_round(fac, decision["doc"]["name"])
    seen_by_facilitator = ""
    for title in (T("nav.versions"), T("nav.timeline")):
        nav(fac, title)
        fac.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
        wait_app(fac)
        seen_by_facilitator += main_text(fac)
    for phrase in (T("versions.freeze_heading"), "Markera den som klar"):
        assert phrase in seen_by_facilitator, f"the facilitator does not see {phrase!r}: the check below is void"

    unconfirmed = MILESTONES["M3"] + before_placeholder("timeline.page.unconfirmed_readonly", "when").split(
        "{milestone}")[1]
    tooltips, problems = 0, []
    tip = page.locator('[data-testid="stTooltipContent"]')
    for title in (T("nav.overview"), T("nav.versions"), T("nav.timeline")):
        nav(page, title)
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
        wait_app(page)
        if title == T("nav.timeline"):  # the same late milestone, told without the facilitator's task
            page.get_by_text(unconfirmed, exact=False).first.wait_for(timeout=30_000)
        text = main_text(page)
        # and the help behind each question mark (not in the page until hovered)
        for icon in page.locator('[data-testid="stMain"] [data-testid="stTooltipIcon"]').all():
            try:
                icon.hover(timeout=5_000)
            except Exception:  # noqa: BLE001, S112 - hidden (another tab), nothing to read
                continue
            if until(lambda: tip.count() > 0 and tip.first.is_visible(), 3):
                text += "\n" + " ".join(tip.all_inner_texts())
                tooltips += 1
            page.mouse.move(0, 0)
            until(lambda: tip.count() == 0, 3)
        shot(page, f"day-8-viewer-{title.lower()}")
        problems += [f"the committee's {title} page says {phrase!r}: "
                     + next(ln for ln in text.splitlines() if phrase in ln)
                     for phrase in facilitator_only if phrase in text]
        assert page.get_by_role("button", name=T("versions.freeze")).count() == 0
    assert tooltips, "no help text could be read: the tooltip check is void"
    assert not problems, "\n".join(problems)


# --- a participant on a phone ---------------------------------------------------------------------

PHONE_CRITERIA = {"K1": "Tillgänglighet", "K2": "Klimat", "K3": "Trafiksäkerhet", "K4": "Regional utveckling"}
GUIDANCE = {"1": "Ingen effekt alls för resenärerna i stråket", "2": "Liten effekt för en mindre grupp resenärer",
            "3": "Märkbar effekt för många som reser i stråket", "4": "Tydlig effekt för de flesta som reser",
            "5": "Stor effekt för hela stråket och angränsande kommuner"}
PHONE = {
    "format": "prioritization-project", "version": 1, "name": "Poängsättning i mobilen (Exempeldata)",
    "criteria": [{"id": k, "name": v, "direction": "benefit", "scale": [1, 5], "guidance": GUIDANCE,
                  "description": f"{v}: bedöm objektets effekt jämfört med i dag."} for k, v in PHONE_CRITERIA.items()],
    "weights": {"method": "direct", "points": dict.fromkeys(PHONE_CRITERIA, 25)},
    "objects": [{"id": "A", "name": "Busslänk Fittja", "description": "Ny busslänk mellan Fittja och Flemingsberg.",
                 "cost": 120},
                {"id": "B", "name": "Cykelstråk Flemingsberg", "cost": 40}],
    "participants": [{"id": "n1", "name": "Nynäshamn"}],
    "scores": [],
}
PHONE_HEIGHT = 844


# the inputs on the screen that a toast covers, as "toast text / input" pairs
COVERED_INPUTS = """() => {
    const box = e => e.getBoundingClientRect();
    const shown = r => r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
    const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const toasts = [...document.querySelectorAll('[data-testid="stToast"]')].filter(t => shown(box(t)));
    const inputs = [...document.querySelectorAll('[data-testid="stMain"] [role="radiogroup"], '
        + '[data-testid="stMain"] textarea, [data-testid="stMain"] button')].filter(i => shown(box(i)));
    return toasts.flatMap(t => inputs.filter(i => over(box(t), box(i)))
        .map(i => t.innerText + ' / ' + (i.getAttribute('aria-label') || i.innerText || i.tagName)));
}"""


def boxes_overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_9_scoring_on_a_phone_next_at_the_bottom_and_no_toast_over_the_inputs(browser, day):
    db = day["db"]
    rid = import_round(db, PHONE)
    rounds.set_status(db, FAC, rid, "scoring")
    ctx = browser.new_context(viewport={"width": 390, "height": PHONE_HEIGHT}, is_mobile=True, has_touch=True,
                              locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{day['url']}/?token={auth.invite(db, FAC, rid, PARTICIPANT, 'n1')}")
    page.get_by_text(T("score.progress", done=0, total=8)).wait_for(timeout=60_000)
    page.get_by_role("heading", name="Busslänk Fittja").wait_for(timeout=30_000)
    wait_app(page)
    saved_text = before_placeholder("score.state_saved", "value") + "3"
    names = list(PHONE_CRITERIA.values())
    for k, name in enumerate(names):
        group = page.get_by_role("radiogroup", name=T("score.your_score", criterion=name))
        group.scroll_into_view_if_needed()
        group.get_by_role("radio", name="3", exact=True).tap()
        saved = page.locator('[class*="st-key-scorecell_"]').nth(k).get_by_text(saved_text, exact=False)
        # for two seconds after the tap, and until the save is confirmed: nothing that pops up
        # (a toast) covers an input on the screen
        covered = []
        for tick in range(120):
            covered += page.evaluate(COVERED_INPUTS)
            if tick >= 8 and saved.count():
                break
            page.wait_for_timeout(250)
        saved.wait_for(timeout=30_000)
        if k == 0:
            shot(page, "day-9-phone-saved")
            # the check sees a toast where there is one (a stand-in over this criterion's input)
            assert page.evaluate("""g => { const t = document.createElement('div'), r = g.getBoundingClientRect();
                t.dataset.testid = 'stToast'; t.id = 'stand-in'; t.innerText = 'Sparat';
                Object.assign(t.style, {position: 'fixed', left: r.left + 'px', top: r.top + 'px',
                                        width: '200px', height: '40px', zIndex: 9999});
                document.body.appendChild(t); return true; }""", group.element_handle())
            assert page.evaluate(COVERED_INPUTS), "the toast check does not see a toast over an input"
            page.evaluate("() => document.getElementById('stand-in').remove()")
        assert not covered, f"a toast covers an input after saving {name}: {covered[:2]}"
        # the "Sparat" line itself stays off this criterion's input and the next one's
        line = saved.bounding_box()
        assert not boxes_overlap(line, group.bounding_box())
        if k + 1 < len(names):
            nxt = page.get_by_role("radiogroup", name=T("score.your_score", criterion=names[k + 1]))
            assert not boxes_overlap(line, nxt.bounding_box())
    page.get_by_text(T("score.progress", done=4, total=8)).wait_for(timeout=30_000)
    assert until(lambda: len(scores.my_scoring(db, participant(rid, "n1"), rid).cells) == 4)

    # the participant is at the bottom of a long object: "Nästa" is there, not only at the top
    nexts = page.get_by_role("button", name=T("score.next"))
    assert nexts.count() == 2, "one 'Nästa' button: the phone has to scroll back to the top"
    last = page.locator('[class*="st-key-scorecell_"]').nth(len(names) - 1)
    last.get_by_role("textbox").scroll_into_view_if_needed()
    wait_app(page)
    obj = page.locator('[class*="st-key-scoreobj_"]').bounding_box()
    assert obj["height"] > 2 * PHONE_HEIGHT, f"the object is only {obj['height']} px tall: not a test of scrolling"
    top, bottom, end = nexts.first.bounding_box(), nexts.last.bounding_box(), last.bounding_box()
    assert top["y"] + top["height"] < 0, "the top 'Nästa' is still in view: not a test of scrolling"
    below = bottom["y"] - (end["y"] + end["height"])
    assert below >= -1, "the second 'Nästa' is not below the last criterion"
    assert below < PHONE_HEIGHT / 2, f"'Nästa' is {below:.0f} px below the last criterion"
    y_before = end["y"]
    nexts.last.scroll_into_view_if_needed()
    bottom, end = nexts.last.bounding_box(), last.bounding_box()
    assert end["y"] <= y_before + 1, "reaching 'Nästa' scrolled the page back up"
    assert bottom["y"] >= 0 and bottom["y"] + bottom["height"] <= PHONE_HEIGHT, bottom
    shot(page, "day-9-phone-next-at-bottom")
    page.touchscreen.tap(bottom["x"] + bottom["width"] / 2, bottom["y"] + bottom["height"] / 2)
    page.get_by_role("heading", name="Cykelstråk Flemingsberg").wait_for(timeout=30_000)
    page.get_by_text(T("score.object_position", pos=2, n=2)).wait_for(timeout=30_000)
    ctx.close()
