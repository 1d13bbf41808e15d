"""The invitation sheet and e-mails for every participant at once (issue 11 #10): one A4 page per
participant with only that participant's link and QR code, Stockholm time labelled, the data label
marked, texts from the catalogue in Swedish and English, people's names taken literally."""

import io
import secrets
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from prioritization import i18n, qr
from prioritization.errors import InputError
from prioritization.exports import invitations as sheet

ROUND = "Södertörns prioriteringslista 2025/26 (Exempeldata)"
WINTER = datetime(2024, 3, 5, 13, 7, tzinfo=UTC)  # 14:07 in Stockholm (CET)
SUMMER = datetime(2024, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 July in Stockholm (CEST)
NAMES = [
    "Åsa Öberg, Södertälje",
    "**Fet** [länk](http://evil.invalid/x) $x^2$ <b>html</b>",
    "=HYPERLINK(\"http://evil.invalid\")",  # refused by text_rules on the way in; harmless here anyway
    "Tjänsteperson Nynäshamn (exempel)",
]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def people():
    return [sheet.Invitee(name, f"http://10.0.0.5:8501/?token={secrets.token_urlsafe(24)}",
                          "Nynäshamns kommun" if i == 3 else None) for i, name in enumerate(NAMES)]


@pytest.fixture(scope="module")
def pages(people):
    pdf = sheet.sheet_pdf(ROUND, people, WINTER, data_label="Exempeldata")
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf)).pages


def test_one_page_per_participant_with_only_their_link(people, pages):
    assert len(pages) == len(people)
    for page, person in zip(pages, people, strict=True):
        text = squeeze(page.extract_text())
        assert person.name in text
        assert person.url in text
        assert [p.url for p in people if p.url in text] == [person.url]  # nobody else's link
        assert ROUND in text
        assert f"loggar in dig som {person.name}" in text
        assert "Dela inte länken" in text and "egen dator" in text and "Kontakta facilitatorn" in text


def test_the_link_is_clickable_and_the_qr_code_holds_it(people, pages):
    for page, person in zip(pages, people, strict=True):
        links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
        assert links == [person.url]
        (image,) = page.images
        drawn = image.image.convert("L")
        expected = Image.open(io.BytesIO(qr.qr_png(person.url, scale=10))).convert("L")
        assert drawn.size == expected.size
        assert ImageChops.difference(drawn, expected).getbbox() is None  # the same modules, pixel for pixel


def test_time_is_stockholm_time_and_labelled(people):
    for when, shown in ((WINTER, "2024-03-05 14:07"), (SUMMER, "2024-07-02 00:30")):
        pages = PdfReader(io.BytesIO(sheet.sheet_pdf(ROUND, people[:1], when))).pages
        assert f"Skapad {shown} (svensk tid)" in squeeze(pages[0].extract_text())
        assert i18n.timestamp(when) == f"{shown} (svensk tid)"  # the one home of time formatting
        mail = sheet.emails(ROUND, people[:1], when)[0]
        assert f"Länken skapades {shown} (svensk tid)." in mail.body
    en = sheet.emails(ROUND, people[:1], WINTER, lang="en")[0]
    assert "The link was created 2024-03-05 14:07 (Swedish time)." in en.body


def test_example_data_is_marked_on_every_page(people, pages):
    for page in pages:
        text = squeeze(page.extract_text())
        assert "EXEMPELDATA" in text  # the header box, as in the decision document
        assert "Exempeldata: poäng, vikter och vissa uppgifter är påhittade" in text
    plain = PdfReader(io.BytesIO(sheet.sheet_pdf("Riktig omgång", people, WINTER))).pages
    assert all("Exempeldata" not in p.extract_text() and "EXEMPELDATA" not in p.extract_text() for p in plain)


def test_the_pdf_is_a_function_of_its_arguments(people):
    pdf = sheet.sheet_pdf(ROUND, people, WINTER, data_label="Exempeldata")
    assert pdf == sheet.sheet_pdf(ROUND, people, WINTER, data_label="Exempeldata")
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == f"Inbjudan till {ROUND}"


