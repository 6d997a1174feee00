"""Property tests: generated functions with drifted docstrings in the three styles.

For every generated module, ``fix`` must keep the code identical (docstrings
stripped), change no byte outside the docstring literals, leave none of the fixed
findings for ``check`` to find, and have nothing left to do on a second run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsync.apply.literals import docstring_spans, replace_literals
from docsync.apply.python import code_fingerprint
from docsync.commands.fix import fix_bytes
from docsync.config import Config
from docsync.models import Project
from docsync.rules import run_rules
from docsync.scan.python import scan_source

NAMES = ("alpha", "beta", "gamma", "delta", "size", "limit", "path", "mode", "data", "key")
TYPES = ("int", "str", "bytes", "list[int]", "dict[str, int]", "tuple[int, ...]")
WRONG = {"int": "str", "str": "int", "bytes": "int", "list[int]": "str"}
WRONG |= {"dict[str, int]": "list[str]", "tuple[int, ...]": "str"}
STYLES = ("google", "numpy", "sphinx")
CONFIG = Config(root=Path("/nonexistent"))


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str | None
    default: str | None
    keyword_only: bool


@dataclass(frozen=True)
class Entry:
    name: str
    type: str | None
    description: str


@st.composite
def params(draw: st.DrawFn) -> list[Param]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    found: list[Param] = []
    defaults_started = False
    for index, name in enumerate(names):
        keyword_only = index > 0 and draw(st.booleans()) and all(p.keyword_only for p in found[1:])
        annotation = draw(st.none() | st.sampled_from(TYPES))
        has_default = (keyword_only and draw(st.booleans())) or defaults_started
        if not keyword_only and not defaults_started and draw(st.booleans()):
            has_default = defaults_started = True
        found.append(Param(name, annotation, "None" if has_default else None, keyword_only))
    return _kw_only_last(found)


def _kw_only_last(found: list[Param]) -> list[Param]:
    positional = [p for p in found if not p.keyword_only]
    keyword = [p for p in found if p.keyword_only]
    if positional and keyword and positional[-1].default is not None:
        return positional + keyword
    return positional + [Param(p.name, p.annotation, p.default, True) for p in keyword]


@st.composite
def drifted_entries(draw: st.DrawFn, signature: list[Param]) -> list[Entry]:
    entries = []
    for param in signature:
        choice = draw(st.sampled_from(("keep", "keep", "drop", "rename", "wrong-type")))
        type_ = param.annotation if draw(st.booleans()) else None
        if choice == "drop":
            continue
        name = param.name
        if choice == "rename":
            name = f"old_{param.name}"
        if choice == "wrong-type" and param.annotation:
            type_ = WRONG[param.annotation]
        entries.append(Entry(name, type_, f"The {param.name}."))
    stale = draw(st.lists(st.sampled_from(("gone", "removed", "legacy")), max_size=2, unique=True))
    for name in stale:
        entries.insert(draw(st.integers(0, len(entries))), Entry(name, "int", "Stale,\nwrapped."))
    if draw(st.booleans()):
        entries = draw(st.permutations(entries))
    return entries


def render(
    style: str, entries: list[Entry], returns: str | None, indent: str, unit: str
) -> list[str]:
    lines = ["Do the thing.", ""]
    if style == "google":
        if entries:
            lines.append("Args:")
            for e in entries:
                head = f"{e.name} ({e.type})" if e.type else e.name
                first, *rest = e.description.split("\n")
                lines += [f"    {head}: {first}", *(f"        {r}" for r in rest)]
            lines.append("")
        if returns:
            lines += ["Returns:", f"    {returns}: The result.", ""]
    elif style == "numpy":
        if entries:
            lines += ["Parameters", "----------"]
            for e in entries:
                lines.append(f"{e.name} : {e.type}" if e.type else e.name)
                lines += [f"    {r}" for r in e.description.split("\n")]
            lines.append("")
        if returns:
            lines += ["Returns", "-------", returns, "    The result.", ""]
    else:
        for e in entries:
            first, *rest = e.description.split("\n")
            lines += [f":param {e.name}: {first}", *(f"    {r}" for r in rest)]
            if e.type:
                lines.append(f":type {e.name}: {e.type}")
        if returns:
            lines += [":returns: The result.", f":rtype: {returns}"]
        lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return [f"{indent}{line.replace('    ', unit)}" if line else "" for line in lines]


@st.composite
def modules(draw: st.DrawFn) -> tuple[str, bool]:
    signature = draw(params())
    style = draw(st.sampled_from(STYLES))
    entries = draw(drifted_entries(signature))
    if style == "numpy" and len(entries) >= 2 and draw(st.booleans()):
        i = draw(st.integers(0, len(entries) - 2))
        both = Entry(f"{entries[i].name}, {entries[i + 1].name}", entries[i].type, "Both.")
        entries[i : i + 2] = [both]
    body = draw(st.sampled_from(("generator", "returns", "nothing")))
    returns = draw(st.none() | st.sampled_from(("int", "str")))
    annotation = draw(st.none() | st.sampled_from(("int", "str", "None")))
    in_class = draw(st.booleans())
    quote = draw(st.sampled_from(('"""', "'''")))
    prefix = draw(st.sampled_from(("", "r", "u")))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    unit = draw(st.sampled_from(("    ", "\t")))
    indent = unit * 2 if in_class else unit
    parts = []
    for i, p in enumerate(signature):
        if p.keyword_only and (i == 0 or not signature[i - 1].keyword_only):
            parts.append("*")
        text = p.name + (f": {p.annotation}" if p.annotation else "")
        if p.default is not None:
            text += f" = {p.default}" if p.annotation else f"={p.default}"
        parts.append(text)
    first = signature[0].name
    code = {"generator": f"yield {first}", "returns": f"return {first}", "nothing": "print(1)"}
    arrow = f" -> {annotation}" if annotation and body != "generator" else ""
    head = f"def run({', '.join(parts)}){arrow}:"
    doc = render(style, entries, returns, indent, unit)
    lines = [head, f"{indent}{prefix}{quote}{doc[0].strip()}", *doc[1:], f"{indent}{quote}"]
    lines += [f"{indent}x = {first}  # a comment", f"{indent}{code[body]}"]
    if in_class:
        head = f"{unit}def run(self, " + head[len("def run(") :]
        lines = [head, *(f"{unit}{line}" if line else "" for line in lines[1:])]
        lines = ["class Thing:", f'{unit}"""A thing."""', "", *lines]
    return "# generated\n" + newline.join([*lines, "", "VALUE = 1", ""]), draw(st.booleans())


