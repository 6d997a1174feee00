"""The fake GitHub itself: GitHub's semantics where docsync relies on them, and its checks."""

from __future__ import annotations

import json
import subprocess

import pytest
import requests
from github import GithubException

from docsync.commands.pr import run_pr
from docsync.commands.review import run_review
from docsync.config import apply_settings
from fake_github.cut_openapi import OPERATIONS, cut
from fake_github.openapi import SUBSET
from fake_github.scenario import READ_ONLY, REPOSITORY, TOKEN, Scenario
from helpers_github import FEATURE, MAIN, apply, open_pull


def test_the_head_filter_needs_the_owner_as_on_github(hub: Scenario) -> None:
    open_pull(hub, branch="feature")
    open_pull(hub, FEATURE.replace("HTTP", "HTTPS"), branch="other")
    repo = hub.client()._repo
    assert [p.head.ref for p in repo.get_pulls(state="open", head="octo:feature")] == ["feature"]
    assert [p.head.ref for p in repo.get_pulls(state="open", head="someone:feature")] == []
    # Without the owner GitHub ignores the filter and lists every pull request.
    assert sorted(p.head.ref for p in repo.get_pulls(state="open", head="feature")) == [
        "feature",
        "other",
    ]


def test_a_second_pull_request_for_the_same_branch_is_refused(hub: Scenario) -> None:
    open_pull(hub)
    with pytest.raises(GithubException) as caught:
        hub.client()._repo.create_pull(base="main", head="feature", title="again", body="")
    assert caught.value.status == 422
    assert (
        caught.value.data["errors"][0]["message"]
        == "A pull request already exists for octo:feature."
    )


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (
            {"line": 20},
            "Pull request review thread line must be part of the diff and "
            "Pull request review thread diff hunk can't be blank",
        ),
        (
            {"line": 10, "start_line": 10},
            "Pull request review thread start line must precede the end line.",
        ),
        (
            {"line": 26, "start_line": 10},
            "Pull request review thread start line must be part of the same hunk as the line.",
        ),
        (
            {"line": 1, "path": "nope.py"},
            "Path could not be resolved and Pull request review thread diff hunk can't be blank",
        ),
    ],
)
def test_review_comments_outside_the_diff_are_rejected_as_github_does(
    hub: Scenario, comment: dict[str, object], message: str
) -> None:
    # Two hunks: lines 1-18 (fetch and the def of load) and 25-28 (the return of load).
    number = open_pull(hub, FEATURE.replace("    return path", "    return str(path)"))
    pull = hub.client()._repo.get_pull(number)
    good = {"path": "pkg/mod.py", "body": "fine", "line": 5, "side": "RIGHT"}
    bad = {"path": "pkg/mod.py", "body": "bad", "side": "RIGHT", **comment}
    with pytest.raises(GithubException) as caught:
        pull.create_review(body="r", event="COMMENT", comments=[good, bad])  # type: ignore[list-item]
    assert caught.value.status == 422
    assert caught.value.data["errors"] == [message]
    assert hub.server.api.reviews == []  # all or nothing
    pull.create_review(body="r", event="COMMENT", comments=[good])  # type: ignore[list-item]
    [stored] = hub.server.api.review_comments
    assert stored.diff_hunk.startswith("@@ -1,") and stored.diff_hunk.endswith(
        '"""Fetch a URL over HTTP.'
    )


def test_requests_off_the_description_are_answered_422_and_recorded(hub: Scenario) -> None:
    answer = requests.get(
        f"{hub.server.urls.api}/repos/{REPOSITORY}/pulls", params={"state": "bogus"}, timeout=60
    )
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Invalid request.")
    unknown = requests.get(f"{hub.server.urls.api}/repos/{REPOSITORY}/branches", timeout=60)
    assert unknown.status_code == 404
    assert hub.server.violations == [
        "pulls/list: request: query parameter state: "
        "'bogus' is not one of ['open', 'closed', 'all']",
        "GET /repos/octo/demo/branches: no operation in the OpenAPI subset",
    ]
    hub.server.violations.clear()


