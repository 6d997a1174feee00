"""Download and unpack sdists from PyPI into the benchmarks' cache, once.

Shared by the benchmark scripts (run as ``python benchmarks/<name>.py``, so this module
is importable as ``sdists``).  The cache is ``~/.cache/docsync-bench`` (or
``$DOCSYNC_BENCH_CACHE``): outside the repository, because a tree inside docsync's own
git work tree would be scanned as part of it and ignored by its ``.gitignore``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

# The archive kinds an sdist comes in: ``markdown==3.5`` is ``markdown-3.5.tar.gz``, never
# ``markdown-3.5.2.tar.gz`` (a prefix match took the wrong release when both were cached).
ARCHIVE_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz")
CACHE = Path(os.environ.get("DOCSYNC_BENCH_CACHE", Path.home() / ".cache" / "docsync-bench"))


def download(spec: str, *, area: str = "") -> Path:
    """Download and unpack the sdist of ``spec`` (``name==version``), once.

    Args:
        spec: a requirement pinned to one version (``django==5.2``).
        area: a sub-folder of the cache to unpack into, for benchmarks that modify
            their trees.

    Returns:
        The unpacked source directory.
    """
    target = CACHE / area / spec.replace("==", "-")
    if target.is_dir():
        unpacked = [p for p in target.iterdir() if p.is_dir()]
        if unpacked:
            return unpacked[0]
    archive = _archive(spec)
    target.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(target)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(target, filter="data")
    return next(p for p in target.iterdir() if p.is_dir())


def _archive(spec: str) -> Path:
    """The sdist archive of ``spec`` in the cache, downloading it when missing."""
    downloads = CACHE / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    name, _, version = spec.partition("==")
    stems = {name.lower(), name.lower().replace("-", "_"), name.lower().replace("_", "-")}
    names = {f"{stem}-{version}{suffix}" for stem in stems for suffix in ARCHIVE_SUFFIXES}
    for _ in range(2):
        for path in sorted(downloads.iterdir()):
            if path.name.lower() in names:
                return path
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--no-binary", ":all:", "--dest", str(downloads), spec]
        subprocess.run(command, check=True)
    raise SystemExit(f"pip downloaded no sdist matching {spec} into {downloads}")


def name_of(spec: str) -> str:
    """The project name of a requirement (``django==5.2`` → ``django``)."""
    return re.split(r"[=<>!~]", spec)[0]
