"""What every reader produces and every extractor consumes: pages of words with boxes.

Coordinates are in PDF points (1/72 inch) with the origin at the top-left of the page, `y`
growing downwards, whatever the source (text layer or OCR of an image), so the layout engine never
needs to know how a page was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

PageSource = Literal["text", "ocr"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None  # 0..1 for OCR words, None for a text layer

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    source: PageSource = "text"

    @property
    def text(self) -> str:
        """The page's words as lines of text, top to bottom, left to right."""
        from docproc.pipeline.read.lines import group_lines

        return "\n".join(" ".join(w.text for w in line) for line in group_lines(self.words))


@dataclass(slots=True)
class Document:
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/pdf"


class ProgressCallback(Protocol):
    """Reports progress: `percent` 0..100 and a message a person can read."""

    def __call__(self, percent: int, message: str) -> None: ...


def no_progress(percent: int, message: str) -> None:
    """A progress callback that ignores everything."""
