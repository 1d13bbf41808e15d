"""Issue 11 #2 in a real browser: on the projector every column and row of the disagreement heatmap,
and every row of the progress charts, is readable at the common projector widths.

At 1600 px Vega showed 3 of 12 criterion names (it hid the others as "overlapping"), a rotated axis
title covered an object name, object names were cut at 320 px and "88/96" ran off the chart. Here the
example round (13 candidates x 12 criteria, eight participants) is revealed and the facilitator's
Workshop page is measured at 1280, 1600 and 1920 px wide: each name must be drawn in full (no
ellipsis, all words), inside the chart and the window, and no two names may overlap. The viewport is
tall so that the whole chart is laid out at once; only the width decides the layout.
Screenshots: test-artifacts/e2e/projector-heatmap-<width>.png.
"""

from __future__ import annotations

import pytest

from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, Actor
from tests.e2e.conftest import ARTIFACTS, PASSWORD, AppServer, login_facilitator, new_database, wait_app

FAC = Actor(FACILITATOR, "test")
WIDTHS = (1280, 1600, 1920)
HEATMAP = '[data-testid="stVegaLiteChart"][aria-label^="Värmekarta"]'
PROGRESS = '[data-testid="stVegaLiteChart"][aria-label^="Stapeldiagram: andel besvarade"]'

MEASURE = """sel => Array.from(document.querySelectorAll(sel)).map(chart => {
  const box = r => ({x: r.x, y: r.y, right: r.right, bottom: r.bottom});
  const texts = sel => Array.from(chart.querySelectorAll(sel)).map(t => ({
      text: t.textContent, opacity: getComputedStyle(t).opacity, ...box(t.getBoundingClientRect())}));
  return {chart: box(chart.getBoundingClientRect()), labels: texts('.role-axis-label text'),
          marks: texts('.role-mark text')};
})"""


@pytest.fixture(scope="module")
def revealed(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("projector")
    url, db = new_database(tmp)
    rid = rounds.list_rounds(db, FAC)[0].id
    rounds.set_status(db, FAC, rid, "scoring")
    rounds.set_status(db, FAC, rid, "revealed")
    project = rounds.export_project(db, FAC, rid)
    app = AppServer(url, tmp / "streamlit.log").start()
    yield {"url": app.url, "password": PASSWORD, "project": project}
    app.stop()
    db.dispose()


def squeeze(text: str) -> str:
    """A name without its spaces: an upright name on two lines reads as its <tspan>s run together."""
    return "".join(text.split())


def overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["x"], b["x"]) > 1 and min(a["bottom"], b["bottom"]) - max(a["y"], b["y"]) > 1


def assert_readable(chart: dict, names: list[str], width: int, what: str) -> None:
    labels = [lb for lb in chart["labels"] if squeeze(lb["text"]) in {squeeze(n) for n in names}]
    shown = {squeeze(lb["text"]) for lb in labels if float(lb["opacity"]) > 0}
    missing = [n for n in names if squeeze(n) not in shown]
    assert not missing, f"{what} at {width} px: names not drawn in full: {missing}"
    assert not [lb["text"] for lb in chart["labels"] if "…" in lb["text"]], f"{what}: a name was shortened"
    box = chart["chart"]
    for lb in labels:
        assert box["x"] - 1 <= lb["x"] and lb["right"] <= box["right"] + 1, f"{what}: {lb['text']!r} sticks out sideways"
        assert box["y"] - 1 <= lb["y"] and lb["bottom"] <= box["bottom"] + 1, f"{what}: {lb['text']!r} is cut at the top"
        assert lb["right"] <= width, f"{what}: {lb['text']!r} is beyond the window's right edge ({width} px)"
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not overlap(a, b), f"{what} at {width} px: {a['text']!r} and {b['text']!r} overlap"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_heatmap_and_progress_name_is_readable_on_a_projector(browser, revealed, width):
    project = revealed["project"]
    criteria = [c.name for c in project.criteria]
    candidates = [o.name for o in project.objects if o.status == "candidate"]
    ctx = browser.new_context(viewport={"width": width, "height": 3400}, locale="sv-SE")
    page = login_facilitator(ctx, revealed)
    page.get_by_role("link", name="Workshop").first.click()
    heatmap = page.locator(HEATMAP)
    heatmap.locator("svg .role-axis-label").first.wait_for(timeout=60_000)
    page.locator(PROGRESS).last.locator("svg .role-axis-label").first.wait_for(timeout=60_000)
    wait_app(page)
    page.wait_for_timeout(1_000)  # Vega lays the charts out once more when the fonts have loaded

    (chart,) = page.evaluate(MEASURE, HEATMAP)
    assert_readable(chart, criteria, width, "heatmap columns")
    assert_readable(chart, candidates, width, "heatmap rows")
    # the printed values stay inside the chart too
    assert all(chart["chart"]["x"] <= m["x"] and m["right"] <= chart["chart"]["right"] for m in chart["marks"])

    by_object = page.evaluate(MEASURE, PROGRESS)[-1]  # the second progress chart: one bar per object
    assert_readable(by_object, candidates, width, "progress rows")
    done = [m for m in by_object["marks"] if "/" in m["text"]]
    assert len(done) == len(candidates)
    for m in done:  # "done/total" (e.g. "88/96") is never cut at the chart's edge
        assert by_object["chart"]["x"] <= m["x"] and m["right"] <= by_object["chart"]["right"], m["text"]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    box = heatmap.bounding_box()
    page.screenshot(path=str(ARTIFACTS / f"projector-heatmap-{width}.png"), clip=box)
    ctx.close()