def test_answers_carry_rate_limit_headers_and_pages_link(hub: Scenario) -> None:
    number = open_pull(hub)
    issue = hub.client()._repo.get_issue(number)
    for text in "abc":
        issue.create_comment(text)
    answer = requests.get(
        f"{hub.server.urls.api}/repos/{REPOSITORY}/issues/{number}/comments",
        params={"per_page": 2},
        headers={"Authorization": f"token {TOKEN}"},
        timeout=60,
    )
    assert [c["body"] for c in answer.json()] == ["a", "b"]
    assert 'rel="next"' in answer.headers["Link"] and "page=2" in answer.headers["Link"]
    assert int(answer.headers["x-ratelimit-remaining"]) < 5000
    assert answer.headers["x-ratelimit-resource"] == "core"


def test_a_read_only_token_may_read_but_not_write(hub: Scenario) -> None:
    number = open_pull(hub)
    reader = hub.client(READ_ONLY)._repo
    assert reader.get_pull(number).title == "API"
    with pytest.raises(GithubException) as caught:
        reader.get_issue(number).create_comment("hello")
    assert caught.value.status == 403
    assert caught.value.data["message"] == "Resource not accessible by integration"
    hub.repo.git("remote", "set-url", "origin", hub.server.remote_url(REPOSITORY, READ_ONLY))
    pushed = subprocess.run(
        ["git", "push", "origin", "main:refs/heads/elsewhere"],
        cwd=hub.repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pushed.returncode != 0 and "403" in pushed.stderr
    hub.repo.git("remote", "set-url", "origin", hub.server.remote_url(REPOSITORY))
    anonymous = subprocess.run(
        ["git", "push", "origin", "main:refs/heads/elsewhere"],
        cwd=hub.repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert anonymous.returncode != 0
    assert hub.server.repos.tip(REPOSITORY, "elsewhere") is None


def test_the_delivery_flows_use_every_operation_of_the_subset_and_stay_valid(hub: Scenario) -> None:
    hub.repo.write("pkg/mod.py", MAIN.replace("def load(path, mode=", "def load(path, kind="))
    hub.repo.commit("drift on main")
    hub.push("main")
    config = apply_settings(hub.config(), {"labels": ["docs"]}, origin="test")
    run_pr(config, env=hub.env())
    hub.repo.write(
        "pkg/mod.py",
        MAIN.replace("retries=2", "tries=2").replace(
            "def load(path, mode=", "def load(path, kind="
        ),
    )
    hub.repo.commit("more drift")
    hub.push("main")
    run_pr(config, env=hub.env())  # updates the pull request
    number = open_pull(hub, FEATURE.replace("retries=2", "tries=2"))
    run_review(config, number, env=hub.env())
    posted = hub.server.calls("pulls/create-review")[0].body["comments"][0]
    hub.repo.git("checkout", "-q", "feature")
    hub.repo.write("pkg/mod.py", apply(FEATURE.replace("retries=2", "tries=2"), posted))
    hub.repo.commit("apply")
    hub.push("feature")
    hub.repo.git("checkout", "-q", "main")
    run_review(config, number, env=hub.env())  # edits the summary
    used = {r.operation for r in hub.server.requests}
    assert used == set(hub.server.openapi.operations())
    assert len(hub.server.openapi.operations()) == len(OPERATIONS)
    assert all(r.status < 400 for r in hub.server.requests)


def test_the_committed_subset_is_self_contained_and_as_cut() -> None:
    subset = json.loads(SUBSET.read_text(encoding="utf-8"))
    again = cut(subset)
    assert again["paths"] == subset["paths"]
    assert again["components"] == subset["components"]
    assert subset["info"]["x-cut-from"].startswith("@octokit/openapi@")
    licence = (SUBSET.parent / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "@octokit/openapi" in licence
