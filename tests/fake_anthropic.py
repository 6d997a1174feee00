"""A local stand-in for the Anthropic API that the real ``anthropic`` client talks to.

:class:`FakeAnthropic` is a ``ThreadingHTTPServer`` on ``127.0.0.1`` (port 0) in a
thread.  It answers ``POST /v1/messages`` and the Message Batches endpoints the way
the API does, after checking each request as the API would: an API key as
``Authorization: Bearer`` or ``x-api-key``, an ``anthropic-version`` header, and a
JSON body with ``model``, ``max_tokens`` and ``messages`` (plus well-formed
``tools``/``tool_choice`` or ``output_config``).  It refuses a forced
``tool_choice`` for the models that do (Claude Sonnet 5.5 and its generation).
Every reply is built through the SDK's own models (``Message``, ``MessageBatch``,
``MessageBatchIndividualResponse``, ``ErrorResponse``), so the wire format is the
one the client parses.

Tests script the replies: :meth:`FakeAnthropic.add` queues :class:`Reply` values or
*responders* (functions from the request body to a reply), consumed in order;
:attr:`FakeAnthropic.responder` answers when the queue is empty.  Every request is
recorded for assertions, and :attr:`FakeAnthropic.problems` lists the requests
that broke the protocol.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from anthropic.types import Message
from anthropic.types.messages import MessageBatch, MessageBatchIndividualResponse
from anthropic.types.shared import ErrorResponse

API_KEY = "sk-ant-api03-fake-test-key-0123456789abcdef"
FORCED_TOOL_REJECTED = frozenset({"claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1"})


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, JSON text, headers, and a delay before it is sent."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[dict[str, Any]], Reply]


@dataclass(frozen=True)
class Recorded:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def user_texts(self) -> list[str]:
        """Every text the request's user turns carry (strings, text and tool_result blocks)."""
        texts: list[str] = []
        for message in self.body.get("messages", []) if isinstance(self.body, dict) else []:
            if message.get("role") != "user":
                continue
            content = message["content"]
            if isinstance(content, str):
                texts.append(content)
                continue
            for block in content:
                if block.get("type") == "text":
                    texts.append(block["text"])
                elif block.get("type") == "tool_result" and isinstance(block.get("content"), str):
                    texts.append(block["content"])
        return texts


_ids = itertools.count(1)


def usage(input_tokens: int = 900, output_tokens: int = 120, **cache: int) -> dict[str, int]:
    """A usage object (``cache_creation_input_tokens``/``cache_read_input_tokens`` as keywords)."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": cache.get("cache_creation_input_tokens", 0),
        "cache_read_input_tokens": cache.get("cache_read_input_tokens", 0),
    }


def message_json(
    content: list[dict[str, Any]],
    *,
    stop_reason: str = "end_turn",
    model: str = "claude-sonnet-4-6",
    tokens: dict[str, int] | None = None,
) -> str:
    """A Messages API answer, built and checked through the SDK's ``Message`` model."""
    message = Message.model_validate(
        {
            "id": f"msg_fake{next(_ids):06d}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": tokens or usage(),
        }
    )
    return message.model_dump_json(exclude_none=True)


def tool_reply(name: str, payload: dict[str, Any], **options: Any) -> Reply:
    """An answer that calls the tool ``name`` with ``payload``."""
    block = {
        "type": "tool_use",
        "id": f"toolu_fake{next(_ids):06d}",
        "name": name,
        "input": payload,
    }
    return Reply(
        200, message_json([block], stop_reason=options.pop("stop_reason", "tool_use"), **options)
    )


def json_reply(payload: object, **options: Any) -> Reply:
    """A JSON-outputs answer: ``payload`` as the text block."""
    return Reply(200, message_json([{"type": "text", "text": json.dumps(payload)}], **options))


def stop_reply(stop_reason: str, text: str = "") -> Reply:
    """An answer that stopped for ``stop_reason`` (``refusal``, ``max_tokens``...)."""
    content = [{"type": "text", "text": text}] if text else []
    return Reply(200, message_json(content, stop_reason=stop_reason))


def error_reply(
    status: int, kind: str, message: str, headers: dict[str, str] | None = None
) -> Reply:
    """An API error answer, checked through the SDK's ``ErrorResponse`` model."""
    body = ErrorResponse.model_validate(
        {"type": "error", "error": {"type": kind, "message": message}}
    )
    return Reply(status, body.model_dump_json(exclude_none=True), headers or {})


