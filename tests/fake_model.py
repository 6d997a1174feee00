"""A stand-in *model* for the fake Messages API: answers built from the request itself.

:class:`ModelLike` is a responder for :class:`fake_anthropic.FakeAnthropic`.  It
reads what a real model reads -- the task line, the ``<signature>``, the
``<docstring style=...>`` and the ``<findings>`` of a docstring prompt, or the
numbered ``<page_section>`` of a page prompt -- and drafts the fix the findings ask
for, in the docstring's own style (Google, NumPy or Sphinx): entries of missing
parameters added in signature order, stale ones removed, renamed ones renamed,
a missing parameter section written, an exception the body never raises dropped;
on a page, the finding's text replaced by its suggestion, on any line of the span.

Like real models, it varies the *shape* of good answers (:data:`GOOD`): the exact,
the short or no symbol name, the docstring wrapped in its triple quotes, indented
as in the source, with CRLF and trailing spaces, one parameter description
reworded, a sentence of text before the structured answer.  Every so often
(``wrong_every``) it answers *wrongly* first (:data:`WRONG`): another symbol, a
docstring that breaks out of its quotes into code, a rewritten summary no finding
asked for, page lines outside the target; a repair request then gets a good
answer.  :attr:`ModelLike.wrong_sent` and :attr:`ModelLike.wrong_rejected` count
them (a wrong answer is known to be rejected when its repair request arrives).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from fake_anthropic import Reply, message_json, usage

GOOD = ("exact", "short", "unnamed", "quoted", "indented", "crlf", "reworded", "preface")
"""Harmless variations of a right answer: each must be accepted."""
WRONG = ("other_symbol", "code_breakout", "unrelated_section", "outside_lines")
"""Wrong answers: each must be rejected."""

_FINDING_RE = re.compile(r"^- (DS\d+) \S+ \(line (\d+)\): (.*)$", re.MULTILINE)
_QUOTED_RE = re.compile(r"'([^']+)'")
_GOOGLE_PARAMS = re.compile(r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments):$")
_GOOGLE_RAISES = re.compile(r"^(Raises|Raise):$")
_NUMPY_PARAMS = ("Parameters", "Other Parameters")
_PARAM_CODES = {"DS101", "DS102", "DS103", "DS106"}


@dataclass
class ModelLike:
    """The responder; see the module docstring.

    ``variants`` fixes the good variations to cycle through (all of :data:`GOOD`
    by default); ``wrong`` the wrong first answers (every one of :data:`WRONG`).
    """

    wrong_every: int = 0
    variants: tuple[str, ...] = GOOD
    wrong: tuple[str, ...] = WRONG
    wrong_sent: list[str] = field(default_factory=list)
    wrong_rejected: list[str] = field(default_factory=list)
    answered: int = 0
    _wrong_keys: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, body: dict[str, Any]) -> Reply:
        """Answer one Messages request (a responder of :class:`FakeAnthropic`)."""
        messages = body["messages"]
        prompt = messages[0]["content"]
        key = hashlib.sha256(prompt.encode()).hexdigest()
        kind = _kind(body)
        repair = len(messages) > 1
        with self._lock:
            number = self.answered
            self.answered += 1
            if repair and key in self._wrong_keys:
                self.wrong_rejected.append(self._wrong_keys.pop(key))
            variant = self.variants[number % len(self.variants)]
            if repair:
                variant = "exact"
            elif self.wrong_every and number % self.wrong_every == self.wrong_every - 1:
                wrong = self.wrong[(number // self.wrong_every) % len(self.wrong)]
                if _can_be_wrong(wrong, kind, prompt):
                    variant = wrong
                    self._wrong_keys[key] = wrong
                    self.wrong_sent.append(wrong)
        if kind.startswith("review"):
            payload: dict[str, Any] = _review(kind)
        elif "page" in kind:
            payload = _page_answer(prompt, variant)
        else:
            payload = _docstring_answer(prompt, variant)
        if kind.startswith("review") and "new_docstring" in payload:
            payload = {"verdict": "still_accurate", **payload}
        return _reply(body, kind, payload, preface=variant == "preface")


def _kind(body: dict[str, Any]) -> str:
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("name"):
        return str(choice["name"])
    schema = body["output_config"]["format"]["schema"]
    keys = set(schema["properties"])
    page = "replacement" in keys
    if "verdict" in keys:
        return "review_page" if page else "review_docstring"
    return "propose_page_edit" if page else "propose_docstring"


def _can_be_wrong(wrong: str, kind: str, prompt: str) -> bool:
    if kind.startswith("review"):
        return False
    if wrong == "outside_lines":
        return "page" in kind
    if "page" in kind:
        return False
    if wrong == "unrelated_section":  # only wrong when the findings leave the summary alone
        return set(_codes(prompt)) <= _PARAM_CODES | {"DS301"}
    return True


def _review(kind: str) -> dict[str, Any]:
    text = {"new_docstring": ""} if kind == "review_docstring" else _lines_payload(1, 1, "")
    return {"verdict": "still_accurate", **text, "rationale": "The change keeps the behaviour."}


def _reply(body: dict[str, Any], kind: str, payload: dict[str, Any], *, preface: bool) -> Reply:
    model = body["model"]
    tokens = usage(900 + len(json.dumps(body)) // 4, 60 + len(json.dumps(payload)) // 4)
    intro = {"type": "text", "text": "Here is the corrected documentation."}
    if "output_config" in body:
        text = json.dumps(payload)
        if preface:
            text = f"{intro['text']}\n\n```json\n{text}\n```"
        content = [{"type": "text", "text": text}]
        return Reply(200, message_json(content, model=model, tokens=tokens))
    call = {"type": "tool_use", "id": f"toolu_m{abs(hash(json.dumps(payload))) % 10**9}"}
    content = [*([intro] if preface else []), {**call, "name": kind, "input": payload}]
    return Reply(200, message_json(content, stop_reason="tool_use", model=model, tokens=tokens))


# --- docstrings ------------------------------------------------------------------------


def _codes(prompt: str) -> list[str]:
    return [code for code, _ in _findings(prompt)]


def _findings(prompt: str) -> list[tuple[str, str]]:
    """Each finding's code and message (which may span lines: a call written over several)."""
    found = []
    for item in re.split(r"\n(?=- DS\d+ )", _tag(prompt, "findings")):
        match = _FINDING_RE.match(item)
        if match:
            found.append((match.group(1), match.group(3) + item[match.end() :]))
    return found


