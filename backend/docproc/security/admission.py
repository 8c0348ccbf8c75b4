"""What the submission's own Redis call must confirm about a caller (no FastAPI, no I/O here).

`security/guard.py` builds an `Admission` from the request; `jobs/submit.py` checks it inside the
script that stores the job, so `POST /process` needs no Redis round trip of its own for the key
and the rate limit. Both raise the same errors, with their HTTP headers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from docproc.errors import RateLimited, Unauthorized
from docproc.security.keys import ApiKey


@dataclass(frozen=True, slots=True)
class Admission:
    """What Redis must still confirm before a caller's request is served (built without I/O).

    `key_digest` is the presented key's digest when keys are on (None when off); `key_configured`
    says it is one of `DOCPROC_API_KEYS` (else it must be in Redis); every key can be revoked.
    `rate_key` is the counter of the current window (None when the limit is off)."""

    caller: ApiKey
    key_digest: str | None = None
    key_configured: bool = False
    rate_key: str | None = None
    rate_limit: int = 0
    rate_window: int = 0

    def rate_limited(self) -> RateLimited:
        retry = self.rate_window - int(time.time()) % self.rate_window
        limited = RateLimited(
            f"Rate limit of {self.rate_limit} requests per {self.rate_window} s exceeded; "
            "retry later.",
            retry_after=retry,
        )
        limited.headers = {"Retry-After": str(retry)}  # type: ignore[attr-defined]
        return limited


def unauthorized(message: str = "The API key is not valid or has been revoked.") -> Unauthorized:
    error = Unauthorized(message)
    error.headers = {"WWW-Authenticate": "ApiKey"}  # type: ignore[attr-defined]
    return error
