"""Import problems (errors and warnings), each with a stable code and a Swedish and English message.

The code is the stable part (tests and the UI may rely on it); the wording may change. Every
message says what is wrong and, where possible, how to fix it in the spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("sv", "en")

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 100

STATUSES_SV = "kandidat, prioriterad, genomförd, utgår"
STATUSES_EN = "candidate, committed, completed, withdrawn"
NUMBER_EXAMPLES = "1200, 1 200 eller 1200,5"
NUMBER_EXAMPLES_EN = "1200, 1 200, 1200,5 or 1200.5"

# code -> (Swedish template, English template); placeholders are filled by str.format.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- the file as a whole -------------------------------------------------------------------
    "empty_file": (
        "Filen är tom.",
        "The file is empty.",
    ),
    "file_too_large": (
        "Filen är för stor ({size_sv}). Största tillåtna storlek är 5 MB; dela upp listan i flera filer.",
        "The file is too large ({size_en}). The maximum is 5 MB; split the list into several files.",
    ),
    "too_many_rows": (
        "Filen har fler än 5 000 rader med objekt. Dela upp listan i flera filer.",
        "The file has more than 5,000 object rows. Split the list into several files.",
    ),
    "too_many_sheet_rows": (
        "Bladet har fler än {max} rader med celler (också tomma men formaterade celler). Kopiera bara "
        "tabellen till en ny arbetsbok eller spara som CSV UTF-8.",
        "The sheet has more than {max_en} rows with cells (including empty but formatted cells). Copy just "
        "the table into a new workbook or save as CSV UTF-8.",
    ),
    "too_many_columns": (
        "Rubrikraden har fler än {max} kolumner. Ta bort kolumner som inte behövs.",
        "The header row has more than {max} columns. Remove the columns that are not needed.",
    ),
    "wrong_file_type": (
        "Filtypen {ext} stöds inte. Använd CSV (.csv) eller Excel-arbetsbok (.xlsx); ladda gärna ner mallen.",
        "The file type {ext} is not supported. Use CSV (.csv) or an Excel workbook (.xlsx); the template "
        "can be downloaded.",
    ),
    "xls_not_supported": (
        "Filen är i det äldre Excel-formatet (.xls) eller lösenordsskyddad, vilket inte stöds. Öppna den i "
        "Excel och välj Spara som → Excel-arbetsbok (.xlsx) eller CSV UTF-8, utan lösenord.",
        "The file is in the legacy Excel format (.xls) or password protected, which is not supported. "
        "Open it in Excel and use Save As → Excel Workbook (.xlsx) or CSV UTF-8, without a password.",
    ),
    "unreadable_xlsx": (
        "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Den kan vara skadad eller av en annan "
        "filtyp. Spara den på nytt från Excel som .xlsx eller CSV UTF-8.",
        "The file could not be read as an Excel workbook (.xlsx). It may be damaged or of another type. "
        "Save it again from Excel as .xlsx or CSV UTF-8.",
    ),
    "not_text": (
        "Filen ser inte ut att vara en textfil (CSV). Spara listan från Excel som CSV UTF-8 eller .xlsx.",
        "The file does not look like a text (CSV) file. Save the list from Excel as CSV UTF-8 or .xlsx.",
    ),
    "csv_malformed": (
        "CSV-filen har ett formatfel på rad {row}, till exempel ett citattecken (\") som inte avslutas "
        "eller text direkt efter ett avslutande citattecken.",
        "The CSV file is malformed at row {row} ({detail}), for example a quote (\") that is not closed "
        "or text right after a closing quote.",
    ),
    "encoding_fallback": (
        "Filen är inte sparad som UTF-8 och lästes som {encoding}. Kontrollera å, ä och ö i "
        "förhandsgranskningen; spara helst som CSV UTF-8.",
        "The file is not saved as UTF-8 and was read as {encoding}. Check the Swedish letters å, ä and ö "
        "in the preview; preferably save as CSV UTF-8.",
    ),
    "no_header": (
        "Hittade ingen rubrikrad. Första icke-tomma raden (rad {row}) ska innehålla kolumnrubriker, "
        "t.ex. id, namn, kostnad_msek, status. Ladda ner mallen för att se formatet.",
        "No header row found. The first non-empty row (row {row}) must hold column headers such as "
        "id, namn (name), kostnad_msek (cost), status. Download the template to see the format.",
    ),
    "missing_required_column": (
        "Kolumnen {header_sv} saknas; den måste finnas (engelska: {header_en}).",
        "The required column {header_en} is missing (Swedish header: {header_sv}).",
    ),
    "duplicate_column": (
        "Kolumnen {header} förekommer mer än en gång (också kolumn {first}). Ta bort eller byt namn på "
        "den ena.",
        "The column {header} appears more than once (also column {first}). Remove or rename one of them.",
    ),
    "unknown_column": (
        "Okänd kolumn {header}: värdena sparas som en beskrivande egenskap med namnet {key}.",
        "Unknown column {header}: the values are kept as a descriptive attribute named {key}.",
    ),
    "unnamed_column": (
        "Kolumn {letter} har värden men ingen rubrik; värdena importeras inte. Ge kolumnen en rubrik "
        "eller ta bort värdena.",
        "Column {letter} has values but no header; the values are not imported. Give the column a header "
        "or remove the values.",
    ),
    "no_data_rows": (
        "Filen innehåller inga objekt, bara en rubrikrad.",
        "The file contains no objects, only a header row.",
    ),
    "ids_generated": (
        "Kolumnen id saknas; id skapades automatiskt ({first} och framåt).",
        "There is no id column; ids were generated ({first} onwards).",
    ),
    # --- single rows and cells ------------------------------------------------------------------
    "too_many_cells": (
        "Raden har fler värden än rubrikraden har kolumner. Står det ett tal med decimalkomma i en "
        "kommaseparerad fil? Sätt talet inom citattecken eller använd semikolon (;) som avgränsare.",
        "The row has more values than the header row has columns. Is there a number with a decimal comma "
        "in a comma-separated file? Put the number in quotes or use semicolons (;) as the delimiter.",
    ),
    "empty_name": (
        "Namn saknas. Varje objekt måste ha ett namn.",
        "The name is empty. Every object needs a name.",
    ),
    "id_generated": (
        "Id saknas; {id} skapades automatiskt.",
        "The id is empty; {id} was generated.",
    ),
    "duplicate_id": (
        "Id {id} förekommer redan på rad {first}. Varje objekt måste ha ett unikt id.",
        "The id {id} already appears on row {first}. Every object needs a unique id.",
    ),
    "id_exists": (
        "Id {id} finns redan i projektet. Välj ett annat id eller lämna cellen tom så skapas ett.",
        "The id {id} already exists in the project. Choose another id or leave the cell empty to have "
        "one generated.",
    ),
    "formula_like": (
        "Värdet börjar med {char} och kan tolkas som en formel när listan öppnas i ett kalkylprogram; "
        "sådana värden tas inte emot här. Ta bort tecknet i början.",
        "The value starts with {char} and could be run as a formula when the list is opened in a "
        "spreadsheet; such values are not accepted here. Remove the leading character.",
    ),
    "formula_like_text": (
        "Texten börjar med {char} och kan tolkas som en formel om den senare exporteras till ett "
        "kalkylprogram. Den importeras som den står.",
        "The text starts with {char} and could be taken for a formula if it is later exported to a "
        "spreadsheet. It is imported as it is.",
    ),
    "formula": (
        "Cellen innehåller en formel ({formula}). Formler stöds inte; klistra in värden "
        "(Klistra in special → Värden).",
        "The cell contains a formula ({formula}). Formulas are not supported; paste values instead "
        "(Paste Special → Values).",
    ),
    "excel_error_value": (
        "Cellen innehåller Excel-felvärdet {value}. Rätta cellen eller lämna den tom.",
        "The cell contains the Excel error value {value}. Correct the cell or leave it empty.",
    ),
    "not_a_number": (
        "{value} är inte ett tal. Skriv t.ex. " + NUMBER_EXAMPLES + ", eller lämna cellen tom.",
        "{value} is not a number. Write e.g. " + NUMBER_EXAMPLES_EN + ", or leave the cell empty.",
    ),
    "negative_cost": (
        "Kostnaden {value} är negativ; den måste vara 0 eller större (MSEK).",
        "The cost {value} is negative; it must be 0 or more (MSEK).",
    ),
    "out_of_range": (
        "{what} {value} ligger utanför −{limit}…{limit} grader (WGS 84, decimalgrader).",
        "{what_en} {value} is outside −{limit}…{limit} degrees (WGS 84, decimal degrees).",
    ),
    "coordinate_incomplete": (
        "Bara {given} är angiven; både lat och lon behövs för att objektet ska visas på kartan.",
        "Only {given} is given; both lat and lon are needed to show the object on the map.",
    ),
    "unknown_status": (
        "Okänd status {value}. Tillåtna värden: " + STATUSES_SV + " (tom cell = kandidat).",
        "Unknown status {value}. Allowed values: " + STATUSES_EN + " (or in Swedish: " + STATUSES_SV
        + "; empty = candidate).",
    ),
    "duplicate_name": (
        "Samma namn som på rad {first}. Kontrollera att det inte är samma objekt två gånger.",
        "Same name as on row {first}. Check that it is not the same object twice.",
    ),
    "hidden_sheet": (
        "Arbetsboken har dolda blad ({hidden}). Bladet {read} lästes; dolda blad läses aldrig. Kontrollera "
        "att det är rätt blad.",
        "The workbook has hidden sheets ({hidden}). The sheet {read} was read; hidden sheets are never "
        "read. Check that it is the right sheet.",
    ),
    "only_hidden_sheets": (
        "Arbetsboken har inget synligt blad att läsa (dolda: {hidden}). Visa bladet i Excel och spara igen.",
        "The workbook has no visible sheet to read (hidden: {hidden}). Unhide the sheet in Excel and save again.",
    ),
    "example_row": (
        "Raden är exempelraden från mallen. Ta bort den om den inte ska importeras.",
        "This is the example row from the template. Remove it unless it should be imported.",
    ),
    # --- an object's plan (issue 14) ---------------------------------------------------------------
    "stage_as_note": (
        "{value} är inget planeringsläge i listan; texten sparas ordagrant som planeringsnotering. Välj "
        "planeringsläget i objektets planuppgifter ({allowed}).",
        "{value} is not a planning stage in the list; the text is kept word for word as the stage note. "
        "Choose the planning stage in the object's plan data ({allowed_en}).",
    ),
    "unknown_choice": (
        "Okänt värde {value}. Tillåtna värden: {allowed}.",
        "Unknown value {value}. Allowed values: {allowed_en} (or in Swedish: {allowed}).",
    ),
    "not_a_period": (
        "{value} är ingen planperiod. Skriv år–år, t.ex. 2026–2037.",
        "{value} is not a plan period. Write year–year, e.g. 2026–2037.",
    ),
    "not_a_price_level": (
        "{value} är ingen prisnivå. Skriv ett år (2017) eller en månad (2017-06).",
        "{value} is not a price level. Write a year (2017) or a month (2017-06).",
    ),
    "future_price_level": (
        "Prisnivån {value} ligger i framtiden (i dag är det {today}).",
        "The price level {value} is in the future (today is {today}).",
    ),
    "not_a_year": (
        "{value} är inget år mellan 1950 och {max}. Skriv t.ex. 2020.",
        "{value} is not a year between 1950 and {max}. Write e.g. 2020.",
    ),
    "not_a_date": (
        "{value} är inget datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-30.",
        "{value} is not a date. Write YYYY-MM-DD, e.g. 2025-11-30.",
    ),
    "cost_range_reversed": (
        "Kostnadsintervallet: lägsta {low} MSEK är högre än högsta {high} MSEK.",
        "The cost range: the low estimate {low} MSEK is above the high estimate {high} MSEK.",
    ),
    "cost_outside_range": (
        "Objektets kostnad {cost} MSEK ligger utanför kostnadsintervallet {low}–{high} MSEK.",
        "The object's cost {cost} MSEK is outside its cost range {low}–{high} MSEK.",
    ),
    "plan_ref_incomplete": (
        "Planreferensen behöver både plan (NP eller LP) och planperiod; {missing} saknas.",
        "The plan reference needs both plan (NP or LP) and plan period; {missing_en} is missing.",
    ),
    "avs_needs_status": (
        "ÅVS-uppgifterna behöver en status i kolumnen avs_status (ingen, planerad, pågår eller klar).",
        "The ÅVS data need a status in the column avs_status (none, planned, ongoing or done).",
    ),
    "verified_incomplete": (
        "Både verifierad_datum och verifierad_av behövs; {missing} saknas.",
        "Both verifierad_datum (date) and verifierad_av (by) are needed; {missing} is missing.",
    ),
    "listed_twice": (
        "{id} står två gånger i samma cell.",
        "{id} appears twice in the same cell.",
    ),
    "unknown_object_ref": (
        "Objektet {id} finns varken i filen eller i omgången.",
        "The object {id} is neither in the file nor in the round.",
    ),
    "self_ref": (
        "Ett objekt kan inte kräva eller utesluta sig självt ({id}).",
        "An object cannot require or exclude itself ({id}).",
    ),
    "required_and_excluded": (
        "{id} står både under kräver och utesluter.",
        "{id} is both required and excluded.",
    ),
    "dependency_cycle": (
        "Objekten kräver varandra i en cirkel: {cycle}. Ta bort ett av kraven.",
        "The objects require each other in a circle: {cycle}. Remove one of the requirements.",
    ),
    "plan_invalid": (
        "Planuppgifterna kunde inte läsas ({place}): {message}",
        "The plan data could not be read ({place}): {message}.",
    ),
    # --- follow-up status rows (imports/follow_up_csv.py) ------------------------------------------
    "followup_no_header": (
        "Hittade ingen rubrikrad. Första icke-tomma raden (rad {row}) ska innehålla kolumnrubrikerna "
        "objekt_id, steg och datum (gärna också anteckning och källa). Ladda ner mallen för att se formatet.",
        "No header row found. The first non-empty row (row {row}) must hold the column headers objekt_id "
        "(object_id), steg (step) and datum (date), optionally anteckning (note) and källa (source). "
        "Download the template to see the format.",
    ),
    "followup_no_rows": (
        "Filen innehåller inga steg, bara en rubrikrad.",
        "The file contains no steps, only a header row.",
    ),
    "followup_unknown_column": (
        "Okänd kolumn {header}: den läses inte.",
        "Unknown column {header}: it is not read.",
    ),
    "followup_empty_object": (
        "Objekt-id saknas. Skriv objektets id, t.ex. SOD-01.",
        "The object id is empty. Write the object's id, e.g. SOD-01.",
    ),
    "followup_unknown_object": (
        "Objektet {id} finns inte i omgången. Kontrollera id:t (skiftlägeskänsligt).",
        "The object {id} is not in this round. Check the id (case-sensitive).",
    ),
    "followup_empty_step": (
        "Steg saknas. Skriv stegets namn eller id, t.ex. Byggstart eller construction_started.",
        "The step is empty. Write the step's name or id, e.g. Byggstart or construction_started.",
    ),
    "followup_unknown_step": (
        "Okänt steg {value}. Skriv något av: {steps} (namnet eller id:t).",
        "Unknown step {value}. Write one of: {steps_en} (the name or the id).",
    ),
    "followup_empty_date": (
        "Datum saknas. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM (bara månaden känd) eller ÅÅÅÅ (bara året känt).",
        "The date is empty. Write YYYY-MM-DD, YYYY-MM (only the month known) or YYYY (only the year known).",
    ),
    "followup_bad_date": (
        "{value} är inget datum. Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM (bara månaden känd) eller ÅÅÅÅ (bara året känt).",
        "{value} is not a date. Write YYYY-MM-DD, YYYY-MM (only the month known) or YYYY (only the year known).",
    ),
    "followup_future_date": (
        "Datumet {value} ligger i framtiden (i dag är det {today}). Ett steg registreras först när det är nått.",
        "The date {value} lies in the future (today is {today}). A step is recorded once it is reached.",
    ),
    "followup_duplicate_row": (
        "Samma objekt och steg som på rad {first}. Ett steg registreras en gång per objekt; ta bort den ena raden.",
        "The same object and step as on row {first}. A step is recorded once per object; remove one of the rows.",
    ),
    "followup_replaces": (
        "Steget är redan registrerat för objektet ({when}); det ersätts av raden.",
        "The step is already recorded for the object ({when_en}); the row replaces it.",
    ),
    "followup_row_skipped": (
        "Raden har varken steg eller datum och hoppas över.",
        "The row has neither a step nor a date and is skipped.",
    ),
}

WARNING_CODES = frozenset({
    "encoding_fallback", "unknown_column", "unnamed_column", "ids_generated", "id_generated",
    "formula_like_text", "coordinate_incomplete", "duplicate_name", "example_row", "hidden_sheet", "stage_as_note",
    "followup_unknown_column", "followup_replaces", "followup_row_skipped",
})


@dataclass(frozen=True)
class ImportIssue:
    """One problem found during an import.

    ``row`` is the spreadsheet row number as the user sees it (the header is normally row 1), or
    ``None`` for a problem with the file as a whole. ``column`` is the header text as written in the
    file (trimmed), or ``None``.
    """

    code: str
    row: int | None
    column: str | None
    message_sv: str
    message_en: str

    def message(self, lang: str = "sv") -> str:
        return self.message_sv if lang == "sv" else self.message_en

    def describe(self, lang: str = "sv") -> str:
        """The message prefixed with its place, e.g. ``Rad 4, kolumn kostnad_msek: ...``."""
        place = []
        if self.row is not None:
            place.append(f"{'Rad' if lang == 'sv' else 'Row'} {self.row}")
        if self.column is not None:
            place.append(f"{'kolumn' if lang == 'sv' else 'column'} {self.column}")
        prefix = ", ".join(place)
        return f"{prefix}: {self.message(lang)}" if prefix else self.message(lang)


def quote(value: object) -> str:
    """A value shown in a message: quoted and shortened."""
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f'"{text}"'


class Issues:
    """Collects errors and warnings in the order they are found."""

    def __init__(self) -> None:
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []

    def add(self, code: str, row: int | None = None, column: str | None = None, **params: object) -> None:
        sv, en = CATALOGUE[code]
        issue = ImportIssue(code, row, column, sv.format(row=row, **params), en.format(row=row, **params))
        (self.warnings if code in WARNING_CODES else self.errors).append(issue)
