"""What a document is, from its first bytes — never from its name."""

from __future__ import annotations

from typing import Literal

from docproc.errors import EmptyFile, UnsupportedFileType

MediaType = Literal["application/pdf", "image/png", "image/jpeg", "image/tiff"]

_SIGNATURES: tuple[tuple[bytes, MediaType], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_media_type(head: bytes) -> MediaType:
    """The media type of a document from its first bytes (1 KiB is enough)."""
    if not head:
        raise EmptyFile("The file is empty.")
    # PDF readers accept the header anywhere in the first KiB (after junk such as a BOM).
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    raise UnsupportedFileType(
        "The file is not a supported type: send a PDF, PNG, JPEG or TIFF.",
        supported=["application/pdf", "image/png", "image/jpeg", "image/tiff"],
    )
