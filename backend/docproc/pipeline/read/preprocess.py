"""Cleaning a page image before OCR: grayscale, even illumination, deskew.

Each step is here because it paid on measurement (`docs/ocr.md`): a skew of 1.5 degrees moves the
end of a 7-inch line by more than a line height, so rows fall apart without deskew; a phone
photo's shadow turns light-gray text into background unless illumination is evened out first.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

# One core per worker, as Tesseract is held to (OMP_THREAD_LIMIT in ocr.py): OpenCV's own
# threads bring no throughput when every core has a worker, and their hand-offs cost CPU
# (table-rule removal took 1.6x the CPU time on two threads as on one).
cv2.setNumThreads(1)

_MAX_SKEW = 5.0  # degrees searched either way; a larger tilt is a different problem
_TARGET_TEXT_HEIGHT = 30.0  # pixels, median glyph height: below this Tesseract drops thin digits
_MAX_ENLARGE = 3.0
_MAX_OCR_PIXELS = 40_000_000
_BACKGROUND_KERNEL = 0.04  # of the image's longer side: wider than a character, narrower than shade
_GROW = np.ones((3, 3), np.uint8)


def to_gray_image(image: Image.Image) -> Image.Image:
    """Any Pillow image as 8-bit grayscale (alpha composited onto white)."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image if image.mode == "L" else image.convert("L")


def to_gray(image: Image.Image) -> np.ndarray:
    """An 8-bit grayscale array of any Pillow image."""
    return np.asarray(to_gray_image(image), dtype=np.uint8)


def even_illumination(gray: np.ndarray) -> np.ndarray:
    """Divide by the estimated paper brightness, so shadows and gradients become white paper."""
    small_side = 600
    factor = small_side / max(gray.shape)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    size = max(3, int(_BACKGROUND_KERNEL * small_side) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)  # text removed, paper kept
    paper = cv2.GaussianBlur(paper, (size, size), 0)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    normalised = cv2.divide(gray, np.maximum(paper, 1), scale=255)
    return np.asarray(normalised, dtype=np.uint8)


def skew_angle(gray: np.ndarray) -> float:
    """Degrees to turn the image (counter-clockwise positive) to level its text lines: the
    turn that makes the ink's row profile sharpest."""
    factor = 800 / max(gray.shape)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    best, best_score = 0.0, -1.0
    for step, span in ((0.5, _MAX_SKEW), (0.1, 0.5), (0.02, 0.1)):
        centre = best
        for angle in np.arange(centre - span, centre + span + step / 2, step):
            score = _profile_sharpness(ink, float(angle))
            if score > best_score:
                best, best_score = float(angle), score
    return round(best, 2)


def _profile_sharpness(ink: np.ndarray, angle: float) -> float:
    rows = _rotate(ink, angle, fill=0).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def _rotate(gray: np.ndarray, angle: float, fill: int) -> np.ndarray:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=fill)


def level(gray: np.ndarray, angle: float) -> np.ndarray:
    """The image turned by `angle` degrees counter-clockwise (white corners); a turn too small
    to move a line's end by a pixel's worth is not made."""
    return gray if abs(angle) < 0.05 else _rotate(gray, angle, fill=255)


def rotate_upright(image: Image.Image, degrees: int) -> Image.Image:
    """Turn by a multiple of 90 degrees counter-clockwise (what OSD reports as needed)."""
    transpose = {
        90: Image.Transpose.ROTATE_90,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270,
    }
    return image.transpose(transpose[degrees]) if degrees in transpose else image


