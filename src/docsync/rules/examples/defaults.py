"""Examples for the documented-default rule (DS107)."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

DEFAULT_FLAG = (
    Example(
        code('''
            def connect(host: str, port: int = 10) -> None:
                """Connect.

                Args:
                    host (str): The host.
                    port (int, default=5): The port.
                """
        '''),
        G,
        "A Google type naming a default the signature no longer has.",
    ),
    Example(
        code('''
            def wrap(text: str, width: int = 72, mark: str = "-") -> str:
                """Wrap text.

                Args:
                    text: The text.
                    width: The width. Defaults to 80.
                    mark: The mark. Defaults to ``"*"``.

                Returns:
                    The wrapped text.
                """
                return text
        '''),
        G,
        "Google 'Defaults to ...' sentences, a number and a string in backticks.",
        expected=2,
    ),
    Example(
        code('''
            def wrap(text: str, width: int = 72, strict: bool = True) -> str:
                """Wrap text.

                Parameters
                ----------
                text : str
                    The text.
                width : int, default 80
                    The width.
                strict : bool, optional, default: False
                    Whether to fail on long words.

                Returns
                -------
                str
                    The wrapped text.
                """
                return text
        '''),
        N,
        "NumPy 'default 80' and 'optional, default: False' type qualifiers.",
        expected=2,
    ),
    Example(
        code('''
            def wrap(text: str, width: int = 72, margins: tuple = (1, 1)) -> str:
                """Wrap text.

                :param text: The text.
                :param width: The width (default: 80).
                :param margins: Left and right margins. Default is ``(2, 2)``.
                :returns: The wrapped text.
                """
                return text
        '''),
        S,
        "Sphinx fields with '(default: 80)' and a tuple default.",
        expected=2,
    ),
)

DEFAULT_OK = (
    Example(
        code('''
            def wrap(text: str, width: int = 80, encoding: str = "utf-8") -> str:
                """Wrap text.

                Args:
                    text: The text.
                    width (int, default=80): The width.
                    encoding: The encoding. Defaults to 'utf-8'.

                Returns:
                    The wrapped text.
                """
                return text
        '''),
        G,
        "The documented defaults agree (the quotes of a string do not matter).",
    ),
    Example(
        code('''
            import os


            def scan(path: str | None = None, retries: int | None = None) -> None:
                """Scan a folder.

                Args:
                    path: The folder. Defaults to the current directory.
                    retries (int, optional): How often to retry. Defaults to 3.
                """
                path = path or os.getcwd()
        '''),
        G,
        "A None default is a sentinel: the body picks the documented value.",
    ),
    Example(
        code('''
            def wait(timeout: float = 30.0, poll: float = 0.5, count: int = 1) -> None:
                """Wait.

                Args:
                    timeout: Seconds to wait. Defaults to 30 seconds.
                    poll: Seconds between polls; if the timeout is short, defaults to 0.1.
                    count: How many. Defaults to 1, or 2 when polling.
                """
        '''),
        G,
        "Defaults described in prose, or in a conditional sentence, are not compared.",
    ),
    Example(
        code('''
            DEFAULT_WIDTH = 72


            def wrap(text: str, width: int = DEFAULT_WIDTH, strict: bool = False) -> str:
                """Wrap text.

                Parameters
                ----------
                text : str
                    The text.
                width : int, default 80
                    The width.
                strict : bool, default True
                    Whether to fail. Default: ``False``.

                Returns
                -------
                str
                    The wrapped text.
                """
                return text
        '''),
        N,
        "A default that is not a literal is not compared; two stated values are ambiguous.",
    ),
    Example(
        code('''
            def wrap(text: str, width: int = 80, ratio: float = 1.0) -> str:
                """Wrap text.

                :param text: The text.
                :param width: The width (default: 80).
                :param ratio: The ratio. Default is 1.
                :returns: The wrapped text.
                """
                return text
        '''),
        S,
        "Sphinx defaults that agree; 1 and 1.0 are the same number.",
    ),
)
