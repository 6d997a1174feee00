"""A small GitHub on 127.0.0.1 for the delivery tests: REST API and git over HTTP.

:class:`FakeGitHub` runs a ``ThreadingHTTPServer`` on a free port and keeps state:
accounts and tokens, repositories (bare git repositories served through
``git http-backend``), pull requests, reviews, review comments, issue comments and
labels.  The API lives under ``/api/v3`` as on GitHub Enterprise Server, so the
client is configured exactly as for GHE.  Every API request is routed and validated
through GitHub's OpenAPI description (:mod:`fake_github.openapi`); every problem is
recorded in :attr:`FakeGitHub.violations` and every request in
:attr:`FakeGitHub.requests`, for the tests to assert on.

Where GitHub behaves differently from its description, the server follows GitHub;
each such place says so and cites the source.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fake_github.api import Api, ApiError, Reply
from fake_github.git_http import BareRepos, run_http_backend
from fake_github.objects import Account, Repo, Urls
from fake_github.openapi import OpenAPI

_DOCS = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Token:
    """An access token: whose it is and whether it may write (``contents``/``pull-requests``).

    ``contents`` is ``False`` for a token that may write pull requests and issues
    but not push (``permissions: contents: read, pull-requests: write``).
    """

    value: str
    account: Account
    write: bool = True
    contents: bool = True

    @property
    def push(self) -> bool:
        """Whether git pushes with this token are accepted."""
        return self.write and self.contents


@dataclass
class Recorded:
    """One request the server answered."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    login: str | None
    operation: str | None = None


@dataclass
class _RateLimit:
    remaining: int = 5000
    pending: list[tuple[str, int]] = field(default_factory=list)


