"""OCR of one page image into positioned words, through Tesseract (tesserocr).

Tesseract was chosen by measurement over RapidOCR (`docs/ocr.md`): similar accuracy on printed
statements, several times faster on one core, and it gives word boxes directly. Its English model
comes from the system package `tesseract-ocr-eng` (`scripts/install-system-deps.sh`); nothing is
downloaded at run time. Words are returned in page points, top-left origin, like a text layer.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per worker; set before tesseract loads

from PIL import Image

from docproc.errors import OcrUnavailable
from docproc.pipeline.read.document import Word
from docproc.pipeline.read.reread import (
    PixelWord,
    drop_line_spanning,
    recover_missed,
    reread_doubtful,
    settle_bands,
)

_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)

_SOURCE_PPI = 96

# Table rules and box edges that OCR reads as characters; never part of a value.
_RULE_CHARS = "|[]{}¦_"
_DASHES = ("—", "–", "−", "‒", "―")
_ONLY_RULES = re.compile(rf"^[{re.escape(_RULE_CHARS)}=~'`\"“”‘’]+$")


def tessdata_dir() -> Path:
    """Where `eng.traineddata` lives: Tesseract's own TESSDATA_PREFIX, else the system paths."""
    configured = os.environ.get("TESSDATA_PREFIX")
    candidates = [configured] if configured else list(_TESSDATA_CANDIDATES)
    for candidate in candidates:
        path = Path(candidate)
        if (path / "eng.traineddata").is_file():
            return path
        if (path / "tessdata" / "eng.traineddata").is_file():
            return path / "tessdata"
    raise OcrUnavailable(
        "Tesseract's English data (eng.traineddata) is not installed: run "
        "backend/scripts/install-system-deps.sh or set TESSDATA_PREFIX."
    )


class TesseractEngine:
    """One Tesseract instance per process, used by one page at a time."""

    name = "tesseract"

    def __init__(self) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(
            path=str(tessdata_dir()), lang="eng", psm=tesserocr.PSM.AUTO
        )
        # Statements are numbers and names, not prose: the dictionary "corrects" digits wrongly.
        self._api.SetVariable("load_system_dawg", "0")
        self._api.SetVariable("load_freq_dawg", "0")
        self._lock = threading.Lock()

    def words(self, image: Image.Image, scale: float) -> list[Word]:
        """Words of `image` with boxes divided by `scale` (pixels per point); what the page
        pass misread or missed is looked at again (`reread.py`)."""
        with self._lock:
            self._api.SetPageSegMode(self._tesserocr.PSM.AUTO)
            found = self._recognize(image)
            if not reads_as_text(found):
                return [text_layer_box(word, scale) for word in found]  # upside down or noise
            found = drop_line_spanning(found)
            found = recover_missed(image, found, self._read_line)
            found = reread_doubtful(image, found, self._read_line)
        return [text_layer_box(word, scale) for word in settle_bands(found)]

    def _read_line(self, image: Image.Image) -> list[PixelWord]:
        self._api.SetPageSegMode(self._tesserocr.PSM.SINGLE_LINE)
        try:
            return self._recognize(image)
        finally:
            self._api.SetPageSegMode(self._tesserocr.PSM.AUTO)

    def _recognize(self, image: Image.Image) -> list[PixelWord]:
        # Raw gray bytes: tesserocr's own path encodes a BMP that Leptonica decodes again, with
        # a palette to undo (≈35 ms on a 21 MP page). The resolution is the one that BMP told
        # Tesseract (Pillow's default 96 dpi), so the page layout is read as it was measured.
        gray = image if image.mode == "L" else image.convert("L")
        self._api.SetImageBytes(gray.tobytes(), gray.width, gray.height, 1, gray.width)
        self._api.SetSourceResolution(_SOURCE_PPI)
        self._api.Recognize()
        try:
            return list(self._iterate(self._tesserocr.RIL.WORD))
        finally:
            self._api.Clear()

    def _iterate(self, level: int) -> Iterator[PixelWord]:
        iterator = self._api.GetIterator()
        if iterator is None:
            return
        while True:
            try:
                text = iterator.GetUTF8Text(level)
            except RuntimeError:  # an empty page: tesserocr raises instead of returning ""
                return
            box = iterator.BoundingBox(level)
            if text and box:
                cleaned = clean_token(text)
                if cleaned:
                    confidence = max(0.0, min(1.0, iterator.Confidence(level) / 100))
                    x0, top, x1, bottom = box
                    band_top, band_bottom = _font_band(iterator, level, box)
                    yield PixelWord(cleaned, x0, top, x1, bottom, confidence, band_top, band_bottom)
            if not iterator.Next(level):
                return

    def orientation(self, image: Image.Image) -> int:
        """Degrees to rotate `image` counter-clockwise to make its text upright (0 if unsure)."""
        osd_api = self._tesserocr.PyTessBaseAPI(
            path=str(tessdata_dir()), lang="osd", psm=self._tesserocr.PSM.OSD_ONLY
        )
        try:
            osd_api.SetImage(image)
            result = osd_api.DetectOrientationScript()
        except RuntimeError:
            return 0
        finally:
            osd_api.End()
        if not result or result.get("orient_conf", 0) < 2:
            return 0
        return int(result.get("orient_deg", 0)) % 360


