"""Charts on a phone (390 x 844): the process pages' and the ranked list's: the names beside the rows take at most 45 % of
the chart (a longer name ends in "…", whole in the tooltip) and the legend one column, so the marks
are seen. Before, the follow-up chart's names (up to 420 px) filled the whole width and no step was
visible. Screenshots test-artifacts/e2e/phone-follow-up.png and phone-timeline.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e.conftest import ARTIFACTS, login_facilitator, shot, wait_app

PHONE = {"width": 390, "height": 844}
# colours of marks that lie right of the names: the follow-up's steps "I nationella planen" (sky
# blue) and "Väg- eller järnvägsplan fastställd" (green), the timeline's external events (green)
# and the ranked list's contribution bars (orange "Klimat", green "Trafiksäkerhet")
MARKS = {"follow_up": [(0x56, 0xB4, 0xE9), (0x00, 0x9E, 0x73)], "timeline": [(0x00, 0x9E, 0x73)],
         "": [(0xE6, 0x9F, 0x00), (0x00, 0x9E, 0x73)]}


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@pytest.mark.parametrize("page_path", ["follow_up", "timeline", ""], ids=["follow-up", "timeline", "ranked-list"])
def test_a_phone_sees_the_marks_beside_the_names(browser, server, page_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sv-SE")
    page = login_facilitator(context, server)
    page.goto(f"{server['url']}/{page_path}")
    wait_app(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    width, height = image.size
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"phone-{page_path.replace('_', '-') or 'ranked-list'}-chart.png")
    # the right half of the chart (beyond the names) holds marks of the expected colours
    right = [image.getpixel((x, y)) for x in range(int(width * 0.5), width, 2) for y in range(0, height, 2)]
    found = {colour: sum(_near(p, colour) for p in right) for colour in MARKS[page_path]}
    assert all(count > 20 for count in found.values()), found
    shot(page, f"phone-{page_path.replace('_', '-') or 'ranked-list'}")
    context.close()
