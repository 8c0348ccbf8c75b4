"""A second look at the parts of a page Tesseract read badly: each is a new observation.

Tesseract's page layout analysis sometimes garbles a word it would read cleanly on its own
(`15. Okt` read as `L5:.:-OkE`, confidence 0) or drops a short word altogether (a lone `3` of
`3 101,50`, a `-` before an amount, a header word). Two passes look again, both reading a small
crop of the image as one line of text:

- doubtful words: a run of words on one line read with low confidence is read again; the new
  reading replaces the old only when Tesseract is more confident of it;
- missed ink: ink of character size that no word box covers is read with the words beside
  it (a lone digit is misread on its own); what reads with confidence in it is added as words.

Nothing here looks at what a number "should" be: a re-read is a reading of the pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageOps

from docproc.pipeline.read.document import Word
from docproc.pipeline.read.lines import group_lines
from docproc.pipeline.read.preprocess import component_stats, ink_of, to_gray

DOUBTFUL = 0.70  # word confidence below which a word is read again
BETTER_BY = 0.05  # how much more confident a re-read must be to replace the first reading
MISSED_KEEP = 0.50  # confidence a word read from uncovered ink needs to be kept
# share of a word read in missed ink that may lie on words already found: Tesseract's boxes hug
# the ink, so more is the rest of a glyph it boxed short ('08' boxed short of the 8's right
# side, that side read as '3')
NEW_INK_OVERLAP = 0.25
DASH_CONFIDENCE = 0.5  # a minus (or a '1') known by its shape, not read by Tesseract
ONE_WIDTH = 0.4  # an upright bar no wider than this share of its height may be a '1'...
ONE_GAP = 0.3  # ...standing at least this share of its neighbour's height apart from it
CONTEXT_GAP = 1.0  # line heights: closer neighbours of a doubtful word are read with it
CONTEXT_WORDS = 2  # at most this many on each side (a date's or an amount's other parts)
WORD_SPACE = 2.0  # text heights: ink this close is one line's next word (a space in Courier)
PIECE_GAP = 0.4  # text heights: a wider gap inside missed ink may part two words


@dataclass(frozen=True, slots=True)
class PixelWord:
    """A word as Tesseract boxes it: pixels of the image it read."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    confidence: float
    line_top: int  # the band a text layer would give the word: its line's ascent...
    line_bottom: int  # ...and descent, where Tesseract found them (else the ink box)

    @property
    def height(self) -> int:
        return self.bottom - self.top


LineReader = Callable[[Image.Image], list[PixelWord]]
"""Reads an image holding one line of text into words (boxes in that image's pixels)."""

VARIANTS = ("as scanned", "smoothed")  # how a doubtful run's crop is read again


def pixel_lines(words: list[PixelWord]) -> list[list[PixelWord]]:
    """Words sharing a band of the page, each line left to right, lines top to bottom."""
    proxies = [Word(w.text, w.x0, w.top, w.x1, w.bottom) for w in words]
    source = {id(proxy): word for proxy, word in zip(proxies, words, strict=True)}
    return [[source[id(proxy)] for proxy in line] for line in group_lines(proxies)]


