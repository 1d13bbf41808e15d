"""The words of the plan process (issue 14, prioritization.report.planning) in Swedish and English:
every id of every controlled list has its own word in both languages, and the comparability warnings
and re-evaluation changes read as sentences."""

from __future__ import annotations

import pytest

from prioritization import i18n
from prioritization.planning import vocab
from prioritization.planning.comparability import COST, EVIDENCE, NNK, NOT_STATED, PRICE_LEVEL, Mismatch
from prioritization.planning.reevaluation import CANCELLED, PHASE, STAGE_BACK, Change
from prioritization.planning.reevaluation import COST as COST_CHANGE
from prioritization.planning.reevaluation import EVIDENCE as EVIDENCE_CHANGE
from prioritization.report import planning as words

NBSP = "\u00a0"


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("kind", sorted(words.LISTS))
def test_every_id_of_every_list_has_a_word_of_its_own(kind, lang):
    found = words.options(kind, lang)
    assert list(found) == list(words.LISTS[kind])
    keys = [f"planning.{kind}.{v}" for v in found]
    assert all(k in i18n.catalogue(lang) for k in keys), [k for k in keys if k not in i18n.catalogue(lang)]
    assert len(set(found.values())) == len(found)  # no two ids read alike


def test_lists_and_words_in_both_languages():
    assert words.label("stage", vocab.CANCELLED) == "Avbruten"
    assert words.label("stage", vocab.CANCELLED, "en") == "Cancelled"
    assert words.label("phase", "rework") == "Omtag" and words.label("phase", "removed") == "Utgår"
    assert words.label("phase", "start_1_3", "en") == "Construction start (years 1–3)"
    assert words.label("evidence", None) == "ej angivet" and words.label("evidence", NOT_STATED, "en") == "not stated"
    assert words.options("evidence") == {"idea": "Idé/screening", "avs": "ÅVS", "prestudy": "Förstudie/SEB",
                                         "plan": "Plan"}
    sv_en = {i18n.t(f"planning.stage.{s}", "sv") for s in vocab.ALL_STAGES} & {
        i18n.t(f"planning.stage.{s}", "en") for s in vocab.ALL_STAGES}
    assert sv_en == set()  # the English list is translated, not copied


def test_party_labels():
    assert words.party_label("municipality:Huddinge") == "Huddinge kommun"
    assert words.party_label("municipality:Huddinge", "en") == "Huddinge municipality"
    assert words.party_label("state") == "Staten" and words.party_label("state", "en") == "The state"
    assert words.party_label("congestion_charge") == "Trängselskatt"


def test_a_mismatch_in_words_names_the_groups_and_the_objects():
    m = Mismatch(COST, EVIDENCE, (("plan", ("SOD-01",)), (NOT_STATED, ("SOD-03", "SOD-05"))))
    assert words.mismatch_text(m) == ("Kostnaderna kommer från olika underlagsnivåer och kan inte jämföras rakt av: "
                                      "Plan (SOD-01); ej angivet (SOD-03, SOD-05).")
    names = {"SOD-01": "Tvärförbindelse Södertörn", "SOD-03": "Nynäsbanan", "SOD-05": "Kanalen"}
    assert words.mismatch_text(m, "en", names.get) == (
        "The costs come from different evidence levels and cannot be compared directly: "
        "Plan (Tvärförbindelse Södertörn); not stated (Nynäsbanan, Kanalen).")
    nnk = Mismatch(NNK, PRICE_LEVEL, (("2017", ("A",)), ("2024", ("B",))))
    assert words.mismatch_text(nnk) == ("NNK-värdena kommer från olika prisnivåer och kan inte jämföras rakt av: "
                                        "2017 (A); 2024 (B).")


def test_re_evaluation_changes_in_words():
    cost = Change(COST_CHANGE, "1000", "1300")
    assert words.change_text(cost) == f"Kostnaden har ändrats från 1{NBSP}000 till 1{NBSP}300 MSEK"
    assert words.change_text(cost, "en") == "The cost changed from 1,000 to 1,300 MSEK"
    assert words.change_text(Change(STAGE_BACK, "construction", "legally_binding")) == (
        "Planeringsläget har gått tillbaka från Byggstart till Laga kraft")
    assert words.change_text(Change(CANCELLED, None, "cancelled"), "en") == (
        "Planning was cancelled (before: not stated)")
    assert words.change_text(Change(EVIDENCE_CHANGE, "avs", "plan")) == "Underlagsnivån har ändrats från ÅVS till Plan"
    assert words.change_text(Change(PHASE, "ongoing", "rework", "NP 2026–2037"), "en") == (
        "NP 2026–2037: the phase changed from Under construction to Sent for rework (omtag)")
