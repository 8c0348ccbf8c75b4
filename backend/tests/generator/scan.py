"""Scanned copies of generated statements: what a flatbed scanner makes of a printed page.

Each page is rendered at 200 dpi, turned by a small random angle, blurred, given sensor noise and
saved with JPEG artefacts; the pages are put back into an image-only PDF (page size from the
200 dpi, so points stay points). The truth of the original statement stays the truth.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

SCAN_DPI = 200


@dataclass(frozen=True, slots=True)
class ScanDefects:
    max_skew: float = 1.5  # degrees, either way
    blur: float = 0.6  # Gaussian radius in pixels
    noise: float = 8.0  # standard deviation of gray-level noise
    jpeg_quality: int = 70


def scan_pages(pdf: bytes, seed: int, defects: ScanDefects | None = None) -> list[Image.Image]:
    """Every page of `pdf` as a grayscale 'scan' at 200 dpi with the given defects."""
    defects = defects or ScanDefects()
    rng = random.Random(f"scan:{seed}")
    document = pdfium.PdfDocument(pdf)
    try:
        return [
            _scan(document[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil(), rng, defects)
            for i in range(len(document))
        ]
    finally:
        document.close()


def _scan(page: Image.Image, rng: random.Random, defects: ScanDefects) -> Image.Image:
    image = page.convert("L")
    angle = rng.uniform(-defects.max_skew, defects.max_skew)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(defects.blur))
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, defects.noise, pixels.shape)
    image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=defects.jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def scanned_pdf(pdf: bytes, seed: int, defects: ScanDefects | None = None) -> bytes:
    """An image-only PDF of the scanned pages, as a scanner's 'scan to PDF' makes it."""
    pages = scan_pages(pdf, seed, defects)
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=SCAN_DPI)
    return buffer.getvalue()
