from pathlib import Path

"""The committee's view in a real browser: a viewer opens the ranking dashboard from an invitation
link, switches weight profile, downloads the Excel file and the PDF decision document and checks
them, then moves the budget slider on the portfolio page. Screenshots: test-artifacts/e2e/committee-*.png."""

import dataclasses
import io

import openpyxl
import pypdf

from prioritization import analysis, projectfile
from prioritization.report import portfolio as portfolio_logic
from prioritization.storage import auth, rounds, versions
from prioritization.storage.access import FACILITATOR, VIEWER, Actor
from tests.conftest import EXAMPLE
from tests.e2e.conftest import open_link, shot, wait_app

FAC = Actor(FACILITATOR, "test")
# illustrative costs (MSEK) for the candidates the example leaves without one, so the budget matters
COSTS = {"SOD-03": 2600, "SOD-04": 3100.5, "SOD-06": 900, "SOD-07": 350, "SOD-08": 1200, "SOD-09": 800,
         "SOD-10": 420.75, "SOD-11": 150, "SOD-13": 5200, "SOD-14": 260, "SOD-15": 95}


def committee_round():
    base = projectfile.load(EXAMPLE)
    objects = tuple(dataclasses.replace(o, cost=COSTS.get(o.id, o.cost)) for o in base.objects)
    return dataclasses.replace(base, name="Kommitténs omgång (Exempeldata)", objects=objects)


def select(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_app(page)


def test_committee_member_reads_switches_downloads_and_budgets(browser, server, tmp_path):
    db, base = server["db"], server["url"]
    project = committee_round()
    rid = rounds.import_project(db, FAC, project)
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, FAC, rid, status)
    frozen = versions.freeze(db, FAC, rid, "Underlag till Samarbetskommittén")
    token = auth.invite(db, FAC, rid, VIEWER, label="Samarbetskommittén")

    ctx, page = open_link(browser, base, token, height=3200)

    # 1. the newest frozen version is shown by default, with its hash; the ranking matches the engine
    ranking = analysis.rank(project)
    assert page.get_by_text("Visar fryst version", exact=False).is_visible()
    assert page.get_by_text(frozen.sha256[:12], exact=False).first.is_visible()
    top = f"1. {ranking.ranked[0].object.name}"
    assert page.get_by_text(top, exact=False).first.is_visible()
    assert not page.get_by_role("button", name="Spara nivåer").count()  # read-only
    shot(page, "committee-1-dashboard")

    # 2. switch weight profile: the list is ranked again
    def top3(r):
        return ", ".join(f"{ro.rank}. {ro.object.name}" for ro in r.ranked[:3])

    profile = next(p for p in project.weight_profiles
                   if top3(analysis.rank(project, weights=analysis.project_weights(project, p.id).weights))
                   != top3(ranking))
    by_profile = analysis.rank(project, weights=analysis.project_weights(project, profile.id).weights)
    select(page, "Vikter", profile.name)
    page.get_by_text(f"Högst: {top3(by_profile)}", exact=False).wait_for(timeout=30_000)
    shot(page, "committee-2-profile")

    # 3. the Excel file follows the profile and carries the version's hash
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Excel").click()
    assert dl.value.suggested_filename.startswith(f"prioriteringslista-{frozen.sha256[:12]}")  # + profile when shown
    assert dl.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert frozen.sha256 in " ".join(cells)
    first_sheet = [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]
    names_in_order = [v for row in first_sheet for v in row if v in {ro.object.name for ro in by_profile.ranked}]
    assert names_in_order[:3] == [ro.object.name for ro in by_profile.ranked[:3]]

    # 4. the PDF decision document
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name="Beslutsunderlag (PDF)").click()
    assert dl.value.suggested_filename.startswith(f"beslutsunderlag-{frozen.sha256[:12]}")
    assert dl.value.suggested_filename.endswith(".pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(Path(dl.value.path()).read_bytes())).pages)
    assert "Beslutsunderlag" in text and frozen.sha256[:16] in text.replace("\n", "")
    assert by_profile.ranked[0].object.name.split(" ")[0] in text

    # 5. the portfolio page: move the budget slider with the keyboard, the best combination follows
    page.get_by_role("link", name="Kostnad och budget").click()
    slider = page.get_by_role("slider", name="Budget (MSEK)")
    slider.wait_for(timeout=60_000)
    wait_app(page)
    shot(page, "committee-3-portfolio-before")
    before = float(slider.input_value())
    slider.focus()
    for _ in range(25):
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    wait_app(page)
    after = float(slider.input_value())
    assert after < before
    # the profile chosen on the dashboard is still in use on this page
    report = analysis.portfolio(project, after, weights=analysis.project_weights(project, profile.id).weights)
    expected = next(s for s in portfolio_logic.portfolio_sentences(report, lang="sv") if s.startswith("Inom budgeten"))
    page.get_by_text(expected.split(";")[0], exact=False).wait_for(timeout=30_000)
    shot(page, "committee-4-portfolio-after")

    # 6. printing the dashboard (the committee's paper copy), in a fresh tab: the list and the version
    # are on paper, the sidebar and the buttons are not
    printing = ctx.new_page()
    printing.goto(f"{base}/?token={token}")
    printing.get_by_role("heading", name="Rangordnad lista").wait_for(timeout=60_000)
    wait_app(printing)
    printed = "".join(pg.extract_text() for pg in pypdf.PdfReader(io.BytesIO(printing.pdf(format="A4"))).pages)
    assert "Rangordnad lista" in printed and frozen.sha256[:12] in printed
    assert ranking.ranked[-1].object.name.split(" ")[0] in printed  # the whole list, not only the first screen
    assert "Logga ut" not in printed and "Beslutsunderlag (PDF)" not in printed
    ctx.close()