def _tag(prompt: str, tag: str) -> str:
    found = re.search(rf"<{tag}(?: [^>]*)?>\n(.*?)\n</{tag}>", prompt, re.DOTALL)
    return found.group(1) if found else ""


def _docstring_answer(prompt: str, variant: str) -> dict[str, Any]:
    symbol = re.search(r"for symbol `([^`]+)`", prompt)
    qualname = symbol.group(1) if symbol else "unknown"
    style = re.search(r'<docstring style="(\w+)">', prompt)
    wanted = re.search(r"Write in (\w+) style", prompt)
    doc_style = style.group(1) if style else "google"
    if doc_style == "plain":
        doc_style = wanted.group(1) if wanted and wanted.group(1) != "plain" else "google"
    old = _tag(prompt, "docstring").replace("&lt;", "<")
    params = _signature_params(_tag(prompt, "signature"))
    findings = _findings(prompt)
    lines = old.split("\n")
    editor = _Docstring(lines, doc_style)
    for code, message in findings:
        editor.apply(code, message, params)
    if variant == "reworded":
        editor.reword()
    if variant == "unrelated_section":
        editor.lines[0] = "Do what the function does, rewritten."
    text = "\n".join(editor.lines)
    if variant == "code_breakout":
        text += '\n"""\nimport os\nos.system("echo owned")\n"""'
    payload: dict[str, Any] = {"new_docstring": _shaped(text, variant)}
    name = {"exact": qualname, "short": qualname.rsplit(".", 1)[-1]}.get(variant)
    if variant == "other_symbol":
        name = "elsewhere.helper"
    if variant not in ("unnamed", "preface", "exact", "short", "other_symbol"):
        name = qualname if len(variant) % 2 else qualname.rsplit(".", 1)[-1]
    if name is not None:
        payload = {"symbol": name, **payload}
    payload["rationale"] = "The docstring now matches the signature."
    return payload


def _shaped(text: str, variant: str) -> str:
    if variant == "quoted":
        return f'"""{text}\n"""'
    if variant == "indented":
        return "\n".join(("    " + line) if line else "" for line in text.split("\n")) + "\n    "
    if variant == "crlf":
        return "\r\n" + "  \r\n".join(text.split("\n")) + "\r\n"
    return text


def _signature_params(signature: str) -> list[tuple[str, str | None]]:
    """The (name, annotation) of each parameter of a rendered ``def``/``class`` line."""
    line = re.sub(r"^(async )?class ", "def ", signature.strip())
    line = re.sub(r"^async ", "", line)
    try:
        tree = ast.parse(line + ":\n    pass")
    except SyntaxError:
        return []
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef):
        return []
    args = node.args
    out = []
    for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
        if arg is None or arg.arg in ("self", "cls"):
            continue
        stars = "*" if arg is args.vararg else "**" if arg is args.kwarg else ""
        annotation = ast.unparse(arg.annotation) if arg.annotation is not None else None
        out.append((stars + arg.arg, annotation))
    return out


