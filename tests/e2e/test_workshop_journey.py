"""The live workshop in a real browser: the facilitator opens a round, two participants score at
the same time in separate browser contexts, the facilitator sees progress and disagreement update,
reveals, sets an agreed score and freezes a version. Screenshots: test-artifacts/e2e/journey-*.png."""

import hashlib
import json
import re

from prioritization.storage import auth, rounds, scores, versions
from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
from tests.e2e.conftest import login_facilitator, shot, until, wait_app

FAC = Actor(FACILITATOR, "test")
ROUND = {
    "format": "prioritization-project", "version": 1, "name": "Workshop i webbläsaren",
    "criteria": [
        {"id": "K1", "name": "Tillgänglighet", "direction": "benefit", "scale": [1, 5],
         "guidance": {"1": "Ingen effekt", "3": "Märkbar", "5": "Stor"}},
        {"id": "K2", "name": "Klimat", "direction": "benefit", "scale": [1, 5]},
    ],
    "weights": {"method": "direct", "points": {"K1": 60, "K2": 40}},
    "objects": [{"id": "B1", "name": "Busslänk Fittja"}, {"id": "B2", "name": "Cykelstråk Botkyrka"}],
    "participants": [{"id": "botkyrka", "name": "Botkyrka"}, {"id": "tyreso", "name": "Tyresö"}],
    "scores": [],
}
# (participant, object, criterion) -> value; B1/K1 is where they disagree most
PLAN = {"botkyrka": {("B1", "K1"): "5", ("B1", "K2"): "4", ("B2", "K1"): "2", ("B2", "K2"): "3"},
        "tyreso": {("B1", "K1"): "1", ("B1", "K2"): "4", ("B2", "K1"): "3", ("B2", "K2"): "Vet ej"}}
CRITERION_NAMES = {"K1": "Tillgänglighet", "K2": "Klimat"}


def nav(page, title):
    page.get_by_role("link", name=title).click()
    wait_app(page)


def click_score(page, criterion_key, value):
    group = page.get_by_role("radiogroup", name=f"Din poäng för {CRITERION_NAMES[criterion_key]}")
    group.get_by_role("radio", name=value, exact=True).click()


def test_live_workshop_journey(browser, server, tmp_path):
    db, base = server["db"], server["url"]
    fac_ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    fac = login_facilitator(fac_ctx, server)

    # 1. the facilitator creates the round from a project file and opens scoring
    path = tmp_path / "runda.json"
    path.write_text(json.dumps(ROUND, ensure_ascii=False), encoding="utf-8")
    nav(fac, "Omgångar")
    fac.locator('input[type="file"]').set_input_files(str(path))
    wait_app(fac)
    fac.get_by_role("button", name="Skapa omgång").click()
    fac.get_by_text('Omgången "Workshop i webbläsaren" är skapad.').wait_for(timeout=30_000)
    rid = rounds.list_rounds(db, FAC)[-1].id
    fac.get_by_role("button", name="Byt status").click()
    fac.get_by_text("Status är nu: poängsättning öppen.").wait_for(timeout=30_000)
    assert rounds.round_info(db, FAC, rid)["status"] == "scoring"
    shot(fac, "journey-1-round-open")

    # the projector stays open while people score
    nav(fac, "Workshop (projektor)")
    fac.get_by_text("Hur långt har deltagarna kommit?", exact=False).wait_for(timeout=30_000)

    # 2. two participants, each on their own "laptop" (browser context), score at the same time
    tokens = {p: auth.invite(db, FAC, rid, PARTICIPANT, p) for p in PLAN}
    contexts, pages = {}, {}
    for p, token in tokens.items():
        contexts[p] = browser.new_context(viewport={"width": 412, "height": 915}, locale="sv-SE")  # phone width
        pages[p] = contexts[p].new_page()
        pages[p].goto(f"{base}/?token={token}")
    for p in PLAN:
        pages[p].get_by_text("bedömningar klara", exact=False).first.wait_for(timeout=30_000)
    for obj in ("B1", "B2"):
        for crit in ("K1", "K2"):
            for p in PLAN:  # interleaved: both are writing during the same seconds
                click_score(pages[p], crit, PLAN[p][(obj, crit)])
            for p in PLAN:
                wait_app(pages[p])
        if obj == "B1":
            for p in PLAN:
                pages[p].get_by_role("button", name="Nästa →").first.click()
                wait_app(pages[p])
    for p in PLAN:
        pages[p].get_by_text("4 av 4 bedömningar klara").wait_for(timeout=30_000)
        # still on the second object after finishing it (its label gained a tick: a new widget)
        assert pages[p].get_by_role("heading", name="Cykelstråk Botkyrka").is_visible()
    shot(pages["tyreso"], "journey-2-participant-phone")

    stored = scores.ratings(db, FAC, rid)
    assert stored.answered.all()
    k = stored.participants.index("botkyrka")
    assert stored.values[k, 0, 0] == 5.0 and stored.values[stored.participants.index("tyreso"), 0, 0] == 1.0

    # 3. the projector updated by itself (fragment refresh), without reloading the page
    fac.get_by_test_id("stMetricValue").filter(has_text="2 av 2").first.wait_for(timeout=30_000)
    shot(fac, "journey-3-projector-progress")

    # 4. reveal: the disagreement view now shows B1 / Tillgänglighet first
    fac.get_by_role("button", name="Visa resultat").click()
    wait_app(fac)
    fac.get_by_text("Celler att diskutera").wait_for(timeout=30_000)
    assert rounds.round_info(db, FAC, rid)["status"] == "revealed"
    shot(fac, "journey-4-revealed-heatmap")

    # 5. agreed score with a note for the most disputed cell
    # the projector refreshes its live panel every few seconds; input or a click that lands while the
    # page is being redrawn can be lost under load, so try again (at most three times) until it is stored
    def stored():
        return any(s.participant is None and s.value == 3 for s in rounds.export_project(db, FAC, rid).scores)

    for _ in range(3):
        fac.get_by_role("spinbutton", name=re.compile("^Överenskommen poäng")).fill("3")
        fac.get_by_role("textbox", name=re.compile("^Notering")).fill("Enades efter diskussion om restider")
        fac.get_by_role("button", name="Spara överenskommen poäng").click()
        if until(stored, 10):
            break
    fac.get_by_text("är sparad: 3", exact=False).wait_for(timeout=30_000)
    exported = rounds.export_project(db, FAC, rid)
    agreed = [s for s in exported.scores if s.participant is None]
    assert [(s.object, s.criterion, s.value, s.comment) for s in agreed] == \
        [("B1", "K1", 3.0, "Enades efter diskussion om restider")]
    shot(fac, "journey-5-agreed")

    # 6. freeze a named version; its hash is shown and matches the stored file
    nav(fac, "Versioner")
    fac.get_by_label("Versionens namn").fill("Underlag till Samarbetskommittén")
    fac.get_by_role("button", name="Frys version").click()
    fac.get_by_text(re.compile(r"Versionen .Underlag till Samarbetskommittén. är fryst")).wait_for(timeout=30_000)
    v = versions.list_versions(db, FAC, rid)[-1]
    assert v.name == "Underlag till Samarbetskommittén"
    assert hashlib.sha256(versions.stored_text(db, FAC, v.id).encode()).hexdigest() == v.sha256
    assert v.sha256[:12] in fac.content()
    shot(fac, "journey-6-version")
    for c in (*contexts.values(), fac_ctx):
        c.close()
