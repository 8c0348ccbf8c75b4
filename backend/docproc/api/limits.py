"""The upload limit, enforced while the body streams in: a large body is never read whole."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docproc.errors import FileTooLarge


class BodyTooLarge(HTTPException):
    """Raised from `receive` mid-stream; FastAPI lets HTTPException out of form parsing."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class UploadLimit:
    """Answers 413 at once for a declared Content-Length over the limit, else counts bytes."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise BodyTooLarge()
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from docproc.api.errors import error_response

        error = FileTooLarge(
            f"The upload is larger than the limit of {self.max_upload_bytes} bytes.",
            limit=self.max_upload_bytes,
        )
        await error_response(error)(scope, receive, send)
