"""A parameter renamed while others were added keeps its description (issue 15, item 4).

``convert(amount, ratio)`` became ``convert(amount, rate, precision)``: the entry of
``ratio`` moves to ``rate`` with its prose, and only ``precision`` is left to be drafted.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from docsync.commands.fix import fix_bytes
from docsync.config import Config

GOOGLE = '''\
    def convert(amount, rate, precision=2):
        """Convert an amount.

        Args:
            amount: The amount to convert.
            ratio: The exchange rate.

        Returns:
            The converted amount.
        """
        return round(amount * rate, precision)
'''
NUMPY = '''\
    def convert(amount, rate, precision=2):
        """Convert an amount.

        Parameters
        ----------
        amount : float
            The amount to convert.
        ratio : float
            The exchange rate.

        Returns
        -------
        float
            The converted amount.
        """
        return round(amount * rate, precision)
'''
SPHINX = '''\
    def convert(amount, rate, precision=2):
        """Convert an amount.

        :param amount: The amount to convert.
        :param ratio: The exchange rate.
        :returns: The converted amount.
        """
        return round(amount * rate, precision)
'''
RENAMED = {
    "google": "        rate: The exchange rate.",
    "numpy": "    rate : float\n        The exchange rate.",
    "sphinx": "    :param rate: The exchange rate.",
}


def _fix(source: str, *, placeholders: bool = False) -> tuple[str, list[str], list[str]]:
    config = Config(root=Path("/nonexistent"))
    result = fix_bytes(
        "mod.py", textwrap.dedent(source).encode(), config, placeholders=placeholders
    )
    fixed = sorted(f.code for e in result.edits for f in e.findings)
    left = sorted(f.code for f, _ in result.left)
    return result.new.decode(), fixed, left


@pytest.mark.parametrize(
    ("style", "source"), [("google", GOOGLE), ("numpy", NUMPY), ("sphinx", SPHINX)]
)
def test_the_renamed_entry_keeps_its_prose_and_the_added_parameter_is_left(
    style: str, source: str
) -> None:
    new, fixed, left = _fix(source)
    assert RENAMED[style] in new
    assert "ratio" not in new
    assert fixed == ["DS103"] and left == ["DS102"]  # `precision` needs prose


@pytest.mark.parametrize("source", [GOOGLE, NUMPY, SPHINX])
def test_with_placeholders_the_added_parameter_gets_a_marked_entry(source: str) -> None:
    new, fixed, left = _fix(source, placeholders=True)
    assert "The exchange rate." in new and "precision" in new and "ratio" not in new
    assert {"DS102", "DS103"} <= set(fixed) and left == []


def test_an_unrelated_name_in_the_old_place_is_not_taken_for_a_rename() -> None:
    source = GOOGLE.replace("ratio: The exchange rate.", "verbose: Print progress.")
    new, fixed, left = _fix(source)
    assert "verbose" not in new  # removed as stale, not renamed to `rate`
    assert fixed == ["DS101"] and left == ["DS102", "DS102"]


def test_a_parameter_added_before_the_renamed_one_does_not_pair() -> None:
    source = GOOGLE.replace("(amount, rate, precision=2)", "(amount, precision, rate=1.0)")
    _, fixed, left = _fix(source)
    assert "DS103" not in fixed + left
