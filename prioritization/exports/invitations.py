"""Invitations for every participant at once (pure: data in, bytes and text out).

* :func:`sheet_pdf`: a printable A4 sheet, one participant per page: the round, the participant's
  name, the personal link as text and as a QR code, short instructions (open it on your own
  computer, it signs you in, do not share it, whom to ask), when the links were made (Stockholm
  time, labelled) and the data label ("Exempeldata") marked as in the decision document.
* :func:`emails`: one ready e-mail (subject and body) per participant with the same content;
  :func:`emails_txt`: all of them as one text file to download.

The texts come from the i18n catalogue (``invitations.*``), Swedish by default. The links are
made by the caller (``storage.auth.invite_all_participants`` and the participants page); this
module never sees the database. The sheet says that each link replaces the participant's earlier
invitation links, which is what the participants page does when it makes them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from prioritization import i18n, qr
from prioritization.errors import InputError
from prioritization.exports import slug
from prioritization.exports.pdf import (
    HEADING_FILL,
    LABEL_FILL,
    LABEL_TEXT,
    MUTED,
    PAGE_MARGIN,
    TEXT,
    A4Document,
)
from prioritization.report.theme import FONT_FAMILY

QR_WIDTH = 70.0  # mm on paper; shrunk (with the text) only when a very long name would overflow the page
SCALES = (1.0, 0.85, 0.7, 0.55)  # tried in turn until a participant's page fits on one sheet
MAIL_RULE = "=" * 72  # between the messages of the text file
# the instructions, numbered; an e-mail has no QR code, so its first step says less
SHEET_STEPS = ("invitations.step_open", "invitations.step_signin", "invitations.step_keep", "invitations.step_replaces")
MAIL_STEPS = ("invitations.mail.step_open", *SHEET_STEPS[1:])


@dataclass(frozen=True)
class Invitee:
    """One participant's invitation: the name shown, the personal link, the organisation (optional)."""

    name: str
    url: str
    organisation: str | None = None


@dataclass(frozen=True)
class Email:
    """A ready e-mail for one participant."""

    name: str
    organisation: str | None
    subject: str
    body: str


def _check(invitees: Sequence[Invitee], lang: str) -> None:
    if lang not in i18n.LANGUAGES:
        raise InputError(f"unsupported language {lang!r} ({', '.join(i18n.LANGUAGES)})")
    if not invitees:
        raise InputError("there is nobody to invite")
    for inv in invitees:
        if not inv.name.strip() or not inv.url.strip():
            raise InputError("every invitation needs a name and a link")


def _contact(contact: str | None, lang: str) -> str:
    return (contact or "").strip() or i18n.t("invitations.contact_default", lang)


def _steps(keys: Sequence[str], name: str, lang: str) -> list[str]:
    return [f"{n}. {i18n.t(key, lang, name=name)}" for n, key in enumerate(keys, start=1)]


def created_text(created_at: datetime, lang: str = "sv") -> str:
    """"Skapad 2024-03-05 14:07 (svensk tid)": Stockholm wall-clock time, labelled (``i18n.timestamp``)."""
    return i18n.t("invitations.created", lang, when=i18n.timestamp(created_at, lang))


def file_names(round_name: str, created_at: datetime, lang: str = "sv") -> tuple[str, str]:
    """(PDF, text file) names: ``inbjudningar-<round>-<YYYYMMDD-HHMM>.pdf`` / ``.txt`` (Stockholm time)."""
    stem = "inbjudningar" if lang == "sv" else "invitations"
    parts = [stem, *filter(None, [slug(round_name)]), i18n.local(created_at).strftime("%Y%m%d-%H%M")]
    base = "-".join(parts)
    return base + ".pdf", base + ".txt"


# --- e-mail --------------------------------------------------------------------------------------


def emails(round_name: str, invitees: Sequence[Invitee], created_at: datetime, *, lang: str = "sv",
           data_label: str | None = None, contact: str | None = None) -> list[Email]:
    """One e-mail per participant, in the order given: subject and body with the personal link."""
    _check(invitees, lang)
    out = []
    for inv in invitees:
        lines = [i18n.t("invitations.mail.greeting", lang, name=inv.name), "",
                 i18n.t("invitations.mail.intro", lang, round=round_name), "", inv.url, "",
                 i18n.t("invitations.steps_heading", lang) + ":"]
        lines += _steps(MAIL_STEPS, inv.name, lang)
        lines += ["", i18n.t("invitations.contact", lang, contact=_contact(contact, lang))]
        if data_label:
            lines += ["", i18n.t("export.pdf.data_label", lang, label=data_label)]
        lines += ["", i18n.t("invitations.mail.created", lang, when=i18n.timestamp(created_at, lang)), "",
                  i18n.t("invitations.mail.regards", lang),
                  (contact or "").strip() or i18n.t("invitations.mail.sender_default", lang)]
        out.append(Email(inv.name, inv.organisation, i18n.t("invitations.mail.subject", lang, round=round_name),
                         "\n".join(lines) + "\n"))
    return out


