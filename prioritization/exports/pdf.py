"""The printable decision document "Beslutsunderlag" as PDF (pure: data in, bytes out).

Contents, in order: title; marked boxes for the data label (e.g. "Exempeldata": the figures are
invented), the version ("UTKAST – inte fryst version" for the live state, "Fryst version ”X”
(date)" for a frozen one) and, when the list is ranked by a weight profile, "Vikter: viktprofil
”X” (jämförelse – inte vikterna i bruk)"; date, version, fingerprint (SHA-256) and weights; a short
summary, the process and the method, the criteria and their weights, the ranked (optionally tiered,
in the project's tier order) list with a one-line rationale per object, the comparability warnings
of the listed objects' costs and NNK values (issue 14: figures from different evidence levels, ASEK
versions or price levels) and a chart, the objects already prioritised ("Redan prioriterade – bevakas"), the objects the screening parked ("Parkerade i
gallringen", only when there are any), the robustness summary from a sensitivity report, and where
the process stands on the timeline. Every page footer repeats the version status, the short
fingerprint and the comparison profile.

The committee's round (issue 13) follows, each section only when the round has its data: the
priority list with the municipalities' local input points (rank by the priority score, T, L, the
priority score, the technical rank and the points given, the formula and the share sentence, and
where each municipality's points went once the input window has closed), the anchoring matrix of
the draft out for reply (else the latest draft), and the committee's decision with the decided list
beside the model's ranks and every departure's reason ("modellens rang 5 → beslutad rang 2"). The
figures and sentences come from :mod:`prioritization.report.committee`, as on the dashboard. A round
without them gives the document as before.

The robustness figures use the dashboard's wording (:mod:`prioritization.report.robustness`: "topp k"
with k the smallest of 3, 5, 10 above the rank; shares never rounded to 0 % or 100 % they are
not), and the place within a tier is :func:`prioritization.tiers.ranks_within`, as on screen.

Text is set in DejaVu Sans (shipped in ``exports/fonts``, embedded as a subset) so å ä ö and the
dashes render everywhere. Charts are Vega-Lite specs built here with Altair and rendered offline to
PNG with vl-convert; without vl-convert the document cannot be built and
:class:`ChartRenderingUnavailable` is raised (a decision document never silently loses its charts).
Every chart has alternative text, and the numbers it shows are also in a table.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos

from prioritization import i18n
from prioritization.analysis import Ranking, SensitivityReport
from prioritization.committee.model import Draft
from prioritization.committee.priority import PriorityList
from prioritization.errors import InputError
from prioritization.exports import LIVE_NAME, VersionStamp, check_texts, shown_draft
from prioritization.exports.csv_export import priority_of
from prioritization.model import Project
from prioritization.report import committee as view
from prioritization.report import plan_facts
from prioritization.report.robustness import share_label, table_cutoffs, top_cutoff
from prioritization.report.sensitivity import rank_buckets
from prioritization.report.theme import (  # palettes, typeface and number formats shared with the screen
    EN_NUMBER_LOCALE,
    FONT_FAMILY,
    SV_NUMBER_LOCALE,
)
from prioritization.report.theme import OKABE_ITO as CATEGORY_COLOURS  # the screen's criterion colours
from prioritization.report.theme import RANK_BUCKET_COLOURS as BAND_COLOURS
from prioritization.report.theme import WEIGHT_BAR_COLOUR as BAR_COLOUR
from prioritization.tiers import label_order, ranks_within
from prioritization.timeline import schedule
from prioritization.timeline.milestones import Milestone

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

TEXT = (20, 20, 20)
MUTED = (90, 90, 90)
LABEL_FILL = (255, 243, 205)  # the data-label box: dark brown text on light yellow, contrast > 7:1
LABEL_TEXT = (102, 60, 0)
DRAFT_FILL = (253, 226, 226)  # the draft box: dark red on light pink, contrast > 7:1
DRAFT_TEXT = (128, 0, 0)
HEADING_FILL = (226, 232, 240)
ZEBRA_FILL = (246, 247, 249)
PAGE_MARGIN = 15.0  # mm
LABEL_LIMIT = 420  # px: long object names are cut with "…" in charts (the tables give them in full)
ROBUST_ROWS = 5  # objects that get a robustness sentence (the table lists them all)
CELL_PADDING = 1.2  # mm, table cells
KEY_WIDTH = 32.0  # mm, the least width of the label column of the title block (wider for longer labels)


class ChartRenderingUnavailable(RuntimeError):
    """vl-convert (offline chart rendering) is not installed, so the PDF cannot be built."""


# --- public API --------------------------------------------------------------------------------


def decision_document_pdf(project: Project, ranking: Ranking, *, version: VersionStamp,
                          sensitivity: SensitivityReport | None = None, tiers: Mapping[str, str] | None = None,
                          timeline: Sequence[Milestone] | None = None, lang: str = "sv",
                          today: date | None = None, weights_label: str | None = None,
                          key_findings: Sequence[str] | None = None) -> bytes:
    """The decision document as PDF bytes.

    ``ranking`` is :func:`prioritization.analysis.rank` of ``project``; ``sensitivity`` (optional)
    is :func:`prioritization.analysis.sensitivity` with the same weights; ``tiers`` maps object id
    to a tier label ("A", "B", ...); ``timeline`` is a list of milestones (``project.milestones``
    or a part of it). ``today`` is the document date and the reference for the timeline (default:
    the current date); the output is otherwise a function of the arguments only.
    ``weights_label``: None when ``ranking`` uses the weights in use, else the name of the weight
    profile it uses; the document then says on its first page and in every footer that it is a
    comparison, not the weights in use.
    ``key_findings``: the robustness summary in sentences as the app shows it (its sensitivity page);
    when given it replaces the document's own one-line "most sensitive criterion", so screen and
    paper say the same.
    """
    if lang not in i18n.LANGUAGES:
        raise InputError(f"unsupported language {lang!r} ({', '.join(i18n.LANGUAGES)})")
    today = today or date.today()
    _check_inputs(project, ranking, sensitivity, tiers)
    doc = _Document(project, ranking, version, lang, today, weights_label)
    doc.title_block()
    doc.summary(sensitivity, timeline)
    doc.process()
    doc.criteria_table()
    doc.ranked_list(tiers)
    doc.committed_list()
    if project.parked:
        doc.parked_list()
    if sensitivity is not None:
        doc.robustness(sensitivity, key_findings)
    if timeline:
        doc.timeline(timeline)
    if doc.priority is not None:
        doc.priority_section(doc.priority)
    if (draft := shown_draft(project)) is not None:
        doc.anchoring_section(draft)
    if project.committee.decision is not None:
        doc.decision_section()
    return bytes(doc.pdf.output())



# --- checks ------------------------------------------------------------------------------------


def _check_inputs(project: Project, ranking: Ranking, sensitivity: SensitivityReport | None,
                  tiers: Mapping[str, str] | None) -> None:
    ranked_ids = {r.object.id for r in ranking.ranked}
    candidate_ids = {o.id for o in project.candidates}
    if ranked_ids != candidate_ids:
        raise InputError("the ranking does not belong to this project: "
                         "its objects differ from the project's candidates")
    if len(ranking.weights) != len(project.criteria):
        raise InputError("the ranking has a different number of weights than the project has criteria")
    if sensitivity is not None:
        if {o.id for o in sensitivity.data.objects} != candidate_ids:
            raise InputError("the sensitivity report was computed for other objects than the ranking")
        if not np.allclose(sensitivity.weights, ranking.weights, rtol=0, atol=1e-9):
            raise InputError("the sensitivity report was computed with other weights than the ranking")
    if tiers is not None:
        unknown = sorted(set(tiers) - candidate_ids)
        if unknown:
            raise InputError(f"tiers given for objects that are not ranked candidates: {', '.join(unknown)}")


# --- charts (Vega-Lite via Altair, rendered offline) -------------------------------------------


_fonts_registered = False


def render_png(spec: dict, *, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec to PNG offline with vl-convert, in the embedded typeface."""
    global _fonts_registered
    try:
        import vl_convert as vlc
    except ImportError as exc:  # pragma: no cover - exercised by a test with the import blocked
        raise ChartRenderingUnavailable(
            "the PDF decision document renders its charts offline with vl-convert, which is not installed; "
            "install the package 'vl-convert-python'") from exc
    if not _fonts_registered:
        vlc.register_font_directory(str(FONT_DIR))
        _fonts_registered = True
    return vlc.vegalite_to_png(spec, scale=scale)


