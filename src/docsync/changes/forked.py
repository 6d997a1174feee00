"""Run one pure computation in a forked child while this process does another.

Base mode's pairing (:mod:`docsync.changes.diff`) comes after the scan, when the
process pool is gone and one CPU idles: :func:`fork_call` starts part of the work in
a child made by ``fork`` (it inherits the data, nothing is pickled but the answer)
and hands back a function that waits for the answer.  Where ``fork`` is not safe (not
Linux, or other threads alive: a lock held by one of them would stay held in the
child) or fails, the work runs here instead; a child that dies is replaced the same
way.  The answer is the same whichever process computed it.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

__all__ = ["can_fork", "fork_call"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether :func:`fork_call` would fork: Linux, ``fork`` available, one thread.

    Returns:
        True when a child would compute the work.
    """
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def fork_call(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child; return a function that waits for its answer.

    Args:
        work: a pure computation whose answer can be pickled.

    Returns:
        A function that returns ``work()``'s answer: the child's, or computed in this
        process when no child could run it.
    """
    if not can_fork():
        answer = work()
        return lambda: answer
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, send), daemon=True)
    try:
        child.start()
    except OSError:
        receive.close()
        send.close()
        answer = work()
        return lambda: answer
    send.close()  # the child holds the other end: its exit ends the pipe

    def wait() -> T:
        try:
            ok, value = receive.recv()
        except (EOFError, OSError):
            ok, value = False, None
        finally:
            receive.close()
            child.join()
        return value if ok else work()

    return wait


def _child(work: Callable[[], object], send: Connection) -> None:
    try:
        answer = (True, work())
    except Exception:  # any failure: the parent computes it itself
        answer = (False, None)
    send.send(answer)
    send.close()