@dataclass
class _Docstring:
    """Line edits on a docstring's text, in its style."""

    lines: list[str]
    style: str

    def apply(self, code: str, message: str, params: list[tuple[str, str | None]]) -> None:
        names = _QUOTED_RE.findall(message)
        if code == "DS101" and names:
            self._remove(self._entry(names[0]))
        elif code == "DS103" and len(names) >= 2:
            self._rename(names[0], names[1])
        elif code == "DS102" and names:
            self._add(names[0], params)
        elif code == "DS106":
            for name, _ in params:
                if not name.startswith(("*", "_")):
                    self._add(name, params)
        elif code == "DS301" and names:
            self._remove(self._raises_entry(names[-1]))

    def reword(self) -> None:
        """Reword the description of the first parameter entry (a touched section)."""
        for index, _line in enumerate(self.lines):
            if self._entry_name(index) is not None:
                target = index + 1 if self.style == "numpy" else index
                if target < len(self.lines) and self.lines[target].strip():
                    self.lines[target] = self.lines[target].rstrip().rstrip(".") + " (as given)."
                return

    # --- finding entries ---------------------------------------------------------------

    def _entry_name(self, index: int) -> str | None:
        line = self.lines[index]
        if self.style == "sphinx":
            found = re.match(r"^\s*:param\s+(?:[^:]*\s)?\**(\w+)\s*:", line)
            return found.group(1) if found else None
        section = self._section_of(index)
        if section is None:
            return None
        if self.style == "numpy":
            found = re.match(r"^(\**\w+)\s*(?::.*)?$", line)
            return found.group(1).lstrip("*") if found else None
        margin = len(self.lines[section]) - len(self.lines[section].lstrip())
        indent = len(line) - len(line.lstrip())
        found = re.match(r"^\s*(\**\w+)\s*(?:\([^)]*\))?\s*:", line)
        depth = self._entry_indent(section)
        if found and indent > margin and (depth is None or indent == depth):
            return found.group(1).lstrip("*")
        return None

    def _section_of(self, index: int) -> int | None:
        """The header line of the parameter section holding line ``index``."""
        for i in range(index, -1, -1):
            text = self.lines[i]
            if self.style == "numpy":
                if i + 1 < len(self.lines) and re.match(r"^-{3,}$", self.lines[i + 1].strip()):
                    return i if text.strip() in _NUMPY_PARAMS and i != index else None
            elif _GOOGLE_PARAMS.match(text.strip()):
                return i if i != index else None
            elif text.strip() and text == text.lstrip() and i != index:
                return None
        return None

    def _entry_indent(self, section: int) -> int | None:
        for line in self.lines[section + 1 :]:
            if line.strip():
                return len(line) - len(line.lstrip())
        return None

    def _entry(self, name: str) -> tuple[int, int] | None:
        for index in range(len(self.lines)):
            if self._entry_name(index) == name.lstrip("*"):
                return index, self._block_end(index)
        return None

    def _raises_entry(self, name: str) -> tuple[int, int] | None:
        short = name.rsplit(".", 1)[-1]
        for index, line in enumerate(self.lines):
            text = line.strip()
            if self.style == "sphinx" and re.match(rf":raises?\s+[\w.]*{short}\s*:", text):
                return index, self._block_end(index)
            if self.style != "sphinx" and re.match(rf"^[\w.]*{short}\s*:?", text):
                header = next(
                    (
                        self.lines[i].strip()
                        for i in range(index - 1, -1, -1)
                        if self.lines[i].strip() and not self.lines[i].startswith(" ")
                    ),
                    "",
                )
                if _GOOGLE_RAISES.match(header) or header.startswith("----") or header == "Raises":
                    return index, self._block_end(index)
        return None

    def _block_end(self, index: int) -> int:
        indent = len(self.lines[index]) - len(self.lines[index].lstrip())
        end = index
        for i in range(index + 1, len(self.lines)):
            line = self.lines[i]
            if not line.strip():
                continue
            if len(line) - len(line.lstrip()) > indent:
                end = i
            else:
                break
        return end

    # --- edits -------------------------------------------------------------------------

    def _remove(self, span: tuple[int, int] | None) -> None:
        if span is None:
            return
        first, last = span
        name = self._entry_name(first)
        del self.lines[first : last + 1]
        if self.style == "sphinx" and name:
            self.lines = [ln for ln in self.lines if not re.match(rf"^\s*:type\s+{name}\s*:", ln)]

    def _rename(self, old: str, new: str) -> None:
        span = self._entry(old)
        if span is None:
            return
        line = self.lines[span[0]]
        self.lines[span[0]] = re.sub(rf"(?<![\w]){re.escape(old)}(?![\w])", new, line, count=1)
        if self.style == "sphinx":
            self.lines = [
                re.sub(rf"^(\s*:type\s+){old}(\s*:)", rf"\g<1>{new}\2", ln) for ln in self.lines
            ]

    def _add(self, name: str, params: list[tuple[str, str | None]]) -> None:
        if self._entry(name) is not None:
            return
        annotation = {n.lstrip("*"): a for n, a in params}.get(name)
        order = [n.lstrip("*") for n, _ in params]
        before = list(order[: order.index(name)]) if name in order else order
        anchor = None
        for previous in reversed(before):
            span = self._entry(previous)
            if span is not None:
                anchor = span[1]
                break
        new = self._new_entry(name, annotation)
        if anchor is None:
            anchor = self._section_start()
        if anchor is None:
            self._new_section(new)
            return
        self.lines[anchor + 1 : anchor + 1] = new

    def _new_entry(self, name: str, annotation: str | None) -> list[str]:
        description = f"The {name.replace('_', ' ')} to use."
        if self.style == "sphinx":
            return [f":param {name}: {description}"]
        if self.style == "numpy":
            head = f"{name} : {annotation}" if annotation else name
            return [head, f"    {description}"]
        header = next(
            (i for i, ln in enumerate(self.lines) if _GOOGLE_PARAMS.match(ln.strip())), None
        )
        depth = self._entry_indent(header) if header is not None else None
        return [" " * (depth or 4) + f"{name}: {description}"]

    def _section_start(self) -> int | None:
        """The line after which a first entry goes (a section header, or the last field)."""
        for index, line in enumerate(self.lines):
            text = line.strip()
            if self.style == "sphinx" and text.startswith(":param"):
                return index - 1
            if self.style == "google" and _GOOGLE_PARAMS.match(text):
                return index
            if self.style == "numpy" and text in _NUMPY_PARAMS:
                return index + 1
        return None

    def _new_section(self, entry: list[str]) -> None:
        fields = next(
            (
                i
                for i, ln in enumerate(self.lines)
                if re.match(r"^(\w[\w ]*:|:\w+|-{3,})", ln.strip()) and i > 0
            ),
            None,
        )
        if (
            self.style == "numpy"
            and fields is not None
            and re.match(r"^-{3,}$", self.lines[fields].strip())
        ):
            fields -= 1
        if self.style == "sphinx":
            block = entry
        elif self.style == "numpy":
            block = ["Parameters", "----------", *entry]
        else:
            block = ["Args:", *entry]
        if fields is None:
            while self.lines and not self.lines[-1].strip():
                self.lines.pop()
            self.lines += ["", *block] if self.style != "sphinx" or len(self.lines) > 0 else block
        else:
            self.lines[fields:fields] = [*block, ""] if self.style != "sphinx" else block


