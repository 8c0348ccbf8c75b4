"""Open an HTML file in headless Chromium and collect what went wrong (console errors, page
errors, network requests). Uses Playwright when installed, else Chromium's own command line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_CONSOLE = re.compile(r":CONSOLE[^\]]*\]\s*(.*)")


def chromium_path() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (backend/scripts/install-browser.sh installs it)")
    return path


def _with_playwright(executable: str, page_path: Path) -> tuple[list[str], str] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith(("file:", "data:"))
                    else problems.append(f"network request: {r.url}")
                ),
            )
            page.goto(page_path.as_uri(), wait_until="load")
            dom = page.content()
        finally:
            browser.close()
    return problems, dom


def _with_command_line(executable: str, page_path: Path) -> tuple[list[str], str]:
    # The page has no script: ANY console line (errors, failed loads) is a problem.
    done = subprocess.run(
        [executable, *ARGS, "--enable-logging=stderr", "--v=0", "--dump-dom", page_path.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    problems = [
        f"console: {m.group(1)}" for m in map(_CONSOLE.search, done.stderr.splitlines()) if m
    ]
    if done.returncode != 0:
        problems.append(f"chromium exited {done.returncode}: {done.stderr[-500:]}")
    return problems, done.stdout


def open_in_browser(page_path: Path) -> tuple[list[str], str]:
    """(problems, rendered DOM) for the page at `page_path`."""
    executable = chromium_path()
    found = _with_playwright(executable, page_path)
    return found if found is not None else _with_command_line(executable, page_path)
