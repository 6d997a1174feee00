"""``fork_call``: the answer of a forked child, or computed here when no child can give it."""

from __future__ import annotations

import os

import pytest

from docsync.changes import forked


def test_the_answer_comes_from_a_child_when_it_can_fork() -> None:
    parent = os.getpid()
    wait = forked.fork_call(lambda: (os.getpid(), sum(range(1000))))
    pid, total = wait()
    assert total == sum(range(1000))
    if forked.can_fork():
        assert pid != parent
    else:
        assert pid == parent


def test_a_failing_child_is_replaced_by_this_process() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return 42

    assert forked.fork_call(work)() == 42


def test_a_child_that_dies_is_replaced_by_this_process() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            os._exit(3)  # no answer, no exception: the pipe just ends
        return 7

    assert forked.fork_call(work)() == 7


def test_without_fork_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert forked.fork_call(os.getpid)() == os.getpid()
