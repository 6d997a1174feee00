"""Drafting fixes: the :class:`Drafter` protocol, its request and outcomes, and the chain.

The mechanical drafter lives in :mod:`docsync.draft.mechanical.drafter`; an LLM drafter
implements the same protocol.
"""

from __future__ import annotations

from docsync.draft.base import (
    ChainOutcome,
    DocstringTarget,
    Drafted,
    Drafter,
    DraftFailed,
    DraftOutcome,
    DraftRequest,
    NeedsPerson,
    PageTarget,
    Target,
    run_chain,
)

__all__ = [
    "ChainOutcome",
    "DocstringTarget",
    "DraftFailed",
    "DraftOutcome",
    "DraftRequest",
    "Drafted",
    "Drafter",
    "NeedsPerson",
    "PageTarget",
    "Target",
    "run_chain",
]
