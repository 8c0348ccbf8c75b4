"""`POST /process` under load (wrk), jobs per minute with 1 and 2 workers, the queue's overhead.

Side by side in one run on this machine, each against its own uvicorn process (the same
command line: one process, uvicorn's default loop and HTTP implementation, `nice -10`):
- `bare`: `load_bare_app.py`, a FastAPI endpoint that only reads the multipart upload;
- `docproc`: the real API (`docproc.api.app:create_app`) with its Redis (append-only on, at the
  API's priority), no API keys (the default);
- `docproc+keys`: the same with an API key and a rate limit (high enough never to refuse), so
  the request also checks the key and counts the limit.
Each at 8 and 32 connections, idle and then, against the same API process, while two workers
keep both cores busy on real statements fed straight into the queue. The workers are started as
a supervisor starts them: `nice -n 19`, each in its own session, with docproc's default
`DOCPROC_WORKER_IDLE_PRIORITY` (pool processes in SCHED_IDLE, `jobs/priority.py`), and each
worker's session given autogroup nice 19 as docs/operations.md tells operators to (what systemd's
`CPUWeight=idle` does; DOCPROC_BENCH_WORKER_GROUP_NICE, empty to skip) — the bench prints what
each worker process really got (nice, policy, autogroup). wrk is the load
generator (Debian package: `apt-get install -y wrk`; without it the bench says so and skips);
it runs at the API's priority, since the clients stand for other machines: the API's
competitors are its workers, not its clients. `load_post.lua` sends the multipart body and
prints p50/p90/p99 as JSON. Each row also gives the CPU time the API process and Redis spent
per request (from /proc), which moves less with the neighbours than req/s, and the time the
API's threads waited for a CPU while runnable (`/proc/PID/task/*/schedstat`), which is what
busy workers add to its latency.

Then jobs per minute through the queue with one and with two workers against the in-process
pipeline on the same documents: the difference is the queue's overhead per job.
Environment: DOCPROC_BENCH_SECONDS (default 8), DOCPROC_BENCH_JOBS (default 120; 0 = no jobs
per minute), DOCPROC_BENCH_ROUNDS (default 1: the throughput table again, to see how much it
moves), DOCPROC_BENCH_ENDPOINTS (default all: e.g. `bare,docproc`);
DOCPROC_WORKER_IDLE_PRIORITY=false shows the workers without their yielding to the API.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redis import Redis

from tests.generator import LAYOUTS, generate
from tests.stack import free_port, stack_env, wait_until

BACKEND = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SECONDS = int(os.environ.get("DOCPROC_BENCH_SECONDS", "8"))
JOBS = int(os.environ.get("DOCPROC_BENCH_JOBS", "120"))
ROUNDS = int(os.environ.get("DOCPROC_BENCH_ROUNDS", "1"))
# Workers each lead their own session, as under a supervisor, and the bench gives that session
# the group priority docs/operations.md tells operators to give the workers' unit or session
# (systemd CPUWeight=idle, or the autogroup nice value): without it the kernel shares the CPU
# equally between the API's session and each worker's, whatever the processes' own priority.
# DOCPROC_BENCH_WORKER_GROUP_NICE= (empty) leaves the sessions as they start.
_GROUP_NICE = os.environ.get("DOCPROC_BENCH_WORKER_GROUP_NICE", "19")
WORKER_GROUP_NICE = int(_GROUP_NICE) if _GROUP_NICE else None
API_NICE = -10  # the API, its Redis and the clients standing for other machines
CELERY = str(Path(sys.executable).with_name("celery"))


def cpu_sample() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def cpu_busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return 100.0 * busy / total if total else 0.0


@contextlib.contextmanager
def redis_server() -> Iterator[tuple[str, int]]:
    port, directory = free_port(), tempfile.mkdtemp(prefix="docproc-bench-redis-")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
         "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
         "--maxmemory-policy", "noeviction"],
        stdout=subprocess.DEVNULL,
        preexec_fn=lambda: os.nice(API_NICE),  # the API's own Redis: the API's priority
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)
    wait_until(lambda: _pings(client), 10, "bench redis")
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


def _pings(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@contextlib.contextmanager
def uvicorn(target: str, env: dict[str, str], *, factory: bool) -> Iterator[tuple[str, int]]:
    """The API in its own process at a raised priority (nice -10), as in production."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port",
               str(port), "--log-level", "warning", "--no-access-log"]
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=BACKEND, env=env,
                               preexec_fn=lambda: os.nice(API_NICE))
    url = f"http://127.0.0.1:{port}"
    import httpx

    def answers() -> bool:
        try:
            return httpx.post(f"{url}/process").status_code < 500
        except httpx.HTTPError:
            return False

    try:
        wait_until(answers, 60, f"{target} to answer")
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(10)


