"""The fake server's state, and its rendering as GitHub's JSON objects.

Every object the server sends is built here, with the fields GitHub's description
requires (checked against it on the way out, see :mod:`fake_github.openapi`).
URLs follow GitHub's shapes: the API under ``<base>/api/v3`` (as on GitHub
Enterprise Server) and the web pages under ``<base>``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Account:
    """A user, organisation or bot."""

    login: str
    id: int
    type: str = "User"


@dataclass
class Repo:
    """A repository; its git data lives in a bare repository on disk."""

    owner: Account
    name: str
    id: int
    default_branch: str
    created_at: str
    fork_of: Repo | None = None
    private: bool = False

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner.login}/{self.name}"


@dataclass
class Label:
    """A label of a repository."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class Pull:
    """A pull request; its head and base commits are looked up live in git."""

    number: int
    id: int
    repo: Repo
    head_repo: Repo
    head_ref: str
    base_ref: str
    title: str
    body: str | None
    user: Account
    created_at: str
    updated_at: str
    state: str = "open"
    draft: bool = False
    maintainer_can_modify: bool = False
    labels: list[Label] = field(default_factory=list)


@dataclass
class IssueComment:
    """A comment on the conversation of an issue or pull request."""

    id: int
    repo: Repo
    number: int
    user: Account
    body: str
    created_at: str
    updated_at: str


@dataclass
class Review:
    """A submitted review."""

    id: int
    pull: Pull
    user: Account
    body: str
    state: str
    commit_id: str
    submitted_at: str


@dataclass
class ReviewComment:
    """A review comment on a line (or lines) of a pull request's diff."""

    id: int
    review: Review
    path: str
    body: str
    line: int
    side: str
    start_line: int | None
    start_side: str | None
    position: int
    diff_hunk: str
    created_at: str


class Urls:
    """Where things are: the API base and the web base of the fake server."""

    def __init__(self, web: str) -> None:
        self.web = web.rstrip("/")
        self.api = f"{self.web}/api/v3"

    def repo(self, repo: Repo) -> str:
        """The API URL of a repository."""
        return f"{self.api}/repos/{repo.full_name}"


def node_id(kind: str, number: int) -> str:
    """An opaque node id, stable per kind and number."""
    return base64.b64encode(f"0:{kind}{number}".encode()).decode()


