"""The mechanical fix of DS708: show new public API on the page that shows its siblings.

DS708 is located on the ``:::`` block (mkdocstrings) that shows the new symbol's
siblings.  The fix is deterministic and never prose:

* when that block is the symbol's owner with a ``members`` list, the symbol's name
  joins the list, written as the list is (``members: [a, b]`` or one ``- name``
  line per member);
* otherwise a ``::: pkg.mod.Name`` block goes right after it, written as it is
  written (the same heading marks or indentation before ``:::``, the same options,
  less a ``members`` list, which was about the sibling), one blank line between.

Every line of the block is kept as it was; only lines are added, or a flow list
gains an item.  A block in a form this module does not know is left for a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docsync.apply.linebreaks import line_ending, split_lines, strip_ending
from docsync.models import Edit, Finding
from docsync.rules.coverage import NEW_API_OFF_PAGES

__all__ = ["FIXES", "api_block_edits"]

FIXES = frozenset({NEW_API_OFF_PAGES.code})
"""The rule codes this module fixes."""

MAX_BLOCK_LINES = 200
"""The most lines a ``:::`` block's options may take (the rest is left for a person)."""

_IDENTIFIER = re.compile(r"^(?P<lead>\s*(?:#{1,6} *)?)::: ?(?P<name>[^\s:][^\s]*)\s*$")
_MEMBERS = re.compile(r"^(?P<indent>\s*)members:\s*(?P<rest>.*?)\s*$")
_FLOW = re.compile(r"^\[(?P<items>[^\[\]]*)\]$")
_ITEM = re.compile(r"^(?P<indent>\s*)- +(?P<name>\S.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][\w.]*$")


def api_block_edits(
    path: str, text: str, findings: Sequence[Finding]
) -> tuple[list[Edit], list[tuple[Finding, str]]]:
    """Draft the DS708 fixes of one page: one edit per ``:::`` block they are on.

    Args:
        path: the page's path.
        text: the page as read.
        findings: DS708 findings on the page (others are left).

    Returns:
        The edits (disjoint, one per block) and the findings left, with why.
    """
    lines = split_lines(text)
    by_block: dict[int, list[Finding]] = {}
    left: list[tuple[Finding, str]] = []
    for finding in findings:
        if finding.code != NEW_API_OFF_PAGES.code or finding.symbol is None:
            left.append((finding, "not a new symbol off the pages"))
        else:
            by_block.setdefault(finding.location.line, []).append(finding)
    edits = []
    for line, found in sorted(by_block.items()):
        made = _block_edit(path, lines, line, found)
        if isinstance(made, Edit):
            edits.append(made)
        else:
            left.extend((f, made) for f in found)
    return edits, left


def _block_edit(path: str, lines: list[str], line: int, findings: list[Finding]) -> Edit | str:
    if not 1 <= line <= len(lines):
        return "the block is not on the page"
    head = _IDENTIFIER.match(strip_ending(lines[line - 1]))
    if head is None:
        return "the finding is not on a `:::` line"
    end = line
    while end < len(lines) and end - line < MAX_BLOCK_LINES and lines[end].strip():
        end += 1
    block = lines[line - 1 : end]
    newline = line_ending("".join(block))
    bare = [strip_ending(b) for b in block]
    owner = head["name"]
    names = [f.symbol for f in findings if f.symbol is not None]
    members = [n.rpartition(".")[2] for n in names if n.rpartition(".")[0] == owner]
    others = [n for n in names if n.rpartition(".")[0] != owner]
    new: list[str] | str = bare
    if members:
        new = _with_members(bare, members)
    if others and not isinstance(new, str):
        new = _with_blocks(new, head["lead"], others)
    if isinstance(new, str):
        return new
    ending = "" if not block[-1].endswith(("\n", "\r")) else newline
    return Edit(
        path=path,
        line=line,
        end_line=end,
        old_text="".join(block),
        new_text=newline.join(new) + ending,
        findings=tuple(findings),
        origin="mechanical",
    )


def _with_members(block: list[str], names: list[str]) -> list[str] | str:
    """The block with ``names`` added to its ``members`` list."""
    at = next((i for i, b in enumerate(block) if _MEMBERS.match(b)), None)
    if at is None:
        return "the block lists no members to add to"
    found = _MEMBERS.match(block[at])
    assert found is not None
    rest = found["rest"]
    flow = _FLOW.match(rest)
    if flow is not None:
        items = [i.strip() for i in flow["items"].split(",") if i.strip()]
        if not items:
            return "the block's members list is empty on purpose"
        added = ", ".join([*items, *names])
        prefix = block[at][: block[at].index("[")]
        return [*block[:at], f"{prefix}[{added}]", *block[at + 1 :]]
    if rest:
        return "the block's members are written in a form docsync does not edit"
    last = at
    indent = None
    for index in range(at + 1, len(block)):
        item = _ITEM.match(block[index])
        if item is None or len(item["indent"]) <= len(found["indent"]):
            break
        last, indent = index, item["indent"]
    if indent is None:
        return "the block's members are written in a form docsync does not edit"
    new = [f"{indent}- {name}" for name in names]
    return [*block[: last + 1], *new, *block[last + 1 :]]


def _with_blocks(block: list[str], lead: str, names: list[str]) -> list[str] | str:
    """The block, then a block of the same form for each name."""
    if any(not _NAME.match(name) for name in names):
        return "a name docsync cannot write on a `:::` line"
    options = _without_members(block[1:])
    added: list[str] = []
    for name in names:
        added += ["", f"{lead}::: {name}", *options]
    return [*block, *added]


def _without_members(options: list[str]) -> list[str]:
    """The options lines, less a ``members`` entry and what is nested under it."""
    kept: list[str] = []
    skipping: int | None = None
    for option in options:
        width = len(option) - len(option.lstrip())
        if skipping is not None and width > skipping:
            continue
        skipping = None
        found = _MEMBERS.match(option)
        if found is not None:
            skipping = len(found["indent"])
            continue
        kept.append(option)
    if kept and kept[-1].strip() == "options:":
        kept.pop()  # nothing left under it
    return kept
