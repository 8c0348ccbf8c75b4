"""Small PDFs made on the fly for the service tests."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

BODY_LINE = "This page carries an ordinary text layer for the service tests."


def text_pdf(pages: int = 1, *, password: str | None = None, label: str = "Page") -> bytes:
    """A PDF whose page N reads "Page N of M" then `BODY_LINE`, optionally encrypted.

    The second line gives each page enough text that the reader trusts the text layer instead of
    running OCR (which would only make these tests slow).
    """
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=password)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{label} {number} of {pages}")
        pdf.drawString(72, 700, BODY_LINE)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
