"""The columns of an object import file: headers, aliases, kinds and the template's example row.

Swedish headers are the primary ones (they are what the templates contain); English headers are
accepted as aliases. Headers are matched case-insensitively, ignoring surrounding whitespace and
treating runs of spaces, hyphens and underscores alike (``"Kostnad MSEK"`` = ``kostnad_msek``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prioritization.model import CANDIDATE, COMMITTED, COMPLETED, WITHDRAWN


@dataclass(frozen=True)
class ColumnSpec:
    key: str  # key in the project file's object
    header_sv: str  # primary header (templates)
    header_en: str
    kind: str  # id | name | cost | status | list | text | lat | lon
    aliases: tuple[str, ...]  # further accepted headers, in canonical form (see header_key)
    help_sv: str  # explanation for the template's instruction sheet
    required: bool = False


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("id", "id", "id", "id", ("objekt_id", "object_id"),
               "Unikt id, t.ex. SOD-16. Lämna tomt så skapas OBJ-001, OBJ-002 … automatiskt. "
               "Skiftlägeskänsligt: SOD-1 och sod-1 är olika id."),
    ColumnSpec("name", "namn", "name", "name", ("objektnamn", "object_name", "benämning"),
               "Objektets namn. Obligatoriskt. Sparas exakt som det står, utom blanksteg före och efter.",
               required=True),
    ColumnSpec("cost", "kostnad_msek", "cost", "cost",
               ("kostnad", "kostnad_(msek)", "cost_msek", "cost_(msek)", "investeringskostnad"),
               "Investeringskostnad i miljoner kronor (MSEK), 0 eller mer. Decimalkomma och mellanslag "
               "som tusentalsavgränsare går bra: 1 200,5. Lämna tomt om kostnaden inte är känd."),
    ColumnSpec("status", "status", "status", "status", (),
               "kandidat (rangordnas), prioriterad (redan prioriterad eller finansierad, visas separat), "
               "genomförd eller utgår. Tom cell = kandidat."),
    ColumnSpec("municipalities", "kommuner", "municipalities", "list", ("kommun", "municipality"),
               "Berörda kommuner, åtskilda med komma eller semikolon: Huddinge, Botkyrka."),
    ColumnSpec("mode", "trafikslag", "mode", "text", ("transportslag",),
               "Trafikslag, t.ex. väg, järnväg, buss, spårväg, cykel."),
    ColumnSpec("description", "beskrivning", "description", "text", (),
               "Kort beskrivning av åtgärden."),
    ColumnSpec("lat", "lat", "lat", "lat", ("latitud", "latitude"),
               "Latitud i decimalgrader (WGS 84), −90 till 90, t.ex. 59,2178. Används för kartan."),
    ColumnSpec("lon", "lon", "lon", "lon", ("longitud", "longitude", "lng"),
               "Longitud i decimalgrader (WGS 84), −180 till 180, t.ex. 17,9386."),
    ColumnSpec("planning_status", "planeringslage", "planning_status", "text", ("planeringsläge",),
               "Var planeringen står, t.ex. åtgärdsvalsstudie klar, vägplan fastställd."),
    ColumnSpec("funding_status", "finansiering", "funding_status", "text", ("finansieringsstatus",),
               "Finansieringsläge, t.ex. ej finansierad, delfinansierad, fullt finansierad."),
    ColumnSpec("plan_channel", "plankanal", "plan_channel", "text", (),
               "Planeringskanal, t.ex. NP (nationell plan), LP (länsplan), kommun."),
)

REQUIRED = tuple(c for c in COLUMNS if c.required)
BY_KEY = {c.key: c for c in COLUMNS}


def header_key(text: str) -> str:
    """The canonical form used to match a header: case-folded, separators unified, trimmed."""
    folded = text.replace("\ufeff", "").casefold()
    return re.sub(r"[\s\-_]+", "_", folded).strip("_")


HEADER_LOOKUP: dict[str, ColumnSpec] = {}
for _c in COLUMNS:
    for _h in (_c.header_sv, _c.header_en, *_c.aliases):
        HEADER_LOOKUP[header_key(_h)] = _c

STATUS_ALIASES: dict[str, str] = {
    "kandidat": CANDIDATE, "candidate": CANDIDATE,
    "prioriterad": COMMITTED, "committed": COMMITTED,
    "genomförd": COMPLETED, "genomford": COMPLETED, "completed": COMPLETED,
    "utgår": WITHDRAWN, "utgar": WITHDRAWN, "withdrawn": WITHDRAWN,
}
STATUS_LABELS = {
    "sv": {CANDIDATE: "kandidat", COMMITTED: "prioriterad", COMPLETED: "genomförd", WITHDRAWN: "utgår"},
    "en": {CANDIDATE: "candidate", COMMITTED: "committed", COMPLETED: "completed", WITHDRAWN: "withdrawn"},
}

# The template's example row (typed values, as in the .xlsx template; the CSV template writes them
# in Swedish number format). Its name tells the user to delete it; the importer warns if it is left.
EXAMPLE_NAME = "Exempel: Ny busslänk (ta bort raden)"
EXAMPLE_ROW: dict[str, object] = {
    "id": "EX-01",
    "name": EXAMPLE_NAME,
    "cost": 1250.5,
    "status": "kandidat",
    "municipalities": "Huddinge, Botkyrka",
    "mode": "buss",
    "description": "Exempelrad som visar formatet. Ta bort raden innan du importerar.",
    "lat": 59.2178,
    "lon": 17.9386,
    "planning_status": "Åtgärdsvalsstudie klar",
    "funding_status": "Ej finansierad",
    "plan_channel": "LP",
}
