"""The plugin under ProperDocs: real ``properdocs build`` runs, compared with ``mkdocs build``.

Both generators run as commands (``python -m properdocs build``, ``python -m mkdocs
build``) on the same project in a real git repository, with the Material theme
(ProperDocs ships no theme): a page whose code changed after it, and a page naming a
function that does not exist.  Both must log the same findings, show readers the same
notice and add the same health page, and neither may print a warning that is not
docsync's finding; ``properdocs build --strict`` fails on the finding as ``mkdocs
build --strict`` does (tested in test_mkdocs_plugin.py); ``properdocs serve`` rebuilds
with a new report when a page changes.
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from docsync.mkdocs_plugin.notice import NOTICE_CLASS
from docsync.mkdocs_plugin.plugin import DocsyncPlugin
from helpers_git import GitRepo
from test_mkdocs_plugin import PAGES, change_checkout, write_project

GENERATORS = ("properdocs", "mkdocs")
REFUND = "# Refunds\n\nRefund with `shop.cart.refund`.\n"
SITE = "site_name: Shop\ntheme: material\nplugins:\n  - search\n  - docsync{options}\n"
HEALTH = ":\n      health_page: true"
_NOTICE = re.compile(rf'<div class="admonition warning {NOTICE_CLASS}">.*?</div>', re.DOTALL)


@pytest.fixture
def shop(repo: GitRepo) -> GitRepo:
    """The shop's pages committed, then ``checkout`` changed; no config file yet."""
    write_project(repo.path, "", {**PAGES, "refund.md": REFUND})
    (repo.path / "mkdocs.yml").unlink()
    repo.commit("shop and its docs")
    change_checkout(repo)
    return repo


def configure(root: Path, generator: str, options: str = "") -> None:
    """Only ``properdocs.yml`` for ProperDocs, only ``mkdocs.yml`` for MkDocs."""
    for name in ("properdocs.yml", "mkdocs.yml"):
        (root / name).unlink(missing_ok=True)
    (root / f"{generator}.yml").write_text(SITE.format(options=options), encoding="utf-8")


def build(root: Path, generator: str, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``GENERATOR build`` in ``root``, as a command; its output is on stderr."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", generator, "build", "--site-dir", str(site), *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def warnings_of(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def notice_of(site: Path, page: str) -> str | None:
    found = _NOTICE.search((site / page).read_text(encoding="utf-8"))
    return found.group(0) if found else None


def test_findings_notice_and_health_page_are_the_same_under_both_generators(
    shop: GitRepo, tmp_path: Path
) -> None:
    seen = {}
    for generator in GENERATORS:
        configure(shop.path, generator, HEALTH)
        site = tmp_path / generator
        done = build(shop.path, generator, site)
        assert done.returncode == 0, done.stderr
        seen[generator] = (
            warnings_of(done.stderr),
            notice_of(site, "guide/index.html"),
            notice_of(site, "count/index.html"),
            (site / "docs-health" / "index.html").is_file(),
        )

    assert seen["properdocs"] == seen["mkdocs"]
    warnings, notice, no_notice, health = seen["properdocs"]
    assert warnings == [
        "WARNING -  docsync: docs/refund.md:3: DS701 unknown-reference: the inline reference "
        "names `shop.cart.refund`, but `shop.cart` has no `refund`"
    ]
    assert notice is not None
    assert "shop.cart.checkout" in notice
    assert no_notice is None
    assert health


def test_a_strict_properdocs_build_fails_on_the_finding(shop: GitRepo, tmp_path: Path) -> None:
    configure(shop.path, "properdocs")

    done = build(shop.path, "properdocs", tmp_path / "site", "--strict")

    assert done.returncode == 1
    assert [w.split(": DS")[0] for w in warnings_of(done.stderr)] == [
        "WARNING -  docsync: docs/refund.md:3"
    ]
    assert "Aborted with 1 warnings in strict mode!" in done.stdout + done.stderr


def test_the_strict_option_fails_a_properdocs_build_of_its_own_docs_dir(
    shop: GitRepo, tmp_path: Path
) -> None:
    (shop.path / "docs").rename(shop.path / "pages")
    configure(shop.path, "properdocs", ":\n      strict: true")
    config = shop.path / "properdocs.yml"
    config.write_text("docs_dir: pages\n" + config.read_text(encoding="utf-8"), encoding="utf-8")

    done = build(shop.path, "properdocs", tmp_path / "site")

    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert errors[0].startswith("ERROR   -  docsync: pages/refund.md:3: DS701 "), done.stderr
    assert any("1 finding in the docs (strict: true)" in line for line in errors)


def test_registered_in_properdocs_own_entry_point_group() -> None:
    (found,) = entry_points(group="properdocs.plugins", name="docsync")
    (legacy,) = entry_points(group="mkdocs.plugins", name="docsync")

    assert found.value == legacy.value
    assert found.load() is DocsyncPlugin


class Server:
    """``properdocs serve`` as a command, its log read line by line as it comes."""

    def __init__(self, root: Path, port: int) -> None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "properdocs", "serve", "-v"]
        self.process = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 120.0) -> None:
        """Read the log until a line holds ``text``; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.log.append(line)
            if text in line:
                return
        pytest.fail(f"no {text!r} in the serve log:\n" + "\n".join(self.log))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)  # it ends at the end of the output
        assert self.process.stdout is not None
        self.process.stdout.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_properdocs_serve_rebuilds_with_the_notice_until_the_page_changes(
    shop: GitRepo,
) -> None:
    configure(shop.path, "properdocs")
    port = free_port()
    server = Server(shop.path, port)
    try:
        server.wait_for("Serving on")
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/guide/", timeout=30).read()
        assert NOTICE_CLASS.encode() in page

        (shop.path / "docs/guide.md").write_text("# Guide\n\nReviewed.\n", encoding="utf-8")
        server.wait_for("Building documentation")
        server.wait_for("Documentation built")
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/guide/", timeout=30).read()
        assert NOTICE_CLASS.encode() not in page
        assert b"Reviewed." in page
    finally:
        server.stop()
    assert sum("DS701" in line for line in server.log) == 2  # logged again on the rebuild


_WITHOUT_MKDOCS = """
import json, os, sys


class NoMkDocs:
    '''Make the real mkdocs package unimportable, as in a ProperDocs-only install.'''

    def find_spec(self, name, path=None, target=None):
        if name == "mkdocs" or name.startswith("mkdocs."):
            raise ImportError("No module named 'mkdocs' (blocked)")
        return None


sys.meta_path.insert(0, NoMkDocs())
from properdocs.__main__ import cli

try:
    cli.main(["build", "--site-dir", sys.argv[1]], standalone_mode=False)
finally:
    real = os.sep + "mkdocs" + os.sep
    files = [getattr(m, "__file__", None) or "" for m in list(sys.modules.values())]
    print(json.dumps([f for f in files if real in f]), file=sys.__stdout__)
"""


def test_the_plugin_runs_under_properdocs_without_mkdocs_installed(
    shop: GitRepo, tmp_path: Path
) -> None:
    configure(shop.path, "properdocs")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}

    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MKDOCS, str(tmp_path / "site")],
        cwd=shop.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []  # no file of MkDocs ran
    assert "docsync: docs/refund.md:3: DS701" in done.stderr
    assert notice_of(tmp_path / "site", "guide/index.html") is not None
