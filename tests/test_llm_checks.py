"""What validation tolerates and what it refuses (issue 15): names, shapes, spans, every error."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsync.commands.fix import SymbolRules
from docsync.commands.fix_pages import PageFixer
from docsync.config import Config
from docsync.draft.llm.checks import names_target, normalise_docstring
from docsync.draft.llm.drafter import LLMDrafter
from docsync.draft.mechanical.drafter import MechanicalDrafter
from fake_anthropic import FakeAnthropic
from fake_model import ModelLike
from helpers_llm import llm_fix, options, proposal
from test_rules_pages import check, write_site

TEXT = "Scale a value.\n\nArgs:\n    value: The value."


@pytest.mark.parametrize(
    "shape",
    [
        TEXT,
        f'"""{TEXT}\n"""',
        f"r'''{TEXT}'''",
        "\n".join("    " + line if line else "" for line in TEXT.split("\n")),
        "\r\n" + TEXT.replace("\n", "  \r\n") + "\r\n\r\n",
        f"\n\n{TEXT}\n\n",
    ],
    ids=["as-is", "wrapped", "raw-wrapped", "indented", "crlf-trailing", "blank-lines"],
)
def test_harmless_shapes_normalise_to_the_same_docstring(shape: str) -> None:
    assert normalise_docstring(shape) == TEXT


def test_a_breakout_from_the_quotes_is_not_mistaken_for_wrapping() -> None:
    breakout = '"""Summary."""\nimport os\n"""More."""'
    assert '"""' in normalise_docstring(breakout)


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("duties.docs", True),
        ("docs", True),
        ("`docs()`", True),
        ("ocs", False),
        ("other.docs", False),
        ("", False),
    ],
)
def test_the_target_may_be_named_by_an_unambiguous_suffix(given: str, accepted: bool) -> None:
    assert names_target(given, "duties.docs", ["duties", "duties.docs", "duties.test"]) is accepted


def test_a_suffix_two_symbols_share_is_ambiguous() -> None:
    siblings = ["m.A.cancel", "m.B.cancel"]
    assert not names_target("cancel", "m.A.cancel", siblings)
    assert names_target("A.cancel", "m.A.cancel", siblings)


SOURCE = '''\
    """Arithmetic."""


    def scale(value, factor):
        """Scale a value.

        Args:
            value: The value.
        """
        return value * factor
'''


def test_every_error_of_an_answer_goes_back_in_the_repair(fake_api: FakeAnthropic) -> None:
    wrong = "Scale it differently.\n\nArgs:\n    value: The value.\n    verbose: Unused."
    fixed = "Scale a value.\n\nArgs:\n    value: The value.\n    factor: The factor."
    fake_api.add(proposal("other.scale", wrong), proposal("scale", fixed))
    result, _ = llm_fix(SOURCE)
    assert "factor: The factor." in result.new.decode()
    repair = fake_api.message_requests[1].user_texts[-1]
    errors = [line for line in repair.splitlines() if line.startswith("- ")]
    assert len(errors) == 3, repair
    assert "the answer names the symbol 'other.scale'" in repair
    assert "introduces DS103: parameter 'verbose' was renamed to 'factor'" in repair
    assert "keep it exactly as it was:\n    Scale a value." in repair


def test_a_call_over_several_lines_is_one_target_for_the_model(
    tmp_path: Path, fake_api: FakeAnthropic
) -> None:
    page = (
        "# Cart\n\n```python\nfrom shop import Cart\n"
        'cart = Cart(\n    "ann",\n    currency="EUR",\n    colour="red",\n)\n```\n'
    )
    root = write_site(tmp_path, {"index.md": page})
    [finding] = [f for f in check(root) if f.code == "DS702"]
    assert (finding.location.line, finding.location.end_line) == (5, 9)
    fake_api.responder = ModelLike(variants=("exact",))
    config = Config(root=Path("/nonexistent"))
    fixer = PageFixer([MechanicalDrafter(), LLMDrafter(options(), SymbolRules(config))])
    prompt_result = fixer.fix("docs/index.md", page.encode(), [finding])
    prompt = fake_api.message_requests[0].body["messages"][0]["content"]
    assert "You may replace only lines 5-9; the replacement must have exactly 5 lines" in prompt
    assert '    8|     colour="red",' in prompt
    assert prompt_result.new == page.encode()  # no suggestion to follow: nothing was fixed


def test_an_order_the_docstring_already_had_is_not_blamed_on_the_draft(
    fake_api: FakeAnthropic,
) -> None:
    source = SOURCE.replace("def scale(value, factor)", "def scale(factor, value, offset)")
    source = source.replace(
        "            value: The value.\n",
        "            value: The value.\n            factor: By.\n",
    )
    fake_api.responder = ModelLike(variants=("exact",))
    result, drafter = llm_fix(source)
    assert "offset: The offset to use." in result.new.decode()
    assert drafter.summary().drafted == 1 and len(fake_api.message_requests) == 1


def test_a_draft_that_reorders_the_kept_entries_still_introduces_ds105(
    fake_api: FakeAnthropic,
) -> None:
    source = SOURCE.replace("def scale(value, factor)", "def scale(value, factor, offset)")
    source = source.replace(
        "            value: The value.\n",
        "            value: The value.\n            factor: By.\n",
    )
    swapped = "Scale a value.\n\nArgs:\n    factor: By.\n    value: The value.\n    offset: Added."
    fake_api.add(proposal("scale", swapped), proposal("scale", swapped))
    result, _ = llm_fix(source)
    [(_, reason)] = result.left
    assert "DS105" in reason
