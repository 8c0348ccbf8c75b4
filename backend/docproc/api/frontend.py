"""The web page (`frontend/` in the repository) served at `/` as static files.

Mounted after every API route, so `/process`, `/job/...` and `/jobs` keep their meaning; the
page needs no API key to load (its API calls send one when the user gives it).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

FRONTEND_DIR = Path(__file__).resolve().parents[3] / "frontend"


def mount_frontend(app: FastAPI, directory: Path = FRONTEND_DIR) -> None:
    """Serve `directory` at `/` (index.html for `/`); a checkout without it serves the API only."""
    if directory.is_dir():
        app.mount("/", StaticFiles(directory=directory, html=True), name="frontend")
