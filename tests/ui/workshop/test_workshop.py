"""AppTest of the facilitator's projector view (tests/ui/scripts/workshop_app.py calls render()).

Most tests use tests/fixtures/small-round.json (3 participants, 4 objects, 3 criteria; round-1
scores worked out by hand in test_workshop_logic.test_small_round_order_by_hand); two use the
seeded example round (8 participants, 15 x 12 cells).
"""

import json
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from prioritization import projectfile
from prioritization.storage import rounds, scores
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.workshop import workshop_logic as logic
from prioritization.ui.workshop.workshop import Labels
from tests.conftest import EXAMPLE, FIXTURES
from tests.ui.conftest import app

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "workshop_app.py")
CELL = json.dumps(["O2", "K1"])  # Spår – etapp 2 / Tillgänglighet: 3, 4, 2


def page(actor, lang="sv", **state) -> AppTest:
    return app(actor, lang, script=SCRIPT, **state).run()


@pytest.fixture
def small_db(empty_app_db):
    """A database holding only the small round (the app does not seed the example into it)."""
    return empty_app_db


@pytest.fixture
def small(small_db, fac) -> int:
    return rounds.import_project(small_db, fac, projectfile.load(FIXTURES / "small-round.json"))


def reveal(db, fac, rid) -> None:
    rounds.set_status(db, fac, rid, "scoring")
    rounds.set_status(db, fac, rid, "revealed")


def participant(rid, key) -> Actor:
    return Actor(PARTICIPANT, key, round_id=rid, participant_key=key)


def charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def chart_rows(at) -> list[dict]:
    """Every row of data behind every chart on the page."""
    rows = []
    for el in at.get("vega_lite_chart"):
        for ds in el.proto.datasets:
            rows += pa.ipc.open_stream(ds.data.data).read_pandas().to_dict("records")
    return rows


def heatmap(at) -> dict | None:
    for spec in charts(at):
        layers = spec.get("layer", [])
        if layers and layers[0]["mark"]["type"] == "rect":
            return spec
    return None


