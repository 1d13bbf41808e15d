"""Attack on the isolation of proposals before the input window closes (issue 13): the id a
municipality's own proposal gets, and the refusal it gets when it names another id, must not tell it
whether (or how many) other municipalities have proposed. Found by the hostile review with ids
numbered through the round ("F-001", "F-002", ...); ids are now numbered per municipality
("F-haninge-1") and another municipality's proposal is answered like one that does not exist."""

from __future__ import annotations

import pytest

from prioritization.storage import committee as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StorageInputError
from tests.storage.test_committee_store import municipality, setup_committee


def haninge_sees(db, fac, round_id, *, huddinge_proposes: bool) -> tuple[str, set[str]]:
    setup_committee(db, fac, round_id)
    hud, han = municipality(round_id, "huddinge"), municipality(round_id, "haninge")
    alone = store.propose(db, han, round_id, "haninge", {"name": "Gångbro", "need": "Barriär"})
    store.withdraw_proposal(db, han, round_id, alone)
    if huddinge_proposes:
        store.propose(db, hud, round_id, "huddinge", {"name": "Busskörfält", "need": "Köer"})
    second = store.propose(db, han, round_id, "haninge", {"name": "Gångbro", "need": "Barriär"})
    refusals = set()
    for pid in ("F-huddinge-1", "F-huddinge-2", "F-001", "F-haninge-9"):
        with pytest.raises((AccessDenied, StorageInputError)) as e:
            store.withdraw_proposal(db, han, round_id, pid)
        refusals.add(e.value.code)
    return second, refusals


@pytest.mark.parametrize("huddinge_proposes", [False, True])
def test_a_municipalitys_proposal_id_does_not_tell_what_others_proposed(db, fac, round_id, huddinge_proposes):
    second, refusals = haninge_sees(db, fac, round_id, huddinge_proposes=huddinge_proposes)
    # what Haninge learns is the same whether or not Huddinge proposed meanwhile
    assert second == "F-haninge-2"  # its own second number (the withdrawn first is not given again)
    assert refusals == {"unknown_proposal"}  # another municipality's id is answered like a missing one
