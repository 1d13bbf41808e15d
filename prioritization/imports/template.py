"""Downloadable templates for the object import: CSV (for Excel in Swedish) and XLSX.

Both hold the Swedish headers and one example row whose name says to delete it; the importer warns
if that row is left in. The CSV is UTF-8 with a byte-order mark and ``;`` as delimiter, with
decimal commas, which is what Excel with Swedish settings opens directly. The XLSX has a styled,
frozen header row, column widths, a drop-down list for the status and a second sheet
"Instruktioner" explaining every column.
"""

from __future__ import annotations

import codecs
import csv
import io

from prioritization.imports.columns import COLUMNS, EXAMPLE_ROW, STATUS_LABELS
from prioritization.report import planning as words

SHEET_NAME = "Objekt"
INSTRUCTIONS_SHEET = "Instruktioner"
HEADERS = [c.header_sv for c in COLUMNS]
_WIDTHS = {"id": 12, "name": 42, "cost": 15, "status": 14, "municipalities": 24, "mode": 14,
           "description": 50, "lat": 11, "lon": 11, "plan.stage": 24, "plan.stage_note": 36, "plan.evidence": 16,
           "funding_status": 24, "plan_channel": 12, "plan.refs.phase": 24, "plan.cost.method": 24,
           "plan.seb.asek_version": 14, "plan.package": 20, "plan.verified.date": 16, "plan.verified.by": 24}
# the drop-down lists of the plan's controlled columns (Swedish words; English words and other text
# are still accepted by the importer, so Excel only warns)
_CHOICES = {"plan.stage": "stage", "plan.evidence": "evidence", "plan.refs.plan": "plan", "plan.refs.phase": "phase",
            "plan.avs.status": "avs", "plan.cost.method": "method"}


def _swedish(value: object) -> str:
    """A template value as text in Swedish format (decimal comma)."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def _choice_words(kind: str) -> str:
    return ",".join(words.options(kind, "sv")) if kind == "plan" else ",".join(words.options(kind, "sv").values())


def template_csv() -> bytes:
    """The CSV template: UTF-8 with BOM, ``;`` delimiter, CRLF line ends, header plus example row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow([_swedish(EXAMPLE_ROW[c.key]) for c in COLUMNS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The XLSX template: sheet "Objekt" (header and example row) and sheet "Instruktioner"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append(HEADERS)
    ws.append([EXAMPLE_ROW[c.key] if EXAMPLE_ROW[c.key] != "" else None for c in COLUMNS])
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    example_font = Font(italic=True, color="808080")
    for i, spec in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i)
        head.font, head.fill = header_font, header_fill
        head.alignment = Alignment(vertical="center")
        ws.cell(row=2, column=i).font = example_font
        ws.column_dimensions[letter].width = _WIDTHS.get(spec.key, 16)
        if spec.kind in ("cost", "lat", "lon"):
            ws.cell(row=2, column=i).number_format = "#,##0.0##" if spec.kind == "cost" else "0.0000"
        if spec.kind == "date":
            ws.cell(row=2, column=i).number_format = "yyyy-mm-dd"
        if spec.kind in ("period", "price_level"):  # text, so Excel does not turn 2017-06 into a date
            for r in range(2, 5002):
                ws.cell(row=r, column=i).number_format = "@"
        if spec.kind == "status":
            statuses = ",".join(STATUS_LABELS["sv"].values())
            validation = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True)
            validation.error = "Välj kandidat, prioriterad, genomförd eller utgår."
            validation.errorTitle = "Okänd status"
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5001")
        if spec.key in _CHOICES:
            words = _choice_words(_CHOICES[spec.key])
            validation = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True, errorStyle="warning")
            validation.error = "Välj ett värde ur listan (andra ord läses om importen känner igen dem)."
            validation.errorTitle = "Okänt värde"
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5001")
    ws.freeze_panes = "A2"

    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    info.append(["Importmall för objekt"])
    info["A1"].font = Font(bold=True, size=14)
    for line in (
        "Fyll i ett objekt per rad på bladet Objekt. Rad 1 är rubrikraden: ändra inte rubrikerna.",
        "Rad 2 är ett exempel: ta bort den innan du importerar.",
        "Bara kolumnen namn är obligatorisk. Tomma rader hoppas över.",
        "Skriv värden, inte formler (kopiera och välj Klistra in special → Värden).",
        "Egna kolumner med andra rubriker sparas som beskrivande egenskaper.",
        "Engelska rubriker (name, cost, municipalities, …) går också bra.",
        "Kolumnerna från planeringsläge och framåt är objektets planuppgifter (planreferens, ÅVS, SEB, "
        "kostnadsintervall, beroenden, senast kontrollerad). Alla är frivilliga; fyll i det som är känt.",
        "Listor (planeringsläge, underlagsnivå, plan, planfas, avs_status, kalkylmetod) tar orden i "
        "rullgardinslistan eller motsvarande engelska ord. Ett planeringsläge som inte finns i listan "
        "sparas ordagrant som planeringsnotering.",
        "Prisnivå och planperiod skrivs som text: 2017 eller 2017-06, 2026–2037. Datum skrivs ÅÅÅÅ-MM-DD.",
        "Spara som Excel-arbetsbok (.xlsx) eller CSV UTF-8 (kommaavgränsad eller semikolonavgränsad).",
        "Högst 5 000 objekt och 5 MB per fil.",
    ):
        info.append([line])
    info.append([])
    table_start = info.max_row + 1
    info.append(["Kolumn", "Engelsk rubrik", "Obligatorisk", "Innehåll", "Exempel"])
    for cell in info[table_start]:
        cell.font, cell.fill = header_font, header_fill
    for spec in COLUMNS:
        info.append([spec.header_sv, spec.header_en, "ja" if spec.required else "nej", spec.help_sv,
                     _swedish(EXAMPLE_ROW[spec.key]) or "(tom)"])
    for letter, width in zip("ABCDE", (18, 18, 13, 90, 40), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=table_start + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