BENCH_KEY = "bench-load-key-0001"
SECURED = {"DOCPROC_API_KEYS": f"bench:{BENCH_KEY}", "DOCPROC_RATE_LIMIT": "100000000"}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_queue_wait(pid: int) -> float:
    """Seconds the process's threads have spent runnable but waiting for a CPU, so far."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            total += int((task / "schedstat").read_text().split()[1])
    return total / 1e9


def wrk(url: str, connections: int, body: Path, seconds: int = SECONDS, *, key: str = "",
        pids: dict[str, int] | None = None) -> dict[str, Any]:
    env = {**os.environ, "DOCPROC_BENCH_BODY": str(body), "DOCPROC_BENCH_KEY": key}
    pids = pids or {}
    used = {name: process_cpu(pid) for name, pid in pids.items()}
    waited = run_queue_wait(pids["api"]) if "api" in pids else 0.0
    before = cpu_sample()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(HERE / "load_post.lua"), url],
        capture_output=True, text=True, env=env, check=True,
        preexec_fn=lambda: os.nice(API_NICE),
    ).stdout
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    figures["cpu_busy_pct"] = round(cpu_busy(before, cpu_sample()), 1)
    figures["load_avg"] = round(os.getloadavg()[0], 2)
    requests = max(figures["requests"], 1)
    for name, pid in pids.items():
        spent = process_cpu(pid) - used[name]
        figures[f"{name}_us_per_request"] = round(spent / requests * 1e6)
    if "api" in pids:
        figures["api_wait_us_per_request"] = round(
            (run_queue_wait(pids["api"]) - waited) / requests * 1e6)
    return figures


@contextlib.contextmanager
def workers(env: dict[str, str], count: int, *, nice: int = 19) -> Iterator[list[Any]]:
    procs = []
    for index in range(count):
        procs.append(subprocess.Popen(
            ["nice", "-n", str(nice), CELERY, "-A", "celery_app", "worker", "--loglevel=warning",
             "-n", f"bench{index}-{os.getpid()}@%h", "--concurrency=1", "--without-gossip",
             "--without-mingle"],
            cwd=BACKEND, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        ))
    for proc in procs:  # the deployment recipe of docs/operations.md, see WORKER_GROUP_NICE
        if WORKER_GROUP_NICE is not None:
            set_group_nice(proc.pid, WORKER_GROUP_NICE)
    redis = Redis.from_url(env["REDIS_URL"])
    wait_until(lambda: redis.zcard("docproc:workers") >= count, 60, "bench workers")
    print(f"workers: {describe_workers(procs)}", flush=True)
    try:
        yield procs
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(30)
        redis.delete("docproc:workers")


def set_group_nice(pid: int, nice: int) -> None:
    """The autogroup nice value of the session `pid` leads (what `CPUWeight=idle` is under
    systemd); the kernel takes one such write a tenth of a second from an unprivileged user."""
    for _ in range(50):
        try:
            Path(f"/proc/{pid}/autogroup").write_text(str(nice))
            return
        except OSError:
            time.sleep(0.05)
    print(f"could not set worker {pid}'s autogroup nice value", file=sys.stderr)


def describe_workers(procs: list[Any]) -> str:
    """Each worker process's nice value, scheduling policy and autogroup, as the kernel has them."""
    policies = {0: "SCHED_OTHER", 3: "SCHED_BATCH", 5: "SCHED_IDLE"}
    described = []
    for proc in procs:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        for pid in [proc.pid, *map(int, children.read_text().split())]:
            with contextlib.suppress(OSError):
                policy = policies.get(os.sched_getscheduler(pid), "?")
                group = Path(f"/proc/{pid}/autogroup").read_text().strip().lstrip("/")
                described.append(f"{pid} nice {os.getpriority(os.PRIO_PROCESS, pid)} {policy} "
                                 f"({group})")
    return "; ".join(described)


def submitter(env: dict[str, str]) -> Any:
    """An in-process Submitter on the bench Redis (feeds jobs without going through HTTP)."""
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DOCPROC_", "CELERY_"))})
    os.environ["REDIS_URL"] = env["REDIS_URL"]
    from docproc.config import Settings
    from docproc.jobs.celery_app import create_celery
    from docproc.jobs.services import build_services
    from docproc.jobs.submit import Submitter

    settings = Settings()
    return Submitter(build_services(settings), create_celery(settings))


def documents(count: int) -> list[bytes]:
    return [generate(LAYOUTS[i % (len(LAYOUTS) - 1)], 1000 + i).pdf for i in range(count)]


@contextlib.contextmanager
def keep_queue_full(env: dict[str, str], docs: list[bytes], depth: int = 30) -> Iterator[None]:
    """Feed statements so the queue never runs dry while the API is measured."""
    submit, redis, stop = submitter(env), Redis.from_url(env["REDIS_URL"]), threading.Event()

    def feed() -> None:
        index = 0
        while not stop.is_set():
            if redis.llen("celery") < depth:
                for _ in range(depth):
                    submit.submit(docs[index % len(docs)], filename="s.pdf",
                                  document_type="bank_statement")
                    index += 1
            stop.wait(0.1)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        time.sleep(2)  # let the workers reach full speed
        yield
    finally:
        stop.set()
        thread.join()
        redis.delete("celery")


