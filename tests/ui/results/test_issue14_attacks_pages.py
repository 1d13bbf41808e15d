"""Hostile plan text (issue 14) on the ranking dashboard: an object's name, stage note, package and
link title written as Markdown links and emphasis reach the page only as text."""

import re
from pathlib import Path

from prioritization.storage import rounds, versions
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
EVIL = "**x** [y](javascript:alert(1))"


def test_hostile_plan_text_is_shown_as_text(app_db, fac, example):
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, example, status)
    versions.freeze(app_db, fac, example, "Fryst")
    doc = rounds.setup_document(app_db, fac, example)
    plan = {"stage": "avs", "stage_note": EVIL, "evidence": "plan", "package": f"Paket {EVIL}",
            "links": [{"kind": "other", "title": EVIL, "url": "https://example.org/a"}]}
    objects = [dict(o, name=f"{o['name']} {EVIL}", cost=(o.get("cost") or 100) * 2, plan=plan)
               for o in doc["objects"]]
    rounds.replace_setup(app_db, fac, example, {"objects": objects}, rounds.round_info(app_db, fac, example)["row_version"])
    at = app(fac, script=RESULTS, page="overview").run()
    assert not at.exception
    shown = [m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]]
    assert any("javascript" in s for s in shown)  # the hostile text is on the page ...
    for s in shown:  # ... but never as a live link or emphasis
        assert not re.search(r"(?<!\\)\]\(javascript", s) and not re.search(r"(?<!\\)\*\*x\*\*", s), s
