"""The facilitator's participants page: the participants table and invitation links (random tokens
stored only hashed, shown once with a QR code, revocable); other roles are refused."""

import hashlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from prioritization.storage import auth, rounds
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.storage.schema import Invitation
from prioritization.ui.setup.setup_participants import (
    apply_participant_delta,
    base_url_from,
    invitation_link,
    valid_base_url,
)
from tests.ui.conftest import shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_participants_app.py")
PAGE_URL = "http://10.0.0.5:8501/setup_participants"


def page(actor, lang="sv", url: str | None = PAGE_URL) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    if url is not None:
        at.context["url"] = url
    return at.run()


def edit(at, edited=None, added=None, deleted=None) -> AppTest:
    gen = at.session_state.get("participants_gen", 0)
    at.session_state[f"participants_editor_{gen}"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                                     "deleted_rows": deleted or []}
    return at.run()


@pytest.fixture
def rid(app_db, fac) -> int:
    return rounds.list_rounds(app_db, fac)[0].id


def people(db, fac, rid):
    return rounds.setup_document(db, fac, rid)["participants"]


def shown_token(at) -> str:
    url = at.session_state["participants_new_link"]["url"]
    return parse_qs(urlsplit(url).query)["token"][0]


# --- pure helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize("url,base", [
    ("http://10.0.0.5:8501/setup_participants", "http://10.0.0.5:8501"),
    ("http://10.0.0.5:8501/setup_participants/", "http://10.0.0.5:8501"),
    ("https://prio.example.se/app/setup_participants", "https://prio.example.se/app"),
    ("http://localhost:8501/", "http://localhost:8501"),
    ("http://localhost:8501/setup_objects", "http://localhost:8501/setup_objects"),  # another path stays
    (None, ""),
])
def test_base_url_drops_the_page_path(url, base):
    assert base_url_from(url) == base


def test_invitation_link_and_base_url_check():
    assert invitation_link("http://10.0.0.5:8501/", "a-b_c") == "http://10.0.0.5:8501/?token=a-b_c"
    assert valid_base_url("https://prio.example.se/app")
    for bad in ("", "10.0.0.5:8501", "ftp://x", "http://", "http://x/?token=1"):
        assert not valid_base_url(bad)


def test_participant_delta_trims_and_generates_ids():
    stored = [{"id": "p-a", "name": "A", "organisation": "Huddinge kommun"}, {"id": "p-01", "name": "B"}]
    new, problems = apply_participant_delta(stored, {"edited_rows": {0: {"organisation": " "}},
                                                     "added_rows": [{"name": " C ", "organisation": "Salem"}]})
    assert problems == []
    assert new == [{"id": "p-a", "name": "A"}, {"id": "p-01", "name": "B"},
                   {"id": "p-02", "name": "C", "organisation": "Salem"}]


# --- the participants table ------------------------------------------------------------------------


def test_facilitator_sees_participants_and_the_app_address(app_db, fac):
    at = page(fac)
    assert not at.exception
    assert at.title[0].value == "Deltagare och inbjudningar"
    assert len(at.data_editor[0].value) == 8
    assert at.text_input(key="participants_base_url").value == "http://10.0.0.5:8501"
    assert not at.button(key="participants_invite_p-haninge").disabled


def test_edit_and_add_participants(app_db, fac, rid):
    before = people(app_db, fac, rid)
    at = edit(page(fac), edited={1: {"organisation": "Haninge kommun, planenheten"}},
              added=[{"name": "Trafikverket Region Stockholm", "organisation": "Trafikverket"}])
    at.button(key="participants_save").click().run()
    assert not at.exception
    after = people(app_db, fac, rid)
    assert after[1] == {**before[1], "organisation": "Haninge kommun, planenheten"}
    assert after[:1] == before[:1] and after[2:8] == before[2:]
    assert after[8] == {"id": "p-01", "name": "Trafikverket Region Stockholm", "organisation": "Trafikverket"}
    assert at.success[0].value == "Deltagarna är sparade (9 deltagare)."


def test_problems_are_listed_and_nothing_is_saved(app_db, fac, rid):
    before = people(app_db, fac, rid), rounds.round_info(app_db, fac, rid)["row_version"]
    at = edit(page(fac), edited={1: {"id": "p-botkyrka"}, 2: {"name": ""}})
    text = shown(at.error[0].value)
    assert "Rad 2 (p-botkyrka), Id: Id p-botkyrka finns redan på rad 1." in text
    assert "Rad 3 (p-huddinge), Namn: Namn saknas." in text
    assert at.button(key="participants_save").disabled
    assert (people(app_db, fac, rid), rounds.round_info(app_db, fac, rid)["row_version"]) == before


def test_removing_a_participant_with_scores_needs_confirmation(app_db, fac, rid):
    token = auth.invite(app_db, fac, rid, PARTICIPANT, "p-haninge")
    at = edit(page(fac), deleted=[1])
    assert "inbjudningslänkar slutar gälla" in at.info[0].value
    assert "p-haninge" in shown(at.warning[0].value)
    assert at.button(key="participants_save").disabled
    at.checkbox[0].check().run()
    at.button(key="participants_save").click().run()
    assert "p-haninge" not in [p["id"] for p in people(app_db, fac, rid)]
    assert all(s.participant != "p-haninge" for s in rounds.export_project(app_db, fac, rid).scores)
    assert auth.actor_for_token(app_db, token) is None  # the link went with the participant


# --- invitation links ------------------------------------------------------------------------------


