"""Deliver on GitHub through PyGithub: one pull request kept up to date, reviews, a sticky comment.

The API base comes from ``GITHUB_API_URL`` (GitHub Enterprise Server:
``https://<host>/api/v3``), the token from ``GITHUB_TOKEN`` and the repository
from ``GITHUB_REPOSITORY`` or the ``origin`` remote's URL.  Every request goes
through :func:`_request`, which turns a failure into a
:class:`~docsync.errors.DeliveryError` that names the request (method and path)
and says what to do; a refusal for lack of permission (401/403) is a
:class:`PermissionDenied`, which the commands report without writing anything.
Rate limits are honoured by PyGithub's :class:`~github.GithubRetry` (it waits for
``Retry-After`` and ``x-ratelimit-reset``, up to :data:`MAX_RATE_LIMIT_WAIT`).

The commands built on it are :mod:`docsync.commands.pr` and :mod:`docsync.commands.review`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from github import Auth, Github, GithubException, GithubRetry, RateLimitExceededException
from requests.exceptions import RetryError

from docsync.errors import ConfigError, DeliveryError

if TYPE_CHECKING:
    from urllib3.util import Retry

__all__ = [
    "MAX_RATE_LIMIT_WAIT",
    "GitHub",
    "GitHubSettings",
    "PermissionDenied",
    "PullInfo",
    "PullOutcome",
    "RepoInfo",
    "explain",
    "repository_from_url",
    "require_token",
]

DEFAULT_API_URL = "https://api.github.com"
#: The longest docsync waits for a rate limit to reset before giving up, in seconds.
MAX_RATE_LIMIT_WAIT = 600.0
#: PyGithub's pacing between requests and between writes (GitHub asks integrations
#: to leave a second between writes); tests set both to 0.
SECONDS_BETWEEN_REQUESTS = 0.25
SECONDS_BETWEEN_WRITES = 1.0

PERMISSIONS_HINT = (
    "docsync needs a token with `pull-requests: write` (to open pull requests, review "
    "and comment) and `contents: write` (to push its branch)"
)
_TOO_MANY = re.compile(r"too many (\d{3}) error responses")
_REMOTE = re.compile(r"^(?:[\w+.-]+://(?:[^@/]+@)?[^/]+/|[^@:/]+@[^:]+:)(?P<path>[^?#]+?)/?$")


class PermissionDenied(DeliveryError):
    """GitHub refused a request for lack of permission (401 or 403): nothing was written."""


def require_token(env: Mapping[str, str], command: str) -> None:
    """Refuse to start a command that talks to the GitHub API without a token.

    Without one, PyGithub would go to the API unauthenticated and fail later with a
    401 or a network error that says nothing about the cause.

    Args:
        env: The environment the command runs with.
        command: The command, for the message (``docsync pr``).

    Raises:
        DeliveryError: ``GITHUB_TOKEN`` is unset or empty.
    """
    if not env.get("GITHUB_TOKEN"):
        raise DeliveryError(
            f"GITHUB_TOKEN is not set: {command} talks to the GitHub API and needs a token. "
            f"Set GITHUB_TOKEN (in GitHub Actions: `env: GITHUB_TOKEN: ${{{{ github.token }}}}`); "
            f"{PERMISSIONS_HINT}"
        )


@dataclass(frozen=True)
class GitHubSettings:
    """Where the API is, which token to use, and which repository to deliver to."""

    api_url: str
    token: str | None
    repository: str

    @classmethod
    def from_env(cls, env: Mapping[str, str], remote: str | None) -> GitHubSettings:
        """Read ``GITHUB_API_URL``, ``GITHUB_TOKEN`` and ``GITHUB_REPOSITORY``.

        Args:
            env: The environment (``os.environ``).
            remote: The URL of the ``origin`` remote, used when ``GITHUB_REPOSITORY``
                is not set.

        Returns:
            The settings.

        Raises:
            ConfigError: The repository can be read from neither.
        """
        repository = env.get("GITHUB_REPOSITORY") or (
            repository_from_url(remote) if remote else None
        )
        if not repository or repository.count("/") != 1:
            raise ConfigError(
                "cannot tell which GitHub repository to use: set GITHUB_REPOSITORY=owner/name "
                "or add an `origin` remote that points at GitHub"
            )
        api = (env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        return cls(api, env.get("GITHUB_TOKEN") or None, repository)

    @property
    def owner(self) -> str:
        """The repository's owner (user or organisation)."""
        return self.repository.split("/")[0]