def jobs_per_minute(env: dict[str, str], docs: list[bytes], count: int) -> float:
    submit, redis = submitter(env), Redis.from_url(env["REDIS_URL"])
    with workers(env, count):
        started = time.perf_counter()
        ids = [submit.submit(d, filename="s.pdf", document_type="bank_statement")["job_id"]
               for d in docs]

        def finished() -> bool:
            pipe = redis.pipeline(transaction=False)
            for job_id in ids:
                pipe.hget(f"docproc:job:{job_id}", "status")
            return all(s in (b"completed", b"failed") for s in pipe.execute())

        wait_until(finished, 600, "bench jobs", interval=0.05)
        return len(docs) / (time.perf_counter() - started) * 60


def in_process_per_minute(docs: list[bytes]) -> float:
    from docproc.pipeline.runner import run

    started = time.perf_counter()
    for data in docs:
        run(data, "bank_statement")
    return len(docs) / (time.perf_counter() - started) * 60


ENDPOINTS = (  # name, app, factory, extra environment, API key sent
    ("bare", "bench.load_bare_app:app", False, {}, ""),
    ("docproc", "docproc.api.app:create_app", True, {}, ""),
    ("docproc+keys", "docproc.api.app:create_app", True, SECURED, BENCH_KEY),
)


def throughput(env: dict[str, str], body: Path, docs: list[bytes], redis_pid: int
               ) -> list[dict[str, Any]]:
    """Each endpoint idle and then busy against the same API process, close together in time."""
    wanted = os.environ.get("DOCPROC_BENCH_ENDPOINTS", "")
    chosen = [e for e in ENDPOINTS if not wanted or e[0] in wanted.split(",")]
    rows: list[dict[str, Any]] = []
    for name, target, factory, extra, key in chosen:
        with uvicorn(target, {**env, **extra}, factory=factory) as (url, pid):
            for condition in ("idle", "busy"):
                with contextlib.ExitStack() if condition == "idle" else _busy(env, docs):
                    for connections in (8, 32):
                        figures = wrk(url, connections, body, key=key,
                                      pids={"api": pid, "redis": redis_pid})
                        rows.append({"endpoint": name, "condition": condition,
                                     "connections": connections, **figures})
                        print(json.dumps(rows[-1]), flush=True)
    return rows


@contextlib.contextmanager
def _busy(env: dict[str, str], docs: list[bytes]) -> Iterator[None]:
    with workers(env, 2), keep_queue_full(env, docs):
        yield


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\n| endpoint | CPU | clients | req/s | p50 ms | p99 ms | non-2xx | CPU busy % "
          "| API µs/req | API waited µs/req | Redis µs/req | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['endpoint']} | {r['condition']} | {r['connections']} | {r['rps']:.0f} | "
              f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['non_2xx']} | {r['cpu_busy_pct']} | "
              f"{r['api_us_per_request']} | {r['api_wait_us_per_request']} | "
              f"{r['redis_us_per_request']} | {r['load_avg']} |")
    cells = {(r["endpoint"], r["condition"], r["connections"]): r for r in rows}
    for (name, condition, connections), r in cells.items():
        parts = []
        bare, idle = cells.get(("bare", condition, connections)), cells.get((name, "idle",
                                                                             connections))
        if name != "bare" and bare:
            parts.append(f"{100 * r['rps'] / bare['rps']:.0f}% of the bare endpoint's req/s")
        if condition == "busy" and idle:
            parts.append(f"p99 {r['p99_ms'] / idle['p99_ms']:.1f}x idle")
        if parts:
            print(f"{name} {condition} {connections} clients: {', '.join(parts)}")


def main() -> None:
    if shutil.which("wrk") is None or shutil.which("redis-server") is None:
        print("skipped: needs wrk and redis-server (apt-get install -y wrk redis-server)")
        return
    print(f"conditions: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start, "
          f"{SECONDS} s per wrk run, wrk -t2")
    docs = documents(max(JOBS, 20))
    with redis_server() as (url, redis_pid), tempfile.TemporaryDirectory() as tmp:
        env = stack_env(url, {"DOCPROC_TASK_SOFT_TIME_LIMIT": "120", "DOCPROC_TASK_TIME_LIMIT":
                              "150", "DOCPROC_BROKER_VISIBILITY_TIMEOUT": "300",
                              "DOCPROC_LOG_LEVEL": "WARNING", "DOCPROC_WORKER_IDLE_PRIORITY":
                              os.environ.get("DOCPROC_WORKER_IDLE_PRIORITY", "true")})
        body = Path(tmp) / "statement.pdf"
        body.write_bytes(docs[0])
        for _ in range(ROUNDS):
            print_table(throughput(env, body, docs, redis_pid))
        if not JOBS:
            return
        Redis.from_url(url).flushdb()
        inline = in_process_per_minute(docs)
        one, two = jobs_per_minute(env, docs, 1), jobs_per_minute(env, docs, 2)
    print(f"\n{len(docs)} statements: in-process {inline:.0f}/min; queue with 1 worker "
          f"{one:.0f}/min, with 2 workers {two:.0f}/min; queue overhead per job "
          f"{(60 / one - 60 / inline) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
