"""The `docproc` command: process | submit | up | api | worker.

`process` runs the pipeline in this process (no Redis needed); `submit` is a client of a running
API; `up` starts Redis (when none answers), a worker and the API together; `api` and `worker` start
one part each. Settings come from the environment or `backend/.env` (see `.env.example`).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from docproc.config import Settings, settings_or_exit

app = typer.Typer(
    help="docproc: financial documents in, checked structured data out.",
    no_args_is_help=True,
    add_completion=False,
)

TypeOption = Annotated[str, typer.Option("--type", "-t", help="bank_statement, generic, ...")]
PasswordOption = Annotated[
    str | None, typer.Option("--password", "-p", help="password of an encrypted PDF")
]


@app.command()
def process(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    document_type: TypeOption = "bank_statement",
    password: PasswordOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", file_okay=False, help="write DIR/<stem>.json")
    ] = None,
    export_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="json, csv, xlsx, ofx or html (docs/reports.md)"),
    ] = None,
    account: Annotated[
        bool, typer.Option("--account", help="FILES are one account's statements: one result")
    ] = False,
) -> None:
    """Process FILE(s) in this process and print the result JSON (or write it to --out DIR).

    One file prints its result object; several print one JSON object per line. A file that fails
    is reported on stderr and the others go on; the exit status is 1 if any failed.
    """
    from docproc.cli.process import process_files

    failures = process_files(
        files,
        document_type=document_type,
        password=password,
        out=out,
        export_format=export_format,
        account=account,
    )
    raise typer.Exit(1 if failures else 0)


@app.command()
def submit(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    document_type: TypeOption = "bank_statement",
    password: PasswordOption = None,
    url: Annotated[str, typer.Option(help="the API's base URL")] = "http://127.0.0.1:8000",
    wait: Annotated[
        bool, typer.Option("--wait", help="follow the job, then print the result")
    ] = False,
) -> None:
    """Upload FILE to a running API; print the job, or with --wait follow it to the result."""
    from docproc.cli.submit import submit_file

    raise typer.Exit(submit_file(file, document_type, password, url.rstrip("/"), wait))


@app.command()
def api(
    host: Annotated[str | None, typer.Option(help="default: DOCPROC_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default: DOCPROC_PORT")] = None,
    reload: Annotated[bool, typer.Option(help="restart on code changes")] = False,
) -> None:
    """Run the API (uvicorn)."""
    import uvicorn

    settings = settings_or_exit()
    uvicorn.run(
        "docproc.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
    )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="worker processes")] = 2,
    loglevel: Annotated[str, typer.Option(help="debug, info, warning")] = "info",
) -> None:
    """Run a Celery worker (same as `celery -A celery_app worker` from backend/)."""
    from docproc.jobs.celery_app import create_celery

    celery = create_celery(settings_or_exit())
    celery.worker_main(["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}"])


@app.command()
def up(
    concurrency: Annotated[int, typer.Option(help="worker processes")] = 2,
) -> None:
    """Start Redis (if none answers at REDIS_URL), a worker and the API; Ctrl-C stops them all."""
    from docproc.jobs.local_redis import start_local_redis

    settings = settings_or_exit()
    started: list[subprocess.Popen[bytes]] = []
    redis = start_local_redis(settings.redis_url)
    if redis is not None:
        started.append(redis)
        typer.echo(f"Started redis-server for {settings.redis_url} (data in backend/data/redis)")
    try:
        started.append(_spawn("worker", f"--concurrency={concurrency}"))
        api = _spawn("api")
        started.append(api)
        _print_urls(settings)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(p.poll() is None for p in started):
            time.sleep(0.5)
        typer.echo("docproc: a part stopped; stopping the rest", err=True)
    except KeyboardInterrupt:
        typer.echo("\nStopping...")
    finally:
        for process in reversed(started):
            _stop(process)


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "docproc.cli", *args])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _print_urls(settings: Settings) -> None:
    base = f"http://{settings.host}:{settings.port}"
    typer.echo(f"\n  docproc is starting at {base}  (API docs: {base}/docs)\n  Ctrl-C stops it.\n")


from docproc.security.cli import keys_app  # noqa: E402 (issue 7: `docproc keys ...`)

app.add_typer(keys_app, name="keys")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
