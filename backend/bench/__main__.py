"""`python -m bench` (what `make bench` runs): every `bench/*.py` module with a `main()`, in order.

Each benchmark prints its own figures; a benchmark that raises is reported and the rest go on.
`python -m bench NAME...` runs only the named ones.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path


def benchmark_names() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_"))


def main(argv: list[str]) -> int:
    names = argv or benchmark_names()
    failed: list[str] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        entry = getattr(module, "main", None)
        if not callable(entry):
            continue
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        sys.argv = [f"bench.{name}"]  # each benchmark parses its own (empty) command line
        try:
            entry()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"--- bench.{name}: {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
