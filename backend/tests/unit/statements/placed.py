"""Hand-placed words for layout tests: cells of words at given points, one line at a time."""

from docproc.pipeline.read.document import Word

SIZE = 9.0  # text height in points
CHAR = 4.5  # width of one character


def line(y: float, *cells: tuple[float, str], confidence: float | None = None) -> list[Word]:
    """Words of one line; each cell starts at its x and its words are a narrow space apart."""
    words = []
    for x, text in cells:
        for token in text.split(" "):
            width = CHAR * len(token)
            words.append(Word(token, x, y, x + width, y + SIZE, confidence))
            x += width + CHAR * 0.6
    return words


def right(x1: float, text: str) -> tuple[float, str]:
    """A right-aligned cell ending at x1."""
    return x1 - CHAR * len(text), text
