"""Hostile uploads: every one is a clear 4xx at once, or a job that ends with a clear error.

Never a 5xx, never a job stuck in `processing`, never an `internal_error`.
"""

from __future__ import annotations

import ctypes
import io
import json
import socket
import struct
import zlib
from urllib.parse import urlsplit

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from PIL import Image

from tests.integration.documents import text_pdf
from tests.security.conftest import ALICE, SECURED_ENV, client
from tests.stack import Stack, running_stack, start_redis


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb() -> bytes:
    """A PNG that declares 100,000 x 100,000 pixels in a few hundred bytes."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 100_001 * 4)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows)
            + png_chunk(b"IEND", b""))


def jpeg(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    """A PDF whose catalog asks for JavaScript on open: it must be read as data only."""
    body = text_pdf(1)
    return body.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                        b"/JS (app.alert\\(1\\)) >>", 1)


EMBEDDED_PAYLOAD = b"EMBEDDED-PAYLOAD-NEVER-READ 4111111111111111"


def pdf_with_embedded_file() -> bytes:
    """A PDF carrying an attached file (pdfium writes the EmbeddedFiles name tree)."""
    pdf = pdfium.PdfDocument(text_pdf(1))
    name = ctypes.create_string_buffer("payload.txt".encode("utf-16-le") + b"\0\0")
    wide = ctypes.cast(name, ctypes.POINTER(raw.FPDF_WCHAR))
    attachment = raw.FPDFDoc_AddAttachment(pdf.raw, wide)
    assert raw.FPDFAttachment_SetFile(attachment, pdf.raw, EMBEDDED_PAYLOAD, len(EMBEDDED_PAYLOAD))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_stream_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates from ~1/1000 of its size to `megabytes`."""
    deflate, spaces = zlib.compressobj(9), b" " * (1 << 20)
    stream = b"".join(deflate.compress(spaces) for _ in range(megabytes)) + deflate.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


VALID = text_pdf(2)
HOSTILE: dict[str, bytes] = {
    "zero_byte": b"",
    "truncated_pdf": VALID[: len(VALID) // 2],
    "header_only_pdf": b"%PDF-1.7\n",
    "malformed_pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\n"
    b"trailer<<>>\n%%EOF",
    "wrong_type_text": b"just some text pretending to be a PDF\n" * 20,
    "wrong_type_zip": b"PK\x03\x04" + b"\x00" * 200,
    "html": b"<html><script>alert(1)</script></html>",
    "png_bomb": png_bomb(),
    "truncated_png": png_bomb()[:40],
    "malformed_jpeg": b"\xff\xd8\xff\xe0" + b"\x00garbage" * 30,
    "truncated_jpeg": jpeg()[:100],
    "encrypted_no_password": text_pdf(1, password="s3cret"),
    "pdf_with_javascript": pdf_with_javascript(),
    "pdf_with_embedded_file": pdf_with_embedded_file(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_upload_is_a_clear_4xx_or_a_clearly_failed_job(
    secured_worker: Stack, name: str
) -> None:
    with client(secured_worker, ALICE) as http:
        response = http.post(
            "/process", files={"file": (f"{name}.pdf", HOSTILE[name], "application/pdf")},
            data={"document_type": "bank_statement"},
        )
        assert response.status_code < 500, response.text
        body = response.json()
        if response.status_code != 202:
            assert 400 <= response.status_code < 500
            assert body["error"] and body["error_type"] != "internal_error", body
            return
        final = secured_worker.wait_for_status(http, body["job_id"], {"completed", "failed"})
    if final["status"] == "failed":
        assert final["error"] and final["error_type"] not in ("internal_error", "error"), final


@pytest.mark.parametrize("name", ["pdf_with_javascript", "pdf_with_embedded_file"])
def test_pdf_with_javascript_or_an_embedded_file_is_read_as_data_only(
    secured_worker: Stack, name: str
) -> None:
    """The page's text is read; the script is not run and the attachment not opened."""
    assert b"/JavaScript" in HOSTILE[name] or b"/EmbeddedFiles" in HOSTILE[name]
    with client(secured_worker, ALICE) as http:
        job_id = secured_worker.submit(http, HOSTILE[name])
        final = secured_worker.wait_for_status(http, job_id, {"completed", "failed"})
        result = http.get(f"/job/{job_id}/result").json()
    assert final["status"] == "completed", final
    pages = result["extracted_data"]["pages"]
    assert len(pages) == 1 and "Page 1 of 1" in json.dumps(pages)
    text = json.dumps(result)
    assert "EMBEDDED-PAYLOAD" not in text and "app.alert" not in text


def test_pdf_stream_bomb_ends_its_worker_process_not_the_host() -> None:
    """300 KB that inflate to 300 MB (about twice that in memory while read): over the pool
    process's address-space limit, the process dies, the job fails as `worker_lost`, and the
    same worker goes on with the next document. Its own stack: no other worker may take it."""
    bomb = pdf_stream_bomb(300)
    assert len(bomb) < 1024 * 1024
    redis = start_redis()
    try:
        with running_stack(redis, SECURED_ENV) as stack, client(stack, ALICE) as http:
            stack.start_worker(concurrency=1, env={"DOCPROC_WORKER_MEMORY_LIMIT": "512",
                                                   "DOCPROC_MAX_DELIVERIES": "1"})
            bombed = stack.submit(http, bomb, document_type="bank_statement")
            final = stack.wait_for_status(http, bombed, {"completed", "failed"}, timeout=90)
            after = stack.submit(http, text_pdf(1))
            stack.wait_for_status(http, after, {"completed"})
    finally:
        redis.stop()
    assert (final["status"], final.get("error_type")) == ("failed", "worker_lost"), final


def test_wrong_password_is_422(secured: Stack) -> None:
    with client(secured, ALICE) as http:
        response = http.post(
            "/process", files={"file": ("e.pdf", text_pdf(1, password="right"), "application/pdf")},
            data={"document_type": "generic", "password": "wrong"},
        )
    assert response.status_code == 422 and response.json()["error_type"] == "wrong_password"


def test_oversized_upload_is_413_before_the_body_is_sent(secured: Stack) -> None:
    """A declared 100 MB body is refused after the headers: the client never sends it."""
    url = urlsplit(secured.api_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(
            b"POST /process HTTP/1.1\r\nHost: x\r\nX-API-Key: " + ALICE.encode()
            + b"\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + b"Content-Length: 100000000\r\n\r\n--b\r\n"
        )
        answer = b""
        while b"file_too_large" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"file_too_large" in answer


def test_oversized_stream_without_length_is_cut_off_at_the_limit(secured: Stack) -> None:
    """A chunked body is counted while it streams and refused once over the limit."""
    sent = 0

    def body() -> object:
        nonlocal sent
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n"
        for _ in range(200):  # 200 x 64 KiB = 12.5 MiB, the limit is 2 MiB
            sent += 65536
            yield b"%" * 65536

    with client(secured, ALICE) as http:
        response = http.post(
            "/process", content=body(),  # type: ignore[arg-type]
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    assert response.status_code == 413, response.text
    assert response.json()["error_type"] == "file_too_large"
