"""`docproc process`: the pipeline in this process, one file after another."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from docproc.config import settings_or_exit
from docproc.errors import DocprocError
from docproc.models import ProcessingResult
from docproc.pipeline.read.reader import ReadLimits
from docproc.pipeline.runner import PipelineLimits, check_document_type, run


def process_files(
    files: list[Path],
    *,
    document_type: str,
    password: str | None,
    out: Path | None,
    export_format: str | None = None,
    account: bool = False,
) -> int:
    """Process every file; returns how many failed (each reported on stderr).

    `account`: the files are statements of one account; one result with reports across them.
    """
    several_outputs = len(files) > 1 and not account
    if export_format is not None and not _export_format_usable(export_format, several_outputs, out):
        return len(files)
    settings = settings_or_exit()
    try:
        check_document_type(document_type)
    except DocprocError as exc:
        sys.stderr.write(f"docproc: {exc.message} Known: {', '.join(exc.details['known'])}\n")
        return len(files)
    limits = PipelineLimits(read=ReadLimits(settings.max_pages, settings.max_image_pixels))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    failures = 0
    processed: list[ProcessingResult] = []
    show_bar = out is not None and sys.stderr.isatty()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[message]}"), TimeElapsedColumn(),
        console=None, disable=not show_bar, transient=False,
    ) as bar:
        for path in files:
            task = bar.add_task(path.name, total=100, message="")

            def progress(percent: int, message: str, task: TaskID = task) -> None:
                bar.update(task, completed=percent, message=message)

            try:
                result = run(
                    path.read_bytes(), document_type, filename=path.name, password=password,
                    limits=limits, progress=progress,
                )
            except DocprocError as exc:
                failures += 1
                bar.update(task, message=f"failed: {exc.error_type}")
                sys.stderr.write(f"docproc: {path}: {exc.error_type}: {exc.message}\n")
                continue
            bar.update(task, completed=100, message="done")
            if account:
                processed.append(result)
                continue
            try:
                emit(result, path, out, several=several_outputs, export_format=export_format)
            except DocprocError as exc:
                failures += 1
                sys.stderr.write(f"docproc: {path}: {exc.error_type}: {exc.message}\n")
    if processed:
        failures += _emit_account(processed, out, export_format)
    return failures


def _emit_account(
    results: list[ProcessingResult], out: Path | None, export_format: str | None
) -> int:
    """Emit the statements as one account (`account.<ext>`); 1 if they cannot be combined."""
    from docproc.pipeline.reports.account import account_result

    try:
        combined = account_result(results, filename="account")
        emit(combined, Path("account"), out, several=False, export_format=export_format)
    except DocprocError as exc:
        sys.stderr.write(f"docproc: --account: {exc.error_type}: {exc.message}\n")
        return 1
    return 0


def _export_format_usable(export_format: str, several_outputs: bool, out: Path | None) -> bool:
    from docproc.pipeline.export import FORMATS

    if export_format not in FORMATS:
        known = ", ".join(FORMATS)
        sys.stderr.write(f"docproc: unknown --format {export_format!r}; known: {known}\n")
        return False
    if export_format != "json" and several_outputs and out is None:
        sys.stderr.write(f"docproc: --format {export_format} with several files needs --out DIR\n")
        return False
    return True


def emit(
    result: ProcessingResult,
    path: Path,
    out: Path | None,
    *,
    several: bool,
    export_format: str | None = None,
) -> None:
    """Write DIR/<stem>.json, or print: indented for one file, one line per file for several.

    With an `export_format` other than json: DIR/<stem>.<ext>, or the file's bytes on stdout.
    """
    if export_format not in (None, "json"):
        from docproc.pipeline.export import export_result

        exported = export_result(result, export_format)
        if out is not None:
            (out / exported.filename(path.stem)).write_bytes(exported.content)
        else:
            sys.stdout.buffer.write(exported.content)
            sys.stdout.flush()
        return
    if out is not None:
        (out / f"{path.stem}.json").write_text(result.model_dump_json(indent=2) + "\n")
        return
    body = result.model_dump(mode="json")
    text = json.dumps(body, ensure_ascii=False) if several else json.dumps(
        body, indent=2, ensure_ascii=False
    )
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
