"""The second look at a page (`reread.py`): which words are read again, what replaces them,
what ink counts as missed, and the minus known by its shape. The line reader is a stand-in
function here (what Tesseract would return); the end-to-end effect is measured by `bench.ocr`."""

from __future__ import annotations

import numpy as np
from PIL import Image

from docproc.pipeline.read.reread import (
    PixelWord,
    drop_line_spanning,
    missed_ink,
    recover_missed,
    reread_doubtful,
)


def word(text: str, x0: int, x1: int, confidence: float = 0.95, top: int = 100) -> PixelWord:
    return PixelWord(text, x0, top, x1, top + 20, confidence, top - 5, top + 26)


def blank(width: int = 600, height: int = 300) -> Image.Image:
    return Image.new("L", (width, height), 255)


def test_a_doubtful_word_is_read_again_with_its_close_neighbours() -> None:
    line = [
        word("L5:.", 10, 40, 0.1),
        word("Okt", 52, 90),
        word("2025", 102, 150),
        word("far", 400, 450),
    ]
    crops: list[tuple[int, int]] = []

    def read_line(image: Image.Image) -> list[PixelWord]:
        crops.append(image.size)
        return [word("15.", 12, 40, 0.9), word("Okt", 52, 90, 0.9), word("2025", 102, 150, 0.9)]

    texts = [w.text for w in reread_doubtful(blank(), line, read_line)]
    assert len(crops) == 2  # the run, as scanned and smoothed
    assert texts == ["15.", "Okt", "2025", "far"]  # "far", across a column gap, is left alone


def test_a_reread_that_is_not_surer_or_drops_ink_is_not_taken() -> None:
    line = [word("7iL1;,73", 10, 120, 0.3)]
    unsure = reread_doubtful(blank(), line, lambda _i: [word("711,73", 10, 120, 0.32)])
    assert [w.text for w in unsure] == ["7iL1;,73"]
    shorter = reread_doubtful(blank(), line, lambda _i: [word("7", 10, 20, 0.99)])
    assert [w.text for w in shorter] == ["7iL1;,73"]


def test_confident_words_are_not_read_again() -> None:
    calls: list[int] = []

    def read_line(_image: Image.Image) -> list[PixelWord]:
        calls.append(1)
        return []

    line = [word("Card", 10, 60), word("payment", 70, 150)]
    assert reread_doubtful(blank(), line, read_line) == line
    assert not calls


def test_ink_no_word_covers_is_found_and_specks_are_not() -> None:
    gray = np.full((300, 600), 255, np.uint8)
    gray[100:120, 200:212] = 0  # a digit-sized blob beside the words
    gray[100:120, 20:60] = 0  # covered by a word
    gray[200, 300] = 0  # a speck of noise
    words = [word("Card", 20, 60), word("12", 300, 330)]
    boxes = missed_ink(gray, words)
    assert len(boxes) == 1
    x0, top, x1, bottom = boxes[0]
    assert (x0, top, x1, bottom) == (200, 100, 212, 120)


def test_a_lone_level_bar_at_digit_middle_is_a_minus() -> None:
    image = np.full((300, 600), 255, np.uint8)
    image[109:112, 180:192] = 0  # a bar half way up the digits of "225,08"
    words = [word("225,08", 200, 260)]
    found = recover_missed(Image.fromarray(image), words, lambda _i: [])
    assert [w.text for w in found] == ["225,08", "-"]
    image = np.full((300, 600), 255, np.uint8)
    image[118:121, 180:192] = 0  # the same bar on the baseline is an underscore, not a minus
    assert [w.text for w in recover_missed(Image.fromarray(image), words, lambda _i: [])] == [
        "225,08"
    ]


def test_a_word_boxed_across_two_printed_lines_is_dropped() -> None:
    words = [
        word("18th", 10, 50, top=100),
        word("17th", 10, 50, top=130),
        PixelWord("FW", 300, 100, 320, 150, 0.6, 95, 156),
        word("908,00", 330, 390, top=100),
    ]
    assert [w.text for w in drop_line_spanning(words)] == ["18th", "17th", "908,00"]


def test_a_reread_no_reading_could_beat_is_not_read_a_second_way() -> None:
    crops: list[tuple[int, int]] = []

    def read_line(image: Image.Image) -> list[PixelWord]:
        crops.append(image.size)
        return [word("711,73", 10, 120, 0.97)]

    found = reread_doubtful(blank(), [word("7iL1;,73", 10, 120, 0.3)], read_line)
    assert [w.text for w in found] == ["711,73"]
    assert len(crops) == 1  # 0.97 + BETTER_BY is past certainty: the smoothed read is skipped


def test_missed_ink_a_word_space_apart_is_one_region() -> None:
    gray = np.full((300, 600), 255, np.uint8)
    gray[100:114, 270:280] = 0  # '1' of 'Apr 15', a Courier space (1.5 text heights) away...
    gray[104:118, 200:215] = 0  # ...from 'A' and 'p' of 'Apr', found after it (lower top)
    gray[106:120, 225:240] = 0
    words = [word("Card", 400, 460), word("12", 500, 530)]
    assert missed_ink(gray, words) == [(200, 100, 280, 120)]


