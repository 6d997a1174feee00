"""The page rules (DS7xx) on whole sites and edge cases (their examples: test_rules_examples)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from docsync.commands.check import check_site_pages
from docsync.errors import ConfigError
from docsync.models import Diagnostic, Finding, Parameter, ParamKind, Severity, Signature
from docsync.rules import PageExample
from docsync.rules.code_blocks import call_problems
from docsync.rules.examples.pages import SAMPLE_PACKAGE, example_changes
from docsync.scan.project import scan_project

# --- whole sites --------------------------------------------------------------------------

DATA = Path(__file__).parent / "data" / "pages"


def site_findings(
    tmp_path: Path, name: str, **options: Any
) -> tuple[list[Finding], list[Diagnostic]]:
    """Check a copy of a site under ``tests/data/pages``."""
    root = tmp_path / name
    shutil.copytree(DATA / name, root)
    project = scan_project(root, [root / "src"])
    report = check_site_pages(project, root, **options)
    return list(report.findings), list(report.diagnostics)


def test_site_with_mkdocstrings(tmp_path: Path) -> None:
    findings, diagnostics = site_findings(tmp_path, "mkdocstrings_site", run_examples=True)
    assert diagnostics == []
    assert [(f.code, f.location.path, f.location.line) for f in findings] == [
        ("DS701", "docs/api.md", 9),  # ::: inventory.Warehouse
        ("DS702", "docs/guide/usage.md", 10),  # open(..., readonly=True)
        ("DS705", "docs/guide/usage.md", 15),  # #nothing
        ("DS701", "docs/index.md", 4),  # inventory.units.to_metric
        ("DS701", "docs/index.md", 8),  # [removing][inventory.Store.remove]
        ("DS703", "docs/index.md", 12),  # Shelf
        ("DS702", "docs/index.md", 14),  # owner="ann"
        ("DS704", "docs/index.md", 16),  # store.weight
        ("DS705", "docs/index.md", 30),  # guide/usage.md#closing
    ]
    by_line = {(f.location.path, f.location.line): f for f in findings}
    call = by_line[("docs/guide/usage.md", 10)]
    assert "`readonly`" in call.message
    assert call.evidence.actual == "open_store(path, *, create=False)"


def test_site_with_custom_yaml_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAGGED_DOCS_DIR", raising=False)
    findings, diagnostics = site_findings(tmp_path, "custom_tags_site")
    assert diagnostics == []
    assert [(f.code, f.location.path, f.location.line) for f in findings] == [
        ("DS701", "documentation/index.md", 3),
        ("DS702", "documentation/index.md", 8),
        ("DS705", "documentation/index.md", 11),
    ]
    assert "did you mean" not in findings[0].message


def test_broken_mkdocs_yml_stops_the_page_check(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("nav: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs\.yml:2"):
        check_site_pages(scan_project(tmp_path, [tmp_path]), tmp_path)


# --- behaviour ----------------------------------------------------------------------------


def write_site(tmp_path: Path, pages: dict[str, str], config: str = "site_name: S\n") -> Path:
    """A site with the sample package, the given pages and config."""
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    for relative, text in {
        **{f"docs/{name}": body for name, body in pages.items()},
        **SAMPLE_PACKAGE,
    }.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def check(root: Path, **options: Any) -> list[Finding]:
    return list(check_site_pages(scan_project(root, [root / "src"]), root, **options).findings)


def test_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    text = "Use `shop.cart.nothing`.\n\n[x](missing.md)\n"
    before = check(write_site(tmp_path, {"index.md": text}))
    after = check(write_site(tmp_path, {"index.md": "# Title\n\nIntro.\n\n" + text}))
    assert [f.location.line for f in before] != [f.location.line for f in after]
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    assert len({f.fingerprint for f in before}) == 2


def test_suppression_before_a_block_covers_the_block(tmp_path: Path) -> None:
    block = '```python\nfrom shop import Cart\nCart("a", "b")\nCart.nope\n```\n'
    root = write_site(
        tmp_path, {"index.md": f"<!-- docsync: ignore[DS702] -->\n{block}", "b.md": block}
    )
    assert sorted((f.code, f.location.path) for f in check(root)) == [
        ("DS702", "docs/b.md"),
        ("DS704", "docs/b.md"),
        ("DS704", "docs/index.md"),
    ]


def test_history_pages_keep_only_link_checks(tmp_path: Path) -> None:
    text = (
        "`shop.cart.pay()` is gone; see [old](gone.md).\n\n```python\nfrom shop import pay\n```\n"
    )
    root = write_site(tmp_path, {"changelog.md": text, "about/migrating-to-2.md": text})
    assert sorted((f.code, f.location.path) for f in check(root)) == [
        ("DS705", "docs/about/migrating-to-2.md"),
        ("DS705", "docs/changelog.md"),
    ]


def test_links_into_generated_pages_are_not_judged(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"index.md": "[API](reference/shop.md) and [code](../src/shop/nope.py)\n"},
        config="site_name: S\nplugins:\n  - gen-files:\n      scripts: [gen.py]\n",
    )
    assert [(f.code, f.location.line) for f in check(root)] == [("DS705", 1)]
    assert "src/shop/nope.py" in check(root)[0].message


def test_anchors_on_pages_with_includes_are_not_judged(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "index.md": "[a](snip.md#from-snippet) [b](plain.md#nope) [c](plain.md#Title)\n",
            "snip.md": '# Snip\n\n--8<-- "README.md"\n',
            "plain.md": "# Title\n",
        },
    )
    assert [f.message for f in check(root)] == [
        "broken link `plain.md#nope`: no heading or id `#nope` on `docs/plain.md`"
    ]


def test_class_member_refs_need_one_project_class(tmp_path: Path) -> None:
    modules = "class Cart:\n    pass\n"
    root = write_site(tmp_path, {"index.md": "`Cart.remove`, `Path.nope`, `dict.nope`\n"})
    assert [f.location.line for f in check(root)] == [1]
    (root / "src" / "shop" / "other.py").write_text(modules, encoding="utf-8")
    assert check(root) == []  # two project classes called Cart: ambiguous


def test_base_mode_names_the_new_name_and_removed_packages(tmp_path: Path) -> None:
    root = write_site(
        tmp_path, {"index.md": "Use `shop.cart.check_out()` and `oldshop.tools.run`.\n"}
    )
    example = PageExample(
        "",
        "",
        renamed=(("shop.cart.check_out", "shop.cart.checkout"), ("oldshop.tools.run", None)),
    )
    findings = check(root, changes=example_changes(example))
    by_symbol = {f.symbol: f for f in findings}
    assert {s: (f.code, f.evidence.actual) for s, f in by_symbol.items()} == {
        "shop.cart.check_out": ("DS701", "shop.cart.checkout"),
        "oldshop.tools.run": ("DS701", None),
    }
    assert "this change removed" in by_symbol["oldshop.tools.run"].message


def test_review_reports_each_changed_symbol_once(tmp_path: Path) -> None:
    text = (
        "Pay with `shop.checkout()`.\n\n```python\nfrom shop import checkout, Cart\n"
        'checkout(Cart("a"), card)\n```\n'
    )
    root = write_site(tmp_path, {"index.md": text})
    example = PageExample("", "", changed=("shop.cart.checkout", "shop.cart.Cart"))
    findings = check(root, changes=example_changes(example))
    assert [(f.code, f.symbol, f.location.line) for f in findings] == [
        ("DS706", "shop.cart.checkout", 1),
        ("DS706", "shop.cart.Cart", 4),
    ]
    assert all(f.severity is Severity.INFO for f in findings)


def test_run_examples_missing_dependencies_are_diagnostics(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "deps.md": "```pycon\n>>> import not_installed_anywhere\n```\n",
            "text.md": "```pycon\n>>> print(text)\nhi\n```\n",
            "drift.md": "```pycon\n>>> from shop import Basket\n```\n",
        },
    )
    # The default timeout: pages that finish must not time out on a loaded machine.
    report = check_site_pages(scan_project(root, [root / "src"]), root, run_examples=True)
    findings, diagnostics = report.findings, report.diagnostics
    expected = [("DS703", "docs/drift.md"), ("DS707", "docs/drift.md")]
    assert [(f.code, f.location.path) for f in findings] == expected
    assert sorted((d.path, d.line) for d in diagnostics) == [
        ("docs/deps.md", 2),
        ("docs/text.md", 2),
    ]


def test_run_examples_that_do_not_finish_are_a_diagnostic(tmp_path: Path) -> None:
    # A page that cannot finish (it would sleep ten minutes) against a short timeout: no
    # race, however slow the machine; a broken timeout would hang here, not pass.
    hang = "```pycon\n>>> import time\n>>> time.sleep(600)\n```\n"
    root = write_site(tmp_path, {"slow.md": hang})
    report = check_site_pages(
        scan_project(root, [root / "src"]), root, run_examples=True, timeout=1.0
    )
    assert report.findings == ()
    [diagnostic] = report.diagnostics
    assert (diagnostic.path, diagnostic.line) == ("docs/slow.md", 1)
    assert "did not finish within 1 s" in diagnostic.message


# --- calls --------------------------------------------------------------------------------


def sig(*params: Parameter) -> Signature:
    return Signature(params=params)


POS = ParamKind.POSITIONAL_OR_KEYWORD


@pytest.mark.parametrize(
    ("signature", "positional", "keywords", "count"),
    [
        (sig(Parameter("a", POS)), 1, [], 0),
        (sig(Parameter("a", POS)), 2, [], 1),
        (sig(Parameter("a", POS)), 0, [], 1),
        (sig(Parameter("a", POS)), 0, ["b"], 2),
        (sig(Parameter("a", POS), Parameter("kw", ParamKind.VAR_KEYWORD)), 1, ["b"], 0),
        (sig(Parameter("a", ParamKind.VAR_POSITIONAL)), 5, [], 0),
        (sig(Parameter("a", ParamKind.POSITIONAL_ONLY)), 0, ["a"], 2),
        (sig(Parameter("a", POS, default="1")), 1, ["a"], 1),
        (sig(Parameter("k", ParamKind.KEYWORD_ONLY)), 1, ["k"], 1),
    ],
)
def test_call_problems(
    signature: Signature, positional: int, keywords: list[str], count: int
) -> None:
    assert len(call_problems(signature, positional, keywords)) == count


def test_snippets_and_excluded_files_are_not_pages_of_their_own(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "index.md": '# Home\n\n--8<-- "includes/links.md"\n',
            "includes/links.md": "[relative to the includer](guide.md)\n",
            "drafts/wip.md": "[broken](nowhere.md) `shop.cart.gone`\n",
            "emoji.md": "## :material-cart: Cart\n\n[ok](#cart) [also](#material-cart-cart)\n",
        },
        config="site_name: S\nexclude_docs: |\n  /drafts/\n  # a comment\n",
    )
    assert check(root) == []


def test_classes_that_set_attributes_dynamically_are_not_judged(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"index.md": "```python\nfrom shop.dyn import Bag\nbag = Bag()\nbag.anything\n```\n"},
    )
    module = "class Bag:\n    def __init__(self, **kw):\n        self.__dict__.update(kw)\n"
    (root / "src" / "shop" / "dyn.py").write_text(module, encoding="utf-8")
    assert check(root) == []


def test_review_ignores_annotation_only_changes_and_class_bodies(tmp_path: Path) -> None:
    from docsync.changes.changeset import ChangeSet
    from docsync.changes.diff import ChangeKind, SymbolChange
    from docsync.models import Location, Symbol, SymbolKind
    from docsync.rules.code_blocks import Mention
    from docsync.rules.pages import review_changed
    from docsync.scan.pages import parse_page

    def symbol(kind: SymbolKind, annotation: str | None) -> Symbol:
        params = (Parameter("cart", POS, annotation),)
        return Symbol("shop.x", kind, Location("src/shop/x.py", 1, 1), None, Signature(params))

    page = parse_page("Use `shop.x`.\n", "docs/index.md")
    mentions = [Mention("shop.x", 1, "`shop.x`")]
    cases = [
        (SymbolKind.FUNCTION, {ChangeKind.SIGNATURE_CHANGED}, 0),  # annotations only
        (SymbolKind.CLASS, {ChangeKind.BODY_CHANGED}, 0),  # a method changed
        (SymbolKind.FUNCTION, {ChangeKind.BODY_CHANGED}, 1),
    ]
    for kind, kinds, expected in cases:
        change = SymbolChange(
            "shop.x", frozenset(kinds), symbol(kind, None), symbol(kind, "Cart"), "shop.x"
        )
        changes = ChangeSet("b", "main", "working tree", (), (change,))
        assert len(review_changed(page, mentions, changes)) == expected, (kind, kinds)
