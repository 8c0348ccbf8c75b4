"""`docproc process` in-process, and start-up with a bad setting (no services needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.documents import text_pdf

BACKEND = Path(__file__).resolve().parents[3]
DOCPROC = Path(sys.executable).with_name("docproc")


def run_docproc(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOCPROC_")}
    return subprocess.run(
        [str(DOCPROC), *args], capture_output=True, text=True, env={**base, **(env or {})},
        timeout=120, cwd=BACKEND,
    )


def test_process_prints_the_result_object(tmp_path: Path) -> None:
    source = tmp_path / "letter.pdf"
    source.write_bytes(text_pdf(2))
    done = run_docproc("process", str(source), "--type", "generic")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["document_type"] == "generic" and result["filename"] == "letter.pdf"
    assert [p["text"].splitlines()[0] for p in result["extracted_data"]["pages"]] == [
        "Page 1 of 2", "Page 2 of 2",
    ]


def test_process_out_dir_goes_on_past_a_failing_file(tmp_path: Path) -> None:
    good, bad, locked = tmp_path / "good.pdf", tmp_path / "bad.pdf", tmp_path / "locked.pdf"
    good.write_bytes(text_pdf(1))
    bad.write_bytes(b"not a document")
    locked.write_bytes(text_pdf(1, password="pw"))
    out = tmp_path / "out"
    done = run_docproc(
        "process", str(bad), str(good), str(locked), "--type", "generic", "--out", str(out)
    )
    assert done.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]
    assert json.loads((out / "good.json").read_text())["extracted_data"]["page_count"] == 1
    assert "bad.pdf: unsupported_file_type" in done.stderr
    assert "locked.pdf: password_required" in done.stderr


def test_process_unknown_type_lists_the_known_ones(tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(text_pdf(1))
    done = run_docproc("process", str(source), "--type", "poem")
    assert done.returncode == 1
    assert "generic" in done.stderr and "bank_statement" in done.stderr


def test_bad_setting_stops_start_up_with_one_line() -> None:
    for command in (
        [sys.executable, "run.py"],
        [sys.executable, "-c", "import celery_app"],
    ):
        done = subprocess.run(
            command, cwd=BACKEND, capture_output=True, text=True, timeout=60,
            env={**os.environ, "DOCPROC_TASK_TIME_LIMIT": "soon"},
        )
        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("docproc: invalid settings: DOCPROC_TASK_TIME_LIMIT")
