"""OCR drops accents and points: header labels and month names still match without them."""

import pytest

from docproc.pipeline.statements.conventions import fold_accents, header_role, month_index


@pytest.mark.parametrize(
    ("printed", "read"), [("Erläuterung", "Erlauterung"), ("Débit", "Debit"), ("Crédit", "Credit")]
)
def test_header_label_without_accents_has_the_same_role(printed: str, read: str) -> None:
    assert header_role(printed) is not None
    assert header_role(read) == header_role(printed)


def test_month_names_without_accents() -> None:
    months = month_index()
    assert months["fevr"] == months["févr"] == 2
    assert months["aout"] == 8


def test_fold_accents_keeps_plain_letters() -> None:
    assert fold_accents("Überweisung Café") == "Uberweisung Cafe"


def test_an_accent_the_table_does_not_spell_still_matches() -> None:
    # The table spells "Balance" and "Description" plainly; a page may print them accented.
    assert header_role("Bàlance") == header_role("Balance") == "balance"
    assert header_role("Descrìption") == "description"


@pytest.mark.parametrize(
    ("printed", "read"),
    [("Chq./Ref.No.", "Chq/Ref.No."), ("Trans. Date", "Trans Date"), ("Ref. No.", "Ref.No")],
)
def test_a_header_label_without_a_point_has_the_same_role(printed: str, read: str) -> None:
    assert header_role(printed) is not None
    assert header_role(read) == header_role(printed)


def test_points_do_not_make_a_word_a_label() -> None:
    assert header_role("Total.") is None
    assert header_role("Page 1.") is None
