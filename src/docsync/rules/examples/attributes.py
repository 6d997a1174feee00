"""Examples for the attributes family (DS401)."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

STALE_FLAG = (
    Example(
        code('''
            class Cache:
                """An in-memory cache.

                Attributes:
                    entries: The cached values.
                    hits: How many lookups were answered.
                """

                def __init__(self):
                    self.entries = {}
        '''),
        G,
        "'hits' is documented but never assigned.",
    ),
    Example(
        code('''
            from dataclasses import dataclass


            @dataclass
            class Point:
                """A point.

                Attributes
                ----------
                x : float
                    The abscissa.
                y : float
                    The ordinate.
                z : float
                    The height, from when points were 3-D.
                """

                x: float
                y: float
        '''),
        N,
        "A dataclass field that was removed.",
    ),
    Example(
        code('''
            class Job:
                """A unit of work.

                :ivar name: The job's name.
                :ivar retries: How often to retry.
                """

                def __init__(self, name):
                    self.name = name
        '''),
        S,
        "A stale Sphinx :ivar: field.",
    ),
    Example(
        code('''
            class HTTPError(Exception):
                """A failed request.

                Attributes:
                    status: The HTTP status code.
                    reason: The status line's reason phrase.
                    args: Inherited from Exception.
                """

                def __init__(self, status):
                    super().__init__(status)
                    self.status = status
        '''),
        G,
        "Builtin bases have known attributes ('args'); 'reason' is never set.",
    ),
)

STALE_OK = (
    Example(
        code('''
            class Base:
                """A base."""

                def __init__(self):
                    self.created = 0


            class Cache(Base):
                """An in-memory cache.

                Attributes:
                    entries: The cached values.
                    created: When the cache was made, from Base.
                    size: The number of entries.
                """

                def __init__(self):
                    super().__init__()
                    self.entries = {}

                @property
                def size(self):
                    """The number of entries."""
                    return len(self.entries)
        '''),
        G,
        "Inherited attributes (project bases) and properties are defined.",
    ),
    Example(
        code('''
            import threading


            class Worker(threading.Thread):
                """A worker thread.

                Attributes
                ----------
                name : str
                    Inherited from Thread.
                """
        '''),
        N,
        "A base class from outside the project may define the attribute.",
    ),
    Example(
        code('''
            class Config:
                """Settings.

                :ivar debug: Whether to log more.
                """

                def __init__(self, debug):
                    self._values = {"debug": debug}

                def __getattr__(self, name):
                    return self._values[name]
        '''),
        S,
        "__getattr__ may provide any attribute.",
    ),
    Example(
        code('''
            class Span:
                """A span of lines.

                Attributes:
                    start: The first line.
                    end: The last line.
                """

                __slots__ = ("start", "end")
        '''),
        G,
        "__slots__ names are attributes.",
    ),
)
