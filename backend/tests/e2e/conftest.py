"""A real headless Chromium (the system's `chromium`, driven by Playwright) for the page tests.

Playwright never downloads a browser here: it launches `/usr/bin/chromium`, which
`scripts/install-browser.sh` (run by `make install`) puts in place. Without it the tests skip.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Artifacts (screenshots) of the test run; git-ignored.
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def _chromium() -> str:
    path = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (backend/scripts/install-browser.sh installs it)")
    return path


@pytest.fixture(scope="package")  # closed before other packages use Playwright
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page_problems() -> list[str]:
    """Console errors, page errors and requests that left the machine, seen by `page`."""
    return []


@pytest.fixture()
def page(browser: Any, page_problems: list[str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    opened.on("pageerror", lambda error: page_problems.append(f"page error: {error}"))
    opened.on(
        "response",
        lambda r: page_problems.append(f"HTTP {r.status}: {r.url}") if r.status == 404 else None,
    )
    opened.on(
        "console",
        lambda m: page_problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    opened.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1", "blob:", "data:"))
            else page_problems.append(f"request off the machine: {r.url}")
        ),
    )
    try:
        yield opened
    finally:
        context.close()
