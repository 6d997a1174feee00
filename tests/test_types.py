"""Tests for docsync.rules.types: normalising and comparing documented types."""

from __future__ import annotations

import pytest

from docsync.rules.types import (
    Lineage,
    clean_type_text,
    is_standard_name,
    normalise_type,
    parse_type,
    types_contradict,
)

# A small project: Base <- Child, MyStr(str), Wrapped(third-party base), a Protocol,
# and two unrelated classes.
_PROJECT = {
    "Base": Lineage(frozenset(), complete=True),
    "Child": Lineage(frozenset({"Base"}), complete=True),
    "Other": Lineage(frozenset(), complete=True),
    "MyStr": Lineage(frozenset({"str"}), complete=True),
    "MyDict": Lineage(frozenset({"dict"}), complete=True),
    "Wrapped": Lineage(frozenset(), complete=False),
    "SupportsClose": Lineage(frozenset(), complete=True, is_protocol=True),
}


def lookup(name: str) -> Lineage | None:
    return _PROJECT.get(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("int, optional", "int"),
        ("int optional", "int"),
        ("str, default: 'x'", "str"),
        ("int, default 3", "int"),
        ("float, default=1.0", "float"),
        ("bool (default: True)", "bool"),
        (":class:`~pkg.Foo`", "pkg.Foo"),
        (":py:class:`Foo`", "Foo"),
        ("``int``", "int"),
        ("~pkg.Foo", "pkg.Foo"),
        ("int or None", "int | None"),
        ("int, str or None", "int | str | None"),
        ("list of str", "list[str]"),
        ("list of list of int", "list[list[int]]"),
        ("dict of {str: int}", "dict[str, int]"),
        ("dict of str to int", "dict[str, int]"),
        ("dict(str, int)", "dict[str, int]"),
        ("tuple of (int, str)", "tuple[int, str]"),
        ("list of str or None", "list[str] | None"),
        ("Optional[int]", "Optional[int]"),
    ],
)
def test_clean_type_text_rewrites_documentation_forms(text: str, expected: str) -> None:
    assert clean_type_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Optional[int]", "int | None"),
        ("typing.Optional[typing.List[str]]", "list[str] | None"),
        ("t.Dict[str, t.Any]", "dict[str, Any]"),
        ("collections.abc.Sequence[int]", "Sequence[int]"),
        ("Union[int, str]", "int | str"),
        ("Union[int, None]", "int | None"),
        ("int | None", "int | None"),
        ("'Foo'", "Foo"),
        ("List['Foo']", "list[Foo]"),
        ("FrozenSet[int]", "frozenset[int]"),
        ("Type[Foo]", "type[Foo]"),
        ("Tuple[int, ...]", "tuple[int, ...]"),
        ("Callable[[int, str], bool]", "Callable[[int, str], bool]"),
        ("(int, str)", "tuple[int, str]"),
        ("Annotated[int, 'meta']", "int"),
        ("ClassVar[int]", "int"),
        ("Literal['a', 'b']", "Literal"),
        ("TypeGuard[int]", "bool"),
        ("NoneType", "None"),
        ("string", "str"),
        ("callable", "Callable"),
        ("int, optional", "int"),
        ("list of str or None", "list[str] | None"),
        (":class:`~pkg.mod.Foo`", "Foo"),
        ("Dict[str, List[int]]", "dict[str, list[int]]"),
    ],
)
def test_normalise_type(text: str, expected: str) -> None:
    assert normalise_type(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "optional", "array-like", "A list of names.", "{'a', 'b'}", "int[", "foo()", "1 + 2"],
)
def test_text_that_is_not_a_type_does_not_parse(text: str) -> None:
    assert parse_type(text) is None


@pytest.mark.parametrize(
    ("documented", "actual"),
    [
        ("str", "int"),
        ("bytes", "str"),
        ("list of str", "Dict[str, int]"),
        ("dict of {str: int}", "List[int]"),
        ("Sequence[str]", "dict[str, int]"),
        ("Mapping[str, int]", "list[int]"),
        ("list[str]", "list[int]"),
        ("int or None", "Optional[str]"),
        ("Base", "Other"),
        ("str", "Base"),
        ("Child", "int"),
        ("Callable", "int"),
        ("tuple", "list"),
        ("set of int", "List[int]"),
    ],
)
def test_clear_contradictions_are_reported(documented: str, actual: str) -> None:
    assert types_contradict(documented, actual, lookup)


@pytest.mark.parametrize(
    ("documented", "actual"),
    [
        ("int", "Optional[int]"),
        ("int, optional", "int | None"),
        ("None", "int"),
        ("int", "float"),
        ("bool", "int"),
        ("float", "complex"),
        ("int", "numbers.Real"),
        ("list", "Sequence[str]"),
        ("list of str", "Iterable[str]"),
        ("Sequence", "tuple[int, ...]"),
        ("dict", "Mapping[str, int]"),
        ("Mapping", "MyDict"),
        ("iterable", "str"),
        ("str", "AnyStr"),
        ("bytes", "AnyStr"),
        ("list", "List[int]"),
        ("list[int]", "list[float]"),
        ("tuple[int, ...]", "tuple[int, int]"),
        ("Any", "int"),
        ("object", "int"),
        ("list[Any]", "dict"),
        ("T", "int"),
        ("KeyT", "str"),
        ("T_co", "str"),
        ("Literal['a']", "int"),
        ("StrPath", "str"),
        ("Path", "str"),
        ("array-like", "list"),
        ("The user's name.", "int"),
        ("Base", "Child"),
        ("Child", "Base"),
        ("str", "MyStr"),
        ("Sequence[str]", "MyStr"),
        ("Wrapped", "int"),
        ("SupportsClose", "Other"),
        ("Exception", "ValueError"),
        ("type", "Callable[..., int]"),
        ("Callable", "Type[Base]"),
        ("str or bytes", "bytes"),
        ("int", "int"),
    ],
)
def test_compatible_or_uncertain_types_are_not_reported(documented: str, actual: str) -> None:
    assert not types_contradict(documented, actual, lookup)


def test_contradiction_is_symmetric_for_clear_cases() -> None:
    assert types_contradict("int", "str", lookup)
    assert types_contradict("str", "int", lookup)


@pytest.mark.parametrize("name", ["int", "Sequence", "Any", "None", "ValueError", "Callable"])
def test_standard_names(name: str) -> None:
    assert is_standard_name(name)


@pytest.mark.parametrize("name", ["StrPath", "Path", "Foo", "ndarray"])
def test_non_standard_names(name: str) -> None:
    assert not is_standard_name(name)


@pytest.mark.parametrize(
    ("documented", "actual"),
    [
        ("Base", "list[Base]"),
        ("str", "Iterator[str]"),
        ("int", "Generator[int, None, None]"),
        ("list of Base", "Base | None"),
        ("Base", "PaginatedList[Base]"),
        ("str", "tuple[int, str]"),
    ],
)
def test_documenting_the_element_type_of_a_container_is_tolerated(
    documented: str, actual: str
) -> None:
    _PROJECT["PaginatedList"] = Lineage(frozenset(), complete=True)
    try:
        assert not types_contradict(documented, actual, lookup)
    finally:
        del _PROJECT["PaginatedList"]


@pytest.mark.parametrize(
    ("documented", "actual"),
    [("str", "dict[str, int]"), ("None", "Generator[int, None, None]"), ("bytes", "list[str]")],
)
def test_element_tolerance_has_limits(documented: str, actual: str) -> None:
    expected = documented != "None"
    assert types_contradict(documented, actual, lookup) is expected
