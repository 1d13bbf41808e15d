"""Re-evaluation ("Omprövas", issue 14) on the ranking dashboard and the follow-up page: a cost
changed by 20 % since the frozen version is flagged with the change in words; the facilitator
closes the flag with a decision and a reason (a refusal in Swedish first); the committee sees the
flag and the closed review but gets no form; the follow-up page's threshold setting."""

from pathlib import Path

from prioritization.storage import rounds, versions
from prioritization.storage.access import VIEWER, Actor
from tests.ui.conftest import app, shown

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
FOLLOW_UP = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "follow_up.py")
KEY = "reeval_dashboard_SOD-08"


def texts(at) -> str:
    return shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
                           + [e.value for e in at.error] + [i.value for i in at.info]))


def has_form(at) -> bool:
    return any(b.key == f"{KEY}_save" for b in at.button) or any(r.key == f"{KEY}_decision" for r in at.radio)


def test_a_cost_change_is_flagged_closed_by_the_facilitator_and_seen_by_the_committee(app_db, fac, example):
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, example, status)
    frozen = versions.freeze(app_db, fac, example, "Underlag till Samarbetskommittén")
    doc = rounds.setup_document(app_db, fac, example)
    objects = [dict(o, cost=1440) if o["id"] == "SOD-08" else o for o in doc["objects"]]  # 1 200 -> 1 440 MSEK
    rounds.replace_setup(app_db, fac, example, {"objects": objects},
                         rounds.round_info(app_db, fac, example)["row_version"])
    committee = Actor(VIEWER, "Kommittén", round_id=example)

    at = app(fac, script=RESULTS, page="overview").run()
    assert not at.exception
    seen = texts(at)
    assert "Omprövas" in seen and "Bytespunkt Flemingsberg" in seen
    assert "Kostnaden har ändrats från 1\xa0200 till 1\xa0440 MSEK (+20\xa0%)" in seen
    assert "”Underlag till Samarbetskommittén” (fryst" in seen and frozen.sha256[:12] in seen
    assert has_form(at)

    viewer_at = app(committee, script=RESULTS, page="overview").run()  # the committee: the flag, no form
    assert not viewer_at.exception
    assert "Omprövas" in texts(viewer_at) and "från 1\xa0200 till 1\xa0440 MSEK" in texts(viewer_at)
    assert not has_form(viewer_at)

    # no reason: refused in Swedish, nothing stored
    at.radio(key=f"{KEY}_decision").set_value("keep")
    at.button(key=f"{KEY}_save").click().run()
    assert "En motivering krävs. Inget sparades." in texts(at)
    assert rounds.export_project(app_db, fac, example).object("SOD-08").plan.reviews == ()

    at.text_area(key=f"{KEY}_reason").input("Kostnaden ryms i [kommunens](http://x.se) ram")
    at.button(key=f"{KEY}_save").click().run()
    assert not at.exception
    review = rounds.export_project(app_db, fac, example).object("SOD-08").plan.reviews[-1]
    assert (review.decision, review.reason, review.by, review.changes) == (
        "keep", "Kostnaden ryms i [kommunens](http://x.se) ram", "Facilitator", ("cost:1200→1440",))
    seen = texts(at)
    assert "Omprövningen av Bytespunkt Flemingsberg inkl. väg 226 planskildhet är stängd: Behåll på listan." in seen
    assert "Stängda omprövningar (1)" in [e.label for e in at.expander]
    assert "Motivering: Kostnaden ryms i [kommunens](http://x.se) ram" in seen
    assert not has_form(at)
    assert not any("](http" in m.value for m in at.markdown)  # the reason's link stays text, escaped

    viewer_at = app(committee, script=RESULTS, page="overview").run()
    seen = texts(viewer_at)
    assert "Behåll på listan (beslutat av Facilitator" in seen and "Motivering: Kostnaden ryms" in seen
    assert not has_form(viewer_at)


def test_the_follow_up_page_shows_the_flag_and_sets_the_threshold(app_db, fac, example):
    versions.freeze(app_db, fac, example, "Fryst")
    doc = rounds.setup_document(app_db, fac, example)
    objects = [dict(o, cost=1440) if o["id"] == "SOD-08" else o for o in doc["objects"]]
    rounds.replace_setup(app_db, fac, example, {"objects": objects},
                         rounds.round_info(app_db, fac, example)["row_version"])
    at = app(fac, script=FOLLOW_UP).run()
    assert not at.exception
    assert "Omprövas" in texts(at) and "från 1\xa0200 till 1\xa0440 MSEK" in texts(at)
    assert any(b.key == "reeval_follow_up_SOD-08_save" for b in at.button)
    at.number_input(key="reeval_follow_up_share_pct").set_value(25).run()  # a 20 % change is below it now
    assert "Inget objekt behöver omprövas just nu (tröskel för kostnadsändring: 25\xa0%)." in texts(at)
    assert not any(b.key == "reeval_follow_up_SOD-08_save" for b in at.button)
