from decimal import Decimal

from docproc.pipeline.statements.amounts import parse_amount
from docproc.pipeline.statements.signs import settle_signs
from docproc.pipeline.statements.table import RawRow


def _row(**money: str) -> RawRow:
    parsed = {role: parse_amount(text) for role, text in money.items()}
    return RawRow(page=1, date=None, money={k: v for k, v in parsed.items() if v})


def _amounts(rows: list[RawRow], opening: str | None) -> list[Decimal | None]:
    settled = settle_signs(rows, Decimal(opening) if opening else None)
    return [s.amount if s else None for s in settled]


def test_debit_column_is_money_out() -> None:
    rows = [_row(debit="10.00", balance="90.00"), _row(credit="5.00", balance="95.00")]
    assert _amounts(rows, "100.00") == [Decimal("-10.00"), Decimal("5.00")]


def test_running_balance_swaps_mislabelled_columns() -> None:
    # the columns named debit/credit hold the opposite: the balances prove it
    rows = [_row(debit="10.00", balance="110.00"), _row(credit="5.00", balance="105.00")]
    assert _amounts(rows, "100.00") == [Decimal("10.00"), Decimal("-5.00")]


def test_unsigned_amounts_take_their_sign_from_the_balance() -> None:
    rows = [_row(amount="10.00", balance="90.00"), _row(amount="30.00", balance="120.00")]
    assert _amounts(rows, "100.00") == [Decimal("-10.00"), Decimal("30.00")]


def test_balance_only_on_last_row_of_day_settles_signs_when_unique() -> None:
    rows = [_row(amount="10.00"), _row(amount="25.00", balance="115.00")]
    assert _amounts(rows, "100.00") == [Decimal("-10.00"), Decimal("25.00")]


def test_printed_signs_are_kept() -> None:
    rows = [_row(amount="10.00-"), _row(amount="(2.00)"), _row(amount="3.00 CR")]
    assert _amounts(rows, None) == [Decimal("-10.00"), Decimal("-2.00"), Decimal("3.00")]


def test_rows_without_movement_are_not_transactions() -> None:
    rows = [_row(balance="100.00"), _row(amount="-1.00", balance="99.00")]
    assert _amounts(rows, None) == [None, Decimal("-1.00")]


def test_newest_first_rows_are_signed_oldest_first() -> None:
    rows = [_row(amount="30.00", balance="120.00"), _row(amount="10.00", balance="90.00")]
    settled = settle_signs(rows, Decimal("100.00"), newest_first=True)
    assert [s.amount if s else None for s in settled] == [Decimal("30.00"), Decimal("-10.00")]


def test_a_cell_in_the_wrong_money_column_is_signed_by_the_balances() -> None:
    rows = [_row(credit="10.00", balance="90.00"), _row(credit="5.00", balance="95.00")]
    assert _amounts(rows, "100.00") == [Decimal("-10.00"), Decimal("5.00")]