def _font_band(iterator: object, level: int, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """The word's line from ascender to descender at the word (Tesseract's baseline and row
    metrics), never smaller than its ink box: the font size, whatever letters the word has."""
    baseline = iterator.Baseline(level)  # type: ignore[attr-defined]
    row = iterator.RowAttributes()  # type: ignore[attr-defined]
    if not baseline or not row:
        return box[1], box[3]
    (bx0, by0), (bx1, by1) = baseline
    middle = (box[0] + box[2]) / 2
    y = by0 + (by1 - by0) * (middle - bx0) / (bx1 - bx0) if bx1 != bx0 else by0
    top = round(y - row["row_height"])
    bottom = round(y - row["descenders"])
    return min(top, box[1]), max(bottom, box[3])


# A text layer's word box is its glyphs' advance widths (side bearings included); OCR boxes hug
# the ink. Widening by this share of the font height each side keeps the gaps between words of
# one cell (`26,  2026` in Courier) within the extractor's word spacing, as on a text layer.
_SIDE_BEARING = 0.08


def text_layer_box(word: PixelWord, scale: float) -> Word:
    """An OCR word in points, widened by its side bearings as a text layer would box it."""
    pad = _SIDE_BEARING * (word.line_bottom - word.line_top)
    return Word(
        word.text,
        (word.x0 - pad) / scale,
        word.top / scale,
        (word.x1 + pad) / scale,
        word.bottom / scale,
        word.confidence,
    )


# Tesseract splits an amount where a thin separator looks like a space: "406. 76", "478 ,28",
# "3.029 , 38". Pieces this close on one line that only make sense together are joined.
_AMOUNT_PREFIX = re.compile(r"^[(\-+$€£¥₹]*\d[\d.,']*[.,]?$")
_AMOUNT = re.compile(
    r"^[(\-+]?[$€£¥₹]?-?(\d{1,3}([.,'\u202f]\d{3})*|\d+)([.,]\d{1,2})?(\)|-|CR|DR|Cr|Dr)?$"
)


# "1st Jul" read as "ist Jul": a 1 read as i/l/I in an English ordinal before a month name.
_ORDINAL_ONE = re.compile(r"^(\d?)[iIl|](st|th)$")
_MONTH = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)


def _ordinal_before_month(word: Word, following: Word | None) -> Word:
    match = _ORDINAL_ONE.match(word.text)
    if not match or following is None or not _MONTH.match(following.text):
        return word
    text = f"{match.group(1)}1{match.group(2)}"
    return Word(text, word.x0, word.top, word.x1, word.bottom, word.confidence)


def join_split_amounts(words: list[Word]) -> list[Word]:
    """Words of one page with amounts split at their decimal separator put back together
    (and ordinals such as "ist Jul" read back as "1st Jul")."""
    from docproc.pipeline.read.lines import group_lines

    out: list[Word] = []
    for line in group_lines(words):
        joined: list[Word] = []
        for word in line:
            if joined and _continues_amount(joined[-1], word):
                joined[-1] = _joined(joined[-1], word)
            else:
                joined.append(word)
        following: list[Word | None] = [*joined[1:], None]
        out.extend(_ordinal_before_month(w, n) for w, n in zip(joined, following, strict=True))
    return out


