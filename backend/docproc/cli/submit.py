"""`docproc submit`: upload to a running API and, with --wait, follow the job to its result."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from rich.progress import BarColumn, Progress, TextColumn


def submit_file(
    file: Path, document_type: str, password: str | None, url: str, wait: bool
) -> int:
    """Returns the exit status: 0 accepted (or completed with --wait), 1 otherwise."""
    data = {"document_type": document_type}
    if password:
        data["password"] = password
    try:
        with httpx.Client(base_url=url, timeout=60) as client, file.open("rb") as handle:
            response = client.post("/process", files={"file": (file.name, handle)}, data=data)
            if response.status_code != 202:
                return _report_error(response)
            accepted = response.json()
            if not wait:
                _print(accepted)
                return 0
            final = _follow(client, accepted["job_id"])
    except httpx.HTTPError as exc:
        sys.stderr.write(f"docproc: cannot reach the API at {url}: {exc}\n")
        return 1
    if final["status"] != "completed":
        sys.stderr.write(
            f"docproc: job {final['job_id']} failed: {final.get('error_type')}: "
            f"{final.get('error') or final.get('message')}\n"
        )
        return 1
    _print(final["result"])
    return 0


def _follow(client: httpx.Client, job_id: str) -> dict[str, Any]:
    """Poll the job's status with a progress bar on stderr until it ends."""
    with Progress(
        TextColumn(f"job {job_id[:8]}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[message]}"), disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("job", total=100, message="queued")
        while True:
            status = client.get(f"/job/{job_id}/status").json()
            bar.update(task, completed=status.get("progress", 0), message=status.get("message"))
            if status.get("status") in ("completed", "failed"):
                return dict(status)
            time.sleep(0.5)


def _report_error(response: httpx.Response) -> int:
    try:
        body = response.json()
        message = f"{body.get('error_type')}: {body.get('error')}"
    except ValueError:
        message = response.text[:500]
    sys.stderr.write(f"docproc: the API refused the document ({response.status_code}) {message}\n")
    return 1


def _print(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
