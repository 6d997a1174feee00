"""Examples for DS102, a parameter missing from its docstring."""

from __future__ import annotations

from docsync.models import Style
from docsync.rules.examples import code
from docsync.rules.rule import Example

G, N, S = Style.GOOGLE, Style.NUMPY, Style.SPHINX

MISSING_FLAG = (
    Example(
        code('''
            def fetch(url, retries=3):
                """Fetch a URL.

                Args:
                    url: The address.
                """
                return url, retries
        '''),
        G,
        "'retries' was added to the signature but not documented.",
    ),
    Example(
        code('''
            def fetch(url, *, retries=3, verify=True):
                """Fetch a URL.

                Parameters
                ----------
                url : str
                    The address.
                verify : bool
                    Whether to check certificates.
                """
                return url, retries, verify
        '''),
        N,
        "An undocumented keyword-only parameter.",
    ),
    Example(
        code('''
            def fetch(url, retries, verify):
                """Fetch a URL.

                :param url: The address.
                """
                return url, retries, verify
        '''),
        S,
        "Each undocumented parameter is one finding.",
        expected=2,
    ),
    Example(
        code('''
            def test_connection(host, port):
                """Tell whether a server answers.

                Args:
                    host: The server's name.
                """
                return host, port
        '''),
        G,
        "A function named test_* outside the tests is API: its callers pass 'port'.",
        path="netcheck.py",
    ),
    Example(
        code('''
            def make_repo(path, branch):
                """Create a git repository for a test.

                Args:
                    path: Where to create it.
                """
                return path, branch
        '''),
        G,
        "A helper in the tests is called by the tests, which pass 'branch'.",
        path="tests/helpers.py",
    ),
    Example(
        code('''
            from invoke import task


            @task
            def release(c, version, dry_run=False):
                """Tag and publish a release.

                Args:
                    version: The version to tag.
                """
                c.run(f"git tag {version}", dry=dry_run)
        '''),
        G,
        "A task's context is passed by invoke, its options are not: 'dry_run' is missing.",
        path="tasks.py",
    ),
)

MISSING_OK = (
    Example(
        code('''
            def url_decode_stream(stream, charset="utf-8", decode_keys=None):
                """Works like url_decode but decodes a stream.

                :param stream: A stream with the encoded query string.
                :param charset: The charset of the query string.

                .. versionchanged:: 2.0
                    The ``decode_keys`` parameter is deprecated and will be removed.
                """
                return stream, charset, decode_keys
        '''),
        S,
        "A parameter the docstring names as deprecated is documented, as deprecated "
        "(Werkzeug 2.0's url_decode_stream).",
    ),
    Example(
        code('''
            def add_srs_entry(srs, auth_name="EPSG", database=None):
                """Add a spatial reference system, given as ``srs``, to the table.

                Keyword Arguments:
                    auth_name: The authority name. Defaults to 'EPSG'.
                    database: The database connection to use.
                """
                return srs, auth_name, database
        '''),
        G,
        "A Keyword Arguments section alone need not list the positional parameters "
        "(Django's add_srs_entry describes them in prose).",
    ),
    Example(
        code('''
            def fetch(url, retries=3):
                """Fetch a URL, retrying on failure."""
                return url, retries
        '''),
        G,
        "A docstring without a parameter section is not checked for missing parameters.",
    ),
    Example(
        code('''
            def call(func, *args, **kwargs):
                """Call a function.

                Args:
                    func: The function to call.
                """
                return func(*args, **kwargs)
        '''),
        G,
        "*args and **kwargs need not be documented.",
    ),
    Example(
        code('''
            class Client:
                """An HTTP client.

                Args:
                    base_url: The server.
                """

                def __init__(self, base_url, timeout=10.0):
                    """Create a client.

                    Args:
                        base_url: The server.
                        timeout: Seconds to wait.
                    """
                    self.base_url = base_url
                    self.timeout = timeout
        '''),
        G,
        "A class's constructor parameters documented by __init__ count as documented.",
    ),
    Example(
        code('''
            class Client:
                """An HTTP client.

                Parameters
                ----------
                base_url : str
                    The server.
                """

                def __init__(self, base_url):
                    """Create a client."""
                    self.base_url = base_url
        '''),
        N,
        "An __init__ without a parameter section is not flagged when the class documents them.",
    ),
    Example(
        code('''
            from dataclasses import dataclass


            @dataclass
            class Point:
                """A point.

                :ivar x: The abscissa.
                :ivar y: The ordinate.
                """

                x: float
                y: float
        '''),
        S,
        "A dataclass may document its fields as attributes instead of parameters.",
    ),
    Example(
        code('''
            def walk(tree, _depth=0):
                """Walk a tree.

                Args:
                    tree: The root.
                """
                return tree, _depth
        '''),
        G,
        "Parameters starting with an underscore are private by convention.",
    ),
    Example(
        code('''
            import pytest


            @pytest.mark.parametrize("status", [200, 404])
            def test_fetch(client, status):
                """The client returns the status the server sent.

                Args:
                    status: The status the fake server answers with.
                """
                assert client.get(status) == status
        '''),
        G,
        "A test's arguments are fixtures and parametrized values that pytest passes "
        "(set check-tests to check test code like API).",
        path="tests/test_client.py",
    ),
    Example(
        code('''
            import pytest


            @pytest.fixture(scope="session")
            def server(tmp_path_factory, request):
                """A local server for the session.

                Parameters
                ----------
                request : pytest.FixtureRequest
                    The request, whose param sets the server's port.
                """
                return tmp_path_factory, request
        '''),
        N,
        "A fixture's arguments are other fixtures, injected by pytest.",
        path="conftest.py",
    ),
    Example(
        code('''
            class TestClient:
                def test_retries(self, monkeypatch, retries):
                    """Retries stop after the limit.

                    :param retries: How often the client retries (parametrized).
                    """
                    assert monkeypatch and retries
        '''),
        S,
        "A method of a Test* class in a test module is a test.",
        path="tests/client_test.py",
    ),
    Example(
        code('''
            from invoke import task


            @task
            def docs(ctx, serve=False):
                """Build the documentation.

                Args:
                    serve: Serve the site after building it.
                """
                ctx.run("mkdocs serve" if serve else "mkdocs build")
        '''),
        G,
        "An invoke or fabric task's context ('c', 'ctx', 'context') is passed by the runner.",
        path="tasks.py",
    ),
)
