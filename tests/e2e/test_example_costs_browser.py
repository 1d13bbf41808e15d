"""Issue 11 #15 in a real browser: the example round's "Kostnad och budget" page demonstrates itself.

With 2 of 13 candidate costs the page showed a one-object "best combination" and a near-empty chart.
The example now gives every candidate a cost; the eleven made-up ones must be said to be Exempeldata
above the choice and marked "(exempeldata)" wherever the cost is listed, while the two sourced costs
are not. Screenshot: test-artifacts/e2e/example-costs.png.
"""

from __future__ import annotations

from prioritization import analysis, projectfile
from prioritization.report import portfolio as pl
from tests.conftest import EXAMPLE
from tests.e2e.conftest import login_facilitator, shot, wait_app

CHART = '[data-testid="stVegaLiteChart"][aria-label="Vilka objekt väljs inom budgeten?"]'


def test_the_example_budget_page_chooses_several_objects_and_marks_made_up_costs(browser, server):
    project = projectfile.load(EXAMPLE)
    made_up = [o for o in project.candidates if o.cost_is_illustrative]
    sourced = [o for o in project.candidates if o.cost is not None and not o.cost_is_illustrative]
    assert len(made_up) == 11 and len(sourced) == 2

    context = browser.new_context(viewport={"width": 1400, "height": 3000}, locale="sv-SE")
    page = login_facilitator(context, server)
    page.get_by_role("link", name="Kostnad och budget").click()
    warning = page.get_by_text("Exempeldata: kostnaderna för 11 av 13 kandidater är påhittade", exact=False)
    warning.wait_for(timeout=60_000)
    page.locator(CHART).locator("svg").first.wait_for(timeout=60_000)
    wait_app(page)
    said = warning.inner_text()
    assert all(o.name in said for o in made_up), said
    assert not any(o.name in said for o in sourced), said

    # the best combination at the page's opening budget is several objects, as the engine says
    budget = float(page.get_by_role("slider", name="Budget (MSEK)").input_value())
    report = analysis.portfolio(project, budget)
    chosen = [report.objects[i] for i in report.optimal.selected]
    assert len(chosen) > 1
    heading = page.get_by_role("heading", name="Bästa kombinationen (exakt)")
    assert heading.is_visible()
    for o in chosen:  # each listed with its cost, a made-up one marked
        line = page.get_by_role("listitem").filter(has_text=o.name).first
        expected = pl.cost_label(o.cost, "sv", illustrative=o.cost_is_illustrative)
        assert expected.replace("\u00a0", " ") in line.inner_text().replace("\u00a0", " ")

    # the chart has one bar per candidate with a cost, and its end labels carry the marking
    texts = page.locator(CHART).locator("svg .role-mark text").evaluate_all("ts => ts.map(t => t.textContent)")
    marked = [t for t in texts if "(exempeldata)" in t]
    assert len(marked) == len(made_up), texts
    assert sum("MSEK" in t and "(exempeldata)" not in t for t in texts) == len(sourced)
    shot(page, "example-costs")
    context.close()
