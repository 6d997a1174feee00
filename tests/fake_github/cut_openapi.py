"""Cut the subset of GitHub's OpenAPI description that the fake GitHub server speaks.

The full description (``generated/api.github.com.json`` of the npm package
``@octokit/openapi``, MIT-licensed, see ``openapi/LICENSE``) is 13 MB; the tests
need a dozen operations.  This script keeps those operations and every component
they reach through ``$ref`` (schemas, parameters, responses, headers), drops the
examples, and writes ``openapi/api.github.com.subset.json``.  Run it again to
move to a newer description::

    python tests/fake_github/cut_openapi.py                      # npm pack, latest
    python tests/fake_github/cut_openapi.py --version 23.0.2      # npm pack, pinned
    python tests/fake_github/cut_openapi.py --source api.github.com.json

``npm pack`` runs in a temporary directory; nothing is installed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SUBSET = HERE / "openapi" / "api.github.com.subset.json"
LICENSE = HERE / "openapi" / "LICENSE"
PACKAGE = "@octokit/openapi"
MEMBER = "package/generated/api.github.com.json"

#: (path, method) of every operation the fake server implements.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("/repos/{owner}/{repo}", "get"),
    ("/repos/{owner}/{repo}/pulls", "get"),
    ("/repos/{owner}/{repo}/pulls", "post"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}", "get"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}", "patch"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}/files", "get"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}/comments", "get"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "post"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "get"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post"),
    ("/repos/{owner}/{repo}/issues/comments/{comment_id}", "patch"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/labels", "post"),
)


def cut(spec: dict[str, Any]) -> dict[str, Any]:
    """The operations in :data:`OPERATIONS` and the components they reference.

    Args:
        spec: The whole OpenAPI description.

    Returns:
        A smaller, self-contained OpenAPI description.
    """
    paths: dict[str, dict[str, Any]] = {}
    for path, method in OPERATIONS:
        item = spec["paths"][path]
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method] = _without_examples(item[method])
    components: dict[str, dict[str, Any]] = {}
    pending = _refs(paths)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        target = _without_examples(spec["components"][kind][name])
        components.setdefault(kind, {})[name] = target
        pending.extend(_refs(target))
    return {
        "openapi": spec["openapi"],
        "info": {
            **{k: spec["info"][k] for k in ("title", "version", "license") if k in spec["info"]},
            "description": (
                "A subset of GitHub's REST API description, cut by "
                "tests/fake_github/cut_openapi.py from the npm package @octokit/openapi."
            ),
        },
        "paths": paths,
        "components": {kind: dict(sorted(items.items())) for kind, items in components.items()},
    }


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.append(ref)
        for value in node.values():
            found.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_refs(value))
    return found


def _without_examples(node: Any, *, names: bool = False) -> Any:
    """``node`` without ``example``/``examples`` keywords (``names``: a map of names)."""
    if isinstance(node, dict):
        return {
            k: _without_examples(v, names=k == "properties" and not names)
            for k, v in node.items()
            if names or k not in ("examples", "example")
        }
    if isinstance(node, list):
        return [_without_examples(v) for v in node]
    return node


def _npm_pack(version: str | None, workdir: Path) -> tuple[dict[str, Any], str, str]:
    spec = f"{PACKAGE}@{version}" if version else PACKAGE
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with tarfile.open(workdir / out) as archive:
        member = archive.extractfile(MEMBER)
        licence = archive.extractfile("package/LICENSE")
        package = archive.extractfile("package/package.json")
        assert member is not None and licence is not None and package is not None
        data = json.load(member)
        meta = json.load(package)
        return data, licence.read().decode("utf-8"), str(meta["version"])


def main(argv: list[str] | None = None) -> int:
    """Cut the subset and write it, with the package's licence, next to this script."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help=f"the {PACKAGE} version to npm pack (default: latest)")
    parser.add_argument("--source", type=Path, help="an api.github.com.json already on disk")
    args = parser.parse_args(argv)
    if args.source:
        spec = json.loads(args.source.read_text(encoding="utf-8"))
        licence, version = None, args.version or "unknown"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            spec, licence, version = _npm_pack(args.version, Path(tmp))
    subset = cut(spec)
    subset["info"]["x-cut-from"] = f"{PACKAGE}@{version} generated/api.github.com.json"
    SUBSET.parent.mkdir(parents=True, exist_ok=True)
    SUBSET.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    if licence is not None:
        LICENSE.write_text(
            f"The file api.github.com.subset.json in this directory is cut from\n"
            f"{PACKAGE}@{version} (generated/api.github.com.json), GitHub's official\n"
            f"OpenAPI description as published by Octokit, under this licence:\n\n{licence}",
            encoding="utf-8",
        )
    count = sum(len(v) for v in subset["components"].values())
    print(f"wrote {SUBSET} ({len(OPERATIONS)} operations, {count} components)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
