"""Examples for the parameter-name rules: stale and renamed (DS101, DS103); DS102's are in :mod:`param_missing`."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

STALE_FLAG = (
    Example(
        code('''
            def fetch(url, retries=3):
                """Fetch a URL.

                Args:
                    url: The address.
                    retries: How often to retry.
                    timeout: Seconds to wait.
                """
                return url, retries
        '''),
        G,
        "'timeout' was removed from the signature but not from Args.",
    ),
    Example(
        code('''
            def fetch(url, retries=3):
                """Fetch a URL.

                Parameters
                ----------
                url : str
                    The address.
                timeout : float
                    Seconds to wait.
                retries : int
                    How often to retry.
                """
                return url, retries
        '''),
        N,
        "A stale entry between two documented parameters.",
    ),
    Example(
        code('''
            class Client:
                def get(self, path):
                    """Get a resource.

                    :param path: The resource path.
                    :param verify: Whether to check certificates.
                    """
                    return path
        '''),
        S,
        "A stale Sphinx :param: field on a method.",
    ),
    Example(
        code('''
            class Client:
                """An HTTP client.

                Args:
                    base_url: The server.
                    session: A session to reuse.
                """

                def __init__(self, base_url):
                    self.base_url = base_url
        '''),
        G,
        "A class docstring is checked against the constructor's parameters.",
    ),
)

STALE_OK = (
    Example(
        code('''
            class Truss:
                """A truss."""

                def remove_load(self, *args):
                    """Remove loads from nodes.

                    Parameters
                    ==========

                    location : String or Symbol
                        The node the load acts on.
                    magnitude : Sympifyable
                        The load's magnitude.
                    """
                    return args
        '''),
        N,
        "Entries that describe the items of *args are not stale (SymPy's Truss methods).",
    ),
    Example(
        code('''
            class Counter:
                def add(self, amount):
                    """Add to the count.

                    Args:
                        self: The counter.
                        amount: How much to add.
                    """
                    return amount
        '''),
        G,
        "A documented 'self' is not stale.",
    ),
    Example(
        code(r'''
            def log(message, *args, **kwargs):
                r"""Log a message.

                Parameters
                ----------
                message : str
                    The format string.
                \*args
                    Values for the format string.
                \*\*kwargs
                    Passed to the handler.
                """
                return message, args, kwargs
        '''),
        N,
        "Escaped '\\*args' and '\\*\\*kwargs' match the variadic parameters.",
    ),
    Example(
        code('''
            def log(message, *args, **kwargs):
                """Log a message.

                :param message: The format string.
                :param args: Values for the format string.
                :param kwargs: Passed to the handler.
                """
                return message, args, kwargs
        '''),
        S,
        "Variadic parameters documented without their stars.",
    ),
    Example(
        code('''
            def draw(shape, **kwargs):
                """Draw a shape.

                Args:
                    shape: What to draw.

                Keyword Args:
                    color: The fill colour.
                    width: The stroke width.
                """
                return shape, kwargs
        '''),
        G,
        "Keyword Args entries document what **kwargs accepts.",
    ),
    Example(
        code('''
            def draw(shape, **options):
                """Draw a shape.

                Args:
                    shape: What to draw.
                    color: The fill colour, passed through options.
                """
                return shape, options
        '''),
        G,
        "With **kwargs in the signature an extra name may describe a keyword argument.",
    ),
    Example(
        code('''
            from typing import overload


            @overload
            def parse(value: int) -> int:
                """Parse.

                Args:
                    number: A name from an older signature.
                """


            def parse(value):
                """Parse a value.

                Args:
                    value: What to parse.
                """
                return value
        '''),
        G,
        "@overload stubs are never checked.",
    ),
    Example(
        code('''
            def scale(x, y, factor):
                """Scale a point.

                Parameters
                ----------
                x, y : float
                    The point.
                factor : float
                    The scale factor.
                """
                return x * factor, y * factor
        '''),
        N,
        "One NumPy entry may document several parameters.",
    ),
)

RENAMED_FLAG = (
    Example(
        code('''
            def copy(source, dest):
                """Copy a file.

                Args:
                    src: The file to copy.
                    dest: Where to copy it.
                """
                return source, dest
        '''),
        G,
        "'src' was renamed to 'source': one DS103, no DS101 or DS102.",
    ),
    Example(
        code('''
            def copy(source, dest, overwrite=False):
                """Copy a file.

                Parameters
                ----------
                source : str
                    The file to copy.
                target : str
                    Where to copy it.
                overwrite : bool
                    Replace an existing file.
                """
                return source, dest, overwrite
        '''),
        N,
        "A rename between two unchanged parameters.",
    ),
    Example(
        code('''
            def copy(source, dest):
                """Copy a file.

                :param source: The file to copy.
                :param destination: Where to copy it.
                """
                return source, dest
        '''),
        S,
        "A rename of the last parameter.",
    ),
    Example(
        code('''
            class Commit:
                @classmethod
                def parse(cls, repo, proc_or_stream):
                    """Parse commits.

                    :param proc: The process to read from.
                    """
                    return repo, proc_or_stream
        '''),
        S,
        "One stale entry, two candidates, one of them plainly the same name extended.",
    ),
    Example(
        code('''
            def convert(amount, rate, precision=2):
                """Convert an amount.

                Args:
                    amount: The amount.
                    ratio: The exchange rate.
                """
                return round(amount * rate, precision)
        '''),
        G,
        "Renamed with a parameter added after it: 'rate' took the place of 'ratio' "
        "(a DS103 keeps the prose; 'precision' is a DS102).",
    ),
)

RENAMED_OK = (
    Example(
        code('''
            def copy(source, dest):
                """Copy a file.

                Args:
                    dest: Where to copy it.
                    src: The file to copy.
                """
                return source, dest
        '''),
        G,
        "The stale entry is not where the undocumented parameter is: no rename is guessed.",
    ),
    Example(
        code('''
            def copy(source, dest):
                """Copy a file.

                Parameters
                ----------
                src : str
                    The file to copy.
                mode : int
                    File permissions.
                dest : str
                    Where to copy it.
                """
                return source, dest
        '''),
        N,
        "Two stale entries for one undocumented parameter are ambiguous.",
    ),
    Example(
        code('''
            def copy(source, dest, **kwargs):
                """Copy a file.

                :param src: The file to copy.
                :param dest: Where to copy it.
                """
                return source, dest, kwargs
        '''),
        S,
        "With **kwargs an extra entry is not stale, so it is not a rename either.",
    ),
    Example(
        code('''
            def convert(amount, rate, precision=2):
                """Convert an amount.

                Args:
                    amount: The amount.
                    verbose: Print progress.
                """
                return round(amount * rate, precision)
        '''),
        G,
        "A new parameter in the old one's place with an unrelated name: removed and added, "
        "not renamed.",
    ),
)
