"""Real git on the fake server: bare repositories served by ``git http-backend``.

Every git request (``/owner/repo.git/info/refs``, ``git-upload-pack``,
``git-receive-pack``) runs ``git http-backend`` once as a CGI program, with
``GIT_PROJECT_ROOT``, ``GIT_HTTP_EXPORT_ALL`` and ``REMOTE_USER`` in its
environment (see https://git-scm.com/docs/git-http-backend).  The same bare
repositories answer the API's questions: branch tips, merge bases and the per-file
patches of a pull request.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ZERO_SHA = "0" * 40


def git_env(home: Path) -> dict[str, str]:
    """An environment for git that reads no user or system configuration."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
    }


class BareRepos:
    """The bare repositories under one root, ``<root>/<owner>/<name>.git``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = git_env(root)

    def path(self, full_name: str) -> Path:
        """The bare repository of ``owner/name``."""
        return self.root / f"{full_name}.git"

    def git(self, full_name: str, *args: str, check: bool = True) -> str:
        """Run git in a bare repository; its stdout, stripped ("" when it failed unchecked)."""
        done = self._run(full_name, args)
        if check and done.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip() if done.returncode == 0 else ""

    def _run(self, full_name: str, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args],
            cwd=self.path(full_name),
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def create(self, full_name: str, default_branch: str) -> None:
        """A new, empty bare repository."""
        path = self.path(full_name)
        path.mkdir(parents=True)
        self.git(full_name, "init", "-q", "--bare", f"--initial-branch={default_branch}")
        # GitHub serves any commit a client asks for by id (fetching a PR's base sha).
        self.git(full_name, "config", "uploadpack.allowAnySHA1InWant", "true")

    def tip(self, full_name: str, ref: str) -> str | None:
        """The commit ``refs/heads/<ref>`` (or a full ref) points at, if it exists."""
        name = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
        found = self.git(
            full_name, "rev-parse", "--verify", "-q", f"{name}^{{commit}}", check=False
        )
        return found or None

    def copy_ref(self, source: str, ref: str, target: str, target_ref: str) -> None:
        """Point ``target_ref`` in ``target`` at ``ref`` of ``source`` (objects fetched)."""
        if source == target:
            sha = self.tip(source, ref)
            if sha:
                self.git(target, "update-ref", target_ref, sha)
            return
        self.git(target, "fetch", "-q", str(self.path(source)), f"+refs/heads/{ref}:{target_ref}")

    def merge_base(self, full_name: str, one: str, two: str) -> str | None:
        """The merge base of two commits, if they have one."""
        return self.git(full_name, "merge-base", one, two, check=False) or None

    def count_commits(self, full_name: str, base: str, head: str) -> int:
        """How many commits ``head`` has that ``base`` has not."""
        return int(self.git(full_name, "rev-list", "--count", f"{base}..{head}") or 0)

    def diff_files(self, full_name: str, base: str, head: str) -> list[FileDiff]:
        """The files a pull request changes, as GitHub lists them (three-dot diff)."""
        merge_base = self.merge_base(full_name, base, head) or base
        text = self.git(
            full_name,
            "diff",
            "--full-index",
            "--find-renames",
            "--no-color",
            "--no-ext-diff",
            "-U3",
            merge_base,
            head,
        )
        return parse_git_diff(text + "\n")

    def exists(self, full_name: str, sha: str) -> bool:
        """Whether a commit exists in the repository."""
        return self._run(full_name, ("cat-file", "-e", f"{sha}^{{commit}}")).returncode == 0


@dataclass
class FileDiff:
    """One file of a pull request's diff, in GitHub's terms (``diff-entry``)."""

    filename: str
    status: str
    sha: str
    additions: int = 0
    deletions: int = 0
    patch: str | None = None
    previous_filename: str | None = None


_DIFF_HEADER = re.compile(r"^diff --git a/(.*) b/(.*)$")


def parse_git_diff(text: str) -> list[FileDiff]:
    """Split ``git diff`` output into files; each patch starts at its first ``@@``."""
    files: list[FileDiff] = []
    current: FileDiff | None = None
    patch: list[str] = []

    def close() -> None:
        if current is not None:
            current.patch = "\n".join(patch) if patch else None
            files.append(current)

    for line in text.splitlines():
        header = _DIFF_HEADER.match(line)
        if header:
            close()
            current, patch = FileDiff(header.group(2), "modified", ZERO_SHA), []
            continue
        if current is None:
            continue
        if patch or line.startswith("@@"):
            patch.append(line)
            if line.startswith("+"):
                current.additions += 1
            elif line.startswith("-"):
                current.deletions += 1
        elif line.startswith("new file mode"):
            current.status = "added"
        elif line.startswith("deleted file mode"):
            current.status = "removed"
        elif line.startswith("rename from "):
            current.status, current.previous_filename = "renamed", line[len("rename from ") :]
        elif line.startswith("index "):
            current.sha = line.split()[1].split("..")[1]
    close()
    return files


@dataclass(frozen=True)
class CgiResponse:
    """What ``git http-backend`` answered."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def run_http_backend(
    repos: BareRepos,
    *,
    method: str,
    path_info: str,
    query: str,
    headers: dict[str, str],
    body: bytes,
    remote_user: str | None,
) -> CgiResponse:
    """Run ``git http-backend`` for one request, as a web server runs a CGI program."""
    env = {
        **repos.env,
        "GIT_PROJECT_ROOT": str(repos.root),
        "GIT_HTTP_EXPORT_ALL": "1",
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "CONTENT_TYPE": headers.get("content-type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    if remote_user:
        env["REMOTE_USER"] = remote_user
    if "git-protocol" in headers:
        env["GIT_PROTOCOL"] = headers["git-protocol"]
    if "content-encoding" in headers:
        env["HTTP_CONTENT_ENCODING"] = headers["content-encoding"]
    done = subprocess.run(
        ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
    )
    # CGI headers end at the first empty line (git writes CRLF line ends).
    head, found, payload = done.stdout.partition(b"\r\n\r\n")
    if not found:
        head, _, payload = done.stdout.partition(b"\n\n")
    status, out_headers = 200, []
    for raw in head.decode("latin-1").splitlines():
        name, _, value = raw.partition(":")
        if name.lower() == "status":
            status = int(value.split()[0])
        elif name:
            out_headers.append((name.strip(), value.strip()))
    if done.returncode != 0 and not done.stdout:
        return CgiResponse(500, [("Content-Type", "text/plain")], done.stderr)
    return CgiResponse(status, out_headers, payload)