def test_participant_link_is_shown_once_with_qr_code(app_db, fac, rid):
    at = page(fac)
    at.button(key="participants_invite_p-haninge").click().run()
    assert not at.exception and not at.error
    url = at.session_state["participants_new_link"]["url"]
    assert url.startswith("http://10.0.0.5:8501/?token=")
    assert at.code[0].value == url
    token = shown_token(at)
    a = auth.actor_for_token(app_db, token)
    assert (a.role, a.participant_key, a.round_id) == (PARTICIPANT, "p-haninge", rid)
    image = at.get("image")[0].proto.imgs[0]
    assert "Tjänsteperson Haninge" in image.caption and image.alt.startswith("QR-kod som öppnar appen")
    # stored only as its SHA-256: not in any table, not in the database files
    with app_db.reader() as s:
        hashes = [i.token_hash for i in s.scalars(select(Invitation))]
    assert hashes == [hashlib.sha256(token.encode()).hexdigest()]
    db_dir = Path(app_db.engine.url.database).parent
    assert all(token.encode() not in f.read_bytes() for f in db_dir.iterdir() if f.is_file())
    # listed, and hidden for good once dismissed
    assert at.button(key="participants_revoke_1").label == "Återkalla (Tjänsteperson Haninge (exempel))"
    at.button(key="participants_hide_link").click().run()
    assert "participants_new_link" not in at.session_state
    assert not at.get("image") and not at.code
    assert all(token not in str(v) for v in at.session_state.values())


def test_viewer_link_for_the_committee(app_db, fac, rid):
    at = page(fac)
    at.text_input(key="participants_viewer_label").input("Samarbetskommittén Södertörn").run()
    at.button(key="participants_invite_viewer").click().run()
    a = auth.actor_for_token(app_db, shown_token(at))
    assert (a.role, a.name, a.round_id) == (VIEWER, "Samarbetskommittén Södertörn", rid)
    assert at.subheader[0].value == "Ny länk för Samarbetskommittén Södertörn"


def test_revoking_a_link(app_db, fac, rid):
    at = page(fac)
    at.button(key="participants_invite_p-salem").click().run()
    token = shown_token(at)
    inv = auth.list_invitations(app_db, fac, rid)[0]
    at.button(key=f"participants_revoke_{inv.id}").click().run()
    assert not at.exception
    assert auth.actor_for_token(app_db, token) is None
    assert auth.list_invitations(app_db, fac, rid)[0].revoked
    assert at.success[0].value.startswith("Länken för Tjänsteperson Salem (exempel) är återkallad")
    assert "participants_new_link" not in at.session_state  # the revoked link is not shown any more
    assert not [b for b in at.button if b.key == f"participants_revoke_{inv.id}"]
    assert any(m.value == "återkallad" for m in at.markdown)


def test_links_need_the_app_address(app_db, fac, rid):
    at = page(fac, url=None)  # st.context.url unknown: the facilitator types it
    assert at.text_input(key="participants_base_url").value == ""
    assert "Ange appens adress" in at.warning[0].value
    assert at.button(key="participants_invite_p-haninge").disabled
    at.text_input(key="participants_base_url").input("http://192.168.1.10:8501").run()
    at.button(key="participants_invite_p-haninge").click().run()
    assert at.session_state["participants_new_link"]["url"].startswith("http://192.168.1.10:8501/?token=")


@pytest.mark.parametrize("role", [PARTICIPANT, VIEWER])
def test_other_roles_are_refused(app_db, fac, rid, role):
    actor = Actor(role, "Haninge", round_id=rid, participant_key="p-haninge" if role == PARTICIPANT else None)
    at = page(actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert not at.button and not at.data_editor and not at.text_input
    assert auth.list_invitations(app_db, fac, rid) == []


def test_english(app_db, fac):
    at = page(fac, lang="en")
    assert at.title[0].value == "Participants and invitations"
    assert shown(at.button(key="participants_invite_p-haninge").label) == "Create link for Tjänsteperson Haninge (exempel)"


def test_the_facilitator_sees_by_name_who_has_not_finished(app_db, fac, rid):
    """Issue 11 #4: named progress on the facilitator's own page (the projector has no names)."""
    from prioritization.storage import scores
    from prioritization.storage.access import PARTICIPANT, Actor

    at = page(fac)
    assert "Ingen bedömningsrunda är öppen just nu." in [i.value for i in at.info]
    rounds.set_status(app_db, fac, rid, "scoring")
    doc = rounds.setup_document(app_db, fac, rid)
    cells = [(o["id"], c["id"]) for o in doc["objects"] if o.get("status", "candidate") == "candidate"
             for c in doc["criteria"]]
    haninge = Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")
    for o, c in cells:
        scores.save_score(app_db, haninge, rid, o, c, 3)
    at.run()
    table = next(d.value for d in at.dataframe if "Besvarade celler" in d.value.columns)
    total = len(cells)
    names = {p["id"]: p["name"] for p in doc["participants"]}
    assert table.iloc[-1]["Namn"] == names["p-haninge"] and table.iloc[-1]["Klar"] == "Ja"
    assert table.iloc[-1]["Besvarade celler"] == f"{total} av {total}"
    assert list(table["Klar"]).count("Nej") == len(doc["participants"]) - 1
    answered = [int(x.split(" av ")[0]) for x in table["Besvarade celler"]]
    assert answered[:-1] == sorted(answered[:-1]) and max(answered[:-1]) < total  # the least finished first
    progress = scores.progress(app_db, fac, rid, 1)
    assert sorted(answered) == sorted(progress[p["id"]] for p in doc["participants"])
