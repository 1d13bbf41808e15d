"""QR codes for invitation links: checked against the QR standard's fixed structure (ISO/IEC 18004:
finder patterns, timing pattern, format information), not against the library's own output."""

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from prioritization import qr

URL = "http://192.168.1.10:8501/?token=Aag7F_IeLOG0Lt-hg1MjNzv3eexyexc2"
FORMAT_MASK = 0b101010000010010
EC_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}


def module_grid(png: bytes, scale: int) -> tuple[list[list[bool]], int]:
    """Dark modules of the PNG (sampled at module centres) and the quiet-zone width in modules."""
    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    assert w == h and w % scale == 0
    n = w // scale
    grid = [[img.getpixel((x * scale + scale // 2, y * scale + scale // 2)) < 128 for x in range(n)] for y in range(n)]
    border = next(i for i in range(n) if any(grid[i]))
    return [row[border:n - border] for row in grid[border:n - border]], border


def finder_at(grid, top: int, left: int) -> bool:
    """A 7x7 finder pattern: dark ring, light ring, dark 3x3 centre."""
    for y in range(7):
        for x in range(7):
            ring = max(abs(y - 3), abs(x - 3))
            if grid[top + y][left + x] != (ring != 2):
                return False
    return True


def error_level(grid) -> str:
    """Decode the 15-bit format information next to the top-left finder (ISO 18004 §7.9)."""
    cells = [(8, i) for i in (0, 1, 2, 3, 4, 5, 7, 8)] + [(i, 8) for i in (7, 5, 4, 3, 2, 1, 0)]
    bits = 0
    for row, col in cells:
        bits = (bits << 1) | int(grid[row][col])
    data = (bits ^ FORMAT_MASK) >> 10
    return next(k for k, v in EC_BITS.items() if v == data >> 3)


def test_png_is_a_valid_qr_symbol_with_quiet_zone_and_level_m():
    png = qr.qr_png(URL, scale=8)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    grid, border = module_grid(png, 8)
    n = len(grid)
    assert border == 4 and n == qr.modules(URL) and (n - 17) % 4 == 0  # versions are 21, 25, 29, ...
    assert finder_at(grid, 0, 0) and finder_at(grid, 0, n - 7) and finder_at(grid, n - 7, 0)
    assert not finder_at(grid, n - 7, n - 7)
    assert [grid[6][x] for x in range(8, n - 8)] == [x % 2 == 0 for x in range(8, n - 8)]  # timing pattern
    assert error_level(grid) == "M"


def test_longer_link_needs_a_larger_symbol():
    assert qr.modules(URL + "x" * 200) > qr.modules(URL)


def test_default_png_is_large_enough_for_a_projector():
    img = Image.open(io.BytesIO(qr.qr_png(URL)))
    assert img.size[0] >= 400


def test_svg_has_size_and_text_alternative():
    svg = qr.qr_svg(URL, scale=10, title="Inbjudan för Haninge")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    side = (qr.modules(URL) + 8) * 10
    assert root.get("width") == str(side) and root.get("height") == str(side)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Inbjudan för Haninge"


@pytest.mark.parametrize("url", ["", "   ", "x" * 2001])
def test_bad_urls_are_refused(url):
    with pytest.raises(ValueError):
        qr.qr_png(url)


def test_bad_scale_is_refused():
    with pytest.raises(ValueError):
        qr.qr_svg(URL, scale=0)