def frame(at, column: str):
    """The first table on the page with a column of that name (AppTest exposes no dataframe keys)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def all_text(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success",
                                  "error", "warning") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for df in at.dataframe:
        parts += [" ".join(map(str, df.value.columns)), df.value.to_string()]
    for sb in at.selectbox:
        parts += list(sb.options)
    parts += [json.dumps(r, default=str, ensure_ascii=False) for r in chart_rows(at)]
    parts += [json.dumps(s, ensure_ascii=False) for s in charts(at)]
    return "\n".join(parts)


def test_participant_and_viewer_are_refused(small_db, fac, small):
    reveal(small_db, fac, small)
    for who in (participant(small, "p2"), Actor(VIEWER, "Kommittén", round_id=small)):
        at = page(who)
        assert not at.exception
        assert at.error[0].value == ("Den här sidan är facilitatorns projektorvy. "
                                     "Du har inte behörighet att öppna den.")
        assert len(at.button) == 0 and not at.get("vega_lite_chart") and len(at.dataframe) == 0
    assert rounds.round_info(small_db, fac, small)["status"] == "revealed"


def test_first_round_is_hidden_until_revealed(small_db, fac, small):
    rounds.set_status(small_db, fac, small, "scoring")
    at = page(fac, round_id=small)
    assert not at.exception
    assert any("Poängen är dolda tills du väljer Visa resultat" in i.value for i in at.info)
    assert heatmap(at) is None and not any("Anonym fördelning" in c.value for c in at.caption)
    # progress is shown: every participant has scored all 9 cells; the committed O4 is not scored
    # and not counted (issue 11 #1: it was counted as 3 unscored cells, "0 av 3" klara)
    assert at.metric[0].value == "3 av 3"
    assert [r["text"] for r in chart_rows(at) if r["label"].startswith("Deltagare ")] == ["9/9"] * 3
    at.toggle(key="workshop_show_hidden").set_value(True).run()
    assert heatmap(at) is not None


def test_small_round_heatmap_and_cells_to_discuss(small_db, fac, small):
    reveal(small_db, fac, small)
    at = page(fac, round_id=small)
    assert not at.exception
    assert at.title[0].value == "Workshop – projektorvy"
    spec = heatmap(at)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["scheme"] == "viridis"
    labels = {(r["object"], r["criterion"]): r["label"] for r in chart_rows(at) if "spread" in r}
    assert labels[("Spår – etapp 2", "Tillgänglighet")] == "1,0"
    assert labels[("Bro över Ölandssundet", "Kostnadsklass")] == "0,0"
    # issue 11 #1: the committed object is not scored, so it is not in the heatmap at all
    assert not [k for k in labels if k[0] == "Redan finansierad väg"]
    # the text alternative: sorted by IQR, then range, then std, then grid order (by hand)
    discuss = frame(at, "Ordning")
    assert list(discuss.columns) == ["Ordning", "Objekt", "Kriterium", "Kvartilavstånd (IQR)", "Antal poäng"]
    assert list(zip(discuss["Objekt"], discuss["Kriterium"], strict=True)) == [
        ("Spår – etapp 2", "Tillgänglighet"), ("Bro över Ölandssundet", "Klimat"),
        ("Bro över Ölandssundet", "Tillgänglighet"), ("Spår – etapp 2", "Klimat"),
        ("Cykelstråk", "Tillgänglighet"), ("Cykelstråk", "Klimat")]
    assert list(discuss["Kvartilavstånd (IQR)"]) == ["1,0"] + ["0,5"] * 5
    assert list(discuss["Antal poäng"]) == [3, 2, 3, 3, 3, 3]
    # choosing a cell: the top cell comes first; its anonymous distribution
    assert at.selectbox(key="workshop_cell").value == CELL
    assert any(c.value == "Anonym fördelning för Spår – etapp 2 – Tillgänglighet: "
                          "1: 0, 2: 1, 3: 1, 4: 1, 5: 0, vet ej: 0 (3 svar)." for c in at.caption)
    at.selectbox(key="workshop_cell").select(json.dumps(["O1", "K2"])).run()
    assert any(c.value.endswith("1: 0, 2: 1, 3: 1, 4: 0, 5: 0, vet ej: 1 (3 svar).") for c in at.caption)
    # another spread measure re-sorts the table
    at.selectbox(key="workshop_measure").select("range").run()
    assert list(frame(at, "Ordning").columns)[3] == "Variationsbredd (högsta − lägsta)"
    assert at.selectbox(key="workshop_cell").value == json.dumps(["O1", "K2"])  # the chosen cell stays


def test_example_round_progress_and_no_participant_names(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    reveal(app_db, fac, rid)
    rounds.set_status(app_db, fac, rid, "second_round")
    rounds.set_status(app_db, fac, rid, "revealed")
    at = page(fac, round_id=rid)
    assert not at.exception
    counts = sorted(scores.progress(app_db, fac, rid, 2).values(), reverse=True)
    people = [r for r in chart_rows(at) if str(r.get("label", "")).startswith("Deltagare ")]
    assert [r["label"] for r in people] == [f"Deltagare {k}" for k in range(1, 9)]
    assert [r["text"] for r in people] == [f"{c}/156" for c in counts]  # 13 candidates x 12 criteria
    text = all_text(at)
    assert "Närmade sig deltagarna varandra?" in text  # the whole page, convergence included, is there
    for p in rounds.export_project(app_db, fac, rid).participants:
        assert p.id not in text and p.name not in text and p.organisation not in text


def test_status_buttons_move_the_delphi_flow(small_db, fac, small):
    at = page(fac, round_id=small)
    assert [b.key for b in at.button if b.key.startswith("workshop_step_")] == ["workshop_step_scoring"]
    at.button(key="workshop_step_scoring").click().run()
    assert rounds.round_info(small_db, fac, small)["status"] == "scoring"
    assert at.success[0].value == "Status är nu: poängsättning öppen."
    at.button(key="workshop_step_revealed").click().run()
    assert rounds.round_info(small_db, fac, small)["status"] == "revealed" and heatmap(at) is not None
    at.button(key="workshop_step_second_round").click().run()
    assert rounds.round_info(small_db, fac, small)["status"] == "second_round"
    assert any(c.value.startswith("Visar bedömningsrunda 1, som redan är visad") for c in at.caption)
    assert "Närmade sig deltagarna varandra?" not in [h.value for h in at.header]  # round 2 still hidden
    # round 2: O2/K1 (3, 4, 2) becomes 3, 3, 3 and O1/K1 (5, 4, 5) becomes 5, 3, 5
    scores.save_score(small_db, participant(small, "p2"), small, "O2", "K1", 3)
    scores.save_score(small_db, participant(small, "p3"), small, "O2", "K1", 3)
    scores.save_score(small_db, participant(small, "p2"), small, "O1", "K1", 3)
    at.button(key="workshop_step_revealed").click().run()
    info = rounds.round_info(small_db, fac, small)
    assert (info["status"], info["revealed_phase"]) == ("revealed", 2)
    # IQR by hand over the 9 cells with two or more ratings in both rounds (O4 has none):
    # round 1: O1 .5 .5 0, O2 1 .5 0, O3 .5 .5 0 -> mean 3.5/9 = 0.39; round 2: O1/K1 [3,5,5] -> 1,
    # O2/K1 [3,3,3] -> 0, the rest unchanged -> mean 3/9 = 0.33
    summary = next(m.value for m in at.markdown if m.value.startswith("Spridningen mätt som"))
    assert summary == ("Spridningen mätt som kvartilavståndet (IQR) minskade i **1 av 9 celler (11\xa0%)**, "
                       "ökade i 1 och var oförändrad i 7. "
                       "I medeltal gick den från 0,39 i runda 1 till 0,33 i runda 2.")
    table = frame(at, "Förändring")
    assert list(table.columns) == ["Objekt", "Kriterium", "Runda 1", "Runda 2", "Förändring"]
    assert list(table.iloc[0]) == ["Spår – etapp 2", "Tillgänglighet", "1,0", "0,0", "−1,0"]
    assert list(table.iloc[-1]) == ["Bro över Ölandssundet", "Tillgänglighet", "0,5", "1,0", "+0,5"]
    # the cell detail shows both rounds' distributions side by side
    assert [s.value for s in at.subheader if s.value.startswith("Bedömningsrunda ")] == ["Bedömningsrunda 1", "Bedömningsrunda 2"]
    at.button(key="workshop_step_locked").click().run()
    assert rounds.round_info(small_db, fac, small)["status"] == "locked"
    assert not [b for b in at.button if b.key.startswith("workshop_step_")]
    assert not at.exception


def _agreed(db, fac, rid, cell=("O2", "K1")):
    return scores.agreed_scores(db, fac, rid).get(cell)


def test_agreed_score_bad_value_then_saved_with_note_then_removed(small_db, fac, small):
    reveal(small_db, fac, small)
    at = page(fac, round_id=small)
    assert at.selectbox(key="workshop_cell").value == CELL
    # outside the scale: a Swedish message naming the criterion, nothing stored
    at.number_input(key="workshop_agreed_value").set_value(7)
    at.text_area(key="workshop_agreed_note").input("fel")
    at.button(key="workshop_agreed_save").click().run()
    assert not at.exception
    assert at.error[0].value == "7 ligger utanför skalan 1–5 för kriteriet Tillgänglighet."
    assert _agreed(small_db, fac, small) is None
    # no value at all
    at.number_input(key="workshop_agreed_value").set_value(None)
    at.button(key="workshop_agreed_save").click().run()
    assert at.error[0].value == "En överenskommen poäng måste vara ett tal."
    assert _agreed(small_db, fac, small) is None
    # a good value with a note: stored, confirmed and shown
    at.number_input(key="workshop_agreed_value").set_value(3)
    at.text_area(key="workshop_agreed_note").input("Enighet: etapp 2 ger mindre än etapp 1")
    at.button(key="workshop_agreed_save").click().run()
    assert not at.exception and not at.error
    assert _agreed(small_db, fac, small) == (3.0, "Enighet: etapp 2 ger mindre än etapp 1")
    assert at.success[0].value == "Överenskommen poäng för Spår – etapp 2 – Tillgänglighet är sparad: 3."
    shown = [m.value for m in at.markdown]
    assert "Överenskommen poäng: **3**. Notering: Enighet: etapp 2 ger mindre än etapp 1" in shown
    listed = frame(at, "Notering (varför gruppen enades om poängen)")
    assert listed.values.tolist() == [
        ["Spår – etapp 2", "Tillgänglighet", "3", "Enighet: etapp 2 ger mindre än etapp 1"],
        ["Spår – etapp 2", "Klimat", "5", "Enades på workshop 2"]]  # from the project file
    # and removed again
    at.button(key="workshop_agreed_clear").click().run()
    assert _agreed(small_db, fac, small) is None
    assert at.success[0].value == "Den överenskomna poängen för Spår – etapp 2 – Tillgänglighet är borttagen."
    assert at.number_input(key="workshop_agreed_value").value is None


def test_live_body_shows_new_scores_when_it_reruns(small_db, fac, small):
    """The fragment body on its own (what run_every reruns): it reads fresh data every time."""
    rounds.set_status(small_db, fac, small, "scoring")
    at = page(fac, round_id=small, workshop_test_body=True, workshop_test_show_hidden=True)
    assert not at.exception and not at.button  # only the live part: no flow buttons, no form
    texts = lambda: [r["text"] for r in chart_rows(at) if r["label"].startswith("Deltagare ")]  # noqa: E731
    assert texts() == ["9/9"] * 3
    labels = lambda: {(r["object"], r["criterion"]): r["label"] for r in chart_rows(at) if "spread" in r}  # noqa: E731
    assert labels()[("Spår – etapp 2", "Tillgänglighet")] == "1,0"  # 3, 4, 2
    for key in ("p1", "p2", "p3"):
        scores.save_score(small_db, participant(small, key), small, "O2", "K1", 4)
    at.run()
    assert texts() == ["9/9"] * 3 and at.metric[0].value == "3 av 3"
    assert labels()[("Spår – etapp 2", "Tillgänglighet")] == "0,0"  # everyone agrees now
    assert not [k for k in labels() if k[0] == "Redan finansierad väg"]  # committed: never in the heatmap


def test_refresh_interval_is_configurable(small_db, fac, small, monkeypatch):

    from prioritization.ui.workshop import workshop

    seen = []
    real = st.fragment

    def recording(*args, **kwargs):
        seen.append(kwargs.get("run_every"))
        return real(*args, **kwargs)

    monkeypatch.setattr(workshop.st, "fragment", recording)
    at = page(fac, round_id=small)
    assert seen[-1] == workshop.DEFAULT_REFRESH_SECONDS == 3
    at.selectbox(key="workshop_refresh").select(10).run()
    assert seen[-1] == 10
    at.selectbox(key="workshop_refresh").select(0).run()
    assert seen[-1] is None


def test_english(small_db, fac, small):
    reveal(small_db, fac, small)
    at = page(fac, lang="en", round_id=small)
    assert not at.exception
    assert at.title[0].value == "Workshop – projector view"
    assert "Cells to discuss" in [s.value for s in at.subheader]
    assert list(frame(at, "Order").columns) == ["Order", "Object", "Criterion", "Interquartile range (IQR)",
                                                "Number of scores"]
    assert any(c.value.endswith("4: 1, 5: 0, don't know: 0 (3 answers).") for c in at.caption)


def test_labels_use_english_names_when_given():
    project = projectfile.load(EXAMPLE)
    sv, en = Labels.of(project, "sv"), Labels.of(project, "en")
    assert sv.objects["SOD-02"] == "Spårväg syd (Flemingsberg–Älvsjö)"
    assert en.objects["SOD-02"] == "Tramway South"
    # only candidates are scored, so only they are in the workshop's charts, lists and chooser; every
    # object keeps its name (an agreed score on a committed object is listed by name, not by id)
    assert "SOD-01" not in sv.candidates and "SOD-12" not in en.candidates and len(sv.candidates) == 13
    assert sv.cell("SOD-01", "C10") == "Tvärförbindelse Södertörn (väg 259) – Investeringskostnad"
    assert (sv.criteria["C1"], en.criteria["C1"]) == ("Regional tillgänglighet", "Regional accessibility")
    assert en.scales["C1"] == (1.0, 5.0) and en.guidance["C10"]["1"] == "<100 MSEK"


def test_keys_built_at_run_time_exist_in_both_languages():
    from prioritization import i18n

    keys = [f"workshop.measure.{m}" for m in logic.MEASURES] + [f"workshop.measure_lc.{m}" for m in logic.MEASURES]
    keys += [f"workshop.phase_text.{s}" for s in rounds.TRANSITIONS]
    keys += [f"workshop.step.{t}" for s in rounds.TRANSITIONS for t in logic.delphi_steps(s)]
    for lang in i18n.LANGUAGES:
        assert [k for k in keys if k not in i18n.catalogue(lang)] == []


def test_refresh_reads_the_ratings_only_when_the_round_moved(small_db, fac, small, monkeypatch):
    """A projector refresh with nothing new costs one revision read: the ratings are read, and
    the charts made, again only after a change (issue 9: cost per refresh)."""
    rounds.set_status(small_db, fac, small, "scoring")
    reads = []
    original = scores.anonymous_ratings
    monkeypatch.setattr(scores, "anonymous_ratings", lambda *a, **k: reads.append(a[3]) or original(*a, **k))
    at = page(fac, round_id=small, workshop_test_body=True, workshop_test_show_hidden=True)
    first = len(reads)
    assert first >= 1
    at.run()
    at.run()
    assert len(reads) == first  # nothing moved: nothing read again
    before = charts(at)
    scores.save_score(small_db, participant(small, "p3"), small, "O2", "K1", 1)  # 3, 4, 1: the IQR moves
    at.run()
    assert len(reads) > first  # a new score: read again
    assert charts(at) != before


def test_the_second_rounds_heatmap_keeps_the_first_rounds_colour_scale(small_db, fac, small):
    """Issue 11 #5: the two screens are compared on the projector, so a colour means the same spread
    in both rounds. The scale runs from 0 to the largest IQR the 1-5 scale allows (4), whatever the
    scores: the first round's largest IQR is 1,0 (O2/K1) and the second round agrees on that cell,
    so a scale taken from the data would be 0-1 on one screen and 0-0,5 on the other."""
    reveal(small_db, fac, small)
    at = page(fac, round_id=small)
    assert heatmap(at)["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 4.0]
    rounds.set_status(small_db, fac, small, "second_round")
    for key in ("p1", "p2", "p3"):
        scores.save_score(small_db, participant(small, key), small, "O2", "K1", 3, phase=2)
    rounds.set_status(small_db, fac, small, "revealed")
    at = page(fac, round_id=small)
    assert not at.exception
    spec = heatmap(at)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 4.0]
    assert any("Färgskalan går från 0 till 4,0 – den största spridning" in c.value and "båda bedömningsrundorna" in c.value
               for c in at.caption)


def test_hidden_second_round_scores_do_not_move_the_projectors_colours(small_db, fac, small):
    """Issue 11 #5 (found in the browser): while the second round's scores were hidden, the shown
    first-round heatmap re-coloured as they arrived (its scale followed the largest spread of either
    round), and its caption printed the hidden round's largest spread. Free-number criteria have no
    ceiling, so there the scale comes from the rounds already shown, never from a hidden one."""
    doc = rounds.setup_document(small_db, fac, small)
    criteria = [{**c, "scale": None, "guidance": {}} for c in doc["criteria"]]
    rounds.replace_setup(small_db, fac, small, {"criteria": criteria},
                         rounds.round_info(small_db, fac, small)["row_version"])
    reveal(small_db, fac, small)
    rounds.set_status(small_db, fac, small, "second_round")
    at = page(fac, round_id=small)
    before = heatmap(at)["layer"][0]["encoding"]["color"]["scale"]["domain"]
    caption = [c.value for c in at.caption if "Färgskalan" in c.value]
    for key, value in (("p1", 1), ("p2", 9), ("p3", 40)):  # round 2 spreads far more, hidden
        scores.save_score(small_db, participant(small, key), small, "O2", "K1", value, phase=2)
    at.run()
    assert heatmap(at)["layer"][0]["encoding"]["color"]["scale"]["domain"] == before
    assert [c.value for c in at.caption if "Färgskalan" in c.value] == caption
    assert before[1] < 39


def test_a_reveal_moves_the_open_cell_chooser_to_the_most_disputed_cell(small_db, fac, small):
    """Issue 11 #3 (found in the browser): the projector is open while participants score; at the
    reveal the chooser stayed on the first cell of the hidden list instead of the most disputed one,
    and at the second reveal on the first round's cell."""
    rounds.set_status(small_db, fac, small, "scoring")
    at = page(fac, round_id=small)
    hidden_first = at.selectbox(key="workshop_cell").value
    assert hidden_first != CELL
    rounds.set_status(small_db, fac, small, "revealed")
    at.run()
    assert at.selectbox(key="workshop_cell").value == CELL  # O2/K1, IQR 1,0
    rounds.set_status(small_db, fac, small, "second_round")
    for key, value in (("p1", 3), ("p2", 3), ("p3", 3)):  # agree on O2/K1 ...
        scores.save_score(small_db, participant(small, key), small, "O2", "K1", value, phase=2)
    for key, value in (("p1", 1), ("p2", 5), ("p3", 3)):  # ... and disagree on O3/K2
        scores.save_score(small_db, participant(small, key), small, "O3", "K2", value, phase=2)
    at.run()
    rounds.set_status(small_db, fac, small, "revealed")
    at.run()
    assert at.selectbox(key="workshop_cell").value == json.dumps(["O3", "K2"])
    # committed objects are not offered at all
    options = at.selectbox(key="workshop_cell").options
    assert len(options) == 9 and not [o for o in options if "Redan finansierad väg" in o]


def test_the_chosen_cells_comments_are_shown_without_names(small_db, fac, small):
    """Issue 11 #4: the stored comments behind the spread, anonymous, as text."""
    rounds.set_status(small_db, fac, small, "scoring")
    scores.save_score(small_db, participant(small, "p2"), small, "O2", "K1", 4, "Stationen ligger fel")
    scores.save_score(small_db, participant(small, "p3"), small, "O2", "K1", 2, "![x](http://tracker.invalid/x.png)")
    rounds.set_status(small_db, fac, small, "revealed")
    at = page(fac, round_id=small)
    assert at.selectbox(key="workshop_cell").value == CELL  # O2/K1, the most disputed cell
    assert any(h.value.startswith("Deltagarnas kommentarer till cellen (anonyma") for h in at.subheader)
    listing = next(m.value for m in at.markdown if "Stationen ligger fel" in m.value)
    assert listing.splitlines()[0].startswith("- !\\[x\\]")  # sorted, and the image is text
    assert "p2" not in listing and "p3" not in listing and "Haninge" not in listing
    at.selectbox(key="workshop_cell").select(json.dumps(["O3", "K1"])).run()
    assert "Ingen har kommenterat den här cellen." in [c.value for c in at.caption]