def repository_from_url(url: str) -> str | None:
    """``owner/name`` from a remote URL (HTTPS, SSH or ``git@host:owner/name.git``).

    Args:
        url: The remote's URL.

    Returns:
        ``owner/name``, or ``None`` when the URL has no such path.
    """
    found = _REMOTE.match(url.strip())
    if found is None:
        return None
    parts = found.group("path").removesuffix(".git").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 and all(parts[-2:]) else None


@dataclass(frozen=True)
class RepoInfo:
    """What docsync needs to know of the repository; ``can_push`` is ``None`` when unknown."""

    full_name: str
    html_url: str
    default_branch: str
    can_push: bool | None


@dataclass(frozen=True)
class PullInfo:
    """A pull request's head and base; ``head_repo`` is ``None`` for a deleted fork."""

    number: int
    html_url: str
    title: str
    body: str
    head_ref: str
    head_sha: str
    head_repo: str | None
    base_ref: str
    base_sha: str


@dataclass(frozen=True)
class PullOutcome:
    """A pull request docsync opened, updated, or found up to date (``action``)."""

    number: int
    html_url: str
    action: str


class GitHub:
    """The few GitHub operations docsync performs, each wrapped by :func:`_request`.

    Every method raises :class:`~docsync.errors.DeliveryError` (a
    :class:`PermissionDenied` for 401/403) that names the request that failed.
    """

    def __init__(
        self, settings: GitHubSettings, *, retry: Retry | None = None, per_page: int = 100
    ) -> None:
        """Connect (lazily: nothing is requested until an operation runs).

        Args:
            settings: API base, token and repository.
            retry: How to retry; default: PyGithub's :class:`~github.GithubRetry`,
                which honours rate limits, waiting at most :data:`MAX_RATE_LIMIT_WAIT`.
            per_page: Page size of listed items.
        """
        self.settings = settings
        auth = Auth.Token(settings.token) if settings.token else None
        self._gh = Github(
            base_url=settings.api_url,
            auth=auth,
            retry=retry
            if retry is not None
            else GithubRetry(max_rate_limit_wait=MAX_RATE_LIMIT_WAIT),
            per_page=per_page,
            seconds_between_requests=SECONDS_BETWEEN_REQUESTS or None,
            seconds_between_writes=SECONDS_BETWEEN_WRITES or None,
            lazy=True,
        )
        self._repo = self._gh.get_repo(settings.repository)
        self._path = f"/repos/{settings.repository}"

    def repo_info(self) -> RepoInfo:
        """``GET /repos/{owner}/{repo}``: web address, default branch, push permission.

        Returns:
            The repository's facts.
        """
        with _request("GET", self._path):
            repo = self._repo.complete()
            permissions = repo.permissions
            return RepoInfo(
                repo.full_name,
                repo.html_url,
                repo.default_branch,
                permissions.push if permissions is not None else None,
            )

    def pull(self, number: int) -> PullInfo:
        """``GET /repos/{owner}/{repo}/pulls/{number}``.

        Args:
            number: The pull request's number.

        Returns:
            Its head and base.
        """
        with _request("GET", f"{self._path}/pulls/{number}"):
            return _pull_info(self._repo.get_pull(number))

    def find_open_pull(self, branch: str, base: str) -> PullInfo | None:
        """The open pull request from ``branch`` of this repository into ``base``.

        GitHub filters by head only when the filter names the owner
        (``owner:branch``) and silently ignores a bare branch name, so the owner is
        always given, and the answer is checked again here.

        Args:
            branch: The head branch.
            base: The base branch.

        Returns:
            The pull request, or ``None``.
        """
        head = f"{self.settings.owner}:{branch}"
        with _request("GET", f"{self._path}/pulls?state=open&head={head}&base={base}"):
            for pull in self._repo.get_pulls(state="open", head=head, base=base):
                info = _pull_info(pull)
                if info.head_ref == branch and info.head_repo == self.settings.repository:
                    return info
        return None

    def open_or_update_pull(
        self, *, branch: str, base: str, title: str, body: str, labels: Sequence[str]
    ) -> PullOutcome:
        """Update the open pull request from ``branch`` into ``base``, or open one.

        Args:
            branch: The head branch (in this repository).
            base: The branch to merge into.
            title: The pull request's title.
            body: Its description.
            labels: Labels added when the pull request is opened.

        Returns:
            The pull request and what was done (``opened``, ``updated``, ``unchanged``).
        """
        found = self.find_open_pull(branch, base)
        if found is not None:
            if found.title == title and found.body == body:
                return PullOutcome(found.number, found.html_url, "unchanged")
            with _request("PATCH", f"{self._path}/pulls/{found.number}"):
                self._repo.get_pull(found.number).edit(title=title, body=body)
            return PullOutcome(found.number, found.html_url, "updated")
        with _request("POST", f"{self._path}/pulls"):
            created = self._repo.create_pull(base=base, head=branch, title=title, body=body)
            number, url = created.number, created.html_url
        if labels:
            with _request("POST", f"{self._path}/issues/{number}/labels"):
                self._repo.get_issue(number).add_to_labels(*labels)
        return PullOutcome(number, url, "opened")

    def pull_patches(self, number: int) -> dict[str, str | None]:
        """``GET .../pulls/{number}/files``: each file's patch (``None`` when GitHub gives none).

        Args:
            number: The pull request's number.

        Returns:
            Patch text by repo-relative path.
        """
        with _request("GET", f"{self._path}/pulls/{number}/files"):
            return {f.filename: f.patch for f in self._repo.get_pull(number).get_files()}

    def review_comments(self, number: int) -> set[tuple[str, int | None, int | None, str]]:
        """``GET .../pulls/{number}/comments``: the review comments already there.

        Args:
            number: The pull request's number.

        Returns:
            ``(path, start_line, line, body)`` of each.
        """
        with _request("GET", f"{self._path}/pulls/{number}/comments"):
            return {
                (c.path, c.start_line, c.line, c.body)
                for c in self._repo.get_pull(number).get_review_comments()
            }

    def post_review(
        self, number: int, commit: str, body: str, comments: list[dict[str, Any]]
    ) -> None:
        """``POST .../pulls/{number}/reviews``: one review (``COMMENT``) with all the comments.

        Args:
            number: The pull request's number.
            commit: The head commit the comments' lines refer to.
            body: The review's text.
            comments: Review comments (``path``, ``body``, ``line``, ``side`` and,
                for several lines, ``start_line``/``start_side``).
        """
        with _request("POST", f"{self._path}/pulls/{number}/reviews"):
            self._repo.get_pull(number).create_review(
                commit=self._repo.get_commit(commit),
                body=body,
                event="COMMENT",
                comments=comments,  # type: ignore[arg-type]
            )

    def upsert_comment(self, number: int, marker: str, body: str, *, create: bool = True) -> str:
        """Edit the comment that carries ``marker``, or post one; never a second.

        Args:
            number: The issue or pull request's number.
            marker: A hidden HTML comment that identifies docsync's comment.
            body: The comment's text (it contains ``marker``).
            create: Post a comment when none carries the marker.

        Returns:
            ``created``, ``updated``, ``unchanged`` or ``none`` (nothing there, none posted).
        """
        issue = self._repo.get_issue(number)
        with _request("GET", f"{self._path}/issues/{number}/comments"):
            found = next((c for c in issue.get_comments() if marker in (c.body or "")), None)
        if found is not None:
            if found.body == body:
                return "unchanged"
            with _request("PATCH", f"{self._path}/issues/comments/{found.id}"):
                found.edit(body)
            return "updated"
        if not create:
            return "none"
        with _request("POST", f"{self._path}/issues/{number}/comments"):
            issue.create_comment(body)
        return "created"


