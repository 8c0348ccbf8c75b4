from docproc.pipeline.read.classify import text_layer_usable
from docproc.pipeline.read.document import Word


def words(text: str) -> list[Word]:
    return [Word(t, i * 30.0, 0, i * 30.0 + 25, 10) for i, t in enumerate(text.split())]


def test_an_ordinary_statement_line_is_usable() -> None:
    line = "01/02/2024 POS PURCHASE WHOLE FOODS MARKET #10234 AUSTIN TX -96.24 4,164.41"
    assert text_layer_usable(words(line))


def test_a_layer_with_almost_nothing_goes_to_ocr() -> None:
    assert not text_layer_usable(words("Page 1"))
    assert not text_layer_usable([])


def test_private_use_glyphs_of_a_font_without_unicode_map_go_to_ocr() -> None:
    garbage = " ".join("\ue001\ue002\ue003\ue004" for _ in range(20))
    assert not text_layer_usable(words(garbage))


def test_a_shifted_font_encoding_reads_as_consonant_soup_and_goes_to_ocr() -> None:
    # "The quick brown fox jumps over the lazy dog" shifted by three letters, repeated.
    soup = "Wkh txlfn eurzq ira mxpsv ryhu wkh odcb grj " * 3
    assert not text_layer_usable(words(soup))


def test_german_and_french_text_are_usable() -> None:
    assert text_layer_usable(words("Überweisung Gehalt Prélèvement SEPA Kontostand 1.234,56 €"))