def _chart_config(lang: str) -> dict:
    return {"font": FONT_FAMILY, "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "legend": {"labelFontSize": 11, "titleFontSize": 12}, "view": {"stroke": None},
            "locale": {"number": SV_NUMBER_LOCALE if lang == "sv" else EN_NUMBER_LOCALE}}


def ranking_chart_spec(rows: Sequence[Mapping[str, Any]], *, x_title: str, colour_title: str | None,
                       lang: str = "sv") -> dict:
    """Horizontal bars in rank order; stacked by ``part`` when ``colour_title`` is given.

    ``rows``: dicts with ``label`` (shown on the y axis, in display order), ``part`` and ``value``;
    one row per label when unstacked. A total is printed at the end of every bar.
    """
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    order = list(dict.fromkeys(frame["label"]))
    totals = frame.groupby("label", sort=False)["value"].sum().reset_index()
    totals["text"] = [i18n.number(v, lang, 1) for v in totals["value"]]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    x_max = float(totals["value"].max()) * 1.12 if len(totals) else 1.0
    x = alt.X("sum(value):Q", title=x_title, scale=alt.Scale(domain=[0, x_max]))
    if colour_title is not None:
        parts = list(dict.fromkeys(frame["part"]))
        colour = alt.Color("part:N", title=colour_title, sort=parts,
                           scale=alt.Scale(domain=parts, range=list(CATEGORY_COLOURS[:len(parts)])),
                           legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT))
        bars = alt.Chart(frame).mark_bar(stroke="white", strokeWidth=0.5).encode(
            y=y, x=x, color=colour, order=alt.Order("part_index:Q"))
    else:
        bars = alt.Chart(frame).mark_bar(color=BAR_COLOUR).encode(y=y, x=x)
    text = alt.Chart(totals).mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("label:N", sort=order), x=alt.X("value:Q"), text="text:N")
    chart = alt.layer(bars, text).properties(width=400, height=alt.Step(22))
    spec = chart.to_dict()
    spec["config"] = _chart_config(lang)
    return spec


