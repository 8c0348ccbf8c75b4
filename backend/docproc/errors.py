"""The one error tree of docproc.

    DocprocError                 root: every error the domain raises on purpose
    ├── InputError               the caller's document or request is wrong (HTTP 4xx, never retried)
    │   ├── MissingFile          no `file` part in the request
    │   ├── IdempotencyConflict  a repeated Idempotency-Key whose first request is still running
    │   ├── InvalidCallbackUrl   not an absolute http(s) URL, a non-public address, or no secret
    │   ├── Unauthorized         no API key, or one that is unknown or revoked (401)
    │   ├── RateLimited          over DOCPROC_RATE_LIMIT requests per window (429)
    │   ├── JobNotFound          a job id that was never issued, or whose record expired (404)
    │   ├── EmptyFile
    │   ├── UnsupportedFileType  the bytes are not a type we read (sniffed, not from the name)
    │   ├── FileTooLarge         over the upload limit (413)
    │   ├── UnknownDocumentType
    │   ├── PasswordRequired     an encrypted PDF and no password
    │   ├── WrongPassword
    │   ├── TooManyPages         over DOCPROC_MAX_PAGES
    │   ├── ImageTooLarge        over DOCPROC_MAX_IMAGE_PIXELS (a decompression bomb)
    │   ├── MalformedDocument    the bytes claim a type but cannot be read
    │   └── UnsupportedExport    an export format unknown, or not available for this document type
    ├── ProcessingError          the document was readable but we could not finish (job fails)
    │   ├── ExtractionError
    │   ├── OcrUnavailable       the OCR engine or its language data is not installed
    │   ├── JobTimeout
    │   ├── UploadMissing        the stored upload expired or vanished before a worker took it
    │   └── WorkerLost           the document killed its worker too many times
    ├── TransientError           worth retrying with backoff (storage blip, broker hiccup)
    │   └── StorageUnavailable
    └── CategoryRulesError       the category rules file (DOCPROC_CATEGORY_RULES) is invalid

Every error carries an `error_type` (a stable snake_case code used in job records and JSON bodies)
and an `http_status`. The API converts them to answers in one place (`api/errors.py`).
"""

from __future__ import annotations

from typing import Any, ClassVar


class DocprocError(Exception):
    """Root of every error docproc raises on purpose."""

    error_type: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.message, "error_type": self.error_type}
        body.update(self.details)
        return body


class InputError(DocprocError):
    error_type = "invalid_input"
    http_status = 400


class MissingFile(InputError):
    error_type = "missing_file"


class IdempotencyConflict(InputError):
    error_type = "idempotency_conflict"
    http_status = 409


class InvalidCallbackUrl(InputError):
    error_type = "invalid_callback_url"
    http_status = 422


class Unauthorized(InputError):
    error_type = "unauthorized"
    http_status = 401


class RateLimited(InputError):
    error_type = "rate_limited"
    http_status = 429


class JobNotFound(InputError):
    error_type = "job_not_found"
    http_status = 404


class EmptyFile(InputError):
    error_type = "empty_file"


class UnsupportedFileType(InputError):
    error_type = "unsupported_file_type"
    http_status = 415


class FileTooLarge(InputError):
    error_type = "file_too_large"
    http_status = 413


class UnknownDocumentType(InputError):
    error_type = "unknown_document_type"
    http_status = 422


class PasswordRequired(InputError):
    error_type = "password_required"
    http_status = 422


class WrongPassword(InputError):
    error_type = "wrong_password"
    http_status = 422


class TooManyPages(InputError):
    error_type = "too_many_pages"
    http_status = 422


class ImageTooLarge(InputError):
    error_type = "image_too_large"
    http_status = 422


class MalformedDocument(InputError):
    error_type = "malformed_document"
    http_status = 422


class UnsupportedExport(InputError):
    error_type = "unsupported_export"
    http_status = 422


class ProcessingError(DocprocError):
    error_type = "processing_error"
    http_status = 500


class ExtractionError(ProcessingError):
    error_type = "extraction_error"


class OcrUnavailable(ProcessingError):
    error_type = "ocr_unavailable"


class JobTimeout(ProcessingError):
    error_type = "timeout"


class UploadMissing(ProcessingError):
    error_type = "upload_missing"


class WorkerLost(ProcessingError):
    error_type = "worker_lost"


class TransientError(DocprocError):
    error_type = "transient_error"
    http_status = 503


class StorageUnavailable(TransientError):
    error_type = "storage_unavailable"


class CategoryRulesError(DocprocError):
    error_type = "invalid_category_rules"
    http_status = 500
