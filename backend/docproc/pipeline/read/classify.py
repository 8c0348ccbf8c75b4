"""Is a page's text layer worth reading, or must the page be OCR'd?

A layer is usable when it holds enough characters, nearly all of them ordinary printable ones,
and most of its words have the shape of words or numbers. Fonts without a Unicode map give
private-use or control characters; fonts with a shifted encoding give consonant soup ("Wkh
txlfn"). Both fail here and the page goes to OCR. An invisible OCR layer on a scan passes when it
is good, and is then used as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from docproc.pipeline.read.document import Word

MIN_CHARS = 20
MIN_ORDINARY_SHARE = 0.9  # of characters: letters, digits, common punctuation and symbols
MIN_WORD_SHAPE_SHARE = 0.7  # of words: letters or numbers with ordinary punctuation
MIN_VOWEL_SHARE = 0.5  # of alphabetic words of 3+ letters: ones containing a vowel

_WORD_SHAPE = re.compile(r"^[\(\[\"'$€£¥₹+\-#*]*[\w][\w.,'’/&@%:;\-+*#]*[\)\]\"'%.,:;*]*$")
_VOWELS = set("aeiouyAEIOUYàáâäãåèéêëìíîïòóôöõùúûüýÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝæøœÆØŒ")
_ORDINARY_CATEGORIES = ("L", "N", "P", "S", "Zs")


def _ordinary(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith(_ORDINARY_CATEGORIES) and category != "Co"


def text_layer_usable(words: Sequence[Word]) -> bool:
    """True when the words of a text layer read as text (see the module docstring)."""
    chars = "".join(w.text for w in words)
    if len(chars) < MIN_CHARS:
        return False
    if sum(map(_ordinary, chars)) < MIN_ORDINARY_SHARE * len(chars):
        return False
    shaped = sum(1 for w in words if _WORD_SHAPE.match(w.text))
    if shaped < MIN_WORD_SHAPE_SHARE * len(words):
        return False
    alphabetic = [w.text for w in words if w.text.isalpha() and len(w.text) >= 3]
    if alphabetic:
        voiced = sum(1 for text in alphabetic if _VOWELS.intersection(text))
        if voiced < MIN_VOWEL_SHARE * len(alphabetic):
            return False
    return True
