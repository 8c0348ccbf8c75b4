"""Image input: multi-page TIFF frames and Pillow's process-wide pixel cap."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from docproc.errors import ImageTooLarge
from docproc.pipeline.read.images import image_frames
from docproc.pipeline.read.reader import ReadLimits, read_document


def tiff(*shades: int) -> bytes:
    pages = [Image.new("L", (120, 160), shade) for shade in shades]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:], dpi=(200, 200))
    return buffer.getvalue()


def test_the_pages_of_a_multi_page_tiff_are_distinct_images() -> None:
    # Each frame used to be the container itself: holding all of them gave the last page thrice.
    frames = list(image_frames(tiff(10, 120, 250), max_pixels=10**8, max_pages=5))
    assert [frame.getpixel((5, 5)) for frame in frames] == [10, 120, 250]


def test_a_documents_pixel_cap_does_not_outlive_it() -> None:
    # The cap used to stay in Pillow's global: the next image opened anywhere in the process
    # (a test's own generated page, an export) was refused as a 'bomb' at twice this cap.
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageTooLarge):
        read_document(tiff(255, 255), limits=ReadLimits(max_image_pixels=10_000))
    assert before == Image.MAX_IMAGE_PIXELS
    buffer = io.BytesIO()
    Image.new("L", (400, 400), 255).save(buffer, format="PNG")
    assert Image.open(io.BytesIO(buffer.getvalue())).load() is not None