def test_a_missed_digit_is_read_with_the_word_beside_it() -> None:
    image = np.full((300, 600), 255, np.uint8)
    image[100:120, 200:212] = 0  # the lone '3' of '3 936,92', missed by the page pass
    words = [word("936,92", 230, 300), word("far", 500, 540)]
    crops: list[int] = []

    def read_line(crop: Image.Image) -> list[PixelWord]:
        crops.append(crop.width)
        pad = crop.height // 4  # read_region's white border (half the box height)
        if crop.width < 100:  # the digit alone: misread, as Tesseract does
            return [word("af", pad, pad + 12, 0.6, top=pad)]
        start = pad + 6  # the box starts a third of a text height before the digit
        return [
            word("3", start, start + 12, top=pad),
            word("936,92", start + 30, start + 100, top=pad),
        ]

    found = recover_missed(Image.fromarray(image), words, read_line)
    assert [w.text for w in found] == ["936,92", "far", "3"]  # the neighbour is not doubled
    assert (found[2].x0, found[2].x1) == (200, 212)
    assert len(crops) == 1 and crops[0] > 100


def test_a_garbled_run_is_not_held_to_the_letters_its_noise_was_read_as() -> None:
    # '15.10.' read as '15' and three doubtful scraps whose letters outnumber their ink: the
    # sure re-read has fewer letters than the scraps, but as many as the ink holds
    line = [
        word("15", 10, 50),
        word("Fos", 62, 80, 0.18),
        word("Ofi", 86, 100, 0.5),
        word("0:", 106, 110, 0.3),
        word("BILL", 200, 280),
    ]

    def read_line(image: Image.Image) -> list[PixelWord]:
        return [word("15.10.", 10, 120, 0.96)]

    texts = [w.text for w in reread_doubtful(blank(), line, read_line)]
    assert texts == ["15.10.", "BILL"]


def test_ink_read_again_where_words_already_stand_is_not_added_twice() -> None:
    image = np.full((300, 600), 255, np.uint8)
    image[100:120, 323:368] = 0  # ink the narrow boxes of three garbled scraps leave uncovered
    scraps = [word("Fos", 293, 320, 0.2), word("Of", 333, 347, 0.5), word("0", 355, 360, 0.3)]

    def read_line(crop: Image.Image) -> list[PixelWord]:
        pad = crop.height // 4
        if crop.width - 2 * pad < 60:
            return []  # the ink alone reads as nothing sure
        # read with 'Fos' beside it: a word lying mostly on the scraps' ink
        return [word("-10", pad, crop.width - pad, top=pad)]

    found = recover_missed(Image.fromarray(image), scraps, read_line)
    assert [w.text for w in found] == ["Fos", "Of", "0"]


def test_a_thin_upright_bar_level_with_the_word_before_it_is_a_one() -> None:
    image = np.full((300, 600), 255, np.uint8)
    image[100:120, 240:246] = 0  # the '1' of 'Sep 1' in Times, which Tesseract reads as nothing
    words = [word("Sep", 200, 230)]
    found = recover_missed(Image.fromarray(image), words, lambda _i: [])
    assert [w.text for w in found] == ["Sep", "1"]


def test_a_bar_not_level_with_its_neighbour_or_far_from_it_is_not_a_one() -> None:
    words = [word("Sep", 200, 230)]
    for rows, columns in (
        (slice(108, 128), slice(240, 246)),  # dropped below the word's capitals
        (slice(100, 120), slice(330, 336)),  # five text heights away: a rule, a mark
        (slice(100, 120), slice(240, 254)),  # a wide glyph Tesseract could not read
    ):
        image = np.full((300, 600), 255, np.uint8)
        image[rows, columns] = 0
        found = recover_missed(Image.fromarray(image), words, lambda _i: [])
        assert [w.text for w in found] == ["Sep"]


def test_the_rest_of_a_glyph_its_word_was_boxed_short_of_is_no_new_word() -> None:
    image = np.full((300, 600), 255, np.uint8)
    image[100:120, 230:245] = 0  # the '8' of '08', boxed to x 240: a sliver stands outside
    words = [word("08", 200, 240)]

    def read_line(crop: Image.Image) -> list[PixelWord]:
        pad = crop.height // 4
        if crop.width - 2 * pad > 30:
            return []  # read with '08' beside it: nothing sure in the sliver
        return [word("3", pad, pad + 8, top=pad)]  # the sliver's crop, from its left edge

    found = recover_missed(Image.fromarray(image), words, read_line)
    assert [w.text for w in found] == ["08"]


def test_missed_ink_that_reads_as_nothing_whole_is_read_in_pieces() -> None:
    image = np.full((300, 600), 255, np.uint8)
    for x in (200, 215, 230):
        image[100:120, x : x + 12] = 0  # '185'
    image[114:124, 246:250] = 0  # ',' (part of the piece before it)
    image[100:120, 262:274] = 0  # '98' after a wider gap
    image[100:120, 277:289] = 0
    widths: list[int] = []

    def read_line(crop: Image.Image) -> list[PixelWord]:
        pad = crop.height // 4
        widths.append(crop.width - 2 * pad)
        if crop.width - 2 * pad > 80:
            return []  # the whole line: Tesseract returns nothing
        return [word("185," if len(widths) == 2 else "98", pad, crop.width - pad, top=pad)]

    found = recover_missed(Image.fromarray(image), [word("far", 500, 560)], read_line)
    assert [w.text for w in found] == ["far", "185,", "98"]
    assert len(widths) == 3  # the whole, then its two pieces
