"""Issue 10 #7 and #8, attacked through storage on SQLite and PostgreSQL.

#7: one rule for named ratings. A version frozen during scoring, read by anyone but the
facilitator before the round is locked, carries anonymous ratings only.
#8: a frozen version is tied to a seal keyed outside the database and to the audit log: rewriting
its text and hash (or its name, author or time) is detected, and the check is reported.
"""

import hashlib
import json
from collections import Counter

import pytest
from sqlalchemy import select, update

from prioritization.anonymity import PSEUDONYM_NAME, anonymised
from prioritization.storage import rounds, scores, seal, versions
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StorageInputError
from prioritization.storage.schema import AuditEntry, Version
from tests.storage.conftest import participant, viewer


def cells(doc: dict) -> Counter:
    """Per cell, the multiset of (value, comment) of individual scores: what anonymity keeps."""
    return Counter((s["object"], s["criterion"], s.get("value"), s.get("comment"))
                   for s in doc["scores"] if s["participant"] is not None)


@pytest.fixture
def scoring_version(db, fac, round_id):
    rounds.set_status(db, fac, round_id, "scoring")
    scores.save_score(db, participant(round_id, "p2"), round_id, "O1", "K1", 1, "Haninge tycker O1 är dålig")
    return versions.freeze(db, fac, round_id, "Fryst under bedömningen")


# --- #7 ----------------------------------------------------------------------------------------

def test_a_viewer_reads_a_version_frozen_during_scoring_only_anonymously(db, fac, round_id, scoring_version):
    v = scoring_version
    named = json.loads(versions.stored_text(db, fac, v.id))
    assert hashlib.sha256(versions.stored_text(db, fac, v.id).encode()).hexdigest() == v.sha256
    for status in ("scoring", "revealed"):
        if status != "scoring":
            rounds.set_status(db, fac, round_id, status)
        text = versions.stored_text(db, viewer(), v.id)
        anon = json.loads(text)
        for who in named["participants"]:  # no id, name or organisation of a participant
            assert f'"{who["id"]}"' not in text, (status, who["id"])
            for p in anon["participants"]:
                assert who["name"] not in p["name"] and "organisation" not in p
        assert "Haninge tycker O1 är dålig" in text  # the comment stays, without its author
        assert [p["name"] for p in anon["participants"]] == [PSEUDONYM_NAME.format(n=k + 1)
                                                             for k in range(len(named["participants"]))]
        assert cells(anon) == cells(named)  # the same ratings, the same comments, no names
        # the dashboard's object detail is built from the same text
        assert versions.load(db, viewer(), v.id).participants[0].name == PSEUDONYM_NAME.format(n=1)
    rounds.set_status(db, fac, round_id, "locked")
    assert versions.stored_text(db, viewer(), v.id) == versions.stored_text(db, fac, v.id)
    assert versions.stored_text(db, participant(round_id), v.id) == versions.stored_text(db, fac, v.id)


def test_one_pseudonym_is_not_one_person_across_cells():
    doc = {"participants": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
           "scores": [{"object": "O", "criterion": "K1", "participant": "a", "value": 5},
                      {"object": "O", "criterion": "K1", "participant": "b", "value": 1},
                      {"object": "O", "criterion": "K2", "participant": "a", "value": 1},
                      {"object": "O", "criterion": "K2", "participant": "b", "value": 5},
                      {"object": "O", "criterion": "K2", "participant": None, "value": 3}]}
    out = anonymised(doc)
    by = {(s["criterion"], s["participant"]): s["value"] for s in out["scores"]}
    # a's 5 and b's 5 both went to the same pseudonym: sorted per cell, not followed per person
    assert by[("K1", "anonym-1")] == by[("K2", "anonym-1")] == 1
    assert {"object": "O", "criterion": "K2", "participant": None, "value": 3} in out["scores"]
    assert anonymised(doc) == out  # deterministic: the same version, the same anonymous file


def test_participants_own_weights_are_kept_only_as_a_set(db, fac, round_id):
    doc = {"participants": [{"id": "a", "name": "A", "weights": {"K1": 0.9, "K2": 0.1}},
                            {"id": "b", "name": "B", "weights": {"K1": 0.2, "K2": 0.8}}], "scores": []}
    out = anonymised(doc)
    assert sorted(json.dumps(p["weights"], sort_keys=True) for p in out["participants"]) == \
        sorted(json.dumps(p["weights"], sort_keys=True) for p in doc["participants"])
    assert out["participants"][0]["weights"] == {"K1": 0.2, "K2": 0.8}  # sorted, not in people's order


def test_the_rule_is_the_same_for_live_ratings_the_project_file_and_versions(db, fac, round_id, scoring_version):
    for status in ("scoring", "revealed"):
        if status != "scoring":
            rounds.set_status(db, fac, round_id, status)
        for who in (viewer(), participant(round_id)):
            with pytest.raises(AccessDenied):
                scores.ratings(db, who, round_id)
            with pytest.raises(AccessDenied):
                rounds.export_project(db, who, round_id)
            if who.role == "viewer":
                assert not versions.named(who, status)
    rounds.set_status(db, fac, round_id, "locked")
    for who in (viewer(), participant(round_id)):
        assert scores.ratings(db, who, round_id).participants  # named, once locked
        assert rounds.export_project(db, who, round_id).participants[0].name == "Botkyrka"