def acceptability_chart_spec(rows: Sequence[Mapping[str, Any]], bands: Sequence[str], *, x_title: str,
                             colour_title: str, lang: str = "sv") -> dict:
    """Stacked 100 % bars: the share of scenarios in each rank band per object (display order)."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    order = list(dict.fromkeys(frame["label"]))
    chart = alt.Chart(frame).mark_bar(stroke="white", strokeWidth=0.5).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        x=alt.X("share:Q", title=x_title, stack="zero", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%")),
        color=alt.Color("band:N", title=colour_title, sort=list(bands),
                        scale=alt.Scale(domain=list(bands), range=list(BAND_COLOURS[:len(bands)])),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("band_index:Q"),
    ).properties(width=400, height=alt.Step(22))
    spec = chart.to_dict()
    spec["config"] = _chart_config(lang)
    return spec


# --- text helpers ------------------------------------------------------------------------------


def _criterion_name(c, lang: str) -> str:
    return c.label(lang)  # the one rule: prioritization.model.localized


def _group_name(c, lang: str) -> str | None:
    return c.group_label(lang)


def _object_name(o, lang: str) -> str:
    return o.label(lang)


def _month(d: date, lang: str) -> str:
    return i18n.month(d, lang)


def milestone_when(m: Milestone, lang: str = "sv") -> str:
    """A milestone's time in words, as precise as the milestone says it is (months for month and
    season precision)."""
    if m.precision in ("month", "season"):
        a, b = _month(m.start, lang), _month(m.end, lang)
    else:
        a, b = i18n.day(m.start, lang), i18n.day(m.end, lang)
    return a if a == b else f"{a} – {b}"


def milestone_title(m: Milestone, lang: str = "sv") -> str:
    return m.title(lang)


def decision_milestone(milestones: Sequence[Milestone]) -> Milestone | None:
    """The committee's decision (see :func:`prioritization.timeline.schedule.decision_milestone`):
    the milestone flagged as the decision, else the internal milestone whose Swedish title starts
    with "Beslut", else the internal milestone that ends last."""
    return schedule.decision_milestone(milestones)


def milestone_state(m: Milestone, today: date) -> str:
    """The timeline page's status on the document date (``Milestone.effective_status``): the stored
    status ("planned", "in_progress", "done"), or "late" when not marked done and the end has
    passed. A milestone is never called done because its dates have passed."""
    return m.effective_status(today)


def is_ongoing(m: Milestone, today: date) -> bool:
    """Under way on ``today`` by its dates and not marked done (as the timeline page's countdown)."""
    return m.start <= today <= m.end and not m.is_done


def is_upcoming(m: Milestone, today: date) -> bool:
    return m.start > today and not m.is_done


def top_contributions(contrib_row: np.ndarray, names: Sequence[str], k: int = 2) -> list[tuple[str, float]]:
    """The ``k`` largest criterion contributions (name, w_j v_ij), largest first, ties in criteria order."""
    order = sorted(range(len(contrib_row)), key=lambda j: (-float(contrib_row[j]), j))
    return [(names[j], float(contrib_row[j])) for j in order[:k] if contrib_row[j] > 0]


def rank_band_shares(acceptability_row: np.ndarray, rank: int) -> tuple[float, int | None, float | None]:
    """(share at ``rank``, k, share in the top k) with k the dashboard's "topp k"
    (:func:`prioritization.report.robustness.top_cutoff`); k and its share are None when there is no k."""
    row = np.asarray(acceptability_row, dtype=float)
    k = top_cutoff(rank, len(row))
    return float(row[rank - 1]), k, None if k is None else float(np.sum(row[:k]))


def rating_counts(project: Project) -> tuple[int, int] | None:
    """(fewest, most) participants' scores over the candidate cells without an agreed score;
    None when every cell has an agreed score (no participant's own score is used)."""
    agreed = {(s.object, s.criterion) for s in project.scores if s.participant is None and s.value is not None}
    given = Counter((s.object, s.criterion) for s in project.scores if s.participant is not None and s.value is not None)
    counts = [given[(o.id, c.id)] for o in project.candidates for c in project.criteria
              if (o.id, c.id) not in agreed]
    return (min(counts), max(counts)) if counts else None


def fit_widths(widths: Sequence[float], needs: Sequence[float], total: float) -> list[float]:
    """Column widths (mm, summing to ``total``) in which every column is at least as wide as it
    needs (its longest word) when that is possible: the missing width is taken from the columns
    with room to spare, in proportion to their spare room. Otherwise the widths are only scaled."""
    scaled = [w * total / sum(widths) for w in widths]
    deficit = sum(max(0.0, n - w) for w, n in zip(scaled, needs, strict=True))
    spare = [max(0.0, w - n) for w, n in zip(scaled, needs, strict=True)]
    if deficit <= 0 or sum(spare) < deficit:
        return scaled
    f = deficit / sum(spare)
    return [n if w < n else w - s * f for w, n, s in zip(scaled, needs, spare, strict=True)]


# --- the document ------------------------------------------------------------------------------


def add_fonts(pdf: FPDF) -> None:
    """Register the embedded DejaVu Sans (regular and bold) as ``FONT_FAMILY``, so å ä ö and the
    dashes render everywhere; shared by every PDF the tool makes."""
    for style, file in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / file))


class A4Document(FPDF):
    """What every PDF of the tool shares: A4 portrait, the embedded fonts, the margins, the
    document's metadata (title, subject, language, creation date) and a header with a small title
    left and the data label (e.g. "Exempeldata") in a marked box right, both cut with "…" to one
    line. Subclasses add their footer."""

    def __init__(self, header_text: str, label: str | None, lang: str, *, title: str, subject: str,
                 created: datetime, author: str | None = None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._header_text, self._label, self._lang = header_text, label, lang
        add_fonts(self)
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=18)  # room for the footer
        self.set_title(title)
        self.set_subject(subject)
        if author:
            self.set_author(author)
        self.set_creator("prioritization")
        self.set_lang("sv-SE" if lang == "sv" else "en-GB")
        self.set_creation_date(created)
        self.alias_nb_pages()

    def header(self) -> None:
        room = self.w - 2 * PAGE_MARGIN
        label, box = "", 0.0
        if self._label:  # measured first, drawn last: text extraction reads the title first
            self.set_font(FONT_FAMILY, "B", 9)
            label = self.fit(self._label.upper(), room / 2 - 4)
            box = max(45.0, self.get_string_width(label) + 4)
            room -= box + 3
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(PAGE_MARGIN, 7)
        self.cell(room, 5, self.fit(self._header_text, room))
        if label:
            self.set_font(FONT_FAMILY, "B", 9)
            self.set_text_color(*LABEL_TEXT)
            self.set_fill_color(*LABEL_FILL)
            self.set_xy(self.w - PAGE_MARGIN - box, 6.5)
            self.cell(box, 6, label, align="C", fill=True)
        self.set_text_color(*TEXT)
        self.set_y(PAGE_MARGIN)

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with "…" to ``width`` mm in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def page_text(self) -> str:
        """"Sida n av m" in the document's language."""
        return i18n.t("export.pdf.page", self._lang, page=self.page_no(), pages="{nb}")


