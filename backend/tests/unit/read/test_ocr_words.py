from docproc.pipeline.read.document import Word
from docproc.pipeline.read.ocr import clean_token, join_split_amounts


def line(*texts: str, gap: float = 3.0) -> list[Word]:
    out, x = [], 0.0
    for text in texts:
        out.append(Word(text, x, 0, x + 5 * len(text), 10, 0.9))
        x += 5 * len(text) + gap
    return out


def joined(*texts: str, gap: float = 3.0) -> list[str]:
    return [w.text for w in join_split_amounts(line(*texts, gap=gap))]


def test_amounts_split_at_the_decimal_separator_are_rejoined() -> None:
    assert joined("(406.", "76)") == ["(406.76)"]
    assert joined("€478", ",", "28") == ["€478,28"]
    assert joined("€2.", "439,77") == ["€2.439,77"]
    assert joined("478", ",28", "CR") == ["478,28", "CR"]
    assert joined("£3783.", "03") == ["£3783.03"]  # printed without grouping


def test_neighbouring_amounts_and_words_stay_apart() -> None:
    assert joined("1,250.00", "5,500.00") == ["1,250.00", "5,500.00"]
    assert joined("12", "34") == ["12", "34"]
    assert joined("Card", "payment") == ["Card", "payment"]
    assert joined("406.", "76", gap=40) == ["406.", "76"]


def test_a_rejoined_amount_keeps_the_lower_confidence_and_the_union_box() -> None:
    first, second = line("406.", "76")
    second = Word(second.text, second.x0, second.top, second.x1, second.bottom, 0.4)
    (word,) = join_split_amounts([first, second])
    assert (word.x0, word.x1, word.confidence) == (first.x0, second.x1, 0.4)


def test_table_rules_read_as_characters_are_dropped() -> None:
    assert clean_token("|") == ""
    assert clean_token("||") == ""
    assert clean_token("5,254.65|") == "5,254.65"
    assert clean_token("-") == "-"  # a minus standing apart is kept


def test_a_semicolon_inside_an_amount_is_its_comma() -> None:
    assert clean_token("2;795.77") == "2,795.77"
    assert clean_token("Ref;123") == "Ref;123"


def test_an_ordinal_one_read_as_a_letter_before_a_month_is_a_one() -> None:
    assert joined("ist", "Jul", "Refund") == ["1st", "Jul", "Refund"]
    assert joined("2lst", "December") == ["21st", "December"]
    assert joined("das", "ist", "gut") == ["das", "ist", "gut"]
