"""Grid mode of the scoring page in a real browser: editing a cell saves it at once (the
data_editor's on_change write-through, which AppTest cannot fire) and survives a reload.

Not covered here: several edits in a row. Under headless Playwright the grid's editor stops opening
on double-click after the first commit, so consecutive edits could not be driven reliably; the
save logic for them is covered by AppTest (tests/ui/workshop/test_scoring.py)."""

from prioritization import projectfile
from prioritization.storage import auth, rounds, scores
from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
from tests.e2e.conftest import shot, wait_app
from tests.e2e.test_workshop_journey import ROUND

FAC = Actor(FACILITATOR, "test")


def pick(page, grid, dx, dy, option):
    """Select the cell, open its select editor and choose an option."""
    target = page.get_by_role("option", name=option, exact=True)
    for _ in range(10):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + dx, box["y"] + dy)
        page.keyboard.press("Enter")  # opens the cell's editor
        try:
            target.wait_for(timeout=2_000)
            break
        except Exception:  # noqa: BLE001 - the grid was redrawn under the click: try again
            page.keyboard.press("Escape")
    target.click()


def test_grid_edits_are_saved_immediately(browser, server):
    db = server["db"]
    doc = dict(ROUND, name="Tabelläge")
    rid = rounds.import_project(db, FAC, projectfile.parse(doc, require_complete=False))
    rounds.set_status(db, FAC, rid, "scoring")
    token = auth.invite(db, FAC, rid, PARTICIPANT, "botkyrka")
    me = Actor(PARTICIPANT, "Botkyrka", round_id=rid, participant_key="botkyrka")
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{server['url']}/?token={token}")
    page.get_by_text("0 av 4 bedömningar klara").wait_for(timeout=30_000)
    page.get_by_role("radiogroup", name="Visa").get_by_role("radio", name="Hela tabellen").click()
    wait_app(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    # columns: Objekt | Klart | Tillgänglighet | Klimat; rows 35 px under a 35 px header
    done = page.get_by_text("1 av 4 bedömningar klara")
    for _ in range(3):  # on a loaded machine the option list can be redrawn under the click: choose again
        pick(page, grid, 430, 53, "4")
        try:
            done.wait_for(timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - nothing chosen: the assertions below say what is stored
            page.keyboard.press("Escape")
            wait_app(page)
    done.wait_for(timeout=15_000)
    assert scores.my_scores(db, me, rid) == {("B1", "K1"): (4.0, None)}
    shot(page, "scoring-grid")
    # the saved value is there after a reload
    page.reload()
    page.get_by_text("1 av 4 bedömningar klara").wait_for(timeout=30_000)
    ctx.close()