def user_json(urls: Urls, account: Account) -> dict[str, Any]:
    """``simple-user``."""
    api = f"{urls.api}/users/{account.login}"
    return {
        "login": account.login,
        "id": account.id,
        "node_id": node_id("User", account.id),
        "avatar_url": f"{urls.web}/avatars/{account.login}",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{account.login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": account.type,
        "site_admin": False,
        "user_view_type": "public",
    }


_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def repo_json(
    urls: Urls,
    repo: Repo,
    *,
    permissions: dict[str, bool] | None = None,
    full: bool = False,
    open_issues: int = 0,
) -> dict[str, Any]:
    """``repository`` (``full-repository`` with ``full``), as the token's user sees it."""
    api = urls.repo(repo)
    host = urls.web.split("://", 1)[1]
    data: dict[str, Any] = {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": user_json(urls, repo.owner),
        "private": repo.private,
        "html_url": f"{urls.web}/{repo.full_name}",
        "description": None,
        "fork": repo.fork_of is not None,
        "url": api,
        **{key: api + suffix for key, suffix in _REPO_URLS.items()},
        "git_url": f"git://{host}/{repo.full_name}.git",
        "ssh_url": f"git@{host}:{repo.full_name}.git",
        "clone_url": f"{urls.web}/{repo.full_name}.git",
        "svn_url": f"{urls.web}/{repo.full_name}",
        "mirror_url": None,
        "homepage": None,
        "language": "Python",
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 1,
        "default_branch": repo.default_branch,
        "open_issues": open_issues,
        "open_issues_count": open_issues,
        "topics": [],
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": False,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "license": None,
        "pushed_at": repo.created_at,
        "created_at": repo.created_at,
        "updated_at": repo.created_at,
    }
    if permissions is not None:
        data["permissions"] = permissions
    if full:
        data["network_count"] = 0
        data["subscribers_count"] = 0
        if repo.fork_of is not None:
            data["parent"] = repo_json(urls, repo.fork_of)
            data["source"] = repo_json(urls, repo.fork_of)
    return data


def label_json(urls: Urls, repo: Repo, label: Label) -> dict[str, Any]:
    """``label``."""
    return {
        "id": label.id,
        "node_id": node_id("Label", label.id),
        "url": f"{urls.repo(repo)}/labels/{label.name}",
        "name": label.name,
        "description": label.description,
        "color": label.color,
        "default": False,
    }


@dataclass(frozen=True)
class PullStats:
    """What git says about a pull request right now."""

    head_sha: str
    base_sha: str
    commits: int
    additions: int
    deletions: int
    changed_files: int


def pull_json(
    urls: Urls,
    pull: Pull,
    stats: PullStats,
    *,
    full: bool,
    comments: int = 0,
    review_comments: int = 0,
) -> dict[str, Any]:
    """``pull-request`` (``pull-request-simple`` without ``full``)."""
    api = f"{urls.repo(pull.repo)}/pulls/{pull.number}"
    issue = f"{urls.repo(pull.repo)}/issues/{pull.number}"
    html = f"{urls.web}/{pull.repo.full_name}/pull/{pull.number}"
    data: dict[str, Any] = {
        "url": api,
        "id": pull.id,
        "node_id": node_id("PullRequest", pull.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{urls.repo(pull.repo)}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments",
        "statuses_url": f"{urls.repo(pull.repo)}/statuses/{stats.head_sha}",
        "number": pull.number,
        "state": pull.state,
        "locked": False,
        "title": pull.title,
        "user": user_json(urls, pull.user),
        "body": pull.body,
        "labels": [label_json(urls, pull.repo, label) for label in pull.labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": pull.created_at,
        "updated_at": pull.updated_at,
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _part(urls, pull.head_repo, pull.head_ref, stats.head_sha),
        "base": _part(urls, pull.repo, pull.base_ref, stats.base_sha),
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "issue": {"href": issue},
            "comments": {"href": f"{issue}/comments"},
            "review_comments": {"href": f"{api}/comments"},
            "review_comment": {"href": f"{urls.repo(pull.repo)}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/commits"},
            "statuses": {"href": f"{urls.repo(pull.repo)}/statuses/{stats.head_sha}"},
        },
        "author_association": "OWNER"
        if pull.user.login == pull.repo.owner.login
        else "CONTRIBUTOR",
        "auto_merge": None,
        "draft": pull.draft,
    }
    if full:
        data.update(
            merged=False,
            mergeable=None,
            rebaseable=None,
            mergeable_state="unknown",
            merged_by=None,
            comments=comments,
            review_comments=review_comments,
            maintainer_can_modify=pull.maintainer_can_modify,
            commits=stats.commits,
            additions=stats.additions,
            deletions=stats.deletions,
            changed_files=stats.changed_files,
        )
    return data


def _part(urls: Urls, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
    return {
        "label": f"{repo.owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user_json(urls, repo.owner),
        "repo": repo_json(urls, repo),
    }


def issue_comment_json(urls: Urls, comment: IssueComment) -> dict[str, Any]:
    """``issue-comment``."""
    api = urls.repo(comment.repo)
    return {
        "id": comment.id,
        "node_id": node_id("IssueComment", comment.id),
        "url": f"{api}/issues/comments/{comment.id}",
        "html_url": (
            f"{urls.web}/{comment.repo.full_name}/pull/{comment.number}#issuecomment-{comment.id}"
        ),
        "body": comment.body,
        "user": user_json(urls, comment.user),
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "issue_url": f"{api}/issues/{comment.number}",
        "author_association": "NONE",
    }


def review_json(urls: Urls, review: Review) -> dict[str, Any]:
    """``pull-request-review``."""
    pull_api = f"{urls.repo(review.pull.repo)}/pulls/{review.pull.number}"
    html = f"{urls.web}/{review.pull.repo.full_name}/pull/{review.pull.number}"
    return {
        "id": review.id,
        "node_id": node_id("PullRequestReview", review.id),
        "user": user_json(urls, review.user),
        "body": review.body,
        "state": review.state,
        "html_url": f"{html}#pullrequestreview-{review.id}",
        "pull_request_url": pull_api,
        "_links": {
            "html": {"href": f"{html}#pullrequestreview-{review.id}"},
            "pull_request": {"href": pull_api},
        },
        "submitted_at": review.submitted_at,
        "commit_id": review.commit_id,
        "author_association": "NONE",
    }


def review_comment_json(urls: Urls, comment: ReviewComment) -> dict[str, Any]:
    """``pull-request-review-comment``."""
    pull = comment.review.pull
    pull_api = f"{urls.repo(pull.repo)}/pulls/{pull.number}"
    api = f"{urls.repo(pull.repo)}/pulls/comments/{comment.id}"
    html = f"{urls.web}/{pull.repo.full_name}/pull/{pull.number}#discussion_r{comment.id}"
    return {
        "url": api,
        "pull_request_review_id": comment.review.id,
        "id": comment.id,
        "node_id": node_id("PullRequestReviewComment", comment.id),
        "diff_hunk": comment.diff_hunk,
        "path": comment.path,
        "position": comment.position,
        "original_position": comment.position,
        "commit_id": comment.review.commit_id,
        "original_commit_id": comment.review.commit_id,
        "user": user_json(urls, comment.review.user),
        "body": comment.body,
        "created_at": comment.created_at,
        "updated_at": comment.created_at,
        "html_url": html,
        "pull_request_url": pull_api,
        "author_association": "NONE",
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "pull_request": {"href": pull_api},
        },
        "start_line": comment.start_line,
        "original_start_line": comment.start_line,
        "start_side": comment.start_side,
        "line": comment.line,
        "original_line": comment.line,
        "side": comment.side,
        "subject_type": "line",
    }
