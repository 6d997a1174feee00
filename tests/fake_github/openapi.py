"""GitHub's OpenAPI description (the committed subset) as a router and a validator.

The fake server routes every API request through :meth:`OpenAPI.match`, so a path
the subset does not describe is an error, and checks every request it receives and
every response it sends against the description: query parameters, JSON bodies,
status codes and response bodies.  Problems are returned as strings for the
server to record; the test fixture fails the test when any was recorded.

The description is OpenAPI 3.0, whose schemas are JSON Schema draft 4 plus
``nullable``; :func:`json_schema` rewrites ``nullable: true`` as
``anyOf: [{type: null}, ...]`` so the ``jsonschema`` package can validate, with
``$ref`` resolved inside the subset through a ``referencing`` registry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUBSET = Path(__file__).parent / "openapi" / "api.github.com.subset.json"
_URI = "urn:docsync:github-openapi-subset"

#: Statuses GitHub sends on any endpoint although most operations do not list them:
#: 401 for a bad or missing token, 403/429 for an exceeded rate limit
#: (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit),
#: and 403 "Resource not accessible by integration" for a token without the
#: permission (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps).
#: Their bodies are GitHub's ``basic-error``.
UNDECLARED_ERRORS = frozenset({401, 403, 429})


@dataclass(frozen=True)
class Operation:
    """One operation of the description, with the path parameters of a matched request."""

    operation_id: str
    method: str
    template: str
    spec: dict[str, Any]
    path_params: dict[str, str]


def json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema (and everything under it) as JSON Schema draft 4."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


#: Where GitHub's answers differ from its description, the server answers as GitHub
#: does and the description is corrected here, each with its source: (JSON pointer of
#: a schema, why).  Each of these schemas is made nullable.
KNOWN_INACCURACIES: tuple[tuple[str, str], ...] = (
    (
        "/components/schemas/pull-request-simple/properties/labels/items/properties/description",
        "a label without a description has null there, as in `pull-request`: "
        "https://github.com/github/rest-api-description/issues/1812",
    ),
)


def corrected(document: dict[str, Any]) -> dict[str, Any]:
    """The description with :data:`KNOWN_INACCURACIES` corrected (in place)."""
    for pointer, _why in KNOWN_INACCURACIES:
        *parents, last = pointer.strip("/").split("/")
        node = document
        for part in parents:
            node = node[part]
        node[last] = {**node[last], "nullable": True}
    return document


class OpenAPI:
    """The committed subset: routes, parameters and schemas."""

    def __init__(self, path: Path = SUBSET) -> None:
        raw = corrected(json.loads(path.read_text(encoding="utf-8")))
        self.document: dict[str, Any] = json_schema(raw)
        resource = Resource.from_contents(self.document, default_specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(_URI, resource)
        self._routes: list[tuple[re.Pattern[str], str]] = [
            (re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(t)) + "$"), t)
            for t in self.document["paths"]
        ]

    def operations(self) -> list[str]:
        """Every ``operationId`` in the subset."""
        return sorted(
            op["operationId"]
            for item in self.document["paths"].values()
            for method, op in item.items()
            if method != "parameters"
        )

    def match(self, method: str, path: str) -> Operation | None:
        """The operation for ``method path`` (path without the API prefix), if described."""
        for pattern, template in self._routes:
            found = pattern.match(path)
            if found is None:
                continue
            spec = self.document["paths"][template].get(method.lower())
            if spec is None:
                return None
            return Operation(spec["operationId"], method.upper(), template, spec, found.groupdict())
        return None

    def check_request(
        self, operation: Operation, query: dict[str, str], body: Any, has_body: bool
    ) -> list[str]:
        """Problems with a request's query parameters and JSON body."""
        problems: list[str] = []
        declared: dict[str, dict[str, Any]] = {}
        for param in operation.spec.get("parameters", []):
            param = self._deref(param)
            if param["in"] == "query":
                declared[param["name"]] = param
            elif param["in"] == "path":
                value = _coerce(operation.path_params[param["name"]], param["schema"])
                problems += self._errors(param["schema"], value, f"path parameter {param['name']}")
        for name, value in query.items():
            if name not in declared:
                problems.append(f"query parameter {name!r} is not described")
                continue
            schema = declared[name]["schema"]
            problems += self._errors(schema, _coerce(value, schema), f"query parameter {name}")
        for name, param in declared.items():
            if param.get("required") and name not in query:
                problems.append(f"required query parameter {name!r} is missing")
        request_body = operation.spec.get("requestBody")
        if request_body is None:
            if has_body:
                problems.append("a body was sent to an operation that takes none")
            return [f"{operation.operation_id}: request: {p}" for p in problems]
        if not has_body:
            if request_body.get("required"):
                problems.append("the required JSON body is missing")
        else:
            schema = request_body["content"]["application/json"]["schema"]
            problems += self._errors(schema, body, "body")
        return [f"{operation.operation_id}: request: {p}" for p in problems]

    def check_response(self, operation: Operation, status: int, body: Any) -> list[str]:
        """Problems with a response: an undescribed status, or a body off its schema."""
        responses = operation.spec["responses"]
        response = responses.get(str(status))
        where = f"{operation.operation_id}: response {status}"
        if response is None:
            if status in UNDECLARED_ERRORS:
                schema = {"$ref": "#/components/schemas/basic-error"}
                return [f"{where}: {p}" for p in self._errors(schema, body, "body")]
            return [f"{where}: status not described (described: {', '.join(responses)})"]
        response = self._deref(response)
        content = response.get("content", {}).get("application/json")
        if content is None:
            return [] if body is None else [f"{where}: a body the description does not have"]
        return [f"{where}: {p}" for p in self._errors(content["schema"], body, "body")]

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = _pointer(self.document, node["$ref"])
        return node

    def _errors(self, schema: dict[str, Any], value: Any, what: str) -> list[str]:
        validator = _validator(self, json.dumps(schema, sort_keys=True))
        return [
            f"{what}{_at(error.absolute_path)}: {error.message[:300]}"
            for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        ]


@cache
def _validator(spec: OpenAPI, schema_text: str) -> Draft4Validator:
    schema = _rebase(json.loads(schema_text))
    return Draft4Validator(schema, registry=spec._registry)


def _rebase(node: Any) -> Any:
    """Point the local ``#/...`` references of a schema taken out of the document at it."""
    if isinstance(node, dict):
        return {
            k: (f"{_URI}{v}" if k == "$ref" and v.startswith("#") else _rebase(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


def _pointer(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return dict(node)


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def _at(path: Any) -> str:
    parts = list(path)
    return "" if not parts else " at " + "/".join(str(p) for p in parts)
