"""QR codes of the public form's links, for the counter: SVG to print at any size, PNG for
programs that take pictures only.

Error correction level M (15 %) survives a scuffed or partly covered sticker. The SVG is
drawn in millimetres, so it prints at a size a phone reads from arm's length; the PNG
says 300 dpi, so it prints at about the same size.
"""

from __future__ import annotations

import io

import segno

ERROR_CORRECTION = "m"
# One module (the smallest square) on paper, and in the picture.
SVG_MODULE_MM = 1.5
PNG_MODULE_PIXELS = 16
PNG_DPI = 300
# The quiet zone around the code, in modules (the standard's minimum).
BORDER_MODULES = 4

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def qr_image(url: str, *, kind: str) -> bytes:
    """The QR code of ``url`` as an SVG or PNG file (``kind``: "svg" or "png")."""
    code = segno.make(url, error=ERROR_CORRECTION, micro=False)
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", unit="mm", scale=SVG_MODULE_MM, border=BORDER_MODULES, xmldecl=True)
    elif kind == "png":
        code.save(out, kind="png", scale=PNG_MODULE_PIXELS, border=BORDER_MODULES, dpi=PNG_DPI)
    else:
        raise ValueError(kind)
    return out.getvalue()
