"""The structured answers docsync accepts from the model, and how they are read back.

The model answers only through one of four strict JSON schemas (every property
required, ``additionalProperties: false``):

* ``propose_docstring`` ``{new_docstring, rationale}``;
* ``propose_page_edit`` ``{start_line, end_line, replacement, rationale}``;
* ``review_docstring`` and ``review_page``: the same plus ``verdict``
  (``still_accurate`` or ``edit``), for the review findings DS502 and DS706.

The target (the symbol, or the page) is known before the request, so it is not
part of the answer: a model cannot name the wrong one.  A model that names it
anyway (``symbol`` or ``page``, as older prompts asked) is read leniently: the
name is kept for :mod:`docsync.draft.llm.checks`, which accepts the exact name
or an unambiguous suffix of it.  The tools stay the same on every request, so
they stay in the cached prefix.

Two transports carry them.  *Forced tool use* declares the four schemas as strict
tools and sets ``tool_choice`` to the one wanted.  The newest models (Claude
Sonnet 5.5, Opus 5.5, Fable 5.1 and later) answer a forced ``tool_choice`` with a
400 error, so for those (and any model docsync does not know) the schema goes in
``output_config.format`` instead (JSON outputs).  Either way the answer is
untrusted: :func:`read_payload` checks it against the schema again, key by key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from anthropic import transform_schema

__all__ = [
    "DocstringAnswer",
    "OutputKind",
    "OutputMode",
    "PageAnswer",
    "Verdict",
    "answer_phrase",
    "output_mode",
    "read_payload",
    "request_shape",
    "schema_of",
]


class OutputKind(str, Enum):
    """What the model is asked for; the value is the tool's name."""

    DOCSTRING = "propose_docstring"
    PAGE = "propose_page_edit"
    REVIEW_DOCSTRING = "review_docstring"
    REVIEW_PAGE = "review_page"

    @property
    def is_review(self) -> bool:
        """Whether the answer carries a verdict."""
        return self in (OutputKind.REVIEW_DOCSTRING, OutputKind.REVIEW_PAGE)

    @property
    def is_page(self) -> bool:
        """Whether the answer edits a page."""
        return self in (OutputKind.PAGE, OutputKind.REVIEW_PAGE)


class OutputMode(str, Enum):
    """How the schema reaches the model."""

    TOOL = "tool"  # strict tool + forced tool_choice
    JSON = "json"  # output_config.format (JSON outputs)


class Verdict(str, Enum):
    """A review answer: the docs still hold, or here is an edit."""

    STILL_ACCURATE = "still_accurate"
    EDIT = "edit"


_FORCED_TOOL_MODELS = re.compile(
    r"^claude-(?:3-[\w-]+|(?:sonnet|opus|haiku)-4(?:-\d)?|(?:sonnet|opus|fable|mythos)-5)"
    r"(?:-\d{8})?$"
)
"""Models known to accept a forced ``tool_choice`` (the 3.x, 4.x and 5.0 generations)."""


def output_mode(model: str) -> OutputMode:
    """The transport for a model's structured answers.

    Args:
        model: The model id.

    Returns:
        ``TOOL`` for models known to accept a forced tool choice, else ``JSON``.
    """
    return OutputMode.TOOL if _FORCED_TOOL_MODELS.match(model) else OutputMode.JSON


def answer_phrase(kind: OutputKind, mode: OutputMode) -> str:
    """How the prompt tells the model to answer, for the transport in use.

    Args:
        kind: The answer wanted.
        mode: The transport.

    Returns:
        ``by calling the tool propose_docstring`` or ``with the JSON object ...``.
    """
    if mode is OutputMode.TOOL:
        return f"by calling the tool {kind.value}"
    return f"with the JSON object of the output format ({kind.value})"


_STRING: dict[str, object] = {"type": "string"}
_LINE: dict[str, object] = {"type": "integer", "minimum": 1, "description": "A 1-based page line."}
_VERDICT: dict[str, object] = {"type": "string", "enum": [v.value for v in Verdict]}
_RATIONALE: dict[str, object] = {
    "type": "string",
    "description": "One or two sentences: why this text is right, citing the code.",
}

_PROPERTIES: dict[OutputKind, dict[str, dict[str, object]]] = {
    OutputKind.DOCSTRING: {
        "new_docstring": {
            **_STRING,
            "description": "The whole new docstring text, without quotes or code indentation.",
        },
        "rationale": _RATIONALE,
    },
    OutputKind.PAGE: {
        "start_line": _LINE,
        "end_line": _LINE,
        "replacement": {
            **_STRING,
            "description": "The new text of lines start_line..end_line, same number of lines.",
        },
        "rationale": _RATIONALE,
    },
}
_PROPERTIES[OutputKind.REVIEW_DOCSTRING] = {
    "verdict": _VERDICT,
    "new_docstring": {
        **_STRING,
        "description": "With verdict 'edit': the whole new docstring text; else empty.",
    },
    "rationale": _RATIONALE,
}
_PROPERTIES[OutputKind.REVIEW_PAGE] = {
    "verdict": _VERDICT,
    "start_line": _LINE,
    "end_line": _LINE,
    "replacement": {
        **_STRING,
        "description": "With verdict 'edit': the new text of the lines; else empty.",
    },
    "rationale": _RATIONALE,
}

