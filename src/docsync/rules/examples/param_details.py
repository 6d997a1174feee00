"""Examples for the parameter-detail rules: types, order and sections (DS104-DS106)."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

TYPE_FLAG = (
    Example(
        code('''
            def wait(timeout: int) -> None:
                """Wait.

                Args:
                    timeout (str): Seconds to wait.
                """
        '''),
        G,
        "Documented 'str', annotated 'int'.",
    ),
    Example(
        code('''
            from typing import List, Optional


            def join(parts: Optional[List[str]], sep: str = ",") -> str:
                """Join strings.

                Parameters
                ----------
                parts : dict of {str: str}, optional
                    The strings.
                sep : str, default: ","
                    The separator.
                """
                return sep.join(parts or [])
        '''),
        N,
        "A dict documented for a list parameter; qualifiers and Optional are normalised.",
    ),
    Example(
        code('''
            def wait(timeout: float, reason: str) -> None:
                """Wait.

                :param timeout: Seconds to wait.
                :type timeout: float
                :param reason: Why.
                :type reason: bytes
                """
        '''),
        S,
        "A Sphinx :type: field contradicting the annotation.",
    ),
)

TYPE_OK = (
    Example(
        code('''
            from typing import Optional


            def wait(timeout: Optional[int] = None) -> None:
                """Wait.

                Args:
                    timeout (int, optional): Seconds to wait.
                """
        '''),
        G,
        "A difference only in None is never reported.",
    ),
    Example(
        code('''
            from typing import List, Sequence


            def join(parts: List[str], weights: Sequence[float]) -> str:
                """Join strings.

                Parameters
                ----------
                parts : list of str
                    The strings.
                weights : list[int]
                    One per string.
                """
                return ",".join(parts)
        '''),
        N,
        "Natural-language types, abstract containers and the numeric tower are compatible.",
    ),
    Example(
        code('''
            from os import PathLike
            from typing import Union

            StrPath = Union[str, PathLike]


            def read(path: StrPath) -> str:
                """Read a file.

                :param path: The file.
                :type path: str
                """
                return str(path)
        '''),
        S,
        "An unknown name may be a type alias: never reported.",
    ),
    Example(
        code('''
            from typing import Any, TypeVar

            T = TypeVar("T")


            def pick(value: T, default: Any) -> T:
                """Pick a value.

                Args:
                    value (int): The value.
                    default (str): The fallback.
                """
                return value
        '''),
        G,
        "TypeVars and Any are compatible with everything.",
    ),
)

ORDER_FLAG = (
    Example(
        code('''
            def move(x, y):
                """Move the cursor.

                Args:
                    y: The row.
                    x: The column.
                """
                return x, y
        '''),
        G,
        "Entries in a different order than the signature.",
    ),
    Example(
        code('''
            def move(x, y, speed=1.0):
                """Move the cursor.

                Parameters
                ----------
                x : int
                    The column.
                speed : float
                    How fast.
                y : int
                    The row.
                """
                return x, y, speed
        '''),
        N,
        "One entry out of place.",
    ),
    Example(
        code('''
            def move(x, y):
                """Move the cursor.

                :param y: The row.
                :param x: The column.
                """
                return x, y
        '''),
        S,
        "Sphinx fields out of order.",
    ),
)

ORDER_OK = (
    Example(
        code('''
            def constraint(name=None, _create_rule=None, info=None):
                """Create a constraint.

                :param name: The constraint's name.
                :param info: Extra data.
                :param _create_rule: Used internally.
                """
                return name, _create_rule, info
        '''),
        S,
        "Private parameters listed last, as internals (SQLAlchemy's Constraint).",
    ),
    Example(
        code('''
            def move(x, y):
                """Move the cursor.

                Args:
                    x: The column.
                    y: The row.
                """
                return x, y
        '''),
        G,
        "Entries in signature order.",
    ),
    Example(
        code('''
            def move(x, y, speed):
                """Move the cursor.

                Parameters
                ----------
                y : int
                    The row.
                x : int
                    The column.
                """
                return x, y, speed
        '''),
        N,
        "Order is only checked when the names are exactly right (here 'speed' is missing).",
    ),
    Example(
        code('''
            def move(x, *, speed, y):
                """Move the cursor.

                :param x: The column.
                :param y: The row.
                :keyword speed: How fast.
                """
                return x, y, speed
        '''),
        S,
        "Entries of other parameter sections are not ordered against Args.",
    ),
)

SECTION_FLAG = (
    Example(
        code('''
            def fetch(url, retries=3):
                """Fetch a URL, retrying on failure."""
                return url, retries
        '''),
        G,
        "A docstring that documents no parameter (require_params only).",
    ),
    Example(
        code('''
            def area(width, height):
                """Compute an area.

                Returns
                -------
                float
                    The area.
                """
                return width * height
        '''),
        N,
        "Other sections do not count as documenting parameters.",
    ),
    Example(
        code('''
            class Shape:
                def scale(self, factor):
                    """Scale the shape.

                    :returns: The scaled shape.
                    """
                    return factor
        '''),
        S,
        "A method with parameters and only a Sphinx :returns: field.",
    ),
)

SECTION_OK = (
    Example(
        code('''
            def test_login(client, user):
                """A registered user can log in."""
                assert client.login(user)
        '''),
        G,
        "A test's fixtures are injected: no caller passes them (unless check-tests is set).",
        path="tests/test_auth.py",
    ),
    Example(
        code('''
            def handler(*args, **kwargs):
                """Handle an event."""
                return args, kwargs
        '''),
        G,
        "Only *args/**kwargs: nothing to require.",
    ),
    Example(
        code('''
            class Money:
                def __eq__(self, other):
                    """Compare two amounts."""
                    return self is other
        '''),
        G,
        "Dunder methods other than __init__ and __call__ are not required to document parameters.",
    ),
    Example(
        code('''
            class Client:
                """An HTTP client.

                Args:
                    base_url: The server.
                """

                def __init__(self, base_url):
                    """Create a client."""
                    self.base_url = base_url
        '''),
        G,
        "An __init__ whose class docstring documents the parameters.",
    ),
    Example(
        code('''
            class Client:
                """An HTTP client."""

                def __init__(self):
                    self.session = None

                @property
                def ready(self):
                    """Whether a session is open."""
                    return self.session is not None
        '''),
        N,
        "Classes, properties and functions without parameters are never required to.",
    ),
)