# --- pages -----------------------------------------------------------------------------


def _lines_payload(first: int, last: int, text: str) -> dict[str, Any]:
    return {"start_line": first, "end_line": last, "replacement": text}


def _page_answer(prompt: str, variant: str) -> dict[str, Any]:
    found = re.search(r"start_line (\d+) and end_line (\d+)", prompt)
    first, last = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
    numbered = {}
    for line in _tag(prompt, "page_section").split("\n"):
        match = re.match(r"^\s*(\d+)\| ?(.*)$", line)
        if match:
            numbered[int(match.group(1))] = match.group(2)
    text = "\n".join(numbered.get(n, "") for n in range(first, last + 1))
    for _, message in _findings(prompt):
        documented = re.search(r"Documented: (.*?)\. (?:Code|Hint):", message, re.DOTALL)
        hint = re.search(r"Hint: replace it with `(.*)`\.$", message, re.DOTALL)
        pair = re.search(r"Hint: replace `(.*?)` with `(.*)`\.$", message, re.DOTALL)
        if documented and hint:
            text = text.replace(documented.group(1), hint.group(1), 1)
        elif pair:
            text = text.replace(pair.group(1), pair.group(2), 1)
    if variant == "outside_lines":
        return {**_lines_payload(max(1, first - 1), last, "x\n" + text), "rationale": "Fixed."}
    payload = _lines_payload(first, last, text.replace("\n", "\r\n") if variant == "crlf" else text)
    if variant in ("exact", "short"):
        path = re.search(r"for page `([^`]+)`", prompt)
        if path:
            payload = {
                "page": path.group(1) if variant == "exact" else path.group(1).rsplit("/", 1)[-1],
                **payload,
            }
    return {**payload, "rationale": "The example now matches the signature."}
