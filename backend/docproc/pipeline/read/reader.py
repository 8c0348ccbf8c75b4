"""From bytes to a `Document`: sniff the type, open it, read every page into words.

Each PDF page is read from its text layer when that layer is usable (`classify.py`); a page with
no layer, or a garbage one, is rendered and read by OCR. A scanned page with an invisible OCR layer
of good quality keeps its layer. Images always go to OCR (`images.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from docproc.pipeline.read.classify import text_layer_usable
from docproc.pipeline.read.document import Document, Page, ProgressCallback, no_progress
from docproc.pipeline.read.pdf import check_page_count, open_pdf, page_words, pdf_metadata
from docproc.pipeline.read.sniff import sniff_media_type

OCR_DPI = 300


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

        return read_image(
            data,
            media_type=media_type,
            max_pixels=limits.max_image_pixels,
            max_pages=limits.max_pages,
            progress=progress,
        )
    with open_pdf(data, password) as pdf:
        count = check_page_count(pdf, limits.max_pages)
        pages: list[Page] = []
        for index in range(count):
            page = pdf[index]
            try:
                pages.append(read_pdf_page(page, index, count, limits, progress))
            finally:
                page.close()
        return Document(pages=pages, metadata=pdf_metadata(pdf), media_type=media_type)


def read_pdf_page(
    page: pdfium.PdfPage,
    index: int,
    count: int,
    limits: ReadLimits,
    progress: ProgressCallback,
) -> Page:
    """One page from its text layer when usable, else by OCR of its rendering."""
    width, height = page.get_width(), page.get_height()
    words = page_words(page)
    if text_layer_usable(words):
        progress(int(80 * index / count), f"Reading page {index + 1} of {count}")
        return Page(index + 1, width, height, words)
    from docproc.pipeline.read.ocr import ocr_page

    progress(int(80 * index / count), f"OCR page {index + 1} of {count}")
    scale = render_scale(page, limits.max_image_pixels)
    image = page.render(scale=scale, grayscale=True).to_pil()
    read = ocr_page(image, scale)
    return Page(index + 1, read.width, read.height, read.words, source="ocr")


def render_scale(page: pdfium.PdfPage, max_pixels: int) -> float:
    """Pixels per point: a scan's own resolution (up to 300 dpi), else 300 dpi; within the cap."""
    width, height = page.get_width(), page.get_height()
    scale = OCR_DPI / 72
    native = _scan_resolution(page, width * height)
    if native is not None:
        scale = min(scale, max(native, 1.0))
    cap = (max_pixels / max(width * height, 1.0)) ** 0.5
    return min(scale, cap)


def _scan_resolution(page: pdfium.PdfPage, page_area: float) -> float | None:
    """Pixels per point of an image that covers most of the page (a scan), else None."""
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area < 0.5 * page_area or right <= left:
            continue
        try:
            px_width, _ = obj.get_px_size()
        except (AttributeError, pdfium.PdfiumError):
            return None
        return float(px_width) / (right - left)
    return None
