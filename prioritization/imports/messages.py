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
}

WARNING_CODES = frozenset({
    "encoding_fallback", "unknown_column", "unnamed_column", "ids_generated", "id_generated",
    "formula_like_text", "coordinate_incomplete", "duplicate_name", "example_row", "hidden_sheet",
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
