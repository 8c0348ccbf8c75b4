"""Grouping positioned words into visual lines."""

from __future__ import annotations

from collections.abc import Sequence

from docproc.pipeline.read.document import Word


def group_lines(words: Sequence[Word], tolerance: float = 0.5) -> list[list[Word]]:
    """Words sharing a baseline band, each line sorted left to right, lines top to bottom.

    Two words are on one line when their vertical overlap is at least `tolerance` of the
    shorter word's height.
    """
    lines: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.mid_y, w.x0)):
        height = max(word.bottom - word.top, 0.1)
        if bands:
            top, bottom = bands[-1]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= tolerance * min(height, bottom - top):
                lines[-1].append(word)
                bands[-1] = (min(top, word.top), max(bottom, word.bottom))
                continue
        lines.append([word])
        bands.append((word.top, word.bottom))
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines
