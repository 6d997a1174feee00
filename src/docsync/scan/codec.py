"""Cache entries as bytes: docsync's data values, pickled, checked on the way back in.

An entry is a header (a format tag and a checksum of the rest), then the pickled
value.  Reading one builds nothing but docsync's own data classes and enums (an
allow-listed unpickler: an entry cannot run code) and checks the value all the way
down against the type the reader expects, within a budget, so a crafted or
damaged entry is a miss, never a crash.  The scan cache (:mod:`docsync.scan.cache`)
and the check's result cache keep their entries in this form.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import itertools
import pickle
import types
import typing

from docsync import models
from docsync.scan.python import ScanResult

__all__ = ["FORMAT", "decode_value", "encode_value"]

FORMAT = "4"
"""The entry layout; bump it when the data model changes (4: Bindings.lazy, unread_getattr)."""

_MAGIC = b"DSYNC" + FORMAT.encode()
_DIGEST_SIZE = 16
_HEADER_SIZE = len(_MAGIC) + _DIGEST_SIZE


def encode_value(value: object) -> bytes:
    """The bytes of an entry holding ``value``, made of the data model's classes.

    Args:
        value: A scan result, or any value of the data model's types (tuples of
            findings, ...) that :func:`decode_value` will check against its type.

    Returns:
        A header (format and a checksum of the rest), then the pickled value.
    """
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() + payload


def decode_value(blob: bytes, hint: object, *, check_types: bool = True) -> object | None:
    """The value in bytes made by :func:`encode_value`, if it is undamaged and of type ``hint``.

    Only docsync's data classes and enums are built (no code runs), and the value
    is checked all the way down against ``hint`` (a class or a ``tuple[...]`` type).

    Args:
        blob: The encoded value.
        hint: The type the value must have (the caller may cast to it).
        check_types: Check the value against ``hint`` all the way down; ``False``
            only for bytes this run's own process pool just made (the check was
            a tenth of a cold scan's time), never for bytes read from disk.

    Returns:
        The value, or ``None`` for another format, a checksum mismatch, or a
        payload that is not a well-typed value of ``hint``.
    """
    if len(blob) < _HEADER_SIZE or not blob.startswith(_MAGIC):
        return None
    payload = memoryview(blob)[_HEADER_SIZE:]
    digest = hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest()
    if digest != blob[len(_MAGIC) : _HEADER_SIZE]:
        return None
    try:
        value: object = _ModelUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage at all is a miss
        return None
    if check_types and not _well_typed(value, hint):
        return None
    return value


class _ModelUnpickler(pickle.Unpickler):
    """Builds only docsync's data classes and enums, so an entry cannot run code."""

    def find_class(self, module: str, name: str, /) -> type:
        allowed = _ALLOWED.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a docsync scan type")
        return allowed


def _allowed_classes() -> dict[tuple[str, str], type]:
    """The classes a scan result is made of: the data model's, ScanResult, frozenset.

    The data model's are every docsync enum and dataclass :mod:`docsync.models`
    holds, its re-exports (such as :class:`~docsync.severity.Severity`) included.
    """
    found: dict[tuple[str, str], type] = {
        (ScanResult.__module__, ScanResult.__qualname__): ScanResult,
        ("builtins", "frozenset"): frozenset,
    }
    for value in vars(models).values():
        if (
            isinstance(value, type)
            and value.__module__.startswith("docsync.")
            and (issubclass(value, enum.Enum) or hasattr(value, "__dataclass_fields__"))
        ):
            found[(value.__module__, value.__qualname__)] = value
    return found


_ALLOWED = _allowed_classes()


_MAX_CHECKED_VALUES = 2_000_000
"""The most values :func:`_well_typed` looks at in one entry; a larger entry is a miss."""


def _well_typed(value: object, hint: object) -> bool:
    """Whether ``value``, all the way down, has the types the data model declares.

    An entry of allowed classes may still hold a ``str`` where a ``tuple`` belongs
    (crafted, or written by another version): every field of every dataclass is
    checked against its annotation, within a budget of values looked at.
    """
    budget = [_MAX_CHECKED_VALUES]
    try:
        return _checker(hint)(value, budget)
    except RecursionError:
        return False


