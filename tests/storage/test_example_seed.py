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
