"""QR codes for invitation links: the pure helper lives in :mod:`prioritization.qr`, below ``ui``,
because the printable invitation sheet (``prioritization.exports.invitations``) uses it too and
nothing below ``ui`` imports ``ui``. This module keeps the old name for the pages and tests."""

from prioritization.qr import ERROR_LEVEL, MAX_URL_LENGTH, QUIET_ZONE, modules, qr_png, qr_svg

__all__ = ["ERROR_LEVEL", "MAX_URL_LENGTH", "QUIET_ZONE", "modules", "qr_png", "qr_svg"]
