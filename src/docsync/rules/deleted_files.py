"""Files a page names that the change deleted or moved: ``pip install -r requirements/docs.txt``.

Base mode only.  A path in a shell command or plain-text block, or inline code that is a
path with a ``/`` (see :mod:`docsync.scan.page_paths`), is reported when it is, as
written from the repository root or from the page's folder, a file the change deleted
or moved away.  Nothing else is judged: a path that never existed may be one the reader
creates (``mkdocs.yml`` in a tutorial), so only the change's own deletions count, and
those are certain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docsync.models import Evidence, Finding, Page, Severity
from docsync.rules.code_blocks import page_finding
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.scan.docs import link_target

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = ["DELETED_FILE", "deleted_file_findings"]

DELETED_FILE = Rule(
    code="DS710",
    slug="page-names-deleted-file",
    summary="A page names a repository file (in a command or inline code) the change deleted.",
    severity=Severity.WARNING,
    description=(
        "Base mode only. Paths in shell and plain-text blocks (`pip install -r "
        "requirements/docs.txt`) and inline code that is a path with a `/`, read from the "
        "repository root or the page's folder, that name a file the change deleted or moved "
        "(the new path is suggested). Paths that never existed are not judged: a tutorial "
        "may name files the reader creates."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "DELETED_FILE_FLAG", "DELETED_FILE_KEEP"),
    fix=FixKind.PROSE,
)


def deleted_file_findings(page: Page, changes: ChangeSet) -> list[Finding]:
    """The paths a page names that the change deleted or moved away.

    Args:
        page: A scanned page.
        changes: The change set of ``--base``.

    Returns:
        One DS710 finding per mention.
    """
    gone: dict[str, str | None] = {}
    for change in changes.files:  # FileStatus by value: its module imports GitPython
        if change.status.value == "deleted":
            gone[change.path] = None
        elif change.status.value == "renamed" and change.old_path:
            gone[change.old_path] = change.path
    if not gone:
        return []
    findings: list[Finding] = []
    for mention in page.file_mentions:
        from_page = link_target(page.path, mention.path).as_posix()
        path = next((p for p in (mention.path, from_page) if p in gone), None)
        if path is None:
            continue
        moved_to = gone[path]
        verb = f"moved to `{moved_to}`" if moved_to else "deleted"
        findings.append(
            page_finding(
                DELETED_FILE,
                page,
                mention.line,
                f"the page names `{mention.target}`, which this change {verb}",
                subject=path,
                text=f"{mention.target} {mention.text}",
                evidence=Evidence(documented=mention.text, actual=moved_to),
                fix_hint=(
                    f"name `{moved_to}` instead" if moved_to else "update or remove the command"
                ),
            )
        )
    return findings