class _PDF(A4Document):
    """The decision document's pages: the shared header, and a footer with the version status."""

    def __init__(self, header_text: str, label: str | None, status: str, draft: bool, profile: str | None,
                 footer_text: str, lang: str, **metadata):
        super().__init__(header_text, label, lang, **metadata)
        self._status = status  # "UTKAST – inte fryst version" / "Fryst version ”X” (date)"
        self._draft = draft
        self._profile = profile  # "Viktprofil ”X” (jämförelse)" or None
        self._footer_text = footer_text

    def footer(self) -> None:
        """Two centred lines: the version status (a marked box for a draft); then the comparison
        profile, the short fingerprint and the page number."""
        page = self.page_text()
        self._footer_line([(self._status, True)], -14.5)
        second = ([(self._profile + " · ", False)] if self._profile else []) + [(f"{self._footer_text} · {page}", False)]
        self._footer_line(second, -10)
        self.set_text_color(*TEXT)

    def _footer_line(self, parts: Sequence[tuple[str, bool]], y: float) -> None:
        size = 8.0
        while True:  # one line: long version or profile names make the text smaller, down to 6 pt
            widths = []
            for text, bold in parts:
                self.set_font(FONT_FAMILY, "B" if bold else "", size)
                widths.append(self.get_string_width(text) + (2 if bold else 0))
            if sum(widths) <= self.w - 2 * PAGE_MARGIN or size <= 6:
                break
            size -= 0.5
        self.set_xy(max(PAGE_MARGIN, (self.w - sum(widths)) / 2), y)
        for (text, bold), width in zip(parts, widths, strict=True):
            self.set_font(FONT_FAMILY, "B" if bold else "", size)
            if bold:  # the version status
                self.set_text_color(*(DRAFT_TEXT if self._draft else TEXT))
                self.set_fill_color(*(DRAFT_FILL if self._draft else (255, 255, 255)))
                self.cell(width, 4.2, text, align="C", fill=self._draft)
            else:
                self.set_text_color(*(LABEL_TEXT if self._profile and text.startswith(self._profile) else MUTED))
                self.cell(width, 4.2, text)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _Document:
    def __init__(self, project: Project, ranking: Ranking, version: VersionStamp, lang: str, today: date,
                 weights_label: str | None = None):
        self.project, self.ranking, self.version, self.lang, self.today = project, ranking, version, lang, today
        self.weights_label = weights_label
        self.tr = lambda key, **kw: i18n.t(key, lang, **kw)
        title = self.tr("export.pdf.title", project=project.name)
        footer = self.tr("export.pdf.footer", sha=version.sha256[:12])
        profile = None if weights_label is None else self.tr("export.pdf.footer_profile", name=_cut(weights_label, 40))
        if version.frozen:
            status = self.tr("export.pdf.frozen_version", name=_cut(version.shown_name(lang), 60),
                             when=i18n.timestamp(version.frozen_at, lang))
        else:
            status = self.tr("export.pdf.draft")
        pdf = _PDF(self.tr("export.pdf.header"), project.data_label, status, not version.frozen, profile, footer,
                   lang, title=title, subject=self.tr("export.pdf.heading"), author=project.name,
                   created=datetime.combine(today, time(), tzinfo=UTC))
        pdf.add_page()
        self.pdf = pdf
        self.title = title
        self.candidates = project.candidates
        self.index = {o.id: i for i, o in enumerate(self.candidates)}
        self.criterion_names = [_criterion_name(c, lang) for c in project.criteria]
        self.wsm = ranking.method == "wsm"
        self.priority = priority_of(project, ranking)  # with local input points (issue 13), else None
        self.section_no = 0

    # -- layout primitives

    @property
    def width(self) -> float:
        return self.pdf.w - 2 * PAGE_MARGIN

    def font(self, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(FONT_FAMILY, "B" if bold else "", size)

    def para(self, text: str, size: float = 10, bold: bool = False, gap: float = 1.5,
             colour: tuple[int, int, int] = TEXT) -> None:
        self.font(size, bold)
        self.pdf.set_text_color(*colour)
        self.pdf.set_x(PAGE_MARGIN)
        self.pdf.multi_cell(self.width, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_text_color(*TEXT)
        self.pdf.ln(gap)

    def heading(self, key: str) -> None:
        self.section_no += 1
        if self.pdf.get_y() > self.pdf.h - 60:
            self.pdf.add_page()
        self.pdf.ln(3)
        self.para(f"{self.section_no}. {self.tr(key)}", size=13, bold=True, gap=1.5)

    def cols(self, *names: str) -> list[str]:
        """Column headings: ``export.pdf.col_<name>`` for each name."""
        return [self.tr(f"export.pdf.col_{n}") for n in names]

    def word_width(self, texts: Sequence[str], size: float, bold: bool = False) -> float:
        """The width (mm) of the longest word in ``texts``."""
        self.font(size, bold)
        return max((self.pdf.get_string_width(word) for text in texts for word in str(text).split()), default=0.0)

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              align: Sequence[str] | None = None, size: float = 9) -> None:
        """A table with a bold heading row. ``widths`` are proportions; columns are widened where a
        word would otherwise break in the middle ("Ran g")."""
        needs = [max(self.word_width([h], size, bold=True), self.word_width([r[c] for r in rows], size))
                 + 2 * CELL_PADDING + 1.0 for c, h in enumerate(headings)]
        widths = fit_widths(widths, needs, self.width)
        self.font(size)
        align = align or ["LEFT"] * len(headings)
        head_style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with self.pdf.table(col_widths=tuple(widths), width=self.width, text_align=tuple(align),
                            headings_style=head_style, line_height=size * 0.5, padding=CELL_PADDING,
                            borders_layout=TableBordersLayout.HORIZONTAL_LINES, first_row_as_headings=True,
                            cell_fill_color=ZEBRA_FILL, cell_fill_mode=TableCellFillMode.ROWS) as t:
            row = t.row()
            for h in headings:
                row.cell(h)
            for values in rows:
                row = t.row()
                for v in values:
                    row.cell(v)
        self.pdf.ln(2)

    def image(self, png: bytes, alt: str, max_width: float | None = None, title: str | None = None) -> None:
        """A chart, centred; its ``title`` goes on the same page as the chart."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            px_w, px_h = im.size
        w = min(max_width or self.width, self.width)
        h = w * px_h / px_w
        if h > self.pdf.h - 2 * PAGE_MARGIN - 10:
            h = self.pdf.h - 2 * PAGE_MARGIN - 10
            w = h * px_w / px_h
        if self.pdf.get_y() + h + (7 if title else 0) > self.pdf.h - 18:
            self.pdf.add_page()
        if title:
            self.para(title, size=10, bold=True)
        self.pdf.image(io.BytesIO(png), x=PAGE_MARGIN + (self.width - w) / 2, w=w, h=h, alt_text=alt)
        self.pdf.ln(2)

    def score_text(self, score: float) -> str:
        return i18n.number(score * 100, self.lang, 1) if self.wsm else i18n.number(score, self.lang, 3)

    # -- sections

    def box(self, text: str, fill: tuple[int, int, int], colour: tuple[int, int, int], size: float = 11) -> None:
        """A marked box across the page (data label, draft, comparison profile)."""
        self.font(size, bold=True)
        self.pdf.set_x(PAGE_MARGIN)
        self.pdf.set_fill_color(*fill)
        self.pdf.set_text_color(*colour)
        self.pdf.multi_cell(self.width, size * 0.55, text, fill=True, padding=2.5, align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.pdf.set_text_color(*TEXT)
        self.pdf.set_fill_color(255, 255, 255)
        self.pdf.ln(2)

    def title_block(self) -> None:
        p = self.project
        self.para(self.title, size=18, bold=True, gap=3)
        if p.data_label:
            self.box(self.tr("export.pdf.data_label", label=p.data_label), LABEL_FILL, LABEL_TEXT)
        if self.version.frozen:
            self.box(self.tr("export.pdf.frozen_box", name=self.version.shown_name(self.lang),
                             when=i18n.timestamp(self.version.frozen_at, self.lang)), HEADING_FILL, TEXT)
        else:
            self.box(self.tr("export.pdf.draft_box"), DRAFT_FILL, DRAFT_TEXT)
        if self.weights_label is not None:
            self.box(self.tr("export.pdf.profile_box", name=self.weights_label), LABEL_FILL, LABEL_TEXT)
        self.pdf.ln(1)
        version_text = self.version.shown_name(self.lang)
        if self.version.frozen_at is not None:
            when = i18n.timestamp(self.version.frozen_at, self.lang)
            version_text += f" ({self.tr('export.pdf.frozen_at', when=when)})"
        elif self.version.name != LIVE_NAME:
            version_text += f" ({self.tr('export.pdf.not_frozen')})"
        rows = [
            [self.tr("export.pdf.date"), i18n.day(self.today, self.lang)],
            [self.tr("export.pdf.version"), version_text],
            [self.tr("export.pdf.fingerprint"), self.version.sha256],
            [self.tr("export.pdf.weights"), self.weights_text()],
            [self.tr("export.pdf.method"), self.tr(f"export.pdf.method_{self.ranking.method}")],
            [self.tr("export.pdf.counts"),
             self.tr("export.pdf.counts_value", objects=len(self.candidates), committed=len(p.committed),
                     criteria=len(p.criteria), participants=len(p.participants))],
        ]
        self.key_values(rows)

    def weights_text(self) -> str:
        if self.weights_label is None:
            return self.tr("export.weights_in_use")
        return self.tr("export.weights_profile", name=self.weights_label)

    def key_values(self, rows: Sequence[Sequence[str]]) -> None:
        self.font(9, bold=True)
        key_width = max([KEY_WIDTH, *(self.pdf.get_string_width(key) + 4 for key, _ in rows)])
        for key, value in rows:
            self.font(9, bold=True)
            self.pdf.set_x(PAGE_MARGIN)
            self.pdf.cell(key_width, 5, key)
            self.font(9)
            self.pdf.multi_cell(self.width - key_width, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def summary(self, sensitivity: SensitivityReport | None, timeline) -> None:
        self.heading("export.pdf.summary")
        top = self.ranking.ranked[:3]
        names = [_object_name(r.object, self.lang) for r in top]
        self.para(self.tr("export.pdf.summary_top", n=len(self.candidates), top=self._join(names)))
        if sensitivity is not None:
            self.para(self.robust_sentence(sensitivity, self.ranking.ranked[0]))
        if self.project.committed:
            self.para(self.tr("export.pdf.summary_committed", n=len(self.project.committed)))
        if self.project.parked:
            self.para(self.tr("export.pdf.summary_parked", n=len(self.project.parked)))
        if self.priority is not None:
            leaders = [_object_name(r.object, self.lang) for r in self.priority.rows[:3]]
            self.para(self.tr("export.pdf.summary_priority", share=i18n.number(self.priority.share, self.lang, 2),
                              top=self._join(leaders)))
        if (decided := view.decision_sentence(self.project, self.lang)) is not None:
            self.para(decided)
        if timeline:
            d = decision_milestone(timeline)
            if d is not None:
                self.para(self.decision_sentence(d))

    def _join(self, items: Sequence[str]) -> str:
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.tr("export.pdf.and") + items[-1]

    def process(self) -> None:
        self.heading("export.pdf.process")
        self.para(self.tr("export.pdf.process_flow"), bold=True)
        self.para(self.tr("export.pdf.process_text"))
        agg = self.tr(f"export.pdf.aggregation_{self.project.aggregation}")
        counts = rating_counts(self.project)
        if counts is None:  # agreed scores only: no participant's own score is used
            self.para(self.tr("export.pdf.method_text_agreed"))
        else:
            key = "export.pdf.method_text" if counts[0] == counts[1] else "export.pdf.method_text_up_to"
            self.para(self.tr(key, participants=counts[1], aggregation=agg))
        if self.wsm:
            self.para(self.tr("export.pdf.method_wsm_text"))
        else:
            self.para(self.tr("export.pdf.method_other", method=self.tr(f"export.pdf.method_{self.ranking.method}")))

    def criteria_table(self) -> None:
        self.heading("export.pdf.criteria")
        if self.weights_label is not None:
            self.para(self.tr("export.pdf.criteria_profile", name=self.weights_label), bold=True, colour=LABEL_TEXT)
        rows = []
        for c, w in zip(self.project.criteria, self.ranking.weights, strict=True):
            rows.append([_criterion_name(c, self.lang), _group_name(c, self.lang) or "–",
                         self.tr(f"export.pdf.direction_{c.direction}"), i18n.percent(float(w), self.lang, 1)])
        total = i18n.percent(float(np.sum(self.ranking.weights)), self.lang, 0)
        rows.append([self.tr("export.pdf.total"), "", "", total])
        self.table(self.cols("criterion", "group", "direction", "weight"),
                   rows, (75, 55, 30, 20), ("LEFT", "LEFT", "LEFT", "RIGHT"))

    def rationale(self, object_id: str) -> str:
        if self.ranking.contributions is None:
            return "–"
        row = self.ranking.contributions[self.index[object_id]]
        top = top_contributions(row, self.criterion_names, 2)
        if not top:
            return self.tr("export.pdf.rationale_none")
        parts = [self.tr("export.pdf.rationale_part", criterion=n, points=i18n.number(v * 100, self.lang, 1))
                 for n, v in top]
        return self.tr("export.pdf.rationale", parts=self._join(parts))

    def ranked_list(self, tiers: Mapping[str, str] | None) -> None:
        self.heading("export.pdf.ranked")
        intro = "export.pdf.ranked_intro_wsm" if self.wsm else "export.pdf.ranked_intro_other"
        self.para(self.tr(intro), size=9, colour=MUTED)
        if self.priority is not None:
            self.para(self.tr("export.pdf.ranked_points_note", section=self.tr("export.pdf.priority")), size=9)
        entries = list(self.ranking.ranked)
        score_head = self.tr("export.pdf.col_score_wsm" if self.wsm else "export.pdf.col_score")
        if tiers:
            tier_of = {r.object.id: tiers.get(r.object.id) for r in entries}
            # the project's order of levels (A, B, C / Hög, Medel, Låg), never alphabetical
            labels = label_order(self.project.tiers, (tier_of[r.object.id] for r in entries))
            places = dict(zip((r.object.id for r in entries),
                              ranks_within([r.rank for r in entries], [tier_of[r.object.id] for r in entries]), strict=True))
            entries.sort(key=lambda r: (tier_of[r.object.id] is None,
                                        labels.index(tier_of[r.object.id]) if tier_of[r.object.id] else 0))
            rows = []
            for r in entries:
                tier = tier_of[r.object.id]
                rows.append([tier or "–", str(places[r.object.id]) if tier else "–", str(r.rank),
                             _object_name(r.object, self.lang), self.score_text(r.score), self.rationale(r.object.id)])
            counts = [self.tr("export.pdf.tier_count", tier=lab, n=sum(1 for v in tier_of.values() if v == lab))
                      for lab in labels]
            self.para(self.tr("export.pdf.tiers_intro", tiers=self._join(counts)), size=9)
            self.table([*self.cols("tier", "rank_in_tier", "rank", "object"), score_head, *self.cols("rationale")],
                       rows, (12, 16, 12, 52, 20, 68), ("CENTER", "CENTER", "CENTER", "LEFT", "RIGHT", "LEFT"),
                       size=8.5)
        else:
            rows = [[str(r.rank), _object_name(r.object, self.lang), self.score_text(r.score),
                     self.rationale(r.object.id)] for r in entries]
            self.table([*self.cols("rank", "object"), score_head, *self.cols("rationale")],
                       rows, (12, 68, 20, 80), ("CENTER", "LEFT", "RIGHT", "LEFT"), size=8.5)
        self.comparability([r.object for r in self.ranking.ranked])
        self.ranking_chart()

    def comparability(self, objects) -> None:
        """The warnings, in sentences, when the listed objects' costs or NNK values cannot be
        compared directly (issue 14); nothing when they can."""
        found = plan_facts.warnings(objects, self.lang, name=plan_facts.names_of(self.project.objects, self.lang))
        if found:
            self.para(plan_facts.t("heading", self.lang), size=9, bold=True, gap=0.5)
        for text in found:
            self.para(text, size=9, colour=LABEL_TEXT)

    def ranking_chart(self) -> None:
        labels = [f"{r.rank}. {_object_name(r.object, self.lang)}" for r in self.ranking.ranked]
        criteria = self.project.criteria
        groups = [_group_name(c, self.lang) for c in criteria]
        rows: list[dict] = []
        colour_title = None
        if self.wsm and self.ranking.contributions is not None:
            if all(groups) and len(set(groups)) <= len(CATEGORY_COLOURS):
                parts, colour_title = groups, self.tr("export.pdf.chart_groups")
            elif len(criteria) <= len(CATEGORY_COLOURS):
                parts, colour_title = self.criterion_names, self.tr("export.pdf.chart_criteria")
            else:
                parts = None
            if parts is not None:
                part_order = list(dict.fromkeys(parts))
                for lab, r in zip(labels, self.ranking.ranked, strict=True):
                    row = self.ranking.contributions[self.index[r.object.id]]
                    sums: dict[str, float] = {}
                    for part, v in zip(parts, row, strict=True):
                        sums[part] = sums.get(part, 0.0) + float(v) * 100
                    rows += [{"label": lab, "part": p, "part_index": part_order.index(p), "value": sums[p]}
                             for p in part_order]
        if not rows:
            rows = [{"label": lab, "part": "", "part_index": 0, "value": r.score * (100 if self.wsm else 1)}
                    for lab, r in zip(labels, self.ranking.ranked, strict=True)]
            colour_title = None
        x_title = self.tr("export.pdf.col_score_wsm" if self.wsm else "export.pdf.col_score")
        spec = ranking_chart_spec(rows, x_title=x_title, colour_title=colour_title, lang=self.lang)
        self.image(render_png(spec), self.tr("export.pdf.chart_ranking_alt"), title=self.tr("export.pdf.chart_ranking_title"))

    def committed_list(self) -> None:
        self.heading("export.pdf.committed")
        committed = self.project.committed
        if not committed:
            self.para(self.tr("export.pdf.committed_none"))
            return
        self.para(self.tr("export.pdf.committed_intro"), size=9, colour=MUTED)
        rows = [[_object_name(o, self.lang),
                 i18n.msek(o.cost, self.lang, illustrative=o.cost_is_illustrative) if o.cost is not None else "–"]
                for o in committed]
        self.table(self.cols("object", "cost"), rows, (150, 30), ("LEFT", "RIGHT"))
        self.comparability(committed)

    def parked_list(self) -> None:
        """Objects the screening parked (issue 13): listed apart like the committed ones, never ranked."""
        self.heading("export.pdf.parked")
        self.para(self.tr("export.pdf.parked_intro"), size=9, colour=MUTED)
        checks = check_texts(self.project, self.lang)
        rows = []
        for o in self.project.parked:
            r = self.project.committee.screening_of(o.id)
            failed = "; ".join(checks.get(f, f) for f in r.failed) if r is not None and r.failed else "–"
            rows.append([_object_name(o, self.lang), failed, (r.reason if r is not None else None) or "–"])
        self.table(self.cols("object", "failed", "rationale"), rows, (60, 55, 65), size=8.5)

    # -- the committee's round (issue 13)

    def priority_section(self, pl: PriorityList) -> None:
        """The priority list with local input points: the table, the formula, the share sentence,
        and where each municipality's points went (public once the input window has closed)."""
        lang = self.lang
        self.heading("export.pdf.priority")
        self.para(view.formula_sentence(pl, lang))
        heads = view.priority_headers(lang)
        rows = [[str(r.rank), _object_name(r.object, lang), i18n.number(r.technical, lang, 3),
                 i18n.number(r.local, lang, 3), i18n.number(r.priority, lang, 3), str(r.technical_rank), str(r.points)]
                for r in pl.rows]
        self.table([*self.cols("priority_rank", "object"), heads["technical"], heads["local"], heads["priority"],
                    heads["technical_rank"], heads["points"]],
                   rows, (12, 90, 10, 10, 12, 10, 12), ("CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "CENTER", "RIGHT"),
                   size=8.5)  # the figures' columns as narrow as their headings allow, the rest to the names
        self.para(view.share_sentence(pl, lang=lang))
        self.para(self.tr("export.pdf.points_given"), bold=True)
        tab = lambda key: i18n.t(f"export.tab.col_{key}", lang)  # noqa: E731 - the tabular exports' headings
        spent = [[r.municipality, str(r.points), str(r.budget), str(r.objects)]
                 for r in view.spent_frame(self.project).itertuples(index=False)]
        self.table([tab("municipality"), tab("points_given"), tab("budget"), tab("objects_given")], spent,
                   (50, 45, 40, 45), ("LEFT", "RIGHT", "RIGHT", "RIGHT"), size=8.5)
        if self.project.committee.window.is_open:
            self.para(self.tr("export.pdf.points_hidden"), size=9, colour=MUTED)
            return
        given = [[r.municipality, r.object, str(r.points), r.rationale or "–"]
                 for r in view.points_frame(self.project, lang).itertuples(index=False)]
        self.table([tab("municipality"), tab("object"), heads["points"], tab("points_rationale")], given,
                   (24, 62, 18, 76), ("LEFT", "LEFT", "RIGHT", "LEFT"), size=8)

    def anchoring_section(self, draft: Draft) -> None:
        """The anchoring matrix of ``draft``: each municipality's stance, reply date, own decision,
        comments and what is missing."""
        lang = self.lang
        self.heading("export.pdf.anchoring")
        self.para(view.anchoring_sentence(self.project, draft, lang))
        frame = view.anchoring_frame(self.project, draft, lang)
        heads = [i18n.t(f"export.tab.col_{c}", lang) for c in ("municipality", "stance", "replied", "own_decision",
                                                                "comments", "missing")]
        rows = [[str(v) if v else "–" for v in r] for r in frame.itertuples(index=False)]
        self.table(heads, rows, (22, 26, 22, 36, 48, 26), size=8)

    def decision_section(self) -> None:
        """The committee's decision: the sentence, the decided list beside the model's ranks, and
        every departure's reason."""
        lang = self.lang
        self.heading("export.pdf.decision")
        self.para(view.decision_sentence(self.project, lang) or "", bold=True)
        frame = view.decided_frame(self.project, lang)
        records = frame.to_dict("records")
        heads = view.decided_headers(lang) | {"model_to_decided": self.tr("export.pdf.col_model_to_decided")}
        with_tiers = any(r["model_tier"] != view.NONE or r["tier"] != view.NONE for r in records)
        keys = ["rank", "object", "model_to_decided", "move", *(("model_tier", "tier") if with_tiers else ())]
        rows = [[f"{r['model_rank']} → {r['rank']}" if k == "model_to_decided" else str(r[k]) for k in keys]
                for r in records]
        widths = {"rank": 16, "object": 80 if with_tiers else 116, "model_to_decided": 24, "move": 14,
                  "model_tier": 18, "tier": 18}
        align = {"object": "LEFT"}
        self.table([heads[k] for k in keys], rows, [widths[k] for k in keys],
                   [align.get(k, "CENTER") for k in keys], size=8.5)
        self.para(self.tr("export.pdf.departures"), bold=True)
        departures = [r for r in records if r["reason"]]
        if not departures:
            self.para(self.tr("export.pdf.departures_none"))
        for r in departures:
            tiers = "" if r["model_tier"] == r["tier"] else self.tr("export.pdf.departure_tiers",
                                                                    model_tier=r["model_tier"], tier=r["tier"])
            self.para("• " + self.tr("export.pdf.departure", object=r["object"], model_rank=r["model_rank"],
                                     rank=r["rank"], tiers=tiers, reason=r["reason"]), gap=0.8)

    def scenario_word(self, sensitivity: SensitivityReport) -> str:
        weights_only = sensitivity.score_model == "none"
        return self.tr("export.pdf.scenarios_weights" if weights_only else "export.pdf.scenarios_all")

    def robust_sentence(self, sensitivity: SensitivityReport, r) -> str:
        i = [o.id for o in sensitivity.data.objects].index(r.object.id)
        at, k, topk = rank_band_shares(sensitivity.smaa.rank_acceptability[i], r.rank)
        text = self.tr("export.pdf.robust_object", object=_object_name(r.object, self.lang), rank=r.rank,
                       share=share_label(at, self.lang), scenarios=self.scenario_word(sensitivity))
        if k is not None:
            text += self.tr("export.pdf.robust_top", k=k, top_share=share_label(topk, self.lang))
        return text + "."

    def robustness(self, sensitivity: SensitivityReport, key_findings: Sequence[str] | None = None) -> None:
        self.heading("export.pdf.robustness")
        smaa = sensitivity.smaa
        model = self.tr(f"export.pdf.score_model_{sensitivity.score_model}")
        samples = i18n.number(smaa.samples, self.lang, 0)
        self.para(self.tr("export.pdf.robust_intro", samples=samples, score_model=model,
                          weight_model=self.tr(f"export.pdf.weight_model_{sensitivity.weight_model}")),
                  size=9, colour=MUTED)
        for line in key_findings or ():
            self.para("• " + line, gap=0.8)
        for r in self.ranking.ranked[:ROBUST_ROWS]:
            self.para("• " + self.robust_sentence(sensitivity, r), gap=0.8)
        self.pdf.ln(1)
        if not key_findings:
            self.para(self.critical_sentence(sensitivity))
        # every object: rank 1 and the dashboard's top 3, 5, 10 (those below the number of ranks)
        ids = [o.id for o in sensitivity.data.objects]
        acc = smaa.rank_acceptability
        ks = table_cutoffs(acc.shape[1])
        rows = []
        for r in self.ranking.ranked:
            cum = np.cumsum(acc[ids.index(r.object.id)])
            rows.append([str(r.rank), _object_name(r.object, self.lang)]
                        + [share_label(float(cum[k - 1]), self.lang) for k in ks])
        heads = self.cols("rank", "object") + [
            self.tr("export.pdf.col_rank1") if k == 1 else self.tr("export.pdf.col_topk", k=k) for k in ks]
        self.table(heads, rows, (12, 168 - 18 * len(ks)) + (18,) * len(ks), ("CENTER", "LEFT") + ("RIGHT",) * len(ks),
                   size=8.5)
        self.acceptability_chart(sensitivity)

    def critical_sentence(self, sensitivity: SensitivityReport) -> str:
        j = sensitivity.critical.percent_any
        if j is None:
            return self.tr("export.pdf.critical_none")
        st = sensitivity.stability[j]
        lo, hi = st.ranking
        return self.tr("export.pdf.critical", criterion=self.criterion_names[j], lo=i18n.percent(lo, self.lang, 1),
                       hi=i18n.percent(hi, self.lang, 1), now=i18n.percent(st.weight, self.lang, 1))

    def acceptability_chart(self, sensitivity: SensitivityReport) -> None:
        acc = sensitivity.smaa.rank_acceptability
        ids = [o.id for o in sensitivity.data.objects]
        buckets = rank_buckets(acc.shape[1])  # the screen's rank bands and colours
        bands = [self.tr("export.pdf.band", bucket=name) for _, _, name in buckets]
        rows = []
        for r in self.ranking.ranked:
            row = acc[ids.index(r.object.id)]
            label = f"{r.rank}. {_object_name(r.object, self.lang)}"
            for bi, ((a, b, _), band) in enumerate(zip(buckets, bands, strict=True)):
                rows.append({"label": label, "band": band, "band_index": bi, "share": float(np.sum(row[a - 1:b]))})
        spec = acceptability_chart_spec(rows, bands, x_title=self.scenario_word(sensitivity).capitalize(),
                                        colour_title=self.tr("export.pdf.chart_bands"), lang=self.lang)
        self.image(render_png(spec), self.tr("export.pdf.chart_acceptability_alt"),
                   title=self.tr("export.pdf.chart_acceptability_title"))

    def decision_sentence(self, d: Milestone) -> str:
        state = milestone_state(d, self.today)
        key = ("export.pdf.timeline_decision_done" if state == "done"
               else "export.pdf.timeline_decision_late" if state == "late"
               else "export.pdf.timeline_decision_now" if is_ongoing(d, self.today)
               else "export.pdf.timeline_decision")
        return self.tr(key, title=milestone_title(d, self.lang), when=milestone_when(d, self.lang))

    def timeline(self, milestones: Sequence[Milestone]) -> None:
        self.heading("export.pdf.timeline")
        ms = sorted(milestones, key=lambda m: (m.start, m.id))
        states = [milestone_state(m, self.today) for m in ms]
        ongoing = [m for m in ms if is_ongoing(m, self.today)]
        upcoming = [m for m in ms if is_upcoming(m, self.today)]
        today = i18n.day(self.today, self.lang)
        if ongoing:
            self.para(self.tr("export.pdf.timeline_now", today=today,
                              items=self._join([milestone_title(m, self.lang) for m in ongoing])))
        else:
            self.para(self.tr("export.pdf.timeline_now_none", today=today))
        if upcoming:
            nxt = upcoming[0]
            self.para(self.tr("export.pdf.timeline_next", title=milestone_title(nxt, self.lang),
                              when=milestone_when(nxt, self.lang)))
        else:
            self.para(self.tr("export.pdf.timeline_next_none"))
        d = decision_milestone(ms)
        if d is not None:
            self.para(self.decision_sentence(d), bold=True)
        rows = [[milestone_title(m, self.lang), milestone_when(m, self.lang), m.owner or "–",
                 i18n.t(f"timeline.status.{s}", self.lang)] for m, s in zip(ms, states, strict=True)]
        self.table(self.cols("milestone", "when", "owner", "state"),
                   rows, (82, 44, 34, 20), size=8)