def remove_rules(gray: np.ndarray) -> np.ndarray:
    """Table rules painted white: a digit touching a rule is otherwise read as part of it.

    A rule is a run of ink longer than 1/25 of the page that is thinner than `thick` across
    (a shaded band is not a rule)."""
    ink = ink_of(gray)
    height, width = gray.shape
    thick = max(3, height // 150)
    cleaned = gray.copy()
    _paint_rules(ink, max(width // 25, 10), thick, cleaned)
    # Vertical rules are found as horizontal ones of the turned page: a long vertical kernel
    # walks memory across rows and costs several times more than a horizontal one.
    _paint_rules(cv2.transpose(ink), max(height // 25, 10), thick, cleaned.T)
    return cleaned


def _paint_rules(ink: np.ndarray, run: int, thick: int, page: np.ndarray) -> None:
    """Paint white on `page` the horizontal runs of `ink` at least `run` long and thinner than
    `thick`, grown by a pixel each way.

    The opening across (what is `thick` or thicker is a band) and the growing only touch the
    row spans that hold a long run: rows with none are blank in `lines`, so working span by
    span gives the whole page's result at a fraction of its cost."""
    # A one-row kernel treats rows apart, and a row with fewer than `run` ink pixels holds
    # no run that long: only the rows that could are opened (about a third of a page).
    counts = cv2.reduce(ink, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    candidates = np.flatnonzero(counts >= 255 * run)
    if not candidates.size:
        return
    lines = np.zeros_like(ink)
    lines[candidates] = cv2.morphologyEx(ink[candidates], cv2.MORPH_OPEN, _rect((run, 1)))
    height = ink.shape[0]
    for start, end in _row_spans(lines):
        span = lines[start:end]
        if end - start >= thick:  # a thinner span cannot hold a band
            # The opening at a row sees `thick` - 1 rows each way: take them (or the page edge).
            top, bottom = max(0, start - thick + 1), min(height, end + thick - 1)
            bands = cv2.morphologyEx(lines[top:bottom], cv2.MORPH_OPEN, _rect((1, thick)))
            span = cv2.subtract(span, bands[start - top : end - top])
        top, bottom = max(0, start - 1), min(height, end + 1)
        padded = np.zeros((bottom - top, span.shape[1]), dtype=np.uint8)
        padded[start - top : end - top] = span
        np.maximum(page[top:bottom], cv2.dilate(padded, _GROW), out=page[top:bottom])


def _row_spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of consecutive rows holding any set pixel."""
    inked = mask.max(axis=1) > 0
    edges = np.flatnonzero(np.diff(np.concatenate(([False], inked, [False])).astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def ink_of(gray: np.ndarray) -> np.ndarray:
    """The page's ink as 255 on 0, split from the paper at Otsu's threshold."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return np.asarray(ink)


def component_stats(ink: np.ndarray) -> np.ndarray:
    """`cv2.connectedComponentsWithStats` (8-connected) stats rows, background row first.

    16-bit labels when they fit: on a page-sized image OpenCV's 32-bit path costs several
    times more (≈150 ms against ≈40 ms at 21 MP), whatever the image holds."""
    try:
        _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:  # more than 65,535 blobs
        _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return np.asarray(stats)


def text_height(gray: np.ndarray) -> float:
    """Median height in pixels of the character-sized blobs of ink (0 when there are none)."""
    ink = ink_of(gray)
    stats = component_stats(ink)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= 4) & (heights <= 120) & (widths <= 2 * heights)]
    return float(np.median(glyphs)) if glyphs.size else 0.0


def fit_budget(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """A huge bitmap (PNG/TIFF) brought down to the OCR pixel budget first; the factor."""
    if gray.size <= _MAX_OCR_PIXELS:
        return gray, 1.0
    factor = (_MAX_OCR_PIXELS / gray.size) ** 0.5
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor


def enlarge_small_text(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Small print scaled up to the size Tesseract reads best; the factor applied (>= 1)."""
    height = text_height(gray)
    if not height or height >= _TARGET_TEXT_HEIGHT:
        return gray, 1.0
    factor = min(_TARGET_TEXT_HEIGHT / height, _MAX_ENLARGE)
    factor = min(factor, (_MAX_OCR_PIXELS / gray.size) ** 0.5)
    if factor <= 1.05:
        return gray, 1.0
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC), factor


def _rect(size: tuple[int, int]) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, size)


def clean_page(image: Image.Image) -> tuple[Image.Image, float]:
    """The image OCR reads best (gray, evenly lit, level, no table rules, text large enough)
    and the factor it was enlarged by."""
    gray, shrink = fit_budget(to_gray(image))
    gray = even_illumination(gray)
    # The skew is measured on an 800-pixel copy: made from the page before it is enlarged it
    # is the same copy at a fifth of the cost (same angle on 20 real and generated pages).
    angle = skew_angle(gray)
    gray, factor = enlarge_small_text(gray)
    return Image.fromarray(remove_rules(level(gray, angle))), shrink * factor
