"""Issue 13's browser journey: the committee's round after the summer, from the municipalities' input
to the decided list, in real browsers (one context per person) against a real Streamlit server.

Set-up through storage (not what the journey is about): the example round with its scores, results
shown, and a fresh committee (the eight member municipalities and local input points: 100 points,
cap 40, share 0,3; nothing given yet), the input window open, and the invitation links. Everything
the Done-when names happens in the browser, by clicks and typing:

1. three municipal representatives (Huddinge and Botkyrka on a laptop, Tyresö on a phone, 390 x 844)
   give local input points with a rationale in the points table (keyboard, as the page says);
   Huddinge proposes a new object;
2. the facilitator takes the proposal in as a candidate ("Kommunernas inspel och beslut", Förslag);
   Huddinge then gives the new candidate points too;
3. the facilitator opens the scoring again (on Omgångar: the Workshop page the acceptance message
   points to offers no such step once results are shown, see below), a participant scores the new
   object (marked new) on every criterion, the facilitator shows the results and locks the round
   (Workshop), closes the input window, freezes a version (Versioner) and sends it out as the draft
   list (Förankring);
4. the three municipalities reply (tillstyrker; med synpunkter; avstyrker from the phone), Huddinge
   with the reference of its own decision, and the facilitator reads the anchoring matrix;
5. the committee decides (Beslut): the new object one place above the model's list, with the written
   reason, the object it passes one place down, everything else as the model;
6. a committee member (viewer link) sees "Beslutad lista" with "modellens rang → beslutad rang" and
   the reason on the dashboard, and downloads the Excel file and the PDF decision document, which
   carry the same.

Product bugs routed around (described where it happens): the acceptance message sends the
facilitator to the Workshop page to reopen the scoring, which that page does not offer after the
reveal; and the dashboard's downloads for the decided frozen version (shown by default) carry no
decision, so the member downloads from "Omgången just nu" instead.

Runs on a server and database of its own. Screenshots: test-artifacts/e2e/committee-journey-*.png,
the downloads' content: committee-journey.xlsx and committee-journey-beslutsunderlag.txt there.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pypdf
import pytest

from prioritization import i18n, projectfile
from prioritization.committee.model import DecisionRef
from prioritization.committee.ranking import model_list
from prioritization.storage import auth, rounds, scores, versions
from prioritization.storage import committee as committee_store
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, Actor
from prioritization.storage.database import Database
from tests.conftest import EXAMPLE
from tests.e2e.conftest import (
    ARTIFACTS,
    PASSWORD,
    AppServer,
    login_facilitator,
    shot,
    until,
    wait_app,
    wait_cookie,
)

pytestmark = pytest.mark.e2e

FAC = Actor(FACILITATOR, "test")
ROUND_NAME = "Kommitténs höstomgång (Exempeldata)"
TOWNS = {"huddinge": "Huddinge", "botkyrka": "Botkyrka", "tyreso": "Tyresö"}
SCORER = "p-huddinge"  # the participant who scores the new object in the supplementary pass
NEW = {  # Huddinge's proposal
    "name": "Gång- och cykelbro Flemingsberg–Visättra",
    "need": "Barriären vid Flemingsbergsdalen: omväg på 1,5 km till stationen (kommunens cykelplan 2024)",
    "location": "Flemingsberg, Huddinge",
    "cost": "180",
}
# local input points: (object id, points, rationale) per municipality, before the proposal is taken in
POINTS = {
    "huddinge": [("SOD-02", 40, "Spårvägen bär de nya bostäderna i Flemingsberg"),
                 ("SOD-08", 30, "Bytespunkten är regional stadskärna")],
    "botkyrka": [("SOD-09", 40, "Bussbron knyter ihop Hallunda och Fittja")],
    "tyreso": [("SOD-10", 40, "Expressbussen är Tyresös snabbaste väg till Handen")],
}
NEW_POINTS = (20, "Bron löser bristen vi föreslog")  # Huddinge, on the new object, once it is a candidate
STANCES = {  # municipality: (stance, comment)
    "huddinge": ("support", None),
    "botkyrka": ("support_with_comments", "Busslänken bör komma före väg 73"),
    "tyreso": ("oppose", "Expressbussen Handen–Tyresö hamnar för långt ner"),
}
HUDDINGE_DECISION = ("Kommunstyrelsen", "§ 112")
HUDDINGE_DAY = date.today() - timedelta(days=3)
VERSION = "Remissversion hösten"
REFERENCE = "Protokoll SK § 7"
REASON = "Alla tre kommuner i stråket står bakom bron; kommittén lyfter den en plats"


def T(key: str, **params) -> str:
    """The app's Swedish text, so a rewording does not break the test while a missing text does."""
    return i18n.t(key, "sv", **params)


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the server and the round ---------------------------------------------------------------------


