"""Encrypted PDFs, page caps and image bombs: clear errors, fast, before any heavy work."""

from __future__ import annotations

import io
import struct
import zlib

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from docproc.errors import (
    ImageTooLarge,
    MalformedDocument,
    PasswordRequired,
    TooManyPages,
    WrongPassword,
)
from docproc.pipeline.read.reader import ReadLimits, read_document


def encrypted_pdf(user_password: str, owner_password: str = "owner-secret") -> bytes:
    buffer = io.BytesIO()
    encryption = pdfencrypt.StandardEncryption(user_password, ownerPassword=owner_password)
    page = canvas.Canvas(buffer, encrypt=encryption)
    page.drawString(72, 720, "Opening balance 1,234.56 Closing balance 2,345.67 statement")
    page.save()
    return buffer.getvalue()


def test_the_right_password_opens_an_encrypted_pdf() -> None:
    document = read_document(encrypted_pdf("s3cret"), password="s3cret")
    assert "Opening balance" in document.pages[0].text
    assert document.pages[0].source == "text"


def test_no_password_for_an_encrypted_pdf_is_password_required() -> None:
    with pytest.raises(PasswordRequired) as caught:
        read_document(encrypted_pdf("s3cret"))
    assert caught.value.http_status == 422


def test_a_wrong_password_is_named_as_wrong() -> None:
    with pytest.raises(WrongPassword):
        read_document(encrypted_pdf("s3cret"), password="guess")


def test_an_empty_user_password_opens_without_asking() -> None:
    document = read_document(encrypted_pdf(""))
    assert "Closing balance" in document.pages[0].text


def test_a_ten_thousand_page_pdf_is_refused_by_its_page_count() -> None:
    pdf = pdfium.PdfDocument.new()
    for _ in range(10_000):
        pdf.new_page(200, 200)
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(TooManyPages) as caught:
        read_document(buffer.getvalue(), limits=ReadLimits(max_pages=500))
    assert caught.value.details == {"pages": 10_000, "limit": 500}


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims enormous dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_image_bomb_is_refused_before_decoding() -> None:
    bomb = png_header_only(100_000, 100_000)
    assert len(bomb) < 2_000
    with pytest.raises(ImageTooLarge) as caught:
        read_document(bomb, limits=ReadLimits(max_image_pixels=120_000_000))
    assert caught.value.details["limit"] == 120_000_000


def test_an_image_just_over_a_small_cap_is_refused_by_the_setting() -> None:
    buffer = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buffer, format="PNG")
    with pytest.raises(ImageTooLarge):
        read_document(buffer.getvalue(), limits=ReadLimits(max_image_pixels=30_000))


def test_a_tiff_with_more_pages_than_allowed_is_refused() -> None:
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(TooManyPages):
        read_document(buffer.getvalue(), limits=ReadLimits(max_pages=2))


def test_a_truncated_image_is_malformed_not_a_crash() -> None:
    buffer = io.BytesIO()
    Image.new("L", (300, 300), 128).save(buffer, format="JPEG")
    with pytest.raises(MalformedDocument):
        read_document(buffer.getvalue()[:200])


def test_a_huge_jpeg_is_decoded_smaller_and_keeps_its_page_size() -> None:
    # 8000 x 8000 at 600 dpi: 64 M pixels, decoded at a fraction by DCT scaling.
    buffer = io.BytesIO()
    Image.new("L", (8000, 8000), 255).save(buffer, format="JPEG", dpi=(600, 600))
    document = read_document(buffer.getvalue(), limits=ReadLimits(max_image_pixels=100_000_000))
    page = document.pages[0]
    assert abs(page.width - 960) < 2 and abs(page.height - 960) < 2  # 8000 px / 600 dpi * 72
