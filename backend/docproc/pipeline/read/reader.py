"""From bytes to a `Document`: sniff the type, open it, read every page into words."""

from __future__ import annotations

from dataclasses import dataclass

from docproc.pipeline.read.document import Document, Page, ProgressCallback, no_progress
from docproc.pipeline.read.pdf import check_page_count, open_pdf, page_words, pdf_metadata
from docproc.pipeline.read.sniff import sniff_media_type


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_pages: int = 500
    max_image_pixels: int = 120_000_000


def read_document(
    data: bytes,
    *,
    password: str | None = None,
    limits: ReadLimits | None = None,
    progress: ProgressCallback = no_progress,
) -> Document:
    """Read every page of a PDF (or image) into positioned words, reporting progress per page."""
    limits = limits or ReadLimits()
    media_type = sniff_media_type(data[:1024])
    if media_type != "application/pdf":
        from docproc.pipeline.read.images import read_image  # OCR stack loads only when needed

        return read_image(data, media_type=media_type, limits=limits, progress=progress)
    with open_pdf(data, password) as pdf:
        count = check_page_count(pdf, limits.max_pages)
        pages: list[Page] = []
        for index in range(count):
            progress(int(80 * index / count), f"Reading page {index + 1} of {count}")
            page = pdf[index]
            try:
                pages.append(
                    Page(index + 1, page.get_width(), page.get_height(), page_words(page))
                )
            finally:
                page.close()
        return Document(pages=pages, metadata=pdf_metadata(pdf), media_type=media_type)
