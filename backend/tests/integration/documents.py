"""Small PDFs made on the fly for the service tests."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas


def text_pdf(pages: int = 1, *, password: str | None = None, label: str = "Page") -> bytes:
    """A PDF with one line of text per page ("Page 1 of N", ...), optionally encrypted."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=password)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{label} {number} of {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