def emails_txt(round_name: str, messages: Sequence[Email], created_at: datetime, *, lang: str = "sv") -> str:
    """All e-mails as one text file: a short heading, then per participant "Till", "Ämne" and the
    message, separated by a line of "=" signs."""
    head = [i18n.t("invitations.txt.title", lang, round=round_name), created_text(created_at, lang),
            i18n.t("invitations.txt.intro", lang, n=len(messages))]
    parts = ["\n".join(head) + "\n"]
    for m in messages:
        who = f"{m.name} ({m.organisation})" if m.organisation else m.name
        parts.append("\n".join([MAIL_RULE, f"{i18n.t('invitations.txt.to', lang)}: {who}",
                                f"{i18n.t('invitations.txt.subject', lang)}: {m.subject}", MAIL_RULE, "", m.body]))
    return "\n".join(parts)


# --- the printable sheet -----------------------------------------------------------------------


class _Sheet(A4Document):
    """The invitation sheet's pages: the shared header and the page number below."""

    def footer(self) -> None:
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(PAGE_MARGIN, -12)
        self.cell(self.w - 2 * PAGE_MARGIN, 4.2, self.page_text(), align="C")
        self.set_text_color(*TEXT)


def sheet_pdf(round_name: str, invitees: Sequence[Invitee], created_at: datetime, *, lang: str = "sv",
              data_label: str | None = None, contact: str | None = None) -> bytes:
    """The printable sheet as PDF bytes: one A4 page per participant, in the order given.

    ``created_at`` is when the links were made (any time zone; shown in Stockholm time) and the
    document's creation date, so the output is a function of the arguments only. ``data_label``
    (e.g. "Exempeldata") is marked on every page; ``contact`` is whom to ask (default: "the
    facilitator who sent the invitation")."""
    _check(invitees, lang)
    header = i18n.t("invitations.pdf.header", lang, round=round_name)
    pdf = _Sheet(header, data_label, lang, title=i18n.t("invitations.pdf.title", lang, round=round_name),
                 subject=i18n.t("invitations.pdf.subject", lang), created=created_at)
    for inv in invitees:
        pdf.add_page()
        png = qr.qr_png(inv.url, scale=10)
        scale = SCALES[-1]
        for s in SCALES:  # the largest layout that fits on the page
            with pdf.offset_rendering() as dummy:
                _page(dummy, round_name, inv, png, created_at, lang, data_label, contact, s)
            if not dummy.page_break_triggered:
                scale = s
                break
        _page(pdf, round_name, inv, png, created_at, lang, data_label, contact, scale)
    return bytes(pdf.output())


def _page(pdf: FPDF, round_name: str, inv: Invitee, png: bytes, created_at: datetime, lang: str,
          data_label: str | None, contact: str | None, scale: float) -> None:
    width = pdf.w - 2 * PAGE_MARGIN

    def para(text: str, size: float, bold: bool = False, gap: float = 1.5, colour=TEXT, link: str | None = None,
             wrap: WrapMode = WrapMode.WORD, fill=None, padding: float = 0) -> None:
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        if fill is not None:
            pdf.set_fill_color(*fill)
        pdf.set_x(PAGE_MARGIN)
        pdf.multi_cell(width, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT, link=link,
                       wrapmode=wrap, fill=fill is not None, padding=padding)
        pdf.set_text_color(*TEXT)
        pdf.set_fill_color(255, 255, 255)
        pdf.ln(gap)

    para(i18n.t("invitations.pdf.title", lang, round=round_name), 16 * scale, bold=True, gap=3)
    if data_label:
        para(i18n.t("export.pdf.data_label", lang, label=data_label), 10 * scale, bold=True, gap=3,
             colour=LABEL_TEXT, fill=LABEL_FILL, padding=2.5)
    para(i18n.t("invitations.pdf.for", lang), 10 * scale, colour=MUTED, gap=0.5)
    para(inv.name, 20 * scale, bold=True, gap=1)
    if inv.organisation:
        para(inv.organisation, 12 * scale, gap=1)
    pdf.ln(3 * scale)

    side = QR_WIDTH * scale
    pdf.image(io.BytesIO(png), x=PAGE_MARGIN + (width - side) / 2, y=pdf.get_y(), w=side, h=side,
              alt_text=i18n.t("invitations.pdf.qr_alt", lang, name=inv.name))
    pdf.set_y(pdf.get_y() + side + 2)
    para(i18n.t("invitations.pdf.qr_caption", lang), 9 * scale, colour=MUTED, gap=3)

    para(i18n.t("invitations.pdf.link", lang), 10 * scale, bold=True, gap=0.5)
    size = 11 * scale
    pdf.set_font(FONT_FAMILY, "", size)
    while pdf.get_string_width(inv.url) > width - 5 and size > 7:  # the link on one line when it can be
        size -= 0.5
        pdf.set_font(FONT_FAMILY, "", size)
    para(inv.url, size, gap=4, link=inv.url, wrap=WrapMode.CHAR, fill=HEADING_FILL, padding=2)

    para(i18n.t("invitations.steps_heading", lang), 12 * scale, bold=True, gap=1)
    for text in _steps(SHEET_STEPS, inv.name, lang):
        para(text, 10.5 * scale, gap=1.2)
    pdf.ln(2 * scale)
    para(i18n.t("invitations.contact", lang, contact=_contact(contact, lang)), 10.5 * scale, gap=3)
    para(created_text(created_at, lang), 9 * scale, colour=MUTED, gap=0)


__all__ = ["Email", "Invitee", "created_text", "emails", "emails_txt", "file_names", "sheet_pdf"]
