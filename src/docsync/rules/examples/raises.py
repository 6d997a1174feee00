"""Examples for the raises family (DS301)."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

NOT_RAISED_FLAG = (
    Example(
        code('''
            def parse_port(text: str) -> int:
                """Parse a port number.

                Args:
                    text: The digits.

                Returns:
                    int: The port.

                Raises:
                    ValueError: If the port is out of range.
                """
                return int(text) % 65536
        '''),
        G,
        "The range check was removed; the Raises entry stayed.",
    ),
    Example(
        code('''
            class ConfigError(Exception):
                """A bad configuration."""


            class NetworkError(Exception):
                """The network failed."""


            def load(path: str) -> str:
                """Load a configuration.

                Parameters
                ----------
                path : str
                    The file.

                Returns
                -------
                str
                    The text.

                Raises
                ------
                ConfigError
                    If the file is malformed.
                """
                if not path:
                    raise NetworkError(path)
                return path
        '''),
        N,
        "The body raises an unrelated project exception.",
    ),
    Example(
        code('''
            def connect(host):
                """Connect to a host.

                :param host: The host.
                :raises TimeoutError: If the host does not answer.
                """
                if not host:
                    raise ValueError("no host")
                return host
        '''),
        S,
        "A builtin exception that is not a base of the one raised.",
    ),
    Example(
        code('''
            class Alias:
                def __init__(self, target):
                    self._target = target

                @property
                def target(self):
                    """The aliased object."""
                    return self._target

                @property
                def path(self):
                    """The target's path.

                    Raises:
                        ValueError: If the target is not loaded.
                    """
                    return self.target.path
        '''),
        G,
        "The properties it reads ('target', and 'path' itself) raise nothing.",
    ),
)

NOT_RAISED_OK = (
    Example(
        code('''
            class Object:
                def __init__(self, parent):
                    self.parent = parent

                @property
                def module(self):
                    """The module the object is defined in."""
                    if self.parent is None:
                        raise ValueError("no parent module")
                    return self.parent.module


            class Alias:
                def __init__(self, target):
                    self._target = target

                @property
                def final_target(self):
                    """The object at the end of the alias chain."""
                    return self._target

                @property
                def module(self):
                    """The module of the final target.

                    Raises:
                        ValueError: If the target has no parent module.
                    """
                    return self.final_target.module
        '''),
        G,
        "griffe's Alias.module: a project property it reads (Object.module) raises it.",
    ),
    Example(
        code('''
            class ConfigError(Exception):
                """A bad configuration."""


            def _parse(text):
                if "=" not in text:
                    raise ConfigError(text)
                return text.split("=")


            def _read(path):
                with open(path) as handle:
                    return _parse(handle.read())


            def load(path):
                """Load a configuration file.

                Args:
                    path: The file.

                Raises:
                    ConfigError: If the file is malformed (raised by a helper it calls).
                """
                return dict([_read(path)])
        '''),
        G,
        "A project function it calls, two calls deep, raises the documented exception.",
    ),
    Example(
        code('''
            from networkx.utils import not_implemented_for


            @not_implemented_for("directed")
            def components(G):
                """Connected components.

                Parameters
                ----------
                G : Graph
                    An undirected graph.

                Raises
                ------
                NetworkXNotImplemented
                    If G is directed (raised by the decorator).
                """
                return list(G)
        '''),
        N,
        "A decorator may raise the documented exception (networkx's not_implemented_for).",
    ),
    Example(
        code('''
            class DocsyncError(Exception):
                """Base error."""


            class ConfigError(DocsyncError):
                """A bad configuration."""


            def load(path):
                """Load a configuration.

                Args:
                    path: The file.

                Raises:
                    DocsyncError: If anything goes wrong.
                """
                if not path:
                    raise ConfigError(path)
                return path
        '''),
        G,
        "Raising a project subclass satisfies the documented base class.",
    ),
    Example(
        code('''
            def read(path):
                """Read a file.

                Parameters
                ----------
                path : str
                    The file.

                Raises
                ------
                OSError
                    If the file cannot be read.
                """
                if not path:
                    raise FileNotFoundError(path)
                return path
        '''),
        N,
        "Raising FileNotFoundError satisfies a documented OSError (builtin hierarchy).",
    ),
    Example(
        code('''
            def retry(func, error):
                """Call func, re-raising its error.

                :param func: What to call.
                :param error: The error to raise on failure.
                :raises RuntimeError: If the call fails.
                """
                if not func():
                    raise error
        '''),
        S,
        "A body that raises something not statically known is not checked.",
    ),
    Example(
        code('''
            import requests


            def fetch(url):
                """Fetch a URL.

                Args:
                    url: The address.

                Raises:
                    IOError: If the request fails.
                """
                if not url:
                    raise requests.HTTPError(url)
                return url
        '''),
        G,
        "An exception from another package may subclass the documented builtin one.",
    ),
    Example(
        code('''
            def get(mapping, key):
                """Look up a key.

                Args:
                    mapping: The mapping.
                    key: The key.

                Raises:
                    KeyError: If the key is missing.
                    Exception: If anything else goes wrong.
                """
                return mapping[key]
        '''),
        G,
        "Exceptions Python raises implicitly, and Exception itself, are not checked.",
    ),
    Example(
        code('''
            from abc import ABC, abstractmethod


            class Loader(ABC):
                @abstractmethod
                def load(self, path):
                    """Load a file.

                    :param path: The file.
                    :raises ValueError: If the file is malformed.
                    """
        '''),
        S,
        "Abstract methods document what implementations raise.",
    ),
    Example(
        code('''
            def load(path):
                """Load a file.

                Args:
                    path: The file.

                Raises:
                    FileNotFoundError: If the file does not exist.
                """
                try:
                    return open(path).read()
                except OSError:
                    print("cannot read", path)
                    raise
        '''),
        G,
        "Re-raising a caught OSError may pass on the documented FileNotFoundError.",
    ),
)
