"""The yardstick of `load.py`: a bare FastAPI endpoint that only reads the multipart upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, File, Form, UploadFile

app = FastAPI()


@app.post("/process", status_code=202)
async def process(
    file: Annotated[UploadFile, File()],
    document_type: Annotated[str, Form()] = "bank_statement",
) -> dict[str, str]:
    data = await file.read()
    return {"status": "queued", "filename": file.filename or "", "bytes": str(len(data))}
