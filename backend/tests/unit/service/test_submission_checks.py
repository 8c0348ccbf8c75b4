"""What `POST /process` checks before anything is stored (pure functions, no services)."""

from __future__ import annotations

import pytest

from docproc.errors import (
    EmptyFile,
    FileTooLarge,
    MalformedDocument,
    PasswordRequired,
    TooManyPages,
    UnsupportedFileType,
    WrongPassword,
)
from docproc.jobs.submit import check_upload, display_filename
from tests.integration.documents import text_pdf


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("statement.pdf", "statement.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\jan.pdf", "jan.pdf"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ("", "document"),
        (None, "document"),
        ("/", "document"),
        ("x" * 400 + ".pdf", "x" * 255),
    ],
)
def test_display_filename_keeps_only_a_harmless_last_part(given: str | None, shown: str) -> None:
    assert display_filename(given) == shown


def check(data: bytes, password: str | None = None, max_pages: int = 10) -> str:
    return check_upload(data, password=password, max_bytes=1_000_000, max_pages=max_pages)


def test_check_upload_accepts_pdfs_and_images_by_their_bytes() -> None:
    assert check(text_pdf(1)) == "application/pdf"
    assert check(text_pdf(1, password="pw"), password="pw") == "application/pdf"
    assert check(b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image/png"


@pytest.mark.parametrize(
    ("data", "password", "error"),
    [
        (b"", None, EmptyFile),
        (b"hello, world", None, UnsupportedFileType),
        (b"%PDF-1.4 broken", None, MalformedDocument),
        (text_pdf(1, password="pw"), None, PasswordRequired),
        (text_pdf(1, password="pw"), "nope", WrongPassword),
        (text_pdf(11), None, TooManyPages),
        (b"%PDF-" + b"0" * 1_000_000, None, FileTooLarge),
    ],
)
def test_check_upload_rejects(data: bytes, password: str | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        check(data, password)
