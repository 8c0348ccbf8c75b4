"""Workers yield the CPU to the API: a pool process only uses CPU the API and Redis don't want.

A pool process (the one that runs documents) puts itself in `SCHED_IDLE`, which Linux allows
an unprivileged process. The kernel then preempts it the moment a normal task (the API, Redis)
wakes on its CPU, and counts a CPU that runs only such tasks as free when it places a waking
task. `nice 19` gives neither: the woken API waits behind the worker's slice, or on another
CPU's queue. Best effort: elsewhere, or when refused, the worker runs at its normal priority and
says so in the log.

What this does not change is how the kernel shares the CPU between *groups*: sessions when
autogroups are on (`kernel.sched_autogroup_enabled`, most distributions' default), cgroups under
systemd or containers. A worker leading its own session weighs as much there as the API's; see
docs/operations.md for lowering that too (`CPUWeight=idle`, the session's autogroup nice value).
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def run_when_idle() -> bool:
    """Put the calling thread (and the threads it starts later) in `SCHED_IDLE`."""
    policy = getattr(os, "SCHED_IDLE", None)
    if policy is None:
        return False
    try:
        os.sched_setscheduler(0, policy, os.sched_param(0))
    except OSError as exc:
        log.warning("worker stays at normal CPU priority: SCHED_IDLE refused (%s)", exc)
        return False
    return True