class FakeAnthropic:
    """The fake API server; see the module docstring."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self.script: deque[Reply | Responder] = deque()
        self.responder: Responder | None = None
        self.batch_polls_before_end = 1
        """Status checks that still see a new batch in progress (0: it ends at once)."""
        self._batches: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give the client (``ANTHROPIC_BASE_URL``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeAnthropic:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def add(self, *replies: Reply | Responder) -> None:
        """Queue replies (or responders) for the next requests, in order."""
        with self._lock:
            self.script.extend(replies)

    @property
    def message_requests(self) -> list[Recorded]:
        """The ``POST /v1/messages`` requests, in arrival order."""
        return [r for r in self.requests if r.path == "/v1/messages"]

    def batch_requests(self) -> list[dict[str, Any]]:
        """The individual requests of every batch created, in order."""
        return [
            item
            for r in self.requests
            if r.path == "/v1/messages/batches" and r.method == "POST"
            for item in r.body["requests"]
        ]

    # --- answering ---------------------------------------------------------------------

    def answer(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        """Record and answer one request."""
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        with self._lock:
            self.requests.append(Recorded(method, path, headers, body))
        problem = self._auth_problem(headers)
        if problem is not None:
            return problem
        if method == "POST" and path == "/v1/messages":
            return self._messages(body)
        if method == "POST" and path == "/v1/messages/batches":
            return self._create_batch(body)
        match = re.fullmatch(r"/v1/messages/batches/([\w-]+)(/results|/cancel)?", path)
        if match:
            return self._batch(method, match.group(1), match.group(2) or "")
        return self._problem(404, "not_found_error", f"{method} {path} is not an endpoint")

    def _auth_problem(self, headers: dict[str, str]) -> Reply | None:
        bearer = headers.get("authorization", "")
        key = (
            bearer.removeprefix("Bearer ")
            if bearer.startswith("Bearer ")
            else headers.get("x-api-key")
        )
        if key != self.api_key:
            return self._problem(401, "authentication_error", "invalid x-api-key")
        if not headers.get("anthropic-version"):
            return self._problem(
                400, "invalid_request_error", "anthropic-version header is required"
            )
        return None

    def _problem(self, status: int, kind: str, message: str) -> Reply:
        with self._lock:
            self.problems.append(f"{status} {kind}: {message}")
        return error_reply(status, kind, message)

    def _messages(self, body: Any) -> Reply:
        problem = check_message_params(body)
        if problem is not None:
            return self._problem(400, "invalid_request_error", problem)
        return self._next(body)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            item = self.script.popleft() if self.script else self.responder
        if item is None:
            return self._problem(500, "api_error", "the test scripted no reply for this request")
        return item if isinstance(item, Reply) else item(body)

    def _create_batch(self, body: Any) -> Reply:
        requests = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests, list) or not requests:
            return self._problem(
                400, "invalid_request_error", "requests: a non-empty list is required"
            )
        results = []
        for item in requests:
            problem = check_message_params(item.get("params"))
            custom_id = item.get("custom_id", "")
            if problem is not None or not re.fullmatch(r"[\w-]{1,64}", custom_id):
                return self._problem(400, "invalid_request_error", problem or "bad custom_id")
            reply = self._next(item["params"])
            results.append((custom_id, reply))
        batch_id = f"msgbatch_fake{next(_ids):06d}"
        self._batches[batch_id] = {
            "results": results,
            "polls": 0,
            "created": datetime.now(timezone.utc),
        }
        return Reply(200, self._batch_json(batch_id, ended=self.batch_polls_before_end <= 0))

    def _batch(self, method: str, batch_id: str, action: str) -> Reply:
        batch = self._batches.get(batch_id)
        if batch is None:
            return self._problem(404, "not_found_error", f"no batch {batch_id}")
        if action == "/cancel" and method == "POST":
            batch["cancelled"] = True
            return Reply(200, self._batch_json(batch_id, ended=False))
        if action == "/results" and method == "GET":
            return Reply(
                200,
                "\n".join(self._result_lines(batch)) + "\n",
                {"content-type": "application/binary"},
            )
        batch["polls"] += 1
        return Reply(
            200, self._batch_json(batch_id, ended=batch["polls"] > self.batch_polls_before_end)
        )

    def _batch_json(self, batch_id: str, *, ended: bool) -> str:
        batch = self._batches[batch_id]
        count = len(batch["results"])
        created: datetime = batch["created"]
        data = {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": {
                "processing": 0 if ended else count,
                "succeeded": count if ended else 0,
                "errored": 0,
                "canceled": 0,
                "expired": 0,
            },
            "created_at": created.isoformat(),
            "expires_at": (created + timedelta(hours=24)).isoformat(),
            "ended_at": datetime.now(timezone.utc).isoformat() if ended else None,
            "results_url": f"{self.url}/v1/messages/batches/{batch_id}/results" if ended else None,
        }
        return MessageBatch.model_validate(data).model_dump_json()

    @staticmethod
    def _result_lines(batch: dict[str, Any]) -> Iterator[str]:
        for custom_id, reply in batch["results"]:
            body = json.loads(reply.body)
            if reply.status == 200:
                result = {"type": "succeeded", "message": body}
            else:
                result = {"type": "errored", "error": body}
            line = MessageBatchIndividualResponse.model_validate(
                {"custom_id": custom_id, "result": result}
            )
            yield line.model_dump_json(exclude_none=True)


def check_message_params(body: Any) -> str | None:
    """What is wrong with a Messages request body, as the API would say it (or ``None``)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: a model id is required"
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        return "max_tokens: a positive integer is required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or messages[0].get("role") != "user":
        return "messages: a list starting with a user turn is required"
    if any(m.get("role") not in ("user", "assistant") or "content" not in m for m in messages):
        return "messages: each turn needs a role and content"
    tools = body.get("tools")
    names = {t.get("name") for t in tools} if isinstance(tools, list) else set()
    if tools is not None and (not names or any("input_schema" not in t for t in tools)):
        return "tools: each tool needs a name and an input_schema"
    choice = body.get("tool_choice")
    if choice is not None:
        if choice.get("type") == "tool" and choice.get("name") not in names:
            return "tool_choice: names a tool that is not declared"
        if choice.get("type") in ("tool", "any") and body["model"] in FORCED_TOOL_REJECTED:
            return f"tool_choice: forcing tool use is not supported with {body['model']}"
    output = body.get("output_config")
    if output is not None:
        fmt = output.get("format") or {}
        if fmt.get("type") != "json_schema" or not isinstance(fmt.get("schema"), dict):
            return "output_config.format: a json_schema format with a schema is required"
    return None


def _handler(fake: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = fake.answer(method, self.path.split("?")[0], headers, raw)
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.body.encode("utf-8")
            extra = dict(reply.headers)
            try:
                self.send_response(reply.status)
                self.send_header("content-type", extra.pop("content-type", "application/json"))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("request-id", f"req_fake{next(_ids):06d}")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args  # quiet

    return Handler