class FakeGitHub:
    """The server and its state; use :meth:`running` in a fixture."""

    def __init__(self, root: Path) -> None:
        """Keep the bare repositories under ``root``."""
        self.repos = BareRepos(root)
        self.openapi = OpenAPI()
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.tokens: dict[str, Token] = {}
        self.accounts: dict[str, Account] = {}
        self._rate = _RateLimit()
        self._failing: dict[str, tuple[int, str]] = {}
        self._lock = threading.RLock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self.urls = Urls(f"http://127.0.0.1:{self._httpd.server_address[1]}")
        self.api = Api(self.urls, self.repos)

    # --- lifecycle and set-up ----------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[FakeGitHub]:
        """Serve in a background thread until the block ends."""
        thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join()

    def account(self, login: str, kind: str = "User") -> Account:
        """The account called ``login``, created on first use."""
        if login not in self.accounts:
            self.accounts[login] = Account(login, 1000 + len(self.accounts), kind)
        return self.accounts[login]

    def add_token(
        self, value: str, login: str, *, write: bool = True, contents: bool = True
    ) -> Token:
        """A token of ``login``'s; a read-only one gets 403 on every write, like a fork PR's.

        ``contents=False`` makes a token that writes pull requests but may not push.
        """
        token = Token(value, self.account(login), write, contents)
        self.tokens[value] = token
        return token

    def fail(self, operation: str, status: int, message: str) -> None:
        """Answer every request of ``operation`` (an ``operationId``) with an error from now on.

        Args:
            operation: E.g. ``pulls/list-files``.
            status: The HTTP status (403, 500...).
            message: The ``message`` of GitHub's error body.
        """
        assert operation in self.openapi.operations(), operation
        self._failing[operation] = (status, message)

    def create_repo(self, full_name: str, *, default_branch: str = "main") -> Repo:
        """An empty repository; push to :meth:`remote_url` to fill it."""
        owner, name = full_name.split("/")
        return self.api.add_repo(self.account(owner), name, default_branch)

    def fork(self, source: str, owner: str) -> Repo:
        """A fork of ``source`` owned by ``owner``, with all of its branches."""
        return self.api.fork(self.api.repo(source), self.account(owner))

    def remote_url(self, full_name: str, token: str | None = None) -> str:
        """The HTTP clone URL of a repository, with a token in it when given."""
        host = self.urls.web.split("://", 1)[1]
        auth = f"x-access-token:{token}@" if token else ""
        return f"http://{auth}{host}/{full_name}.git"

    def rate_limit_next(
        self, count: int = 1, *, kind: str = "secondary", reset_in: int = 0
    ) -> None:
        """Answer the next ``count`` API requests with a rate-limit error of ``kind``.

        A primary limit resets ``reset_in`` seconds from now; a secondary one asks
        to retry after a second.
        """
        self._rate.pending.extend([(kind, reset_in)] * count)

    def calls(self, operation: str | None = None) -> list[Recorded]:
        """The recorded API requests (of one ``operationId``), in order."""
        return [r for r in self.requests if operation is None or r.operation == operation]

    def writes(self) -> list[Recorded]:
        """The recorded API requests that asked to change something."""
        return [r for r in self.requests if r.operation and r.method != "GET"]

    # --- requests ----------------------------------------------------------------------

    def handle(self, request: _Handler, method: str) -> None:
        """Answer one HTTP request: git when the path names a ``.git`` repository, else the API."""
        parts = urlsplit(request.path)
        body = _read_body(request)
        if parts.path.startswith("/api/v3/"):
            self._api(request, method, parts.path.removeprefix("/api/v3"), parts.query, body)
        elif ".git/" in parts.path:
            self._git(request, method, parts.path, parts.query, body)
        else:
            _send(request, 404, [("Content-Type", "text/plain")], b"not found\n")

    def _auth(self, request: _Handler) -> Token | ApiError | None:
        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        if not header:
            return None
        if scheme.lower() == "basic":
            user, _, password = base64.b64decode(credentials).decode().partition(":")
            credentials = password or user
        token = self.tokens.get(credentials.strip())
        if token is None:
            return ApiError(401, "Bad credentials", f"{_DOCS}")
        return token

    def _api(self, request: _Handler, method: str, path: str, query_text: str, raw: bytes) -> None:
        query = dict(parse_qsl(query_text, keep_blank_values=True))
        has_body = bool(raw.strip())
        try:
            body = json.loads(raw) if has_body else None
        except ValueError:
            body, has_body = raw.decode("utf-8", "replace"), True
        operation = self.openapi.match(method, path)
        token = self._auth(request)
        login = token.account.login if isinstance(token, Token) else None
        with self._lock:
            reply = self._answer(operation, method, path, query, body, has_body, token)
            if operation is None:
                self.violations.append(f"{method} {path}: no operation in the OpenAPI subset")
            elif reply.status not in (500,):
                problems = self.openapi.check_response(operation, reply.status, reply.body)
                self.violations.extend(problems)
            op_id = operation.operation_id if operation else None
            self.requests.append(Recorded(method, path, query, body, reply.status, login, op_id))
            overridden = {name.lower() for name, _ in reply.headers}
            defaults = [(k, v) for k, v in self._rate_headers() if k not in overridden]
            headers = [*defaults, *reply.headers]
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        headers.append(("Content-Type", "application/json; charset=utf-8"))
        _send(request, reply.status, headers, payload)

    def _answer(
        self,
        operation: Any,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        has_body: bool,
        token: Token | ApiError | None,
    ) -> Reply:
        if self._rate.pending:
            return self._rate_limited(*self._rate.pending.pop(0))
        if isinstance(token, ApiError):
            return token.reply()
        if operation is None:
            return ApiError(404, "Not Found", _DOCS).reply()
        if operation.operation_id in self._failing:
            status, message = self._failing[operation.operation_id]
            return ApiError(status, message, _DOCS).reply()
        checked = body
        if operation.operation_id == "issues/add-labels" and isinstance(body, list):
            # The description lists only {"labels": [...]}, but its own text says "You can
            # also pass an array of labels directly", which GitHub accepts (and PyGithub
            # sends): https://docs.github.com/en/rest/issues/labels#add-labels-to-an-issue
            checked = {"labels": body}
        problems = self.openapi.check_request(operation, query, checked, has_body)
        if problems:
            self.violations.extend(problems)
            # GitHub answers a body off its schema with 422 "Invalid request."
            return ApiError(422, "Invalid request.\n\n" + "\n".join(problems), _DOCS).reply()
        self._rate.remaining -= 1
        try:
            return self.api.dispatch(operation, query, body, token)
        except ApiError as error:
            return error.reply()

    def _rate_limited(self, kind: str, reset_in: int) -> Reply:
        # Primary: 403 with x-ratelimit-remaining 0 and the reset time; secondary: 403
        # with retry-after.  https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
        if kind == "primary":
            reset = str(int(time.time()) + reset_in)
            error = ApiError(403, "API rate limit exceeded for user ID 1000.", _DOCS)
            return error.reply([("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)])
        error = ApiError(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again.",
            _DOCS,
        )
        return error.reply([("retry-after", "1")])

    def _rate_headers(self) -> list[tuple[str, str]]:
        reset = str(int(time.time()) + 3600)
        return [
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", str(self._rate.remaining)),
            ("x-ratelimit-used", str(5000 - self._rate.remaining)),
            ("x-ratelimit-reset", reset),
            ("x-ratelimit-resource", "core"),
        ]

    def _git(self, request: _Handler, method: str, path: str, query: str, body: bytes) -> None:
        repo_part = path.split(".git/", 1)[0].strip("/")
        with self._lock:
            repo = self.api.find_repo(repo_part)
            if repo is not None:
                self.api.sync_pull_refs(repo)
        if repo is None:
            _send(request, 404, [("Content-Type", "text/plain")], b"Repository not found.\n")
            return
        token = self._auth(request)
        pushing = "git-receive-pack" in path or "service=git-receive-pack" in query
        if isinstance(token, ApiError) or (token is None and (pushing or repo.private)):
            challenge = [("WWW-Authenticate", 'Basic realm="GitHub"')]
            _send(request, 401, challenge, b"Authentication failed\n")
            return
        if pushing and token is not None and not token.push:
            message = (
                f"remote: Permission to {repo.full_name}.git denied to {token.account.login}.\n"
            )
            _send(request, 403, [("Content-Type", "text/plain")], message.encode())
            return
        headers = {k.lower(): v for k, v in request.headers.items()}
        answer = run_http_backend(
            self.repos,
            method=method,
            path_info=path,
            query=query,
            headers=headers,
            body=body,
            remote_user=token.account.login if token else None,
        )
        _send(request, answer.status, answer.headers, answer.body)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeGitHub/1.0"

    def do_GET(self) -> None:
        self.server.app.handle(self, "GET")  # type: ignore[attr-defined]

    def do_POST(self) -> None:
        self.server.app.handle(self, "POST")  # type: ignore[attr-defined]

    def do_PATCH(self) -> None:
        self.server.app.handle(self, "PATCH")  # type: ignore[attr-defined]

    def do_PUT(self) -> None:
        self.server.app.handle(self, "PUT")  # type: ignore[attr-defined]

    def do_DELETE(self) -> None:
        self.server.app.handle(self, "DELETE")  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


def _read_body(request: BaseHTTPRequestHandler) -> bytes:
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(request.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                request.rfile.readline()
                return b"".join(chunks)
            chunks.append(request.rfile.read(size))
            request.rfile.readline()
    length = int(request.headers.get("Content-Length") or 0)
    return request.rfile.read(length) if length else b""


def _send(
    request: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    request.send_response(status)
    for name, value in headers:
        if name.lower() != "content-length":
            request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(body)
