"""PDF text layers as positioned words, through pdfium (pypdfium2).

pdfium gives a box per character; words are runs of characters on one line without a gap wider
than a fraction of the font size. Coordinates are turned top-left based (see `document.py`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docproc.errors import MalformedDocument, PasswordRequired, TooManyPages, WrongPassword
from docproc.pipeline.read.document import Word

_PDF_ERR_PASSWORD = 4


@contextmanager
def open_pdf(data: bytes, password: str | None = None) -> Iterator[pdfium.PdfDocument]:
    """Open PDF bytes, naming the problem when they are encrypted or broken."""
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PDF_ERR_PASSWORD or "password" in str(exc).lower():
            if password:
                raise WrongPassword("The password does not open this PDF.") from exc
            raise PasswordRequired(
                "This PDF is encrypted: send its password in the `password` field."
            ) from exc
        raise MalformedDocument(f"The PDF cannot be read: {exc}") from exc
    try:
        yield pdf
    finally:
        pdf.close()


def check_page_count(pdf: pdfium.PdfDocument, max_pages: int) -> int:
    count = len(pdf)
    if count == 0:
        raise MalformedDocument("The PDF has no pages.")
    if count > max_pages:
        raise TooManyPages(
            f"The PDF has {count} pages; the limit is {max_pages}.", pages=count, limit=max_pages
        )
    return count


def pdf_metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        return {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if v}
    except pdfium.PdfiumError:
        return {}


def page_words(page: pdfium.PdfPage) -> list[Word]:
    """Every word of the page's text layer with its box, top-left origin, in points."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        return list(_words(textpage, height))
    finally:
        textpage.close()


def _words(textpage: pdfium.PdfTextPage, page_height: float) -> Iterator[Word]:
    count = textpage.count_chars()
    if count <= 0:
        return
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    chars: list[str] = []
    x0 = x1 = y_top = y_bottom = 0.0
    last_right = 0.0
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        char = chr(code) if code else ""
        if not char or char.isspace() or code in (0xFFFE, 0xFFFF, 2):
            if chars:
                yield Word("".join(chars), x0, page_height - y_top, x1, page_height - y_bottom)
                chars = []
            continue
        # The loose box spans the font's ascent and descent and the glyph's advance, so gaps
        # between boxes are real gaps, not the side bearings of narrow glyphs such as "1".
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect))
        cl, cr, cb, ct = rect.left, rect.right, rect.bottom, rect.top
        if chars:
            size = max(y_top - y_bottom, ct - cb, 1.0)
            same_line = cb < (y_top + y_bottom) / 2 < ct
            if not same_line or cl - last_right > 0.3 * size or cl < last_right - size:
                yield Word("".join(chars), x0, page_height - y_top, x1, page_height - y_bottom)
                chars = []
        if not chars:
            x0, y_top, y_bottom = cl, ct, cb
            x1 = cr
        else:
            x1 = max(x1, cr)
            y_top, y_bottom = max(y_top, ct), min(y_bottom, cb)
        chars.append(char)
        last_right = cr
    if chars:
        yield Word("".join(chars), x0, page_height - y_top, x1, page_height - y_bottom)
