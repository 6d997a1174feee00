"""The edge to the Anthropic API: the client, its failures as docsync sees them, batches.

The client is the real :class:`anthropic.Anthropic`.  It reads ``ANTHROPIC_API_KEY``
(or ``ANTHROPIC_AUTH_TOKEN``) and ``ANTHROPIC_BASE_URL`` itself, so gateways,
proxies and local test servers work the way they do for the SDK.  docsync sets the
SDK's retry budget and timeout explicitly: rate limits (429), overload (529),
other 5xx answers, timeouts and dropped connections are retried by the SDK with
backoff (honouring ``retry-after``); whatever still fails comes here as an
exception and :func:`classify` says whether drafting must stop (billing, spend
limits, a rejected key) or only this request failed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import anthropic
from anthropic.types import Message

from docsync.redact import scrub_secrets

__all__ = [
    "KEY_MISSING",
    "APIFailure",
    "BatchItem",
    "FailureKind",
    "classify",
    "has_credentials",
    "make_client",
    "run_batch",
]

KEY_MISSING = "LLM drafting skipped: ANTHROPIC_API_KEY is not set"
"""The one message a run without credentials prints."""

_SPEND_WORDS = re.compile(
    r"credit balance|spend(?:ing)? limit|usage limit|billing|quota|insufficient (?:funds|credit)",
    re.IGNORECASE,
)


def has_credentials(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment holds a key the SDK will use.

    Args:
        environ: The environment (default: ``os.environ``).

    Returns:
        True when ``ANTHROPIC_API_KEY`` or ``ANTHROPIC_AUTH_TOKEN`` is set.
    """
    env = os.environ if environ is None else environ
    return bool(env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN"))


def make_client(*, timeout: float, max_retries: int) -> anthropic.Anthropic:
    """The SDK client, configured from the environment, with docsync's retry limits.

    Args:
        timeout: Seconds before one HTTP attempt is abandoned (then retried).
        max_retries: Retries after the first attempt of a request.

    Returns:
        The client.
    """
    return anthropic.Anthropic(timeout=timeout, max_retries=max_retries)


class FailureKind(str, Enum):
    """What a failed request means for the rest of the run."""

    STOP = "stop"  # billing, spend limit, rejected credentials: stop drafting
    FAILED = "failed"  # this request failed (after the SDK's retries)


@dataclass(frozen=True)
class APIFailure:
    """A request that failed, and what it means; ``message`` holds no secret."""

    kind: FailureKind
    message: str


def classify(error: BaseException) -> APIFailure:
    """Say what an exception from the SDK means for the run.

    Args:
        error: What ``messages.create`` (or a batch call) raised.

    Returns:
        ``STOP`` for billing and permission problems, ``FAILED`` for the rest.
    """
    if isinstance(error, anthropic.APIStatusError):
        detail = _detail(error.api_message or error.message)
        where = f"HTTP {error.status_code}"
        return _status_failure(error.status_code, error.type, detail, where)
    if isinstance(error, anthropic.APITimeoutError):
        return APIFailure(FailureKind.FAILED, "the request timed out (retries exhausted)")
    if isinstance(error, anthropic.APIConnectionError):
        return APIFailure(FailureKind.FAILED, "could not reach the API (retries exhausted)")
    return APIFailure(FailureKind.FAILED, _detail(f"{type(error).__name__}: {error}"))


def _status_failure(status: int, kind: str | None, detail: str, where: str) -> APIFailure:
    if status == 402 or kind == "billing_error" or (status == 400 and _SPEND_WORDS.search(detail)):
        return APIFailure(
            FailureKind.STOP,
            f"LLM drafting stopped: the API refused for billing or spend-limit reasons "
            f"({where}: {detail}); drafts made before this are kept",
        )
    if status in (401, 403) or kind in ("authentication_error", "permission_error"):
        return APIFailure(
            FailureKind.STOP,
            f"LLM drafting stopped: the API rejected the credentials or their permissions "
            f"({where}: {detail}); check ANTHROPIC_API_KEY",
        )
    if status == 429 or status >= 500:
        return APIFailure(FailureKind.FAILED, f"{where} after retries: {detail}")
    return APIFailure(FailureKind.FAILED, f"the API refused the request ({where}: {detail})")


def _detail(text: str) -> str:
    text = " ".join(scrub_secrets(text).split())
    return text if len(text) <= 300 else text[:297] + "..."


@dataclass(frozen=True)
class BatchItem:
    """One request of a Message Batch: its ``custom_id`` and ``messages.create`` params."""

    custom_id: str
    params: dict[str, Any]


BatchResult = Message | APIFailure


def run_batch(
    client: anthropic.Anthropic,
    items: Sequence[BatchItem],
    *,
    poll_interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, BatchResult]:
    """Send requests through the Message Batches API and collect the answers.

    A batch that has not ended within ``timeout`` is cancelled (so nothing is
    spent on answers nobody collects) and its requests are reported failed.

    Args:
        client: The SDK client.
        items: The requests, with unique ``custom_id`` values.
        poll_interval: Seconds between status checks.
        timeout: Seconds to wait for the batch to end.
        sleep: Waits between status checks (tests pass a fake).
        clock: A monotonic clock (tests pass a fake).

    Returns:
        Each ``custom_id``'s message, or why it has none.
    """
    if not items:
        return {}
    try:
        batch = client.messages.batches.create(
            requests=[{"custom_id": i.custom_id, "params": i.params} for i in items]  # type: ignore[typeddict-item]
        )
        deadline = clock() + timeout
        while batch.processing_status != "ended":
            if clock() >= deadline:
                client.messages.batches.cancel(batch.id)
                failure = APIFailure(
                    FailureKind.FAILED,
                    f"batch {batch.id} did not end within {timeout:.0f}s; it was cancelled",
                )
                return {item.custom_id: failure for item in items}
            sleep(poll_interval)
            batch = client.messages.batches.retrieve(batch.id)
        results: dict[str, BatchResult] = {}
        for entry in client.messages.batches.results(batch.id):
            results[entry.custom_id] = _batch_result(entry.result)
    except anthropic.AnthropicError as exc:
        failure = classify(exc)
        return {item.custom_id: failure for item in items}
    missing = APIFailure(FailureKind.FAILED, "the batch returned no result for this request")
    return {item.custom_id: results.get(item.custom_id, missing) for item in items}


_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "rate_limit_error": 429,
    "overloaded_error": 529,
}


def _batch_result(result: Any) -> BatchResult:
    if result.type == "succeeded":
        message: Message = result.message
        return message
    if result.type == "errored":
        error = result.error.error
        kind = getattr(error, "type", None)
        detail = _detail(str(getattr(error, "message", "") or kind or "error"))
        status = _ERROR_STATUS.get(kind or "", 500)
        return _status_failure(status, kind, detail, f"batch result {kind or 'error'}")
    return APIFailure(FailureKind.FAILED, f"the batch request was {result.type}")
