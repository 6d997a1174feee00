"""Examples of the change rules (DS501, DS502, DS601): a module at a base and at a head.

The test suite commits ``base`` to a fresh git repository as ``example.py`` (or the
example's ``path``), writes
``head`` over it and runs base mode, so each example is a real change.
"""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import ChangeExample

# --- DS501 stale-after-change -------------------------------------------------------------

_FETCH_GOOGLE = code(
    '''
    def fetch(url, timeout=3):
        """Fetch a URL.

        Args:
            url: Where from.
            timeout: Seconds to wait.
        """
        return url, timeout
    '''
)
_FETCH_NUMPY = code(
    '''
    def fetch(url, timeout=3):
        """Fetch a URL.

        Parameters
        ----------
        url : str
            Where from.
        timeout : int
            Seconds to wait.
        """
        return url, timeout
    '''
)
_FETCH_SPHINX = code(
    '''
    def fetch(url, timeout=3):
        """Fetch a URL.

        :param url: Where from.
        :param timeout: Seconds to wait.
        """
        return url, timeout
    '''
)


def _renamed(source: str) -> str:
    """The fetch example with ``timeout`` renamed to ``deadline`` in the code only."""
    return source.replace("(url, timeout=3)", "(url, deadline=None)").replace(
        "return url, timeout", "return url, deadline"
    )


STALE_FLAG = (
    ChangeExample(
        _FETCH_GOOGLE,
        _renamed(_FETCH_GOOGLE),
        Style.GOOGLE,
        "a parameter renamed, the docstring left as it was",
    ),
    ChangeExample(
        _FETCH_NUMPY,
        _renamed(_FETCH_NUMPY),
        Style.NUMPY,
        "a parameter renamed, the docstring left as it was",
    ),
    ChangeExample(
        _FETCH_SPHINX,
        _renamed(_FETCH_SPHINX),
        Style.SPHINX,
        "a parameter renamed, the docstring left as it was",
    ),
)
STALE_OK = (
    ChangeExample(
        _FETCH_GOOGLE,
        _renamed(_FETCH_GOOGLE).replace("timeout: Seconds to wait.", "deadline: When to give up."),
        Style.GOOGLE,
        "the docstring updated in the same change",
    ),
    ChangeExample(
        _FETCH_NUMPY,
        _FETCH_NUMPY.replace("timeout=3", "timeout=10"),
        Style.NUMPY,
        "a new default value the docstring does not state",
    ),
    ChangeExample(
        _FETCH_NUMPY.replace("timeout : int", "timeout : int, default 3"),
        _FETCH_NUMPY.replace("timeout=3", "timeout=10"),
        Style.NUMPY,
        "a new default value written into the docstring by the same change",
    ),
    ChangeExample(
        _FETCH_SPHINX,
        _FETCH_SPHINX.replace("return url, timeout", "return (url, timeout)"),
        Style.SPHINX,
        "only the formatting of the body changed",
    ),
)

# --- DS502 review-body-changed ------------------------------------------------------------

_TOTAL = code(
    '''
    def total(prices):
        """Add up the prices.

        Args:
            prices: The prices, in cents.
        """
        return sum(prices)
    '''
)
_TOTAL_NUMPY = code(
    '''
    def total(prices):
        """Add up the prices.

        Parameters
        ----------
        prices : list of int
            The prices, in cents.
        """
        return sum(prices)
    '''
)
_TOTAL_SPHINX = code(
    '''
    def total(prices):
        """Add up the prices.

        :param prices: The prices, in cents.
        """
        return sum(prices)
    '''
)


def _rounded(source: str) -> str:
    """The total example whose body now rounds to euros."""
    return source.replace("return sum(prices)", "return round(sum(prices) / 100)")


