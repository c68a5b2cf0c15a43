"""Child processes that never outlive their parent, even when the parent is killed with SIGKILL."""
from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _find_prctl():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux/glibc
        return None


# Looked up once, here: die_with_parent also runs in a forked child before exec (a preexec_fn), where
# loading a library could deadlock on a lock another thread of the parent held at the fork.
_PRCTL = _find_prctl()


def die_with_parent(signum: int = signal.SIGTERM, parent_pid: int | None = None) -> bool:
    """Have the kernel send `signum` to this process when its parent dies (Linux: the parent-death signal).

    The kernel sends it when the *thread* that forked us exits, so the parent must fork from a thread that
    lives as long as it does. `parent_pid`: the parent we were started by; when it died before this call
    (the signal would then never come), the signal is sent at once. False where there is no prctl: the
    parent's own shutdown paths still apply.
    """
    if _PRCTL is None or _PRCTL(PR_SET_PDEATHSIG, signum) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), signum)
    return True
