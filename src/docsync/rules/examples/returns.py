"""Examples for the returns family (DS201-DS203)."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code, generators
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

WITHOUT_VALUE_FLAG = (
    Example(
        code('''
            def save(path):
                """Save the document.

                Args:
                    path: Where to save.

                Returns:
                    bool: Whether the file was written.
                """
                print(path)
        '''),
        G,
        "The function used to return a flag; now it returns nothing.",
    ),
    Example(
        code('''
            def save(path) -> None:
                """Save the document.

                Parameters
                ----------
                path : str
                    Where to save.

                Returns
                -------
                int
                    The number of bytes written.
                """
                if not path:
                    return
                print(path)
        '''),
        N,
        "A bare 'return' returns no value, and the annotation says None.",
    ),
    Example(
        code('''
            class Store:
                def flush(self):
                    """Write pending changes.

                    :returns: The number of changes written.
                    :rtype: int
                    """
                    self.pending = []
        '''),
        S,
        "Sphinx :returns:/:rtype: fields on a method that returns nothing.",
    ),
)

WITHOUT_VALUE_OK = (
    Example(
        code('''
            from myorm.base import generative


            class DDL:
                @generative
                def against(self, target):
                    """Return a copy of this DDL against a target.

                    :param target: The schema item.
                    :return: A copy with the target set.
                    """
                    self.target = target
        '''),
        S,
        "A decorator may return on the function's behalf (SQLAlchemy's @_generative).",
    ),
    Example(
        code('''
            def save(path):
                """Save the document.

                Args:
                    path: Where to save.

                Returns:
                    None
                """
                print(path)
        '''),
        G,
        "A Returns section that says None.",
    ),
    Example(
        code('''
            from abc import ABC, abstractmethod


            class Store(ABC):
                @abstractmethod
                def size(self):
                    """The size of the store.

                    Returns
                    -------
                    int
                        The number of items.
                    """
        '''),
        N,
        "Abstract methods and stubs document what implementations return.",
    ),
    Example(
        code('''
            from typing import Protocol


            class Sized(Protocol):
                def size(self) -> int:
                    """The size.

                    :returns: The number of items.
                    """
                    raise RuntimeError("protocol")
        '''),
        S,
        "Protocol members are not checked.",
    ),
    Example(
        code('''
            def parse(text: str) -> int:
                """Parse an integer.

                Returns:
                    int: The value.
                """
                raise NotImplementedError(text)
        '''),
        G,
        "A body that only raises NotImplementedError is a stub.",
    ),
    Example(
        code('''
            def fail(code: int) -> int:
                """Always fail.

                Returns:
                    int: Never, in practice.
                """
                raise SystemExit(code)
        '''),
        G,
        "A non-None return annotation: the body is the type checker's business.",
    ),
    Example(
        code('''
            class Repo:
                def __init__(self, path):
                    """Open a repository.

                    :param path: Where it is.
                    :returns: The repository.
                    """
                    self.path = path
        '''),
        S,
        "An __init__ that says it returns its instance.",
    ),
)

GENERATOR_FLAG = (
    Example(
        code('''
            def lines(path):
                """Read lines.

                Args:
                    path: The file.

                Returns:
                    str: Each line.
                """
                with open(path) as f:
                    yield from f
        '''),
        G,
        "A generator documenting Returns.",
    ),
    Example(
        code('''
            from typing import Iterator


            def count(limit: int) -> Iterator[int]:
                """Count up.

                Parameters
                ----------
                limit : int
                    Where to stop.

                Returns
                -------
                int
                    The next number.
                """
                n = 0
                while n < limit:
                    yield n
                    n += 1
        '''),
        N,
        "An Iterator annotation has no return value for Returns to document.",
    ),
    Example(
        code('''
            async def ticks(n):
                """Tick asynchronously.

                :param n: How many ticks.
                :returns: The tick number.
                """
                for i in range(n):
                    yield i
        '''),
        S,
        "Async generators too.",
    ),
)

GENERATOR_OK = (
    Example(
        code('''
            from typing import Iterator


            def stream(prompt: str) -> Iterator[str]:
                """Stream the answer.

                Parameters
                ----------
                prompt : str
                    What to ask.

                Returns
                -------
                Iterator[str]
                    An iterator over the pieces of the answer.
                """
                yield from prompt.split()
        '''),
        N,
        "A Returns entry that documents the iterator the call gives is right as written.",
    ),
    Example(
        code('''
            def partitions(rows, size):
                """Iterate through sub-lists of rows.

                :param rows: The rows.
                :param size: The size of each list.
                :return: iterator of lists
                """
                for i in range(0, len(rows), size):
                    yield rows[i : i + size]
        '''),
        S,
        "A Sphinx :return: that says it gives an iterator.",
    ),
    Example(
        code('''
            def lines(path):
                """Read lines.

                Args:
                    path: The file.

                Yields:
                    str: Each line.
                """
                with open(path) as f:
                    yield from f
        '''),
        G,
        "Yields, not Returns.",
    ),
    Example(
        code('''
            from typing import Generator


            def consume(limit: int) -> Generator[int, None, str]:
                """Consume numbers.

                Parameters
                ----------
                limit : int
                    Where to stop.

                Yields
                ------
                int
                    The next number.

                Returns
                -------
                str
                    A summary, as the StopIteration value.
                """
                for n in range(limit):
                    yield n
                return "done"
        '''),
        N,
        "A generator that also returns a value may document it.",
    ),
    Example(
        code('''
            from contextlib import contextmanager


            @contextmanager
            def opened(path):
                """Open a file.

                :param path: The file.
                :returns: A context manager giving the file object.
                """
                f = open(path)
                try:
                    yield f
                finally:
                    f.close()
        '''),
        S,
        "A @contextmanager's docstring describes the decorated function.",
    ),
)

TYPE_FLAG = (
    Example(
        code('''
            def name_of(user) -> int:
                """Look up a user.

                Args:
                    user: The user.

                Returns:
                    str: The user's name.
                """
                return user.id
        '''),
        G,
        "Documented 'str', annotated 'int'.",
    ),
    Example(
        code('''
            from typing import Dict, Optional


            def lookup(key: str) -> Optional[Dict[str, int]]:
                """Look up a key.

                Parameters
                ----------
                key : str
                    The key.

                Returns
                -------
                list of int
                    The values.
                """
                return None if key else {}
        '''),
        N,
        "A list documented, a dict (or None) annotated.",
    ),
    Example(
        code('''
            def ratio(a: float, b: float) -> float:
                """Divide.

                :param a: The numerator.
                :param b: The denominator.
                :returns: The ratio.
                :rtype: str
                """
                return a / b
        '''),
        S,
        "A Sphinx :rtype: contradicting the annotation.",
    ),
)

TYPE_OK = (
    Example(
        code('''
            from typing import List, Optional


            def names(group: str) -> Optional[List[str]]:
                """List names.

                Args:
                    group: The group.

                Returns:
                    list of str: The names.
                """
                return [group]
        '''),
        G,
        "Optional and natural-language forms normalise to the same type.",
    ),
    Example(
        code('''
            from typing import Tuple


            def split(text: str) -> Tuple[str, int]:
                """Split text.

                Parameters
                ----------
                text : str
                    The text.

                Returns
                -------
                head : str
                    The first word.
                count : int
                    The number of words.
                """
                return text, 1
        '''),
        N,
        "Several NumPy Returns entries describe a tuple: not compared.",
    ),
    Example(
        code('''
            from pathlib import Path


            def home() -> Path:
                """The home directory.

                :returns: The directory.
                :rtype: str
                """
                return Path.home()
        '''),
        S,
        "A name from outside the builtins and the project is never judged.",
    ),
    Example(
        code('''
            def is_ready(flag: bool) -> bool:
                """Check readiness.

                Args:
                    flag: The flag.

                Returns:
                    int: 1 when ready.
                """
                return flag
        '''),
        G,
        "bool is an int: the numeric tower is compatible.",
    ),
)


# DS203 also compares a generator's Returns entry with ``Generator[Y, S, R]``'s ``R``.
TYPE_ALL_FLAG = TYPE_FLAG + generators.TYPE_FLAG
TYPE_ALL_OK = TYPE_OK + generators.TYPE_OK
