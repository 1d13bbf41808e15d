"""The columns of an object import file: headers, aliases, kinds and the template's example row.

Swedish headers are the primary ones (they are what the templates contain); English headers are
accepted as aliases. Headers are matched case-insensitively, ignoring surrounding whitespace and
treating runs of spaces, hyphens and underscores alike (``"Kostnad MSEK"`` = ``kostnad_msek``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from prioritization.model import CANDIDATE, COMMITTED, COMPLETED, WITHDRAWN


@dataclass(frozen=True)
class ColumnSpec:
    key: str  # key in the project file's object
    header_sv: str  # primary header (templates)
    header_en: str
    # id | name | cost | status | list | text | lat | lon; an object's plan (key "plan.<path>"): stage,
    # choice:<list of report.planning>, plan_text, plan_id, plan_name, plan_cost, plan_number, year, period,
    # price_level, ids, date
    kind: str
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
    ColumnSpec("plan.stage", "planeringsläge", "planning_stage", "stage",
               ("planeringslage", "planning_status", "stage"),
               "Planeringsläge ur listan: ingen utredning, åtgärdsvalsstudie (ÅVS), samrådsunderlag, "
               "samrådshandling, granskningshandling, fastställd plan, laga kraft, bygghandling, byggstart, "
               "öppnad för trafik eller avbruten. Engelska ord går också. Annan text sparas ordagrant som "
               "planeringsnotering (med en varning), så inget går förlorat."),
    ColumnSpec("plan.stage_note", "planeringsnotering", "stage_note", "plan_text", ("planning_note",),
               "Fritext om planeringsläget, t.ex. när vägplanen vann laga kraft."),
    ColumnSpec("plan.evidence", "underlagsnivå", "evidence_level", "choice:evidence", ("underlagsniva", "evidence"),
               "Hur långt underlaget för kostnad och NNK har kommit: idé/screening, ÅVS, förstudie/SEB eller plan. "
               "Siffror från olika nivåer kan inte jämföras rakt av."),
    ColumnSpec("funding_status", "finansiering", "funding_status", "text", ("finansieringsstatus",),
               "Finansieringsläge, t.ex. ej finansierad, delfinansierad, fullt finansierad."),
    ColumnSpec("plan_channel", "plankanal", "plan_channel", "text", (),
               "Planeringskanal, t.ex. NP (nationell plan), LP (länsplan), kommun."),
    ColumnSpec("plan.refs.plan", "plan", "plan", "choice:plan", ("plan_type",),
               "Planen objektet finns i: NP (nationell plan) eller LP (länsplan). Krävs om någon av "
               "kolumnerna planperiod, plan_objekt_id, planfas eller kostnad_i_plan är ifylld."),
    ColumnSpec("plan.refs.period", "planperiod", "plan_period", "period", (),
               "Planperioden som år–år, t.ex. 2026–2037."),
    ColumnSpec("plan.refs.objekt_id", "plan_objekt_id", "plan_object_id", "plan_id", ("plan_objektid",),
               "Planens eget id för objektet (Objekt ID i nationella planens bilaga 1), t.ex. VST005."),
    ColumnSpec("plan.refs.phase", "planfas", "plan_phase", "choice:phase", ("fas", "phase"),
               "Objektets fas i planen: utredning/brist, namngivet objekt, förberedelse för byggstart "
               "(år 4–6), byggstart (år 1–3), pågående, öppet för trafik, omtag eller utgår."),
    ColumnSpec("plan.refs.cost_msek", "kostnad_i_plan", "plan_cost", "plan_cost", ("kostnad_i_planen", "cost_in_plan"),
               "Kostnaden som planen anger, MSEK (0 eller mer)."),
    ColumnSpec("plan.avs.status", "avs_status", "avs_status", "choice:avs", ("åvs_status",),
               "Åtgärdsvalsstudiens status: ingen, planerad, pågår eller klar. Krävs om avs_rapport eller "
               "avs_år är ifylld."),
    ColumnSpec("plan.avs.report_no", "avs_rapport", "avs_report", "plan_text", ("åvs_rapport", "avs_report_no"),
               "Trafikverkets rapportnummer, t.ex. TRV 2020:115."),
    ColumnSpec("plan.avs.year", "avs_år", "avs_year", "year", ("avs_ar", "åvs_år"),
               "Året då ÅVS:en blev klar, t.ex. 2020 (inte ett framtida år)."),
    ColumnSpec("plan.seb.nnk", "nnk", "nnk", "plan_number", ("nettonuvärdeskvot",),
               "Nettonuvärdeskvot ur den samhällsekonomiska bedömningen (SEB), t.ex. 0,35; kan vara negativ."),
    ColumnSpec("plan.seb.nnv", "nnv", "npv", "plan_number", ("nnv_msek", "nettonuvärde"),
               "Nettonuvärde i MSEK; kan vara negativt."),
    ColumnSpec("plan.seb.asek_version", "asek_version", "asek_version", "plan_text", ("asek",),
               "ASEK-versionen som SEB:n räknats med, t.ex. ASEK 7.0."),
    ColumnSpec("plan.seb.price_level", "seb_prisnivå", "seb_price_level", "price_level", ("seb_prisniva",),
               "Prisnivån för NNK/NNV: ett år (2017) eller en månad (2017-06), inte i framtiden."),
    ColumnSpec("plan.cost.low", "kostnad_låg", "cost_low", "plan_cost", ("kostnad_lag",),
               "Lägsta kostnad i intervallet, MSEK. Objektets kostnad (kostnad_msek) ska ligga inom intervallet."),
    ColumnSpec("plan.cost.high", "kostnad_hög", "cost_high", "plan_cost", ("kostnad_hog",),
               "Högsta kostnad i intervallet, MSEK (inte lägre än kostnad_låg)."),
    ColumnSpec("plan.cost.price_level", "kostnad_prisnivå", "cost_price_level", "price_level",
               ("kostnad_prisniva", "prisnivå", "prisniva", "price_level"),
               "Prisnivån för kostnaderna: ett år (2023) eller en månad (2023-06), inte i framtiden."),
    ColumnSpec("plan.cost.method", "kalkylmetod", "cost_method", "choice:method", ("estimation_method",),
               "Hur kostnaden tagits fram: successivkalkyl, grov kostnadsindikation eller annan metod."),
    ColumnSpec("plan.requires", "kräver", "requires", "ids", ("kraver",),
               "Id för objekt som måste genomföras först (t.ex. en tidigare etapp), åtskilda med komma. "
               "Objekten ska finnas i filen eller i omgången. Lämna tomt om inget krävs."),
    ColumnSpec("plan.excludes", "utesluter", "excludes", "ids", (),
               "Id för objekt som inte kan genomföras om det här genomförs, åtskilda med komma."),
    ColumnSpec("plan.package", "paket", "package", "plan_name", (),
               "Namnet på ett paket som objektet ingår i, t.ex. Spårväg syd."),
    ColumnSpec("plan.verified.date", "verifierad_datum", "verified_date", "date", ("verifierad",),
               "Datum då uppgifterna senast kontrollerades, ÅÅÅÅ-MM-DD. Fyll i verifierad_av också."),
    ColumnSpec("plan.verified.by", "verifierad_av", "verified_by", "plan_name", (),
               "Vem som kontrollerade uppgifterna."),
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
    "plan.stage": "Samrådshandling",
    "plan.stage_note": "Åtgärdsvalsstudie klar 2021; samråd våren 2025",
    "plan.evidence": "ÅVS",
    "funding_status": "Ej finansierad",
    "plan_channel": "LP",
    "plan.refs.plan": "LP",
    "plan.refs.period": "2026–2037",
    "plan.refs.objekt_id": "LP-EX1",
    "plan.refs.phase": "Namngivet objekt",
    "plan.refs.cost_msek": 1100,
    "plan.avs.status": "ÅVS klar",
    "plan.avs.report_no": "TRV 2021:001",
    "plan.avs.year": 2021,
    "plan.seb.nnk": 0.35,
    "plan.seb.nnv": 420,
    "plan.seb.asek_version": "ASEK 7.0",
    "plan.seb.price_level": "2017",
    "plan.cost.low": 1000,
    "plan.cost.high": 1500,
    "plan.cost.price_level": "2023",
    "plan.cost.method": "Grov kostnadsindikation",
    "plan.requires": "",
    "plan.excludes": "",
    "plan.package": "Exempelpaket syd",
    "plan.verified.date": date(2025, 11, 30),
    "plan.verified.by": "Anna Andersson (exempel)",
}
