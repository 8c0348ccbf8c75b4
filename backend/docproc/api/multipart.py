"""The `POST /process` form, read with python-multipart's streaming parser straight from the body.

FastAPI's `File`/`Form` parameters go through Starlette's form parser, which spools every file
part into a `SpooledTemporaryFile`, builds `UploadFile` and `FormData` objects and then validates
each parameter; the upload is read back into memory anyway (the checks and the Redis write need
its bytes). Here the parser's callbacks collect the parts in memory as they stream in. Memory
stays bounded by the same limits: `UploadLimit` counts the body while it arrives (413), small
fields have a size cap and the number of parts is capped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import lru_cache

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from docproc.errors import InputError

MAX_PARTS = 16
MAX_FIELD_BYTES = 64 * 1024
FILE_FIELD = "file"

# Clients send the same few header values again and again; parsing one is a third of the form.
_options_of = lru_cache(maxsize=256)(parse_options_header)


@dataclass(slots=True)
class UploadForm:
    """The parts of one request: the file's bytes and name, the other fields as text."""

    file: bytes | None = None
    filename: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        """A field's value; None when absent or empty (as FastAPI's `Form` treats "")."""
        return self.fields.get(name) or None


class _Collector:
    """python-multipart callbacks that keep each part (headers, then data) in memory."""

    def __init__(self) -> None:
        self.form = UploadForm()
        self.parts = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._name = ""
        self._filename: str | None = None
        self._data: list[bytes] = []
        self._size = 0

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise InputError(f"The form has more than {MAX_PARTS} parts.")
        self._disposition, self._name, self._filename, self._size = b"", "", None, 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_field.lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = _options_of(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._filename = filename.decode("utf-8", "replace") if filename is not None else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._size > MAX_FIELD_BYTES and self._name != FILE_FIELD:
            raise InputError(f"The form field {self._name!r} is over {MAX_FIELD_BYTES} bytes.")
        self._data.append(data[start:end])

    def on_part_end(self) -> None:
        value = b"".join(self._data)
        self._data = []
        if self._name == FILE_FIELD:
            self.form.file, self.form.filename = value, self._filename
        elif self._name:
            try:
                self.form.fields[self._name] = value.decode()
            except UnicodeDecodeError:
                raise InputError(f"The form field {self._name!r} is not UTF-8 text.") from None


async def read_form(content_type: str | None, body: AsyncIterator[bytes]) -> UploadForm:
    """Parse a `multipart/form-data` body as it streams; any other body has no file part."""
    media_type, options = _options_of(content_type or "")
    if media_type != b"multipart/form-data":
        async for _ in body:  # drained, so the connection stays usable; it carries no file
            pass
        return UploadForm()
    boundary = options.get(b"boundary")
    if not boundary:
        raise InputError("The multipart/form-data body has no boundary.")
    collector = _Collector()
    try:
        parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise InputError(f"The multipart/form-data body is malformed: {exc}") from None
    return collector.form