REVIEW_FLAG = (
    ChangeExample(
        _TOTAL, _rounded(_TOTAL), Style.GOOGLE, "the code changed, its docstring did not"
    ),
    ChangeExample(
        _TOTAL_NUMPY,
        _rounded(_TOTAL_NUMPY),
        Style.NUMPY,
        "the code changed, its docstring did not",
    ),
    ChangeExample(
        _TOTAL_SPHINX,
        _rounded(_TOTAL_SPHINX),
        Style.SPHINX,
        "the code changed, its docstring did not",
    ),
)
REVIEW_OK = (
    ChangeExample(
        _TOTAL,
        _rounded(_TOTAL).replace("Add up the prices.", "Add up the prices, in whole euros."),
        Style.GOOGLE,
        "the docstring updated in the same change",
    ),
    ChangeExample(
        _TOTAL_NUMPY.replace("def total(", "def _total("),
        _rounded(_TOTAL_NUMPY).replace("def total(", "def _total("),
        Style.NUMPY,
        "a private function: its docstring is for maintainers reading the diff",
    ),
    ChangeExample(
        _TOTAL_SPHINX,
        _TOTAL_SPHINX.replace("return sum(prices)", "return sum(prices)  # in cents"),
        Style.SPHINX,
        "only a comment changed",
    ),
    ChangeExample(
        _TOTAL,
        _rounded(_TOTAL),
        Style.GOOGLE,
        "test code (here a helper under tests/) is not API (set check-tests to review it)",
        path="tests/helpers.py",
    ),
)

# --- DS601 broken-reference ---------------------------------------------------------------

_LOAD = code(
    '''
    def load(path):
        """Read the settings file.

        Args:
            path: The file.
        """
        with open(path) as handle:
            return handle.read()


    def main(path):
        """Run the tool; the settings come from :func:`load`.

        Args:
            path: The settings file.
        """
        return path
    '''
)
_LOAD_NUMPY = code(
    '''
    def load(path):
        """Read the settings file.

        Parameters
        ----------
        path : str
            The file.
        """
        with open(path) as handle:
            return handle.read()


    def main(path):
        """Run the tool.

        Parameters
        ----------
        path : str
            The settings file.

        See Also
        --------
        load : Reads the settings.
        """
        return path
    '''
)
_LOAD_FUNCTION_SPHINX = code(
    '''
    def load(path):
        """Read the settings file.

        :param path: The file.
        """
        with open(path) as handle:
            return handle.read()
    '''
)
_MAIN_SPHINX = code(
    '''
    def main(path):
        """Run the tool; call `load()` first.

        :param path: The settings file.
        """
        return path
    '''
)
_LOAD_SPHINX = f"{_LOAD_FUNCTION_SPHINX}\n\n{_MAIN_SPHINX}"


def _read_settings(source: str) -> str:
    """The load example with ``load`` renamed to ``read_settings`` in the code only."""
    return source.replace("def load(path):", "def read_settings(path):")


BROKEN_REFERENCE_FLAG = (
    ChangeExample(
        _LOAD, _read_settings(_LOAD), Style.GOOGLE, "a role naming a function the change renamed"
    ),
    ChangeExample(
        _LOAD_NUMPY,
        _read_settings(_LOAD_NUMPY),
        Style.NUMPY,
        "a See Also entry naming a function the change renamed",
    ),
    ChangeExample(
        _LOAD_SPHINX,
        _MAIN_SPHINX,
        Style.SPHINX,
        "an inline call of a function the change removed",
    ),
)
BROKEN_REFERENCE_OK = (
    ChangeExample(
        _LOAD,
        _read_settings(_LOAD).replace(":func:`load`", ":func:`read_settings`"),
        Style.GOOGLE,
        "the reference updated in the same change",
    ),
    ChangeExample(
        _LOAD_NUMPY,
        _LOAD_NUMPY.replace("return path", "return str(path)"),
        Style.NUMPY,
        "the function the reference names is still there",
    ),
    ChangeExample(
        _LOAD_SPHINX.replace("call `load()` first", "paths are joined with `os.path.join()`"),
        _read_settings(_LOAD_SPHINX).replace(
            "call `load()` first", "paths are joined with `os.path.join()`"
        ),
        Style.SPHINX,
        "a reference to another library",
    ),
    ChangeExample(
        _LOAD.replace(":func:`load`", ":func:`example.load`"),
        "import pathlib\n\n"
        + _LOAD.replace(":func:`load`", ":func:`example.load`").replace(
            "def load(path):", "def _old_load(path):"
        )
        + "\n\nload = pathlib.Path.read_text\n",
        Style.GOOGLE,
        "the name is still bound at the head, to code outside the project "
        "(tornado's `TimeoutError = asyncio.TimeoutError`)",
    ),
)
