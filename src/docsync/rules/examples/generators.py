"""Examples for the Returns section of generators: DS203 on ``Generator[Y, S, R]``, DS204."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

TYPE_FLAG = (
    Example(
        code('''
            from collections.abc import Generator


            def steps(n: int) -> Generator[bool, None, float]:
                """Take steps.

                Args:
                    n: How many.

                Yields:
                    Whether each step worked.

                Returns:
                    str: The distance walked.
                """
                yield True
                return 1.0
        '''),
        G,
        "A generator's Returns type against the R of Generator[Y, S, R].",
    ),
    Example(
        code('''
            from typing import Generator


            def steps(n: int) -> Generator[bool, None, float]:
                """Take steps.

                Parameters
                ----------
                n : int
                    How many.

                Yields
                ------
                bool
                    Whether each step worked.

                Returns
                -------
                str
                    The distance walked.
                """
                yield True
                return 1.0
        '''),
        N,
        "The same in NumPy style.",
    ),
    Example(
        code('''
            from collections.abc import Generator


            def steps(n: int) -> Generator[bool, None, float]:
                """Take steps.

                :param n: How many.
                :yields: Whether each step worked.
                :returns: The distance walked.
                :rtype: str
                """
                yield True
                return 1.0
        '''),
        S,
        "The same in Sphinx style.",
    ),
)

TYPE_OK = (
    Example(
        code('''
            from collections.abc import Generator, Iterator


            def steps(n: int) -> Generator[bool, None, float]:
                """Take steps.

                Args:
                    n: How many.

                Yields:
                    Whether each step worked.

                Returns:
                    float: The distance walked.
                """
                yield True
                return 1.0


            def values() -> Iterator[int]:
                """Count.

                Returns:
                    Iterator[int]: The values, lazily.
                """
                yield 1
        '''),
        G,
        "The documented type matches R; an Iterator annotation names no return type.",
    ),
    Example(
        code('''
            from typing import Generator


            def steps(n: int) -> Generator[bool, None, int]:
                """Take steps.

                Parameters
                ----------
                n : int
                    How many.

                Yields
                ------
                bool
                    Whether each step worked.

                Returns
                -------
                int
                    The steps taken.
                """
                yield True
                return n
        '''),
        N,
        "NumPy: the documented type matches R.",
    ),
    Example(
        code('''
            from collections.abc import Generator


            def steps(n: int) -> Generator[bool, None, float]:
                """Take steps.

                :param n: How many.
                :yields: Whether each step worked.
                :returns: The distance walked.
                :rtype: float
                """
                yield True
                return 1.0
        '''),
        S,
        "Sphinx: the documented type matches R.",
    ),
)

ASYNC_FLAG = (
    Example(
        code('''
            from collections.abc import AsyncGenerator


            async def ticks(n: int) -> AsyncGenerator[int, None]:
                """Count asynchronously.

                Args:
                    n: How many.

                Yields:
                    Each tick.

                Returns:
                    int: How many ticks were sent.
                """
                yield n
        '''),
        G,
        "An async generator cannot return a value, yet Returns documents one.",
    ),
    Example(
        code('''
            async def ticks(n: int):
                """Count asynchronously.

                Parameters
                ----------
                n : int
                    How many.

                Yields
                ------
                int
                    Each tick.

                Returns
                -------
                int
                    How many ticks were sent.
                """
                yield n
        '''),
        N,
        "The same in NumPy style, without an annotation.",
    ),
    Example(
        code('''
            async def ticks(n: int):
                """Count asynchronously.

                :param n: How many.
                :yields: Each tick.
                :returns: How many ticks were sent.
                :rtype: int
                """
                yield n
        '''),
        S,
        "The same in Sphinx style.",
    ),
)

ASYNC_OK = (
    Example(
        code('''
            from contextlib import asynccontextmanager


            @asynccontextmanager
            async def session(url: str):
                """Open a session.

                Args:
                    url: Where to.

                Yields:
                    The session.

                Returns:
                    An async context manager.
                """
                yield url


            async def total(n: int) -> int:
                """Add up.

                Args:
                    n: How many.

                Returns:
                    The total.
                """
                return n
        '''),
        G,
        "Async context managers describe what the decorated function returns; coroutines return.",
    ),
    Example(
        code('''
            async def ticks(n: int):
                """Count asynchronously.

                Parameters
                ----------
                n : int
                    How many.

                Yields
                ------
                int
                    Each tick.

                Returns
                -------
                None
                """
                yield n
        '''),
        N,
        "A Returns section that says None documents no value.",
    ),
    Example(
        code('''
            async def ticks(n: int):
                """Count asynchronously.

                :param n: How many.
                :yields: Each tick.
                """
                yield n
        '''),
        S,
        "An async generator documented with Yields only.",
    ),
)
