"""The REST operations of the fake GitHub: state changes and answers, one method each.

:meth:`Api.dispatch` calls the method named after the operation's ``operationId``
(``pulls/create-review`` → ``pulls_create_review``).  Requests reach it already
validated against the OpenAPI description; the answers are validated on the way
out by the server.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fake_github.git_http import BareRepos, FileDiff
from fake_github.objects import (
    Account,
    IssueComment,
    Label,
    Pull,
    PullStats,
    Repo,
    Review,
    ReviewComment,
    Urls,
    issue_comment_json,
    label_json,
    pull_json,
    repo_json,
    review_comment_json,
    review_json,
)
from fake_github.reviews import ERROR_ORDER, place_comment, sentence

if TYPE_CHECKING:
    from fake_github.openapi import Operation
    from fake_github.server import Token

_DOCS = "https://docs.github.com/rest"
_DOC_PAGES = {
    "pulls/create": "pulls/pulls#create-a-pull-request",
    "pulls/update": "pulls/pulls#update-a-pull-request",
    "pulls/create-review": "pulls/reviews#create-a-review-for-a-pull-request",
    "issues/create-comment": "issues/comments#create-an-issue-comment",
    "issues/update-comment": "issues/comments#update-an-issue-comment",
    "issues/add-labels": "issues/labels#add-labels-to-an-issue",
}
_REVIEW_STATES = {
    "COMMENT": "COMMENTED",
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
}


@dataclass
class Reply:
    """A status, a JSON body and extra headers."""

    status: int
    body: Any
    headers: list[tuple[str, str]] = field(default_factory=list)


class ApiError(Exception):
    """An error answer, in GitHub's shape (``basic-error`` / ``validation-error``)."""

    def __init__(
        self, status: int, message: str, documentation_url: str, errors: list[Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.url, self.errors = (
            status,
            message,
            documentation_url,
            errors,
        )

    def reply(self, headers: list[tuple[str, str]] | None = None) -> Reply:
        """The answer to send."""
        body: dict[str, Any] = {"message": self.message, "documentation_url": self.url}
        if self.errors is not None:
            body["errors"] = self.errors
        body["status"] = str(self.status)
        return Reply(self.status, body, headers or [])


class Api:
    """The state behind the REST API."""

    def __init__(self, urls: Urls, repos: BareRepos) -> None:
        """Start empty."""
        self.urls, self.git = urls, repos
        self.repositories: dict[str, Repo] = {}
        self.pulls: dict[str, list[Pull]] = {}
        self.issue_comments: list[IssueComment] = []
        self.reviews: list[Review] = []
        self.review_comments: list[ReviewComment] = []
        self.labels: dict[str, list[Label]] = {}
        self._ids = itertools.count(1)
        self._clock = itertools.count(0)
        self._head_seen: dict[int, str] = {}

    # --- state helpers -----------------------------------------------------------------

    def now(self) -> str:
        """The next tick of a deterministic clock, one minute apart."""
        minute = next(self._clock)
        return f"2024-01-0{1 + minute // 1440}T{minute // 60 % 24:02d}:{minute % 60:02d}:00Z"

    def add_repo(self, owner: Account, name: str, default_branch: str) -> Repo:
        """Create a repository and its bare git repository."""
        repo = Repo(owner, name, next(self._ids), default_branch, self.now())
        self.git.create(repo.full_name, default_branch)
        self.repositories[repo.full_name] = repo
        self.pulls[repo.full_name] = []
        self.labels[repo.full_name] = []
        return repo

    def fork(self, source: Repo, owner: Account) -> Repo:
        """A fork with every branch of ``source``."""
        fork = self.add_repo(owner, source.name, source.default_branch)
        fork.fork_of = source
        self.git.git(
            fork.full_name,
            "fetch",
            "-q",
            str(self.git.path(source.full_name)),
            "+refs/heads/*:refs/heads/*",
        )
        return fork

    def repo(self, full_name: str) -> Repo:
        """The repository called ``full_name``."""
        found = self.find_repo(full_name)
        if found is None:
            raise ApiError(404, "Not Found", f"{_DOCS}/repos/repos#get-a-repository")
        return found

    def find_repo(self, full_name: str) -> Repo | None:
        """The repository called ``full_name``, if there is one (case-insensitive, as GitHub)."""
        for name, repo in self.repositories.items():
            if name.lower() == full_name.lower():
                return repo
        return None

    def sync_pull_refs(self, repo: Repo) -> None:
        """Point ``refs/pull/<n>/head`` at each pull request's head, as GitHub keeps them."""
        for pull in self.pulls[repo.full_name]:
            self._head_sha(pull)

    def _head_sha(self, pull: Pull) -> str:
        sha = self.git.tip(pull.head_repo.full_name, pull.head_ref)
        if sha and self._head_seen.get(pull.id) != sha:
            self.git.copy_ref(
                pull.head_repo.full_name,
                pull.head_ref,
                pull.repo.full_name,
                f"refs/pull/{pull.number}/head",
            )
            self._head_seen[pull.id] = sha
        return self._head_seen[pull.id]

    def _stats(self, pull: Pull, *, diff: bool) -> PullStats:
        head = self._head_sha(pull)
        base = self.git.tip(pull.repo.full_name, pull.base_ref) or head
        if not diff:
            return PullStats(head, base, 0, 0, 0, 0)
        files = self.git.diff_files(pull.repo.full_name, base, head)
        mb = self.git.merge_base(pull.repo.full_name, base, head) or base
        return PullStats(
            head,
            base,
            self.git.count_commits(pull.repo.full_name, mb, head),
            sum(f.additions for f in files),
            sum(f.deletions for f in files),
            len(files),
        )

    def _pull(self, repo: Repo, number: int) -> Pull:
        for pull in self.pulls[repo.full_name]:
            if pull.number == number:
                return pull
        raise ApiError(404, "Not Found", f"{_DOCS}/pulls/pulls#get-a-pull-request")

    def _pull_json(self, pull: Pull, *, full: bool) -> dict[str, Any]:
        comments = sum(
            1 for c in self.issue_comments if c.repo is pull.repo and c.number == pull.number
        )
        reviewed = sum(1 for c in self.review_comments if c.review.pull is pull)
        stats = self._stats(pull, diff=full)
        return pull_json(
            self.urls, pull, stats, full=full, comments=comments, review_comments=reviewed
        )

    # --- dispatch ----------------------------------------------------------------------

    def dispatch(
        self, operation: Operation, query: dict[str, str], body: Any, token: Token | None
    ) -> Reply:
        """Answer one validated request."""
        repo = self.repo(f"{operation.path_params['owner']}/{operation.path_params['repo']}")
        if operation.method != "GET":
            self._may_write(operation.operation_id, token)
        handler = getattr(self, operation.operation_id.replace("/", "_").replace("-", "_"))
        reply: Reply = handler(repo, operation.path_params, query, body, token)
        return reply

    def _may_write(self, operation_id: str, token: Token | None) -> None:
        url = f"{_DOCS}/{_DOC_PAGES.get(operation_id, '')}"
        if token is None:
            raise ApiError(401, "Requires authentication", url)
        if not token.write:
            # What GITHUB_TOKEN gets on a pull request from a fork (read-only):
            # https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token
            raise ApiError(403, "Resource not accessible by integration", url)

    def _page(self, items: list[Any], query: dict[str, str], path: str) -> Reply:
        per_page = min(int(query.get("per_page", 30)), 100)
        page = max(int(query.get("page", 1)), 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        last = max((len(items) + per_page - 1) // per_page, 1)
        others = {k: v for k, v in query.items() if k not in ("page", "per_page")}
        extra = "".join(f"&{k}={v}" for k, v in others.items())
        links = []
        if page < last:
            links.append(
                f'<{self.urls.api}{path}?per_page={per_page}&page={page + 1}{extra}>; rel="next"'
            )
            links.append(
                f'<{self.urls.api}{path}?per_page={per_page}&page={last}{extra}>; rel="last"'
            )
        return Reply(200, chunk, [("Link", ", ".join(links))] if links else [])

    # --- repositories ------------------------------------------------------------------

    def repos_get(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        permissions = None
        if token is not None:
            write = token.write
            permissions = {
                "admin": False,
                "maintain": False,
                "push": token.push,
                "triage": write,
                "pull": True,
            }
        open_pulls = sum(1 for p in self.pulls[repo.full_name] if p.state == "open")
        return Reply(
            200,
            repo_json(self.urls, repo, permissions=permissions, full=True, open_issues=open_pulls),
        )

    # --- pull requests -----------------------------------------------------------------

    def pulls_list(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        state = query.get("state", "open")
        pulls = [p for p in self.pulls[repo.full_name] if state == "all" or p.state == state]
        head = query.get("head")
        if head and ":" in head:
            # GitHub filters by head only in the form owner:branch; a bare branch name is
            # silently ignored and every pull request is listed.  Documented at
            # https://docs.github.com/en/rest/pulls/pulls#list-pull-requests ("in the format
            # of user:ref-name"), observed in https://github.com/orgs/community/discussions/24354.
            owner, ref = head.split(":", 1)
            pulls = [
                p
                for p in pulls
                if p.head_repo.owner.login.lower() == owner.lower() and p.head_ref == ref
            ]
        if "base" in query:
            pulls = [p for p in pulls if p.base_ref == query["base"]]
        pulls.sort(key=lambda p: p.id, reverse=query.get("direction", "desc") == "desc")
        reply = self._page(pulls, query, f"/repos/{repo.full_name}/pulls")
        reply.body = [self._pull_json(p, full=False) for p in reply.body]
        return reply

    def pulls_get(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        return Reply(200, self._pull_json(self._pull(repo, int(params["pull_number"])), full=True))

    def pulls_create(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        assert token is not None
        head_owner, _, head_ref = body["head"].rpartition(":")
        head_repo = repo
        if head_owner and head_owner.lower() != repo.owner.login.lower():
            head_repo = self.find_repo(f"{head_owner}/{repo.name}") or repo
            if head_repo is repo:
                raise _invalid("pulls/create", "head")
        if not self.git.tip(repo.full_name, body["base"]):
            raise _invalid("pulls/create", "base")
        head_sha = self.git.tip(head_repo.full_name, head_ref)
        if not head_sha:
            raise _invalid("pulls/create", "head")
        label = f"{head_repo.owner.login}:{head_ref}"
        for pull in self.pulls[repo.full_name]:
            if (
                pull.state == "open"
                and pull.head_repo is head_repo
                and pull.head_ref == head_ref
                and pull.base_ref == body["base"]
            ):
                raise _custom("pulls/create", f"A pull request already exists for {label}.")
        self.git.copy_ref(head_repo.full_name, head_ref, repo.full_name, "refs/docsync-fake/probe")
        base_sha = self.git.tip(repo.full_name, body["base"]) or ""
        if self.git.count_commits(repo.full_name, base_sha, "refs/docsync-fake/probe") == 0:
            raise _custom("pulls/create", f"No commits between {body['base']} and {label}")
        stamp = self.now()
        number = sum(len(p) for p in self.pulls.values()) + 1
        pull = Pull(
            number=number,
            id=next(self._ids),
            repo=repo,
            head_repo=head_repo,
            head_ref=head_ref,
            base_ref=body["base"],
            title=body.get("title", head_ref),
            body=body.get("body"),
            user=token.account,
            created_at=stamp,
            updated_at=stamp,
            draft=bool(body.get("draft", False)),
            maintainer_can_modify=bool(body.get("maintainer_can_modify", False)),
        )
        self.pulls[repo.full_name].append(pull)
        data = self._pull_json(pull, full=True)
        return Reply(201, data, [("Location", data["url"])])

    def pulls_update(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        pull = self._pull(repo, int(params["pull_number"]))
        for key in ("title", "body", "state", "maintainer_can_modify"):
            if key in body:
                setattr(pull, key, body[key])
        if "base" in body:
            if not self.git.tip(repo.full_name, body["base"]):
                raise _invalid("pulls/update", "base")
            pull.base_ref = body["base"]
        pull.updated_at = self.now()
        return Reply(200, self._pull_json(pull, full=True))

    def _files(self, pull: Pull, commit: str | None = None) -> list[FileDiff]:
        stats = self._stats(pull, diff=False)
        return self.git.diff_files(pull.repo.full_name, stats.base_sha, commit or stats.head_sha)

    def pulls_list_files(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        pull = self._pull(repo, int(params["pull_number"]))
        reply = self._page(
            self._files(pull), query, f"/repos/{repo.full_name}/pulls/{pull.number}/files"
        )
        reply.body = [self._diff_entry(repo, pull, f) for f in reply.body]
        return reply

    def _diff_entry(self, repo: Repo, pull: Pull, diff: FileDiff) -> dict[str, Any]:
        head = self._head_sha(pull)
        entry: dict[str, Any] = {
            "sha": diff.sha,
            "filename": diff.filename,
            "status": diff.status,
            "additions": diff.additions,
            "deletions": diff.deletions,
            "changes": diff.additions + diff.deletions,
            "blob_url": f"{self.urls.web}/{repo.full_name}/blob/{head}/{diff.filename}",
            "raw_url": f"{self.urls.web}/{repo.full_name}/raw/{head}/{diff.filename}",
            "contents_url": f"{self.urls.repo(repo)}/contents/{diff.filename}?ref={head}",
        }
        if diff.patch is not None:
            entry["patch"] = diff.patch
        if diff.previous_filename is not None:
            entry["previous_filename"] = diff.previous_filename
        return entry

    def pulls_list_review_comments(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        pull = self._pull(repo, int(params["pull_number"]))
        comments = [c for c in self.review_comments if c.review.pull is pull]
        reply = self._page(comments, query, f"/repos/{repo.full_name}/pulls/{pull.number}/comments")
        reply.body = [review_comment_json(self.urls, c) for c in reply.body]
        return reply

    def pulls_create_review(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        assert token is not None
        pull = self._pull(repo, int(params["pull_number"]))
        commit = body.get("commit_id") or self._head_sha(pull)
        if not self.git.exists(repo.full_name, commit):
            raise ApiError(
                422,
                "Unprocessable Entity",
                _doc("pulls/create-review"),
                [f"No commit found for SHA: {commit}"],
            )
        files = {f.filename: f for f in self._files(pull, commit)}
        placed = [place_comment(files, comment) for comment in body.get("comments", [])]
        errors = sorted({message for _, message in placed if message}, key=ERROR_ORDER.index)
        if errors:
            # All or nothing, with GitHub's messages joined into one sentence, e.g.
            # https://github.com/parkerbxyz/suggest-changes/issues/28 and
            # https://github.com/danobi/prr/issues/11
            raise ApiError(
                422, "Unprocessable Entity", _doc("pulls/create-review"), [sentence(errors)]
            )
        review = Review(
            next(self._ids),
            pull,
            token.account,
            body.get("body", ""),
            _REVIEW_STATES.get(body.get("event", ""), "PENDING"),
            commit,
            self.now(),
        )
        self.reviews.append(review)
        for comment, (place, _) in zip(body.get("comments", []), placed, strict=True):
            assert place is not None
            line, position, hunk = place
            self.review_comments.append(
                ReviewComment(
                    id=next(self._ids),
                    review=review,
                    path=comment["path"],
                    body=comment["body"],
                    line=line,
                    side=comment.get("side", "RIGHT"),
                    start_line=comment.get("start_line"),
                    start_side=comment.get("start_side") if comment.get("start_line") else None,
                    position=position,
                    diff_hunk=hunk,
                    created_at=review.submitted_at,
                )
            )
        return Reply(200, review_json(self.urls, review))

    # --- issue comments and labels -----------------------------------------------------

    def issues_list_comments(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        pull = self._pull(repo, int(params["issue_number"]))
        comments = [c for c in self.issue_comments if c.repo is repo and c.number == pull.number]
        if "since" in query:
            comments = [c for c in comments if c.updated_at >= query["since"]]
        reply = self._page(
            comments, query, f"/repos/{repo.full_name}/issues/{pull.number}/comments"
        )
        reply.body = [issue_comment_json(self.urls, c) for c in reply.body]
        return reply

    def issues_create_comment(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        assert token is not None
        pull = self._pull(repo, int(params["issue_number"]))
        stamp = self.now()
        comment = IssueComment(
            next(self._ids), repo, pull.number, token.account, body["body"], stamp, stamp
        )
        self.issue_comments.append(comment)
        data = issue_comment_json(self.urls, comment)
        return Reply(201, data, [("Location", data["url"])])

    def issues_update_comment(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        for comment in self.issue_comments:
            if comment.repo is repo and comment.id == int(params["comment_id"]):
                comment.body = body["body"]
                comment.updated_at = self.now()
                return Reply(200, issue_comment_json(self.urls, comment))
        raise ApiError(404, "Not Found", _doc("issues/update-comment"))

    def issues_add_labels(
        self,
        repo: Repo,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token | None,
    ) -> Reply:
        pull = self._pull(repo, int(params["issue_number"]))
        items = body.get("labels", []) if isinstance(body, dict) else body
        names = (
            [items]
            if isinstance(items, str)
            else [i["name"] if isinstance(i, dict) else i for i in items]
        )
        for name in names:
            label = next((lb for lb in self.labels[repo.full_name] if lb.name == name), None)
            if label is None:  # GitHub creates a label that does not exist yet
                label = Label(next(self._ids), name)
                self.labels[repo.full_name].append(label)
            if label not in pull.labels:
                pull.labels.append(label)
        return Reply(200, [label_json(self.urls, repo, lb) for lb in pull.labels])


def _doc(operation_id: str) -> str:
    return f"{_DOCS}/{_DOC_PAGES.get(operation_id, '')}"


def _invalid(operation_id: str, field_name: str) -> ApiError:
    errors = [{"resource": "PullRequest", "field": field_name, "code": "invalid"}]
    return ApiError(422, "Validation Failed", _doc(operation_id), errors)


def _custom(operation_id: str, message: str) -> ApiError:
    # e.g. "A pull request already exists for owner:branch." with code "custom":
    # https://github.com/google/go-github/issues/1441
    errors = [{"resource": "PullRequest", "code": "custom", "message": message}]
    return ApiError(422, "Validation Failed", _doc(operation_id), errors)
