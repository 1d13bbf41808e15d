"""The controlled lists of an object's place in the plan process (issue 14), in the order they are
passed. Ids are stable English words (what the project file stores); the words shown to people are
in the i18n catalogue under ``planning.<list>.<id>`` (:mod:`prioritization.planning.labels`).

Sources: research/plan-round-2026.md §1.3–1.4 — the plan phases are Bilaga 1's *Fasindelning* of the
national plan 2026–2037 [S N10] with "utgå / omtag" from the government's press release [S N7] and
byggstart years 1–3 / förberedelse years 4–6 [S N5]; the planning stages follow
planläggningsprocessen for roads and railways [S S27], plus *avbruten* (E4/E20 Södertäljebron, "arbetet
med vägplanen avslutas" [S N26]); the evidence levels follow the Danish rule that figures from
different study levels "kan ikke direkte sammenlignes" [S N24].
"""

from __future__ import annotations

PLANS = ("NP", "LP")  # nationell plan, länsplan

# Bilaga 1's Fasindelning (plus "opened"); REMOVED and REWORK are the 2026 decision's outcomes for
# objects whose costs rose.
ONGOING, START_1_3, PREPARE_4_6, NAMED, STUDY = "ongoing", "start_1_3", "prepare_4_6", "named", "study"
REMOVED, REWORK, OPENED_PHASE = "removed", "rework", "opened"
PHASES = (STUDY, NAMED, PREPARE_4_6, START_1_3, ONGOING, OPENED_PHASE, REWORK, REMOVED)
SETBACK_PHASES = (REMOVED, REWORK)  # a plan decision that sends the object out or back (re-evaluation)

# Planläggningsprocessen; CANCELLED is outside the order (work stopped).
CANCELLED = "cancelled"
STAGES = ("none", "avs", "consultation_basis", "consultation_doc", "review_doc", "adopted", "legally_binding",
          "construction_doc", "construction", "opened")
ALL_STAGES = (*STAGES, CANCELLED)

AVS_STATUSES = ("none", "planned", "ongoing", "done")
FYRSTEG_STEPS = (1, 2, 3, 4)

# how far the evidence behind the figures has come: idé/screening, ÅVS, förstudie/SEB, plan
EVIDENCE_LEVELS = ("idea", "avs", "prestudy", "plan")

COST_METHODS = ("successive", "rough", "other")  # successivkalkyl, grov kostnadsindikation, annan

# who pays: the state, the region, a municipality ("municipality:Huddinge"), congestion-charge
# revenue, the EU, private parties, other
PARTIES = ("state", "region", "congestion_charge", "eu", "private", "other")
MUNICIPALITY_PARTY = "municipality:"
FINANCING_STATUSES = ("idea", "letter_of_intent", "agreement", "paid")

LINK_KINDS = ("trv_project", "seb", "avs", "plan", "agreement", "decision", "news", "other")

REVIEW_DECISIONS = ("keep", "rescore", "remove")  # how a re-evaluation flag is closed

DEFAULT_COST_SHARE = 0.15  # a cost change above this share of the earlier cost flags "omprövas"


def stage_rank(stage: str | None) -> int | None:
    """The place of a planning stage in :data:`STAGES` (None for no stage or ``cancelled``)."""
    return STAGES.index(stage) if stage in STAGES else None


def party_municipality(party: str) -> str | None:
    """The municipality of a ``municipality:<name>`` party, else None."""
    return party[len(MUNICIPALITY_PARTY):] if party.startswith(MUNICIPALITY_PARTY) else None