def journey_round():
    """The example round with its scores, and a fresh committee: the member municipalities and the
    local input points, nothing given, no window, no draft, no decision."""
    doc = json.loads(Path(EXAMPLE).read_text(encoding="utf-8"))
    example = doc.pop("committee")
    doc["committee"] = {"municipalities": example["municipalities"], "local_points": example["local_points"]}
    doc["name"] = ROUND_NAME
    return projectfile.parse(doc, require_complete=False)


@pytest.fixture(scope="module")
def journey(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e-committee-journey")
    url = f"sqlite:///{tmp / 'e2e.db'}"
    db = Database.open(url)
    auth.set_facilitator_password(db, PASSWORD)
    project = journey_round()
    rid = rounds.import_project(db, FAC, project)
    for status in ("scoring", "revealed"):  # the spring workshop has scored the candidates
        rounds.set_status(db, FAC, rid, status)
    committee_store.open_window(db, FAC, rid)
    tokens = {m: auth.invite(db, FAC, rid, MUNICIPALITY, label=f"Representant {name}", municipality=m)
              for m, name in TOWNS.items()}
    tokens["participant"] = auth.invite(db, FAC, rid, PARTICIPANT, SCORER)
    tokens["viewer"] = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")
    app = AppServer(url, tmp / "streamlit.log", PRIORITIZATION_EXAMPLE="0").start()
    yield {"url": app.url, "db": db, "rid": rid, "tokens": tokens, "project": project, "password": PASSWORD}
    app.stop()
    db.dispose()


# --- the browser ----------------------------------------------------------------------------------


def person(browser, *, phone: bool = False):
    if phone:
        return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                   device_scale_factor=2, locale="sv-SE", accept_downloads=True)
    return browser.new_context(viewport={"width": 1280, "height": 1400}, locale="sv-SE", accept_downloads=True)


def open_link(context, base: str, token: str, heading: str):
    page = context.new_page()
    page.goto(f"{base}/?token={token}")
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    wait_app(page)
    wait_cookie(page)
    return page


def reload(page, heading: str) -> None:
    """What a person does to see what others did meanwhile (the pages do not refresh by themselves)."""
    wait_cookie(page)
    page.reload()
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    wait_app(page)


def nav(page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    wait_app(page)


def tab(page, name: str):
    page.get_by_role("tab", name=name, exact=True).click()
    wait_app(page)
    return page.get_by_role("tabpanel", name=name)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect ``label`` (the list can close again when the
    page redraws around it: open it again)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    target = page.get_by_role("option", name=option, exact=True)
    for _ in range(5):
        box.click()
        try:
            target.click(timeout=3_000)
            break
        except Exception:  # noqa: BLE001 - the list closed under the click: open it again
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"could not choose {option!r} in {label!r}")
    page.keyboard.press("Escape")  # a multiselect stays open
    wait_app(page)


def said(page, text: str, timeout: int = 30_000) -> None:
    """Wait until the page says ``text`` (a message after an action)."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def grid_rows(grid) -> list[list[str]]:
    """The rows of a data grid as its accessible table has them (the grid draws on a canvas; the
    table is what a screen reader reads), header row first; only the rows drawn near the view."""
    return grid.evaluate("""e => [...e.querySelectorAll('table[role="grid"] tr')]
        .map(tr => [...tr.children].map(c => c.textContent.trim()))""")


def cell_text(grid, row: int, column: int) -> str | None:
    """The text of a cell (0-based row and column) as the grid's accessible table has it, or None
    when the cell is not drawn (the grid draws only the cells near the view)."""
    cell = grid.locator(f'[data-testid="glide-cell-{column}-{row}"]')
    return cell.first.text_content().strip() if cell.count() else None


def type_in_cell(page, grid, row: int, column: int, text: str) -> None:
    """With the keyboard, as the page tells people to: select the first cell, arrow keys to the cell
    (the grid scrolls along, also on a phone), Enter to edit, type, Enter to confirm."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # a cell of the first row drawn
    page.wait_for_timeout(150)
    for _ in range(4):  # to the first column (a phone shows only a part of the row) ...
        page.keyboard.press("ArrowLeft")
    for _ in range(20):  # ... and the first row (the grid may be scrolled down)
        page.keyboard.press("ArrowUp")
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    editor.first.wait_for(timeout=5_000)
    page.wait_for_timeout(200)  # the editor takes the focus
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    for _ in range(3):  # an Enter right after typing is sometimes taken before the text: the editor stays open
        page.wait_for_timeout(200)
        page.keyboard.press("Enter")
        if until(lambda: editor.count() == 0 or not editor.first.is_visible(), 2):
            break
    wait_app(page)


