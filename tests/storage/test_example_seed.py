"""The example round ``make run`` starts with (issue 13): all three stages are there — the
municipalities' input, the anchoring of a draft version with every reply, and the committee's
decision with its one recorded override — at the illustrative times the data file gives."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from prioritization.committee.ranking import model_list
from prioritization.report import committee as view
from prioritization.storage import committee as store
from prioritization.storage import example, rounds, versions
from tests.conftest import EXAMPLE
from tests.storage.conftest import viewer


def test_the_example_round_carries_all_three_stages(db, fac):
    rid = example.seed(db, EXAMPLE)
    data = json.loads(example.anchoring_file(EXAMPLE).read_text(encoding="utf-8"))
    c = store.committee(db, fac, rid)
    # decided from the locked list: the committee (a viewer) sees the results and the decision
    assert rounds.round_info(db, fac, rid)["status"] == "locked"
    assert store.committee(db, viewer(rid), rid).decision == c.decision
    assert len(c.municipalities) == 8 and c.window.is_closed and c.allocations and c.proposals
    (draft,) = c.drafts
    assert not draft.is_out and draft.reply_by == date(2023, 11, 24)
    assert draft.sent_at == datetime(2023, 11, 1, 9, tzinfo=UTC)
    assert {s.municipality for s in c.stances} == {m.id for m in c.municipalities}
    (v,) = versions.list_versions(db, fac, rid)
    assert v.sha256 == draft.version == c.decision.version
    # the decision is the model's list with the file's one move, and only that move has a reason
    model = model_list(versions.load(db, fac, v.id))
    (move,) = data["decision"]["moves"]
    by = {e.object: e for e in c.decision.order}
    assert by[move["object"]].rank == move["to"] and by[move["object"]].reason == move["reason"]
    assert [e.object for e in c.decision.order if e.reason] == [move["object"]]
    assert {e.object: (e.model_rank, e.model_tier) for e in c.decision.order} == {
        oid: (rank, tier) for oid, rank, tier in model}
    assert c.decision.ref.date == date(2023, 12, 8) and "(exempeldata)" in c.decision.ref.reference
    project = rounds.export_project(db, fac, rid)
    frame = view.anchoring_frame(project, draft)
    assert list(frame.loc[frame["municipality"] == "Salem", "missing"]) == ["Beslutsreferens saknas"]
    assert "Avvikelser från modellens lista: 1" in view.decision_sentence(project)


def test_the_next_round_splits_sparvag_syd_and_leaves_the_decided_round_as_it_was(db, fac):
    """Issue 14 (research/plan-round-2026.md §2.3): after the decided 2023/24 round, ``make run`` has
    the next round, set up but not scored, where Spårväg syd is two objects: stage 1 committed by the
    2025 additional agreements (N14), stage 2 a candidate that requires it. The 2023/24 round keeps the
    whole line it scored and decided, and stays the first round (the one the app opens)."""
    rid = example.seed(db, EXAMPLE)
    first, following = rounds.list_rounds(db, fac)
    assert first.id == rid and first.status == "locked" and "2023/24" in first.name
    assert following.name == example.NEXT_ROUND_NAME == (
        "Södertörns prioriteringslista för transportinfrastruktur 2027/28 (Exempeldata)")
    assert following.status == "setup" and following.data_label == "Exempeldata"
    decided = {o.id: o for o in rounds.export_project(db, fac, rid).objects}
    tram = decided["SOD-02"]
    assert (tram.name, tram.status, tram.cost) == ("Spårväg syd (Flemingsberg–Älvsjö)", "candidate", 4200)
    assert len(decided) == 15 and "SOD-16" not in decided
    assert store.committee(db, fac, rid).decision is not None

    nxt = rounds.export_project(db, fac, following.id)
    assert nxt.scores == () and not store.committee(db, fac, following.id).allocations
    objects = {o.id: o for o in nxt.objects}
    assert list(objects) == [*decided, "SOD-16"]
    stage_1, stage_2 = objects["SOD-02"], objects["SOD-16"]
    assert (stage_1.name, stage_1.status) == ("Spårväg syd etapp 1 (Flemingsberg–Skärholmen)", "committed")
    assert "tilläggsavtalen" in stage_1.attributes["description"] and "N14" in stage_1.attributes["description"]
    assert stage_1.cost is None and "inte känd" in stage_1.attributes["cost_basis"]
    assert stage_1.plan.package == "Spårväg syd" and "N14" in stage_1.attributes["sources"]
    assert (stage_2.name, stage_2.status, stage_2.cost) == ("Spårväg syd etapp 2 (Skärholmen–Älvsjö)", "candidate", None)
    assert stage_2.plan.requires == ("SOD-02",) and stage_2.plan.package == "Spårväg syd"
    assert stage_2.plan.stage_note == "Ej avtalad (antagande, Exempeldata)"
    assert stage_2.attributes["municipalities"] == tram.attributes["municipalities"] == ["Huddinge"]
    # every other object is copied as it was; the timeline is the template of plan round 2030
    assert all(objects[k] == o for k, o in decided.items() if k != "SOD-02")
    (decision,) = [m for m in nxt.milestones if m.decision]
    assert "vinter 2027/28" in decision.title_sv and decision.status == "planned"


def test_without_the_anchoring_there_is_only_the_example_round(db, fac):
    """The pages' tests seed with ``anchoring=False`` and find the example round alone."""
    rid = example.seed(db, EXAMPLE, anchoring=False)
    assert [r.id for r in rounds.list_rounds(db, fac)] == [rid]
