"""Attacks on the committee's decision and on the "every departure has a reason" promise (issue 13),
by a caller that forges the decided order: ranks that are not numbers one can compare (NaN,
infinity) and reasons that are there but say nothing (only invisible characters). Each is refused
with its own code and nothing stored changes. SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

import math

import pytest

from prioritization.committee.model import DecisionRef
from prioritization.committee.ranking import model_list
from prioritization.storage import committee as store
from prioritization.storage import versions
from prioritization.storage.errors import StorageInputError
from tests.storage.test_committee_access import REF
from tests.storage.test_committee_store import municipality, setup_committee, snapshot


@pytest.fixture
def frozen(db, fac, round_id):
    """A round with the committee set up and one frozen version to decide on; its model list."""
    setup_committee(db, fac, round_id, open_window=False)
    v = versions.freeze(db, fac, round_id, "Till beslut")
    return round_id, v, model_list(versions.load(db, fac, v.id))


def refused(db, fac, rid, call, code: str) -> None:
    before = snapshot(db, fac, rid)
    with pytest.raises(StorageInputError) as e:
        call()
    assert e.value.code == code, (e.value.code, str(e.value))
    assert snapshot(db, fac, rid) == before


@pytest.mark.parametrize("rank", [math.nan, math.inf, -math.inf])
def test_a_rank_that_is_not_a_finite_number_is_refused_in_words(db, fac, frozen, rank):
    rid, v, model = frozen
    order = [(oid, r, tier, None) for oid, r, tier in model]
    order[-1] = (order[-1][0], rank, order[-1][2], "Flyttad")
    refused(db, fac, rid, lambda: store.record_decision(db, fac, rid, v.id, REF, order), "bad_rank")


# zero-width space, zero-width joiner, word joiner, byte-order mark, soft hyphen; with and without spaces
INVISIBLE = ["\u200b", "\u200d\u2060", "\ufeff", " \u00ad ", "\u200b \u200b"]


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_departure_whose_reason_is_only_invisible_characters_has_no_reason(db, fac, frozen, reason):
    rid, v, model = frozen
    (a, ra, ta), (b, rb, tb) = model[0], model[1]
    # the model's first two swapped: the one moved up needs a written reason
    order = [(b, ra, ta, reason), (a, rb, tb, reason), *((oid, r, t, None) for oid, r, t in model[2:])]
    refused(db, fac, rid, lambda: store.record_decision(db, fac, rid, v.id, REF, order), "reason_missing")


@pytest.mark.parametrize("reason", INVISIBLE)
def test_other_required_texts_made_of_invisible_characters_are_missing_too(db, fac, frozen, reason):
    rid, v, _ = frozen
    refused(db, fac, rid, lambda: store.record_decision(db, fac, rid, v.id,
                                                        DecisionRef(REF.body, REF.date, reason), []),
            "reference_missing")
    store.open_window(db, fac, rid)
    hud = municipality(rid)
    key = store.propose(db, hud, rid, "huddinge", {"name": "Gångbro", "need": "Barriär"})
    refused(db, fac, rid, lambda: store.decline_proposal(db, fac, rid, key, reason), "reason_missing")
    refused(db, fac, rid, lambda: store.propose(db, hud, rid, "huddinge", {"name": reason, "need": "Köer"}),
            "name_missing")