def test_very_long_names_still_fit_one_page_each():
    name = ("Trafikverket Region Stockholm, enheten för samhällsplanering och åtgärdsval " * 3)[:200]
    people = [sheet.Invitee(name, "https://prioritering.example.se/sodertorn/app/?token=" + "A" * 32, "O" * 200),
              sheet.Invitee("Kort", "https://prioritering.example.se/sodertorn/app/?token=" + "B" * 32)]
    pdf = sheet.sheet_pdf("R" * 200, people, WINTER, data_label="Exempeldata " * 8, contact="Kontakt " * 25)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    assert people[0].url in squeeze(pages[0].extract_text()) and people[1].url in squeeze(pages[1].extract_text())


def test_emails_have_the_right_link_and_the_instructions(people):
    mails = sheet.emails(ROUND, people, WINTER, data_label="Exempeldata", contact="Anna Berg, 08-123 456 78")
    assert [m.name for m in mails] == NAMES
    for mail, person in zip(mails, people, strict=True):
        assert mail.subject == f"Din personliga länk till {ROUND}"
        assert mail.body.startswith(f"Hej {person.name}!\n")
        assert person.url in mail.body.splitlines()  # on a line of its own, as typed
        assert [p.url for p in people if p.url in mail.body] == [person.url]
        assert f"Länken loggar in dig som {person.name}." in mail.body
        assert "Dela inte länken" in mail.body and "egen dator" in mail.body
        assert "QR-kod" not in mail.body  # an e-mail has no QR code to scan
        assert "Kontakta Anna Berg, 08-123 456 78." in mail.body
        assert mail.body.rstrip().endswith("Vänliga hälsningar\nAnna Berg, 08-123 456 78")
        assert "Exempeldata: poäng, vikter" in mail.body


def test_english_emails_and_sheet(people):
    mail = sheet.emails("Round", people[:1], WINTER, lang="en")[0]
    assert mail.subject == "Your personal link to Round"
    assert mail.body.startswith(f"Hello {people[0].name},\n")
    assert "Contact the facilitator who sent the invitation." in mail.body
    assert mail.body.rstrip().endswith("Kind regards\nThe facilitator")
    text = squeeze(PdfReader(io.BytesIO(sheet.sheet_pdf("Round", people[:1], WINTER, lang="en"))).pages[0]
                   .extract_text())
    assert "Invitation to Round" in text and "Created 2024-03-05 14:07 (Swedish time)" in text
    assert "The link signs you in as" in text


def test_all_emails_as_one_text_file(people):
    mails = sheet.emails(ROUND, people, WINTER)
    text = sheet.emails_txt(ROUND, mails, WINTER)
    assert text.startswith(f"Inbjudningar – {ROUND}\nSkapad 2024-03-05 14:07 (svensk tid)\n")
    assert "(4 st)" in text
    for mail, person in zip(mails, people, strict=True):
        assert mail.body in text
    assert "Till: Tjänsteperson Nynäshamn (exempel) (Nynäshamns kommun)" in text
    assert f"Till: {NAMES[1]}" in text and f"Ämne: Din personliga länk till {ROUND}" in text
    assert text.count(sheet.MAIL_RULE) == 2 * len(people)
    en = sheet.emails_txt("Round", sheet.emails("Round", people, WINTER, lang="en"), WINTER, lang="en")
    assert "To: " in en and "Subject: Your personal link to Round" in en


def test_file_names_are_ascii_with_stockholm_time():
    stem = "inbjudningar-sodertorns-prioriteringslista-2025-26-ex-20240305-1407"  # the round part cut at 40
    assert sheet.file_names(ROUND, WINTER) == (stem + ".pdf", stem + ".txt")
    assert sheet.file_names("Åäö", SUMMER, "en")[0] == "invitations-aao-20240702-0030.pdf"


def test_bad_input_is_refused(people):
    with pytest.raises(InputError):
        sheet.sheet_pdf(ROUND, [], WINTER)
    with pytest.raises(InputError):
        sheet.emails(ROUND, people, WINTER, lang="de")
    with pytest.raises(InputError):
        sheet.sheet_pdf(ROUND, [sheet.Invitee(" ", "http://x/?token=1")], WINTER)