def _outside_docstrings(text: str) -> str:
    spans = docstring_spans(text)
    return replace_literals(text, spans, dict.fromkeys(spans, "<doc>"))


def _findings(source: bytes) -> set[str]:
    module = scan_source(source, "mod.py", "mod").module
    assert module is not None
    return {f.fingerprint for f in run_rules(Project("/nonexistent", (module,)))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_fix_keeps_code_reaches_a_fixed_point_and_touches_only_docstrings(
    generated: tuple[str, bool],
) -> None:
    text, placeholders = generated
    source = text.encode("utf-8")
    result = fix_bytes("mod.py", source, CONFIG, placeholders=placeholders)
    assert result.failed == (), result.failed
    new = result.new
    # (a) the code, docstrings stripped, is the same
    assert code_fingerprint(new) == code_fingerprint(source)
    # (d) no byte outside the docstring literals changed
    assert _outside_docstrings(new.decode("utf-8")) == _outside_docstrings(text)
    # (b) check finds none of the fixed findings
    fixed = {f.fingerprint for edit in result.edits for f in edit.findings}
    assert not fixed & _findings(new)
    # only what needs prose or judgement is left
    for finding, reason in result.left:
        prose = finding.code == "DS102"
        judgement = "more than one entry" in reason or "several names" in reason
        judgement = judgement or "annotations differ" in reason
        assert prose or judgement, (finding, reason)
    # (c) a second fix is a no-op
    second = fix_bytes("mod.py", new, CONFIG, placeholders=placeholders)
    assert second.new == new and second.edits == () and second.failed == ()


@settings(max_examples=20, deadline=None)
@given(modules())
def test_diff_only_and_writing_agree(generated: tuple[str, bool]) -> None:
    text, placeholders = generated
    first = fix_bytes("mod.py", text.encode(), CONFIG, placeholders=placeholders)
    again = fix_bytes("mod.py", text.encode(), CONFIG, placeholders=placeholders)
    assert first.new == again.new