def _line_height(line: list[PixelWord]) -> int:
    """The line's font height in pixels (ascender to descender), the unit of gaps here."""
    heights = sorted(max(w.line_bottom - w.line_top, w.height) for w in line)
    return max(heights[len(heights) // 2], 1)


def read_region(
    image: Image.Image,
    box: tuple[int, int, int, int],
    read_line: LineReader,
    variant: str = "as scanned",
) -> list[PixelWord]:
    """Words read from `box` of `image` as one line, boxed in `image`'s pixels."""
    x0, top, x1, bottom = box
    x0, top = max(0, x0), max(0, top)
    x1, bottom = min(image.width, x1), min(image.height, bottom)
    if x1 - x0 < 2 or bottom - top < 2:
        return []
    pad = max(4, (bottom - top) // 2)
    crop = ImageOps.expand(
        _cleaned(image.crop((x0, top, x1, bottom)), variant), border=pad, fill=255
    )
    return [
        PixelWord(
            w.text,
            w.x0 - pad + x0,
            w.top - pad + top,
            w.x1 - pad + x0,
            w.bottom - pad + top,
            w.confidence,
            w.line_top - pad + top,
            w.line_bottom - pad + top,
        )
        for w in read_line(crop)
    ]


def _cleaned(crop: Image.Image, variant: str) -> Image.Image:
    """The crop as scanned, or smoothed and made black-and-white: sensor noise on thin print
    (Courier at 8 pt) breaks strokes Tesseract then misreads (`4 991,51` read `4.994, 5%`)."""
    if variant == "as scanned":
        return crop
    gray = np.asarray(crop.convert("L"), dtype=np.uint8)
    smooth = cv2.GaussianBlur(gray, (0, 0), 1.0)
    _, ink = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return Image.fromarray(ink)


def reread_doubtful(
    image: Image.Image, words: list[PixelWord], read_line: LineReader
) -> list[PixelWord]:
    """Words with every low-confidence run read again with the words printed close to it
    (a date's or an amount's other parts); the new reading is kept when read better."""
    out: list[PixelWord] = []
    for line in pixel_lines(words):
        height = _line_height(line)
        done = 0
        for start, end in _doubtful_spans(line, height):
            out.extend(line[done:start])
            out.extend(_reread_run(image, line, start, end, height, read_line))
            done = end
        out.extend(line[done:])
    return out


def _doubtful_spans(line: list[PixelWord], height: int) -> list[tuple[int, int]]:
    """Index ranges of `line` to read again: each low-confidence word with its close
    neighbours, overlapping ranges merged."""
    spans: list[tuple[int, int]] = []
    for index, word in enumerate(line):
        if word.confidence >= DOUBTFUL:
            continue
        start, end = index, index + 1
        while (
            start > max(0, index - CONTEXT_WORDS)
            and line[start].x0 - line[start - 1].x1 < CONTEXT_GAP * height
        ):
            start -= 1
        while (
            end < min(len(line), index + 1 + CONTEXT_WORDS)
            and line[end].x0 - line[end - 1].x1 < CONTEXT_GAP * height
        ):
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _reread_run(
    image: Image.Image,
    line: list[PixelWord],
    start: int,
    end: int,
    height: int,
    read_line: LineReader,
) -> list[PixelWord]:
    run = line[start:end]
    left = line[start - 1].x1 if start else 0
    right = line[end].x0 if end < len(line) else image.width
    top, bottom = min(w.top for w in run), max(w.bottom for w in run)
    box = (
        max(left + 1, run[0].x0 - height // 2),
        top - height // 8,
        min(right - 1, max(w.x1 for w in run) + height // 2),
        bottom + height // 8,
    )
    best = run
    held = _chars_held(run, _char_width(line))
    for variant in VARIANTS:
        if min(w.confidence for w in best) + BETTER_BY > 1.0:
            break  # no reading can be surer by BETTER_BY: save the next variant's read
        again = [_on_line(w, run) for w in read_region(image, box, read_line, variant)]
        if _better(again, best, held):
            best = again
    return best


def _on_line(word: PixelWord, run: list[PixelWord]) -> PixelWord:
    """A re-read word kept to the band of the line it was read on (the crop's margin can
    reach the ink of the lines above and below)."""
    top = max(word.top, min(w.top for w in run))
    bottom = min(word.bottom, max(w.bottom for w in run))
    return replace(
        word,
        top=min(top, bottom - 1),
        bottom=bottom,
        line_top=min(w.line_top for w in run),
        line_bottom=max(w.line_bottom for w in run),
    )


def _better(again: list[PixelWord], run: list[PixelWord], chars: int) -> bool:
    """Whether a re-read beats the first reading: its least sure word is surer, and it still
    reads the whole run (a reading that drops part of the ink is not better): as wide, and
    nearly as many characters as the run's ink holds (`_chars_held`)."""
    if not again:
        return False
    if min(w.confidence for w in again) < min(w.confidence for w in run) + BETTER_BY:
        return False
    width = max(w.x1 for w in run) - min(w.x0 for w in run)
    covered = max(w.x1 for w in again) - min(w.x0 for w in again)
    return covered >= 0.8 * width and sum(len(w.text) for w in again) >= 0.7 * chars


def _char_width(line: list[PixelWord]) -> float | None:
    """The line's character width in pixels, from the words read with confidence."""
    sure = [w for w in line if w.confidence >= DOUBTFUL and w.text]
    if not sure:
        return None
    return float(np.median([(w.x1 - w.x0) / len(w.text) for w in sure]))


def _chars_held(run: list[PixelWord], char_width: float | None) -> int:
    """Characters the run reads: a doubtful word counts no more than its ink holds at the
    line's character width (noise read as letters: '15.10.' garbled 'Fos Of 0', 3 letters on
    one character's ink, would make the right re-read look short)."""
    count = 0
    for w in run:
        if w.confidence >= DOUBTFUL or char_width is None:
            count += len(w.text)
        else:
            count += min(len(w.text), max(1, round((w.x1 - w.x0) / char_width)))
    return count


def settle_bands(words: list[PixelWord]) -> list[PixelWord]:
    """Words whose font band is far taller than the page's usual one (Tesseract measured a row
    that took in a wrapped line) get the usual band around their ink instead."""
    if not words:
        return words
    usual = float(np.median([w.line_bottom - w.line_top for w in words]))
    out = []
    for word in words:
        if word.line_bottom - word.line_top > 1.4 * usual and word.height < 1.4 * usual:
            middle = (word.top + word.bottom) / 2
            top = min(word.top, round(middle - usual / 2))
            bottom = max(word.bottom, round(middle + usual / 2))
            word = replace(word, line_top=top, line_bottom=bottom)
        out.append(word)
    return out


def drop_line_spanning(words: list[PixelWord]) -> list[PixelWord]:
    """Words without the ones Tesseract boxed across two printed lines (the `3` and `4` of
    `3 908,00` over `4 250,83` read as one word `FW`): their ink is read again line by line."""
    if len(words) < 3:
        return words
    median = float(np.median([w.height for w in words]))
    out = []
    for word in words:
        if word.height > 1.6 * median:
            inside = sorted(
                (w.top + w.bottom) / 2
                for w in words
                if w is not word and word.top <= (w.top + w.bottom) / 2 <= word.bottom
            )
            if inside and inside[-1] - inside[0] > 0.8 * median:
                continue
        out.append(word)
    return out


def missed_ink(gray: np.ndarray, words: list[PixelWord]) -> list[tuple[int, int, int, int]]:
    """Boxes of character-sized ink that no word box covers, joined along their line."""
    regions = _missed_regions(_missed_glyphs(gray, words), _text_height(words))
    return [(r[0], r[1], r[2], r[3]) for r in regions]


def _text_height(words: list[PixelWord]) -> int:
    """The page's usual word height in pixels (0 without words)."""
    return int(np.median([w.height for w in words])) if words else 0


def _missed_regions(glyphs: list[list[int]], height: int) -> list[list[int]]:
    """Missed glyphs a word space apart on one line, joined: 'Apr 15' is one region."""
    return _joined(glyphs, WORD_SPACE * height)


def _missed_glyphs(gray: np.ndarray, words: list[PixelWord]) -> list[list[int]]:
    """Boxes of the character-sized pieces of ink no word box covers, top to bottom."""
    if not words:
        return []
    height = _text_height(words)
    ink = ink_of(gray)
    margin = max(1, height // 6)
    for w in words:
        ink[max(0, w.top - margin) : w.bottom + margin, max(0, w.x0 - margin) : w.x1 + margin] = 0
    boxes: list[list[int]] = []
    for x, y, w, h, area in component_stats(ink)[1:]:
        if h > 2 * height or w > 20 * height:
            continue  # a logo, a picture, a shaded band
        if max(w, h) < height // 3 or area < max(4, height * height // 40):
            continue  # specks of noise
        boxes.append([int(x), int(y), int(x + w), int(y + h)])
    boxes.sort(key=lambda b: (b[1], b[0]))
    return boxes


def _joined(boxes: list[list[int]], gap: float) -> list[list[int]]:
    """Boxes on one line less than `gap` apart joined, until no two regions are (a region
    grown by a later box can reach one begun before it)."""
    regions = boxes
    while True:
        joined: list[list[int]] = []
        for box in regions:
            for region in joined:
                overlap = min(region[3], box[3]) - max(region[1], box[1])
                same_line = overlap >= 0.5 * min(region[3] - region[1], box[3] - box[1])
                near = box[0] - region[2] < gap and region[0] - box[2] < gap
                if same_line and near:
                    region[:] = [
                        min(region[0], box[0]),
                        min(region[1], box[1]),
                        max(region[2], box[2]),
                        max(region[3], box[3]),
                    ]
                    break
            else:
                joined.append(list(box))
        if len(joined) == len(regions):
            return joined
        regions = joined


def recover_missed(
    image: Image.Image, words: list[PixelWord], read_line: LineReader
) -> list[PixelWord]:
    """`words` plus what reads with confidence in the ink none of them covers."""
    height = _text_height(words)
    glyphs = _missed_glyphs(to_gray(image), words)
    found: list[PixelWord] = []
    for region in _missed_regions(glyphs, height):
        box = (region[0], region[1], region[2], region[3])
        dash = _dash(words, box, height)
        if dash is not None:
            found.append(dash)
            continue
        read = _read_missed(image, box, words, height, read_line)
        if not read:  # Tesseract reads some lines as nothing whole, yet right in pieces
            for piece in _pieces(region, glyphs, height):
                read += _read_missed(image, piece, words, height, read_line)
        one = None if read else _one(words, box, height)
        found.extend(read if one is None else [one])
    return [*words, *found]


def _pieces(
    region: list[int], glyphs: list[list[int]], height: int
) -> list[tuple[int, int, int, int]]:
    """A region's ink split at its gaps wider than a glyph's spacing ('€185,' and '98-' of
    '€185,98-'); nothing when it has no such gap."""
    x0, top, x1, bottom = region
    inside = [g for g in glyphs if x0 <= g[0] and g[2] <= x1 and top <= g[1] <= bottom]
    pieces: list[list[int]] = []
    for piece in _joined(sorted(inside, key=lambda g: g[0]), PIECE_GAP * height):
        if pieces and piece[3] - piece[1] < height / 2:  # a point or a comma ends the word before
            last = pieces[-1]
            last[:] = [last[0], min(last[1], piece[1]), piece[2], max(last[3], piece[3])]
        else:
            pieces.append(piece)
    return [(p[0], p[1], p[2], p[3]) for p in pieces] if len(pieces) > 1 else []


def _read_missed(
    image: Image.Image,
    region: tuple[int, int, int, int],
    words: list[PixelWord],
    height: int,
    read_line: LineReader,
) -> list[PixelWord]:
    """The words read in a region of missed ink: read with the words beside it on its line (a
    lone '3' of '3 936,92' is misread alone, read right in its line's company), the words that
    land in the region kept; else read on its own."""
    x0, top, x1, bottom = region
    pad_x, pad_y = height // 3, height // 4
    left, right = _beside(region, words, height)
    if left is not None or right is not None:
        box = (
            (left.x0 if left is not None else x0) - pad_x,
            min(top, *(w.top for w in (left, right) if w is not None)) - pad_y,
            (right.x1 if right is not None else x1) + pad_x,
            max(bottom, *(w.bottom for w in (left, right) if w is not None)) + pad_y,
        )
        inside = [
            w
            for w in read_region(image, box, read_line)
            if x0 <= (w.x0 + w.x1) / 2 <= x1 and _new_ink(w, words)
        ]
        if inside:
            return inside
    box = (x0 - pad_x, top - pad_y, x1 + pad_x, bottom + pad_y)
    return [w for w in read_region(image, box, read_line) if _new_ink(w, words)]


def _new_ink(word: PixelWord, words: list[PixelWord]) -> bool:
    """Whether a word read in missed ink is read with confidence and outside the words already
    found on its line (not a second reading of one of them, or of a piece of one)."""
    if word.confidence < MISSED_KEEP:
        return False
    covered = sum(
        max(0, min(w.x1, word.x1) - max(w.x0, word.x0))
        for w in words
        if min(w.bottom, word.bottom) - max(w.top, word.top) > 0.5 * min(w.height, word.height)
    )
    return covered <= NEW_INK_OVERLAP * (word.x1 - word.x0)


def _beside(
    region: tuple[int, int, int, int], words: list[PixelWord], height: int
) -> tuple[PixelWord | None, PixelWord | None]:
    """The nearest word on the region's line within a word space to its left and its right."""
    x0, top, x1, bottom = region
    line = [
        w
        for w in words
        if min(w.bottom, bottom) - max(w.top, top) >= 0.5 * min(w.height, bottom - top)
    ]
    left = [w for w in line if w.x1 <= x0 and x0 - w.x1 < WORD_SPACE * height]
    right = [w for w in line if w.x0 >= x1 and w.x0 - x1 < WORD_SPACE * height]
    return (
        max(left, key=lambda w: w.x1, default=None),
        min(right, key=lambda w: w.x0, default=None),
    )


def _dash(words: list[PixelWord], box: tuple[int, int, int, int], height: int) -> PixelWord | None:
    """A short level bar at the middle of its line's digits is a minus (or a dash): Tesseract
    reads one standing alone unreliably, its shape says what it is."""
    x0, top, x1, bottom = box
    thick, long = bottom - top, x1 - x0
    if thick > 0.3 * height or long < 2.5 * thick or long > 1.5 * height:
        return None
    centre = (top + bottom) / 2
    beside = [w for w in words if w.top < centre < w.bottom]
    if not beside:
        return None
    near = min(beside, key=lambda w: min(abs(w.x0 - x1), abs(x0 - w.x1)))
    if min(abs(near.x0 - x1), abs(x0 - near.x1)) > 3 * height:
        return None
    if not 0.3 <= (centre - near.top) / max(near.height, 1) <= 0.8:
        return None
    return PixelWord("-", x0, top, x1, bottom, DASH_CONFIDENCE, near.line_top, near.line_bottom)


def _one(words: list[PixelWord], box: tuple[int, int, int, int], height: int) -> PixelWord | None:
    """A thin upright bar standing a word space from a word, as tall as its capitals and level
    with them, that reads as nothing sure, is a '1': the thinnest digit in proportional print,
    which Tesseract drops even read alone ('Sep 1' read 'Sep')."""
    x0, top, x1, bottom = box
    tall = bottom - top
    if x1 - x0 > ONE_WIDTH * tall:
        return None
    beside = [w for w in _beside(box, words, height) if w is not None]
    if not beside:
        return None
    near = min(beside, key=lambda w: min(abs(w.x0 - x1), abs(x0 - w.x1)))
    if min(abs(near.x0 - x1), abs(x0 - near.x1)) < ONE_GAP * near.height:
        return None  # the rest of a glyph the word was boxed short of, not a glyph of its own
    level = abs(top - near.top) <= 0.15 * near.height
    if not level or tall < 0.6 * near.height or bottom > near.bottom + 0.1 * near.height:
        return None
    return PixelWord("1", x0, top, x1, bottom, DASH_CONFIDENCE, near.line_top, near.line_bottom)
