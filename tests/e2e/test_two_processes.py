"""Two app processes on one PostgreSQL (issue 9, "beyond one process"): a participant scores on one
process, the facilitator's projector runs on the other, and each sees the other's writes; a session
started on one process is valid on the other (what a reverse proxy without stickiness, or a failover,
relies on). Skipped without PostgreSQL (``.ci/run`` starts one)."""

from __future__ import annotations

import json

import pytest

from prioritization import projectfile
from prioritization.storage import auth, rounds, scores
from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
from prioritization.storage.database import Database
from tests.e2e.conftest import PASSWORD, AppServer, until, wait_app
from tests.e2e.test_live_scoring_browser import ROUND, click
from tests.storage.conftest import PG_URL, _pg_available, reset_postgres

FAC = Actor(FACILITATOR, "Facilitator")

pytestmark = pytest.mark.skipif(not _pg_available(), reason="needs PostgreSQL (PRIORITIZATION_TEST_PG_URL)")


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two")
    reset_postgres(PG_URL)
    db = Database.open(PG_URL)
    auth.set_facilitator_password(db, PASSWORD)
    rid = rounds.import_project(db, FAC, projectfile.parse(json.loads(json.dumps(ROUND)), require_complete=False))
    rounds.set_status(db, FAC, rid, "scoring")
    a = AppServer(PG_URL, tmp / "a.log").start()
    b = AppServer(PG_URL, tmp / "b.log").start()
    yield {"a": a, "b": b, "db": db, "rid": rid}
    a.stop()
    b.stop()
    db.dispose()


def test_participant_on_one_process_projector_on_the_other(browser, two):
    db, rid = two["db"], two["rid"]
    fac_ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    projector = fac_ctx.new_page()
    projector.goto(two["b"].url)
    projector.get_by_label("Facilitatorns lösenord").fill(PASSWORD)
    projector.get_by_role("button", name="Logga in").click()
    projector.get_by_role("link", name="Workshop (projektor)").click()
    projector.get_by_text("Hur långt har deltagarna kommit?", exact=False).wait_for(timeout=60_000)
    projector.get_by_text("Besvarade celler", exact=False).wait_for(timeout=30_000)

    ctx = browser.new_context(viewport={"width": 1200, "height": 1400}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{two['a'].url}/?token={auth.invite(db, FAC, rid, PARTICIPANT, 'p1')}")
    page.get_by_text("bedömningar klara", exact=False).first.wait_for(timeout=60_000)
    wait_app(page)
    for crit, value in (("K1", 4), ("K2", 2), ("K3", 5)):
        click(page, crit, value)
        page.wait_for_timeout(400)
    p1 = Actor(PARTICIPANT, "p1", round_id=rid, participant_key="p1")
    assert until(lambda: len(scores.my_scores(db, p1, rid)) == 3)
    # the projector on the other process shows the participant's 3 of 9 cells on its next refresh
    projector.get_by_text("Deltagare som är klara", exact=False).wait_for(timeout=30_000)
    assert until(lambda: projector.locator('[data-testid="stMetricValue"]').nth(1).inner_text().replace("\xa0", " ").strip() == "8 %",
                 30), projector.locator('[data-testid="stMetricValue"]').all_inner_texts()

    # the participant's session (cookie) is valid on the other process: a failover keeps them in
    other = ctx.new_page()
    other.goto(f"{two['b'].url}/scoring")
    other.get_by_text("3 av 9 bedömningar klara").wait_for(timeout=60_000)
    # and a write there is seen by the first process
    wait_app(other)
    assert other.get_by_text("Page not found").count() == 0  # a deep link to the scoring page works
    click(other, "K1", 1)
    assert until(lambda: scores.my_scores(db, p1, rid)[("A", "K1")] == (1.0, None))
    page.reload()
    page.get_by_text("✓ Sparat: 1", exact=False).wait_for(timeout=60_000)
    ctx.close()
    fac_ctx.close()