def _pull_info(pull: Any) -> PullInfo:
    head_repo = pull.head.repo
    return PullInfo(
        pull.number,
        pull.html_url,
        pull.title,
        pull.body or "",
        pull.head.ref,
        pull.head.sha,
        head_repo.full_name if head_repo is not None else None,
        pull.base.ref,
        pull.base.sha,
    )


@contextmanager
def _request(method: str, path: str) -> Iterator[None]:
    """Turn any failure of the request ``method path`` into a :class:`DeliveryError`."""
    try:
        yield
    except GithubException as exc:
        raise explain(method, path, exc) from None
    except RetryError as exc:  # every retry answered with a server error
        found = _TOO_MANY.search(str(exc))
        status = f" ({found.group(1)}, retried)" if found else " (retried)"
        raise DeliveryError(
            f"GitHub API {method} {path} failed{status}: GitHub could not answer; try again later"
        ) from None
    except OSError as exc:  # requests' errors are OSErrors: refused, timed out, retries spent
        raise DeliveryError(
            f"GitHub API {method} {path} failed: {exc}. Is GITHUB_API_URL right and the "
            "server reachable?"
        ) from None


def explain(method: str, path: str, exc: GithubException) -> DeliveryError:
    """The error to report for a failed request: what failed, why, and what to do.

    Args:
        method: The HTTP method.
        path: The request's path (under the API base).
        exc: PyGithub's exception.

    Returns:
        A :class:`PermissionDenied` for 401/403 (not rate limits), else a
        :class:`DeliveryError`.
    """
    data = exc.data if isinstance(exc.data, dict) else {}
    message = str(data.get("message") or exc.message or "").strip()
    what = f"GitHub API {method} {path} failed ({exc.status}{' ' + message if message else ''})"
    if isinstance(exc, RateLimitExceededException) or _is_rate_limit(message):
        reset = _reset_time(exc.headers or {})
        return DeliveryError(
            f"{what}: the API rate limit is used up{reset}; run docsync again then"
        )
    if exc.status == 401:
        return PermissionDenied(
            f"{what}: the token is missing, wrong or expired. Set GITHUB_TOKEN; {PERMISSIONS_HINT}"
        )
    if exc.status == 403:
        return PermissionDenied(f"{what}: the token may not do this. {PERMISSIONS_HINT}")
    if exc.status == 404:
        return DeliveryError(
            f"{what}: no such repository or pull request, or the token cannot see it. Check "
            "GITHUB_REPOSITORY (or the origin remote) and the token's access to the repository"
        )
    if exc.status == 422:
        return DeliveryError(f"{what}: {_explain_422(data.get('errors'))}")
    if exc.status >= 500:
        return DeliveryError(f"{what}: GitHub could not answer; try again later")
    return DeliveryError(what)