def edit_cell(page, grid, row: int, column: int, text: str, done) -> None:
    """:func:`type_in_cell` until ``done()`` holds (a redraw of the page can swallow an edit)."""
    for _ in range(4):
        type_in_cell(page, grid, row, column, text)
        if until(done, 5):
            return
        page.keyboard.press("Escape")
    shot(page, "committee-journey-grid-failed")
    raise AssertionError(f"the grid did not take {text!r} in row {row + 1}, column {column + 1}: {grid_rows(grid)}")


# --- the steps ------------------------------------------------------------------------------------


def give_points(page, candidates: list[str], given, budget_used: int) -> None:
    """In the points table: points and a rationale per object, then "Spara poängen"."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    used = 0
    for oid, points, rationale in given:
        row = candidates.index(oid)
        used += points
        total = budget_used + used
        edit_cell(page, grid, row, 1, str(points),
                  lambda total=total: page.get_by_text(T("municipal.points_used", used=total, budget=100,
                                                          left=100 - total)).count() > 0)
        edit_cell(page, grid, row, 2, rationale,
                  lambda row=row, rationale=rationale: cell_text(grid, row, 2) == rationale)
    page.get_by_role("button", name=T("municipal.points_save")).click()
    said(page, T("municipal.points_saved", used=budget_used + used, budget=100))


def stored_allocations(db, rid: int) -> dict[str, dict[str, tuple[int, str | None]]]:
    c = committee_store.committee(db, FAC, rid)
    out: dict[str, dict[str, tuple[int, str | None]]] = {}
    for a in c.allocations:
        out.setdefault(a.municipality, {})[a.object] = (a.points, a.rationale)
    return out


def test_municipalities_to_decided_list_in_the_browser(browser, journey):
    db, base, rid, tokens = journey["db"], journey["url"], journey["rid"], journey["tokens"]
    project = journey["project"]
    names = {o.id: o.name for o in project.objects}
    candidates = [o.id for o in project.candidates]
    contexts = []

    def context(**kw):
        ctx = person(browser, **kw)
        contexts.append(ctx)
        return ctx

    try:
        # --- 1. three municipal representatives: points, and Huddinge's proposal -----------------
        towns = {}
        for m, name in TOWNS.items():
            towns[m] = open_link(context(phone=m == "tyreso"), base, tokens[m], T("municipal.title", name=name))
            assert towns[m].get_by_text(T("municipal.points_heading"), exact=True).count()
        phone = towns["tyreso"]
        assert phone.viewport_size == {"width": 390, "height": 844}
        for m, given in POINTS.items():
            give_points(towns[m], candidates, given, 0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        shot(phone, "committee-journey-1-phone-points")
        assert stored_allocations(db, rid) == {m: {oid: (p, r) for oid, p, r in given} for m, given in POINTS.items()}

        hud = towns["huddinge"]
        hud.get_by_role("textbox", name=T("municipal.proposal_name"), exact=True).fill(NEW["name"])
        hud.get_by_role("textbox", name=T("municipal.proposal_need_label"), exact=True).fill(NEW["need"])
        hud.get_by_role("textbox", name=T("municipal.proposal_location"), exact=True).fill(NEW["location"])
        choose(hud, T("municipal.proposal_mode_label"), T("fact.mode.cycle"))
        hud.get_by_role("spinbutton", name=T("municipal.proposal_cost_label"), exact=True).fill(NEW["cost"])
        choose(hud, T("municipal.proposal_channel"), T("municipal.channel.municipal"))
        hud.get_by_role("button", name=T("municipal.proposal_send")).click()
        said(hud, T("municipal.proposal_sent", name=NEW["name"], id="F-huddinge-1"))
        said(hud, T("municipal.proposal_proposed").replace("**", ""))
        shot(hud, "committee-journey-2-proposal")

        # --- 2. the facilitator takes the proposal in; Huddinge gives it points -----------------
        fac = login_facilitator(context(), journey)
        wait_app(fac)
        wait_cookie(fac)
        nav(fac, T("nav.committee"))
        panel = tab(fac, T("committee_page.tab.proposals"))
        panel.get_by_text(f"F-huddinge-1 {NEW['name']}", exact=True).wait_for(timeout=30_000)  # the proposal's card
        panel.get_by_role("button", name=T("committee_page.accept")).click()
        wait_app(fac)
        new_id = next(o.id for o in rounds.setup_project(db, FAC, rid).objects if o.name == NEW["name"])
        said(fac, T("committee_page.accepted", name=NEW["name"], object=new_id))
        said(fac, T("committee_page.supplementary.revealed"))  # what to do next (see the note in step 3)
        shot(fac, "committee-journey-3-accepted")

        reload(hud, T("municipal.title", name="Huddinge"))
        said(hud, T("municipal.proposal_accepted", object=NEW["name"]).replace("**", ""))
        give_points(hud, [*candidates, new_id], [(new_id, *NEW_POINTS)], 70)
        assert stored_allocations(db, rid)["huddinge"][new_id] == NEW_POINTS

        # --- 3. the supplementary scoring, the window closed, a version frozen and sent out ------
        # The message on accepting says to reopen the scoring on the Workshop page, but that page
        # offers no such step once the results are shown (product bug, see the report); the status
        # is changed on the Omgångar page instead.
        nav(fac, T("nav.rounds"))
        choose(fac, T("rounds.status_change"), T("status.scoring"))
        fac.get_by_role("button", name=T("rounds.status_apply")).click()
        said(fac, T("rounds.status_changed", status=T("status.scoring")))
        nav(fac, T("nav.workshop"))
        said(fac, T("workshop.new_objects", n=1, names=NEW["name"]).split(":")[0])
        said(fac, NEW["name"])

        scorer = open_link(context(), base, tokens["participant"], T("score.title"))
        scorer.get_by_text(T("score.all_objects", done=0, n=0).split("(")[0].strip(), exact=False).first.click()
        heading = scorer.get_by_role("heading", name=NEW["name"])
        for _ in range(5):  # the list's buttons; a click while the page is redrawn can be lost: again
            scorer.get_by_role("button", name=re.compile(re.escape(NEW["name"]) + r".*\(nytt\)")).click()
            if until(lambda: heading.count() > 0, 10):
                break
        heading.first.wait_for(timeout=30_000)
        wait_app(scorer)
        said(scorer, T("score.new_caption"))  # marked new, in words
        for c in project.criteria:
            group = scorer.get_by_role("radiogroup", name=T("score.your_score", criterion=c.name))
            group.get_by_role("radio", name="3", exact=True).click()
            scorer.wait_for_timeout(150)
        me = Actor(PARTICIPANT, SCORER, round_id=rid, participant_key=SCORER)
        assert until(lambda: {k for k in scores.my_scores(db, me, rid) if k[0] == new_id}
                     == {(new_id, c.id) for c in project.criteria}, 60)
        shot(scorer, "committee-journey-4-scored")

        nav(fac, T("nav.workshop"))
        for step in ("revealed", "locked"):
            fac.get_by_role("button", name=T(f"workshop.step.{step}")).click()
            said(fac, T("workshop.status_changed", status=T(f"status.{step}")))
        nav(fac, T("nav.committee"))
        panel = tab(fac, T("committee_page.tab.towns"))
        panel.get_by_role("button", name=T("committee_page.window_close")).click()
        said(fac, T("committee_page.window_closed"))

        nav(fac, T("nav.versions"))
        name_box = fac.get_by_role("textbox", name=T("versions.name"), exact=True)
        name_box.fill(VERSION)
        name_box.press("Enter")
        wait_app(fac)
        fac.get_by_role("button", name=T("versions.freeze")).click()
        said(fac, T("versions.frozen", name=VERSION, sha="").split("(")[0].strip())
        frozen = next(v for v in versions.list_versions(db, FAC, rid) if v.name == VERSION)
        model = model_list(versions.load(db, FAC, frozen.id))
        assert new_id in [oid for oid, _, _ in model]  # scored, so ranked

        nav(fac, T("nav.committee"))
        panel = tab(fac, T("committee_page.tab.anchoring"))
        panel.get_by_role("button", name=T("committee_page.draft_send")).click()
        said(fac, T("committee_page.draft_sent", reply_by="").split(";")[0])
        draft = committee_store.committee(db, FAC, rid).current_draft
        assert draft is not None and draft.version == frozen.sha256
        said(fac, T("committee_page.draft_sent", reply_by=i18n.day(draft.reply_by, "sv")))  # a month on

        # --- 4. the municipalities reply --------------------------------------------------------
        for m, (stance, comment) in STANCES.items():
            page = towns[m]
            reload(page, T("municipal.title", name=TOWNS[m]))
            form = page.get_by_role("radiogroup", name=T("municipal.stance_label"))
            form.get_by_text(T(f"committee.stance.{stance}"), exact=True).click()
            if comment:
                page.get_by_role("textbox", name=T("municipal.stance_comment"), exact=True).fill(comment)
            if m == "huddinge":
                body, ref = HUDDINGE_DECISION
                page.get_by_role("textbox", name=T("municipal.decision_body"), exact=True).fill(body)
                # a date field of year, month and day: typed digit by digit, each part moves on by itself
                page.get_by_role("spinbutton", name=f"year, {T('municipal.decision_date')}").click()
                page.keyboard.type(HUDDINGE_DAY.strftime("%Y%m%d"))
                page.get_by_role("textbox", name=T("municipal.decision_reference"), exact=True).fill(ref)
            page.get_by_role("button", name=T("municipal.stance_send")).click()
            said(page, T("municipal.stance_saved", stance=T(f"committee.stance.{stance}"), version=VERSION))
        shot(phone, "committee-journey-5-phone-stance")
        replies = {s.municipality: s for s in committee_store.committee(db, FAC, rid).stances}
        assert {m: s.stance for m, s in replies.items()} == {m: s for m, (s, _) in STANCES.items()}
        assert replies["huddinge"].decision == DecisionRef(*HUDDINGE_DECISION[:1], HUDDINGE_DAY, HUDDINGE_DECISION[1])

        # the facilitator sees the anchoring matrix: three of eight replied, one opposes; five have not
        # replied and two replied without their own decision's reference
        reload(fac, T("committee_page.heading"))
        panel = tab(fac, T("committee_page.tab.anchoring"))
        summary = T("committee.anchor.summary", n=3, total=8, version=VERSION, counts="", reply_by="")
        said(fac, summary.split("(")[0].strip())  # "3 av 8 kommuner har svarat på ”Remissversion hösten”"
        said(fac, T("committee_page.matrix_opposed", n=1, names="Tyresö"))
        said(fac, T("committee_page.matrix_missing", n=7, items="").split(":")[0])
        shot(fac, "committee-journey-6-anchoring")

        # --- 5. the committee decides: the new object one place up, with the reason ---------------
        rank_of = {oid: (rank, tier) for oid, rank, tier in model}
        r, tier = rank_of[new_id]
        above = next(oid for oid, rank, _ in model if rank == r - 1)
        assert r > 1 and rank_of[above][1] == tier, f"the new object is not below another of its tier: {model}"
        panel = tab(fac, T("committee_page.tab.decision"))
        reference = panel.get_by_role("textbox", name=T("committee_page.decision_reference"), exact=True)
        reference.fill(REFERENCE)
        reference.press("Tab")
        wait_app(fac)
        grid = panel.locator('[data-testid="stDataFrame"]').first
        rows = [oid for oid, _, _ in model]  # the editor starts from the model's list, in its order
        rank_col, reason_col = 4, 6  # Id, Objekt, Modellens rang, Modellens nivå, Beslutad rang, nivå, Motivering
        assert cell_text(grid, rows.index(new_id), 2) == str(r)
        for oid, rank in ((new_id, r - 1), (above, r)):
            edit_cell(fac, grid, rows.index(oid), rank_col, str(rank),
                      lambda oid=oid, rank=rank: cell_text(grid, rows.index(oid), rank_col) == str(rank))
        edit_cell(fac, grid, rows.index(new_id), reason_col, REASON,
                  lambda: cell_text(grid, rows.index(new_id), reason_col) == REASON)
        said(fac, T("committee_page.order_departures", n=1, items=NEW["name"]))  # only the moved one
        shot(fac, "committee-journey-7-decision")
        panel.get_by_role("button", name=T("committee_page.decision_save")).click()
        said(fac, T("committee_page.decision_saved", reference=REFERENCE))
        decided = committee_store.committee(db, FAC, rid).decision
        assert decided is not None and decided.version == frozen.sha256 and decided.ref.reference == REFERENCE
        overrides = [(e.object, e.model_rank, e.rank, e.reason) for e in decided.order if e.reason]
        assert overrides == [(new_id, r, r - 1, REASON)]
        assert {e.object: e.rank for e in decided.order}[above] == r

        # --- 6. a committee member: the decided list on the dashboard and in the downloads ---------
        committee = context()
        member = open_link(committee, base, tokens["viewer"], T("dashboard.list_heading"))
        member.get_by_role("heading", name=T("dashboard.committee.decided_heading")).wait_for(timeout=30_000)
        said(member, T("dashboard.committee.decided_version", version=VERSION, sha=frozen.sha256[:12]))
        departure = T("dashboard.committee.departure", object=NEW["name"], model_rank=r, rank=r - 1, tiers="",
                      reason=REASON)
        main = member.locator('[data-testid="stMain"]')
        assert until(lambda: departure in squeeze(main.inner_text()), 30), squeeze(main.inner_text())[:3000]
        shot(member, "committee-journey-8-member-dashboard")

        # The dashboard shows the newest frozen version by default, the decided one: its downloads
        # carry what was recorded about it after it was frozen (the draft, the replies, the decision)
        with member.expect_download(timeout=120_000) as dl:
            member.get_by_role("button", name=T("overview.download_xlsx")).click()
        workbook = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
        (ARTIFACTS / "committee-journey.xlsx").write_bytes(Path(dl.value.path()).read_bytes())
        sheet = T("export.tab.sheet_decision")
        assert sheet in workbook.sheetnames, workbook.sheetnames
        table = [[c.value for c in row] for row in workbook[sheet].iter_rows()]
        head = next(row for row in table if T("committee.decided.reason") in row)
        line = next(row for row in table if NEW["name"] in row)
        cell = dict(zip(head, line, strict=False))
        assert (cell[T("committee.decided.model_rank")], cell[T("committee.decided.rank")],
                cell[T("committee.decided.move")], cell[T("committee.decided.reason")]) == (r, r - 1, "↑ 1", REASON), \
            cell
        passed = dict(zip(head, next(row for row in table if names[above] in row), strict=False))
        assert (passed[T("committee.decided.model_rank")], passed[T("committee.decided.rank")],
                passed[T("committee.decided.reason")]) == (r - 1, r, None), passed  # moved by the other: no reason
        sentence = T("committee.decision.sentence", body=decided.ref.body, date=i18n.day(decided.ref.date, "sv"),
                     reference=REFERENCE, version=VERSION, n=1)
        assert sentence in [row[0] for row in table], table[-3:]

        with member.expect_download(timeout=180_000) as dl:
            member.get_by_role("button", name=T("overview.download_pdf")).click()
        reader = pypdf.PdfReader(io.BytesIO(Path(dl.value.path()).read_bytes()))
        text = "\n".join(pg.extract_text() for pg in reader.pages)
        (ARTIFACTS / "committee-journey-beslutsunderlag.txt").write_text(text, encoding="utf-8")
        assert T("export.pdf.decision") in text
        assert T("export.pdf.draft") not in text  # the frozen, decided version, not an unfrozen draft
        flat = squeeze(text)
        assert squeeze(sentence) in flat
        # the decided list's row: decided rank, object, "model rank → decided rank", the move
        assert f"{r - 1} {NEW['name']} {r} → {r - 1} ↑ 1" in flat
        assert squeeze(departure) in flat  # the reason, under the list
    except Exception:
        for i, ctx in enumerate(contexts):  # what each person saw when it failed
            for k, pg in enumerate(ctx.pages):
                shot(pg, f"committee-journey-failed-{i}-{k}")
        raise
    finally:
        for ctx in contexts:
            ctx.close()