# --- #8 ----------------------------------------------------------------------------------------

def rewrite(db, v, **values):
    with db.session() as s:
        s.execute(update(Version).where(Version.id == v.id).values(**values))


def check_of(db, fac, v) -> str:
    return {x.id: x.check for x in versions.list_versions(db, fac, v.round_id, checked=True)}[v.id]


def test_a_fresh_version_is_sealed_and_checked(db, fac, round_id):
    v = versions.freeze(db, fac, round_id, "Beslut")
    assert check_of(db, fac, v) == versions.SEALED
    assert versions.load(db, fac, v.id).name


@pytest.mark.parametrize("what", ["text_and_hash", "name", "author", "time", "seal"])
def test_rewriting_a_version_in_the_database_is_detected(db, fac, round_id, what):
    from datetime import timedelta

    v = versions.freeze(db, fac, round_id, "Beslut")
    with db.reader() as s:
        row = s.get(Version, v.id)
        text, at = row.project_json, row.created_at
    forged = text.replace('"value": 5', '"value": 1', 1)
    assert forged != text
    change = {"text_and_hash": {"project_json": forged, "sha256": hashlib.sha256(forged.encode()).hexdigest()},
              "name": {"name": "Ett annat beslut"}, "author": {"created_by": "Någon annan"},
              "time": {"created_at": at - timedelta(days=1)}, "seal": {"seal": "0" * 64}}[what]
    if what == "text_and_hash":  # a thorough forger rewrites the audit log's digest too
        with db.session() as s:
            s.execute(update(AuditEntry).where(AuditEntry.action == "version.freeze")
                      .values(new_value=change["sha256"]))
    if what == "name":
        with db.session() as s:
            s.execute(update(AuditEntry).where(AuditEntry.action == "version.freeze").values(target="Ett annat beslut"))
    rewrite(db, v, **change)
    assert check_of(db, fac, v) == versions.BROKEN
    rounds.set_status(db, fac, round_id, "scoring")
    for who in (fac, viewer()):
        with pytest.raises(StorageInputError) as e:
            versions.stored_text(db, who, v.id)
        assert e.value.code == "version_corrupt"


def test_dropping_the_seal_does_not_make_a_forgery_pass_as_sealed(db, fac, round_id):
    """Without its seal a version is at best "matches the audit log", never shown as sealed."""
    v = versions.freeze(db, fac, round_id, "Beslut")
    rewrite(db, v, seal=None)
    assert check_of(db, fac, v) == versions.AUDIT_ONLY


def test_an_old_unsealed_version_is_checked_against_the_audit_log(db, fac, round_id):
    v = versions.freeze(db, fac, round_id, "Före förseglingar")
    rewrite(db, v, seal=None)
    assert check_of(db, fac, v) == versions.AUDIT_ONLY
    with db.session() as s:  # the log lost the digest (or the text changed): broken
        s.execute(update(AuditEntry).where(AuditEntry.action == "version.freeze").values(new_value="0" * 64))
    assert check_of(db, fac, v) == versions.BROKEN


def test_without_the_key_a_sealed_version_is_not_verifiable_and_a_wrong_key_fails(db, fac, round_id, monkeypatch,
                                                                                  tmp_path):
    v = versions.freeze(db, fac, round_id, "Beslut")
    monkeypatch.setenv(seal.KEY_FILE_ENV, str(tmp_path / "missing.key"))
    assert check_of(db, fac, v) == versions.NO_KEY
    assert versions.load(db, fac, v.id)  # content and audit log agree: still usable
    monkeypatch.setenv(seal.KEY_ENV, "x" * 40)
    assert check_of(db, fac, v) == versions.BROKEN
    monkeypatch.setenv(seal.KEY_ENV, "kort")
    with pytest.raises(seal.SealKeyError):
        versions.list_versions(db, fac, round_id, checked=True)


def test_the_key_file_is_private_and_made_once(tmp_path, monkeypatch):
    import os

    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    monkeypatch.setenv(seal.KEY_FILE_ENV, str(tmp_path / "k" / "seal.key"))
    first = seal.key(create=True)
    assert seal.key(create=True) == first
    assert os.stat(tmp_path / "k" / "seal.key").st_mode & 0o777 == 0o600
    assert len(first) >= seal.MIN_KEY_CHARS


def test_the_audit_entry_holds_the_digest(db, fac, round_id):
    v = versions.freeze(db, fac, round_id, "Beslut")
    with db.reader() as s:
        e = s.scalar(select(AuditEntry).where(AuditEntry.action == "version.freeze"))
    assert (e.target, e.new_value) == ("Beslut", v.sha256)
