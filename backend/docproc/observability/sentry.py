"""Optional error tracking: `SENTRY_DSN` turns on sentry-sdk's FastAPI and Celery integrations.

sentry-sdk is an optional extra (`pip install 'docproc[sentry]'`); without a DSN nothing is
imported, and a DSN without the package logs one warning instead of failing.
"""

from __future__ import annotations

import logging

from docproc.config import Settings

log = logging.getLogger(__name__)


def init_sentry(settings: Settings, *, component: str) -> bool:
    """Initialise Sentry when configured; True when it is on."""
    if settings.sentry_dsn is None:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.fastapi import FastApiIntegration
    except ImportError:
        log.warning("SENTRY_DSN is set but sentry-sdk is missing: pip install 'docproc[sentry]'")
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        integrations=[FastApiIntegration(), CeleryIntegration()],
        send_default_pii=False,  # bank statements: never send request bodies or headers
        max_request_body_size="never",
        server_name=component,
    )
    return True