_DESCRIPTIONS = {
    OutputKind.DOCSTRING: "Propose the new docstring of the one symbol you were asked about.",
    OutputKind.PAGE: "Propose new text for the line range of the one page you were asked about.",
    OutputKind.REVIEW_DOCSTRING: "Say whether the docstring still describes the changed code; "
    "if not, propose the new docstring.",
    OutputKind.REVIEW_PAGE: "Say whether the page lines still hold for the changed code; "
    "if not, propose new text for them.",
}


def schema_of(kind: OutputKind) -> dict[str, object]:
    """The strict JSON schema of one kind of answer.

    Args:
        kind: The kind of answer.

    Returns:
        An object schema with every property required and no others allowed.
    """
    properties = _PROPERTIES[kind]
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _tools() -> list[dict[str, object]]:
    return [
        {
            "name": kind.value,
            "description": _DESCRIPTIONS[kind],
            "input_schema": transform_schema(schema_of(kind)),
            "strict": True,
        }
        for kind in OutputKind
    ]


def request_shape(kind: OutputKind, mode: OutputMode) -> dict[str, Any]:
    """The request parameters that make the model answer with ``kind``.

    Tool mode declares every tool (the same list on every request, so it stays in
    the cached prefix) and forces the wanted one.  The schemas go through the
    SDK's ``transform_schema``, which moves constraints the API does not take
    (``minimum``) into descriptions; :func:`read_payload` still enforces them.

    Args:
        kind: The answer wanted.
        mode: The transport.

    Returns:
        ``tools`` and ``tool_choice``, or ``output_config``.
    """
    if mode is OutputMode.TOOL:
        return {
            "tools": _tools(),
            "tool_choice": {"type": "tool", "name": kind.value, "disable_parallel_tool_use": True},
        }
    schema = transform_schema(schema_of(kind))
    return {"output_config": {"format": {"type": "json_schema", "schema": schema}}}


@dataclass(frozen=True)
class DocstringAnswer:
    """A docstring proposal (``verdict`` is ``EDIT`` unless a review said otherwise).

    ``symbol`` is the name the model gave the target, if it gave one.
    """

    symbol: str | None
    new_docstring: str
    rationale: str
    verdict: Verdict = Verdict.EDIT


@dataclass(frozen=True)
class PageAnswer:
    """A page edit proposal (``verdict`` is ``EDIT`` unless a review said otherwise).

    ``page`` is the path the model gave, if it gave one.
    """

    page: str | None
    start_line: int
    end_line: int
    replacement: str
    rationale: str
    verdict: Verdict = Verdict.EDIT


Answer = DocstringAnswer | PageAnswer

_TARGET_KEY = {False: "symbol", True: "page"}
"""The key a model may still name its target with (not in the schema; read if present)."""


def read_payload(kind: OutputKind, payload: object) -> Answer | list[str]:
    """Check a structured answer against its schema, and read it.

    Args:
        kind: The answer that was asked for.
        payload: The tool input, or the parsed JSON text.

    Returns:
        The answer, or the list of schema violations (never empty).
    """
    if not isinstance(payload, dict):
        return [f"the answer must be a JSON object, got {type(payload).__name__}"]
    properties = _PROPERTIES[kind]
    named = _TARGET_KEY[kind.is_page]
    errors = [
        f"unexpected key {key!r}" for key in payload if key not in properties and key != named
    ]
    errors += [f"missing key {key!r}" for key in properties if key not in payload]
    for key, spec in {**properties, named: _STRING}.items():
        if key in payload:
            errors.extend(_type_errors(key, spec, payload[key]))
    if errors:
        return errors
    verdict = Verdict(payload["verdict"]) if kind.is_review else Verdict.EDIT
    if kind.is_page:
        return PageAnswer(
            payload.get("page"),
            payload["start_line"],
            payload["end_line"],
            payload["replacement"],
            payload["rationale"],
            verdict,
        )
    return DocstringAnswer(
        payload.get("symbol"), payload["new_docstring"], payload["rationale"], verdict
    )


def _type_errors(key: str, spec: dict[str, object], value: object) -> list[str]:
    if spec["type"] == "string":
        if not isinstance(value, str):
            return [f"{key!r} must be a string, got {_json_type(value)}"]
        enum = spec.get("enum")
        if isinstance(enum, list) and value not in enum:
            return [f"{key!r} must be one of {', '.join(map(str, enum))}, got {value!r}"]
        return []
    if not isinstance(value, int) or isinstance(value, bool):
        return [f"{key!r} must be an integer, got {_json_type(value)}"]
    if value < 1:
        return [f"{key!r} must be at least 1, got {value}"]
    return []


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string" if isinstance(value, str) else type(value).__name__