def _continues_amount(last: Word, word: Word) -> bool:
    height = max(last.bottom - last.top, word.bottom - word.top, 1e-3)
    # Tesseract sometimes boxes a broken amount's first piece over the whole amount.
    if word.x0 <= last.x0 or word.x0 - last.x1 >= height:
        return False
    text, piece = last.text, word.text
    at_separator = text[-1] in ".," or piece[0] in ".,"
    if not at_separator or not _AMOUNT_PREFIX.match(text):
        return False
    whole = text + piece
    # A lone separator waits for the digits that follow it.
    return piece in (".", ",") or bool(_AMOUNT.match(whole))


def _joined(first: Word, second: Word) -> Word:
    confidences = [c for c in (first.confidence, second.confidence) if c is not None]
    return Word(
        first.text + second.text,
        min(first.x0, second.x0),
        min(first.top, second.top),
        max(first.x1, second.x1),
        max(first.bottom, second.bottom),
        min(confidences) if confidences else None,
    )


def clean_token(text: str) -> str:
    """A word without the table rules OCR glues to it; '' when nothing else is left."""
    text = text.strip()
    if not text or _ONLY_RULES.match(text):
        return ""
    text = text.strip(_RULE_CHARS)
    if text in _DASHES:  # a minus standing apart from its amount, read as a longer dash
        return "-"
    # A comma's tail lost in noise reads as a semicolon: "2;795.77" is the amount "2,795.77".
    if ";" in text and _AMOUNT.match(text.replace(";", ",")):
        return text.replace(";", ",")
    return text


class RapidOcrEngine:
    """RapidOCR (ONNX models shipped in its wheel); kept for the comparison in `bench/ocr.py`."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(
            params={
                "Global.return_word_box": True,
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def words(self, image: Image.Image, scale: float) -> list[Word]:
        import numpy as np

        result = self._engine(np.asarray(image.convert("RGB")))
        out: list[Word] = []
        for line in getattr(result, "word_results", None) or ():
            for text, score, points in line:
                cleaned = clean_token(str(text))
                if not cleaned:
                    continue
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                out.append(
                    Word(
                        cleaned,
                        min(xs) / scale,
                        min(ys) / scale,
                        max(xs) / scale,
                        max(ys) / scale,
                        float(score),
                    )
                )
        return out

    def orientation(self, image: Image.Image) -> int:
        return 0


OcrEngine = TesseractEngine | RapidOcrEngine

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def _keep_freed_page_buffers() -> None:
    """Let glibc keep freed page-sized buffers for the next page instead of handing them back.

    A page is read through a dozen image copies of ~20 MB (numpy, OpenCV, Leptonica, Tesseract).
    By default glibc returns each to the OS when freed and the next one is faulted in and zeroed
    again; allocating them from a heap that is not trimmed costs 5-7% less CPU per page (real
    scans, measured side by side). The process keeps its peak heap, which it reached anyway.
    Elsewhere than glibc this does nothing."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's ceiling for this threshold
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    except (OSError, AttributeError):
        return


@lru_cache(maxsize=2)
def ocr_engine(name: str = "tesseract") -> OcrEngine:
    """The process-wide OCR engine (loading a model costs more than reading a page)."""
    _keep_freed_page_buffers()
    try:
        return RapidOcrEngine() if name == "rapidocr" else TesseractEngine()
    except ImportError as exc:
        raise OcrUnavailable(f"The OCR engine {name!r} is not installed: {exc}") from exc


@dataclass(frozen=True, slots=True)
class OcrPage:
    words: list[Word]
    width: float  # points, after any quarter turn
    height: float
    turned: int  # degrees counter-clockwise the page was turned to read it


def ocr_page(image: Image.Image, scale: float, engine: str = "tesseract") -> OcrPage:
    """Clean the page image and read its words; a page that reads as noise is tried upright."""
    from docproc.pipeline.read.preprocess import clean_page, rotate_upright

    reader = ocr_engine(engine)
    cleaned, factor = clean_page(image)
    words = reader.words(cleaned, scale * factor)
    turned = 0
    if not reads_as_text(words):
        turned = reader.orientation(cleaned)
        if turned:
            cleaned, factor = clean_page(rotate_upright(image, turned))
            words = reader.words(cleaned, scale * factor)
    size = scale * factor
    return OcrPage(join_split_amounts(words), cleaned.width / size, cleaned.height / size, turned)


def reads_as_text(words: Sequence[Word | PixelWord]) -> bool:
    """Most words read with confidence: what an upright page gives and a sideways one does not."""
    if len(words) < 8:
        return False
    confident = sum(1 for w in words if (w.confidence or 0) >= 0.6)
    return confident >= 0.6 * len(words)