def _is_rate_limit(message: str) -> bool:
    lowered = message.lower()
    return lowered.startswith("api rate limit exceeded") or "secondary rate limit" in lowered


def _reset_time(headers: Mapping[str, Any]) -> str:
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    reset = lowered.get("x-ratelimit-reset", "")
    if reset.isdigit():
        at = datetime.fromtimestamp(int(reset), tz=timezone.utc)
        return f" until {at:%H:%M} UTC"
    if lowered.get("retry-after", "").isdigit():
        return f" for {lowered['retry-after']} seconds"
    return ""


def _explain_422(errors: Any) -> str:
    texts = [
        str(e.get("message") or f"{e.get('field', '')} {e.get('code', '')}".strip())
        if isinstance(e, dict)
        else str(e)
        for e in (errors if isinstance(errors, list) else [])
    ]
    joined = "; ".join(texts) or "GitHub rejected the request"
    if "must be part of the diff" in joined or "same hunk" in joined:
        return (
            f"{joined}. A suggestion's line is outside the pull request's diff; the pull "
            "request probably changed while docsync ran: run docsync review again"
        )
    if "already exists" in joined:
        return (
            f"{joined}. A pull request for this branch already exists (opened since docsync "
            "looked for one?); run docsync pr again to update it"
        )
    if "No commits between" in joined:
        return f"{joined}. The branch holds no commit that the base lacks"
    return joined