_Check = typing.Callable[[object, list[int]], bool]


@functools.cache
def _checker(hint: object) -> _Check:
    """A function that checks a value against ``hint``, built once per annotation."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is object:
        return _check_plain
    if hint is None or hint is type(None):
        return _is_none
    if origin in (typing.Union, types.UnionType):
        return _union([_checker(arg) for arg in args])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _collection(tuple, _checker(args[0]))
    if origin is tuple:
        return _fixed_tuple([_checker(arg) for arg in args])
    if origin is frozenset:
        return _collection(frozenset, _checker(args[0]))
    if origin is dict:
        return _mapping(_checker(args[0]), _checker(args[1]))
    if hint is int:  # bool is an int, but an int field holds no bool
        return lambda value, budget: type(value) is int
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    if isinstance(hint, type):
        return _instance_of(hint)
    return lambda value, budget: False


def _spend(budget: list[int]) -> bool:
    budget[0] -= 1
    return budget[0] >= 0


def _union(checks: list[_Check]) -> _Check:
    if len(checks) == 2 and checks[1] is _is_none:  # ``X | None``, the common union
        first = checks[0]
        return lambda value, budget: value is None or first(value, budget)

    def check(value: object, budget: list[int]) -> bool:
        for one in checks:  # noqa: SIM110 (a loop, not all() over a generator: the hot path)
            if one(value, budget):
                return True
        return False

    return check


def _is_none(value: object, budget: list[int]) -> bool:
    return value is None


def _collection(kind: type, item: _Check) -> _Check:
    leaf = _LEAVES.get(item)

    def check(value: object, budget: list[int]) -> bool:
        if not isinstance(value, kind) or not _spend(budget):
            return False
        if leaf is not None:  # a collection of strings: no call per item
            return all(map(isinstance, value, itertools.repeat(leaf)))  # type: ignore[call-overload]
        for v in value:  # type: ignore[attr-defined]  # noqa: SIM110
            if not item(v, budget):
                return False
        return True

    return check


def _fixed_tuple(items: list[_Check]) -> _Check:
    def check(value: object, budget: list[int]) -> bool:
        if not isinstance(value, tuple) or len(value) != len(items):
            return False
        for one, v in zip(items, value, strict=True):  # noqa: SIM110 (a loop, not all() over a generator: the hot path)
            if not one(v, budget):
                return False
        return True

    return check


def _mapping(key: _Check, item: _Check) -> _Check:
    def check(value: object, budget: list[int]) -> bool:
        if not isinstance(value, dict) or not _spend(budget):
            return False
        for k, v in value.items():  # noqa: SIM110 (a loop, not all() over a generator: the hot path)
            if not (key(k, budget) and item(v, budget)):
                return False
        return True

    return check


def _dataclass(cls: type) -> _Check:
    fields: list[tuple[str, _Check]] = []

    def check(value: object, budget: list[int]) -> bool:
        if not fields:  # filled on first use: a field's class may refer back to this one
            hints = typing.get_type_hints(cls)
            fields.extend((f.name, _checker(hints[f.name])) for f in dataclasses.fields(cls))
        if type(value) is not cls or not _spend(budget):
            return False
        for name, one in fields:  # noqa: SIM110 (a loop, not all() over a generator: the hot path)
            if not one(getattr(value, name, None), budget):
                return False
        return True

    return check


def _instance_of(hint: type) -> _Check:
    """The check of a plain class (``str``, an enum), built once per class."""

    def check(value: object, budget: list[int]) -> bool:
        return isinstance(value, hint)

    _LEAVES[check] = hint
    return check


_LEAVES: dict[_Check, type] = {}
"""The plain-class checks, by the class they test (a collection of them needs no calls)."""


def _check_plain(value: object, budget: list[int]) -> bool:
    """A value typed ``object`` (a code reference's options): plain data only."""
    if not _spend(budget):
        return False
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (tuple, frozenset, list)):
        return all(_check_plain(item, budget) for item in value)
    return isinstance(value, dict) and all(
        isinstance(k, str) and _check_plain(v, budget) for k, v in value.items()
    )
