"""QR codes for invitation links, as PNG or SVG bytes (pure; no Streamlit).

Used by the participants page (shown on the projector) and by the printable invitation sheet
(:mod:`prioritization.exports.invitations`); :mod:`prioritization.qr` re-exports it for the pages.

Uses ``segno`` (pure Python, no dependencies). Error correction level M (15 % of the code may be
damaged or covered, e.g. by a projector's glare) and the standard quiet zone of four modules, so
phones read the code from a projected screen as well as from paper.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules; the QR standard asks for at least 4
MAX_URL_LENGTH = 2000


def _make(url: str) -> segno.QRCode:
    if not isinstance(url, str) or not url.strip():
        raise ValueError("a QR code needs a non-empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"the URL is longer than {MAX_URL_LENGTH} characters")
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_png(url: str, *, scale: int = 12) -> bytes:
    """The QR code of ``url`` as a black-on-white PNG; each module is ``scale`` pixels wide."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = io.BytesIO()
    _make(url).save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 12, title: str | None = None) -> bytes:
    """The QR code of ``url`` as a standalone SVG (with a ``<title>`` text alternative if given)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = io.BytesIO()
    _make(url).save(out, kind="svg", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff",
                    title=title, xmldecl=False, svgclass=None, lineclass=None)
    return out.getvalue()


def modules(url: str) -> int:
    """The width of the symbol in modules, without the quiet zone (21 for version 1, +4 per version)."""
    return _make(url).symbol_size(scale=1, border=0)[0]
