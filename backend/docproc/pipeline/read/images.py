"""Images (PNG, JPEG, TIFF with several pages) read by OCR into pages of positioned words.

Sizes are checked from the header before any pixel is decoded, so a decompression bomb (huge
dimensions in a small file) is refused with `ImageTooLarge` instead of exhausting a worker's
memory. A page's size in points comes from the image's DPI (when absent or implausible: the DPI
that makes the image a letter-size page, else 300), so word boxes have a text PDF's scale.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import ExifTags, Image, UnidentifiedImageError

from docproc.errors import ImageTooLarge, MalformedDocument, TooManyPages
from docproc.pipeline.read.document import Document, Page, ProgressCallback, no_progress
from docproc.pipeline.read.ocr import ocr_page
from docproc.pipeline.read.perspective import straighten_photo
from docproc.pipeline.read.preprocess import to_gray_image

ASSUMED_DPI = 300.0
PAGE_LONG_SIDE_INCHES = 11.0  # US letter; A4 is 11.7
_PLAUSIBLE_DPI = (70.0, 1200.0)
_ESTIMATED_DPI = (100.0, 400.0)
OCR_PIXELS = 30_000_000  # a letter page at 600 dpi; more resolution does not help OCR


def image_dpi(image: Image.Image) -> float:
    """The image's resolution from its metadata; when missing or nonsense (72, 1, 0...), the
    resolution at which its long side is a statement page's (11 in), else 300."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    low, high = _PLAUSIBLE_DPI
    # 72 and 96 are what software writes when it does not know; a scan at 72 dpi is unreadable.
    if not low < value <= high or value in (72.0, 96.0):
        return _page_sized_dpi(image)
    return value


def _page_sized_dpi(image: Image.Image) -> float:
    # A photo or a scan without metadata is nearly always one whole page.
    estimate = max(image.size) / PAGE_LONG_SIDE_INCHES
    low, high = _ESTIMATED_DPI
    return estimate if low <= estimate <= high else ASSUMED_DPI


@contextmanager
def pillow_pixel_cap(max_pixels: int) -> Iterator[None]:
    """Pillow's own decompression-bomb guard at our cap (it refuses at twice it, a second line
    behind `check_pixels`), for the calls inside only. Pillow keeps the cap in a module global:
    left set, it would limit every later image in the process to the last document's cap (a
    test reading a 30,000-pixel cap made the next test's own page image a 'bomb')."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """The image with its header read and nothing decoded yet."""
    try:
        with pillow_pixel_cap(max_pixels):
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"The image is too large: {exc}", limit=max_pixels) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MalformedDocument(f"The image cannot be read: {exc}") from exc
    return image


def check_pixels(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"The image is {width}x{height} pixels; the limit is {max_pixels} pixels.",
            pixels=width * height,
            limit=max_pixels,
        )


def image_frames(
    data: bytes, *, max_pixels: int, max_pages: int, straighten: bool = True
) -> Iterator[Image.Image]:
    """Every frame (page) of the image, upright by its EXIF orientation, each size-checked; a
    photographed page warped flat when its outline is found (`perspective.py`)."""
    image = open_image(data, max_pixels)
    frames = getattr(image, "n_frames", 1)
    if frames > max_pages:
        raise TooManyPages(
            f"The image has {frames} pages; the limit is {max_pages}.",
            pages=frames,
            limit=max_pages,
        )
    for index in range(frames):
        with pillow_pixel_cap(max_pixels):
            image.seek(index)
        check_pixels(image, max_pixels)
        try:
            with pillow_pixel_cap(max_pixels):
                shrink = _decode_smaller(image)
                frame = _upright_gray(image)
                if frame is image and frames > 1:
                    # Its own pixels: the container's are replaced by the next seek, and a
                    # caller holding two pages would otherwise hold the last page twice.
                    frame = image.copy()
        except Image.DecompressionBombError as exc:
            raise ImageTooLarge(f"The image is too large: {exc}", limit=max_pixels) from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise MalformedDocument(f"Page {index + 1} of the image cannot be read: {exc}") from exc
        dpi = image.info.get("dpi")
        if dpi and shrink != 1.0:
            dpi = (float(dpi[0]) * shrink, float(dpi[1]) * shrink)
        frame.info["dpi"] = dpi
        yield straighten_photo(frame) if straighten else frame


# EXIF orientation -> the turn that shows the image upright (as ImageOps.exif_transpose does).
_EXIF_TURNS: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright_gray(image: Image.Image) -> Image.Image:
    """The frame decoded, as grayscale, turned by its EXIF orientation (converted before it is
    turned: a 120 M pixel RGB image must not exist twice)."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    image.load()
    gray = to_gray_image(image)
    turn = _EXIF_TURNS.get(orientation)
    return gray.transpose(turn) if turn is not None else gray


def _decode_smaller(image: Image.Image) -> float:
    """Have a huge JPEG decoded at a fraction of its size (DCT scaling: cheap, and the full
    bitmap never exists); the fraction. OCR needs no more than `OCR_PIXELS`."""
    width, height = image.size
    if image.format != "JPEG" or width * height <= OCR_PIXELS:
        return 1.0
    # draft() picks the smallest DCT scale still at least this size: ask for half the budget's
    # side so the result lands between a quarter of the budget and the budget.
    wanted = (OCR_PIXELS / (width * height)) ** 0.5 / 2
    image.draft("L", (int(width * wanted), int(height * wanted)))
    return image.size[0] / width


def read_image(
    data: bytes,
    *,
    media_type: str,
    max_pixels: int,
    max_pages: int,
    progress: ProgressCallback = no_progress,
) -> Document:
    """OCR every page of an image file into a `Document` (pages have `source="ocr"`)."""
    image = open_image(data, max_pixels)
    count = getattr(image, "n_frames", 1)
    pages: list[Page] = []
    for index, frame in enumerate(image_frames(data, max_pixels=max_pixels, max_pages=max_pages)):
        progress(int(80 * index / max(count, 1)), f"OCR page {index + 1} of {count}")
        scale = image_dpi(frame) / 72.0  # pixels per point
        read = ocr_page(frame, scale)
        pages.append(Page(index + 1, read.width, read.height, read.words, source="ocr"))
    return Document(pages=pages, metadata={}, media_type=media_type)
