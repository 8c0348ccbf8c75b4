"""`docproc submit FILE --wait` against the running stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.documents import text_pdf
from tests.stack import Stack

DOCPROC = Path(sys.executable).with_name("docproc")


def test_submit_wait_prints_the_result(stack: Stack, tmp_path: Path) -> None:
    stack.start_worker()
    source = tmp_path / "memo.pdf"
    source.write_bytes(text_pdf(2, label="Memo"))
    done = subprocess.run(
        [str(DOCPROC), "submit", str(source), "--type", "generic", "--url", stack.api_url,
         "--wait"],
        capture_output=True, text=True, timeout=120, env={**os.environ, **stack.env},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["filename"] == "memo.pdf"
    assert result["extracted_data"]["pages"][1]["text"].splitlines()[0] == "Memo 2 of 2"


def test_submit_reports_a_refused_document(stack: Stack, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("just text")
    done = subprocess.run(
        [str(DOCPROC), "submit", str(source), "--url", stack.api_url],
        capture_output=True, text=True, timeout=60, env={**os.environ, **stack.env},
    )
    assert done.returncode == 1
    assert "415" in done.stderr and "unsupported_file_type" in done.stderr
