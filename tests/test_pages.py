"""Reading an MkDocs site: mkdocs.yml (with custom tags) and pages with line numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docsync.errors import ConfigError
from docsync.models import RefKind
from docsync.scan.mkdocs_yaml import read_mkdocs_yaml
from docsync.scan.pages import (
    TaggedValue,
    load_site,
    parse_page,
    scan_pages,
    slugify,
)

DATA = Path(__file__).parent / "data" / "pages"


def copy_site(name: str, tmp_path: Path) -> Path:
    """A fresh copy of a site under ``tests/data/pages``."""
    root = tmp_path / name
    shutil.copytree(DATA / name, root)
    return root


# --- mkdocs.yml ---------------------------------------------------------------------------


def test_site_with_mkdocstrings_reads_docs_dir_nav_and_handler(tmp_path: Path) -> None:
    root = copy_site("mkdocstrings_site", tmp_path)
    site = load_site(root)
    assert site.config_path == root / "mkdocs.yml"
    assert site.docs_dir == root / "docs"
    assert site.nav == ("index.md", "guide/usage.md", "api.md")
    assert site.handler == "python"
    assert site.python_paths == ("src",)
    assert site.python_options == {"show_source": False}
    assert site.has_plugin("search") and not site.has_plugin("gen-files")


def test_custom_tags_load_as_placeholders_and_env_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TAGGED_DOCS_DIR", raising=False)
    monkeypatch.delenv("SITE_URL", raising=False)
    root = copy_site("custom_tags_site", tmp_path)
    data = read_mkdocs_yaml(root / "mkdocs.yml")
    assert data["site_name"] == "Tagged"
    assert data["site_url"] is None
    assert data["theme"]["custom_dir"] == TaggedValue("!relative", "$config_dir/overrides")
    emoji = data["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == TaggedValue(
        "tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", ""
    )
    site = load_site(root)
    assert site.docs_dir == root / "documentation"
    assert site.known_slugs  # pymdownx.slugs is a slugify docsync knows


def test_env_tag_reads_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_site("custom_tags_site", tmp_path)
    monkeypatch.setenv("TAGGED_DOCS_DIR", "elsewhere")
    assert load_site(root).docs_dir == root / "elsewhere"


def test_broken_mkdocs_yml_is_a_config_error_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nnav:\n  - a: [b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs\.yml:4: not valid YAML"):
        load_site(tmp_path)


def test_mkdocs_yml_that_is_not_a_mapping_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_site(tmp_path)


def test_inherit_merges_the_parent_config(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "docs_dir: pages\nplugins:\n  - search\nmarkdown_extensions:\n  - toc:\n"
        "      separator: _\n",
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: x\n", encoding="utf-8")
    site = load_site(tmp_path)
    assert site.docs_dir == tmp_path / "pages"
    assert site.has_plugin("search")
    assert site.slug_separator == "_"


def test_without_mkdocs_yml_docs_is_scanned_or_the_given_dir(tmp_path: Path) -> None:
    assert load_site(tmp_path).docs_dir == tmp_path / "docs"
    assert load_site(tmp_path, "manual").docs_dir == tmp_path / "manual"
    (tmp_path / "manual").mkdir()
    (tmp_path / "manual" / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "manual" / ".hidden.md").write_text("# H\n", encoding="utf-8")
    pages, diagnostics = scan_pages(load_site(tmp_path, "manual"))
    assert [p.path for p in pages] == ["manual/a.md"] and diagnostics == []


def test_unknown_custom_slugify_makes_anchors_unknown(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - markdown.extensions.toc:\n"
        "      slugify: !!python/name:my_slugs.slugify\n",
        encoding="utf-8",
    )
    assert not load_site(tmp_path).known_slugs


def test_unreadable_page_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bad.md").write_bytes(b"# Bad \xff\xfe\n")
    (tmp_path / "docs" / "good.md").write_text("# Good\n", encoding="utf-8")
    pages, diagnostics = scan_pages(load_site(tmp_path))
    assert [p.path for p in pages] == ["docs/good.md"]
    assert [(d.path, d.line) for d in diagnostics] == [("docs/bad.md", 1)]


# --- pages --------------------------------------------------------------------------------


def test_references_of_every_kind_with_lines() -> None:
    page = parse_page(
        "# T\n\nCall `pkg.mod.func()` or `run()`, not `value` or `a + b`.\n"
        "See [the class][pkg.Class] and [`pkg.f`][] and\n"
        "\\[escaped\\]\\[pkg.nope\\] and `Class.method`.\n\n"
        "::: pkg.mod.Symbol\n    options:\n      show_source: false\n",
        "docs/index.md",
    )
    refs = [(r.kind, r.target, r.line, r.is_call) for r in page.code_refs]
    assert refs == [
        (RefKind.INLINE, "pkg.mod.func", 3, True),
        (RefKind.INLINE, "run", 3, True),
        (RefKind.INLINE, "value", 3, False),  # a bare name: judged only in base mode
        (RefKind.AUTOREF, "pkg.Class", 4, False),
        (RefKind.AUTOREF, "pkg.f", 4, False),
        (RefKind.INLINE, "Class.method", 5, False),
        (RefKind.IDENTIFIER, "pkg.mod.Symbol", 7, False),
    ]
    assert page.code_refs[-1].options == {"options": {"show_source": False}}
    assert page.open_anchors  # mkdocstrings blocks add anchors docsync cannot see


def test_reference_links_are_links_not_autorefs() -> None:
    page = parse_page("See [it][pkg.mod].\n\n[pkg.mod]: other.md\n", "docs/a.md")
    assert page.code_refs == ()
    assert [(link.path, link.line) for link in page.links] == [("other.md", 1)]


def test_python_blocks_and_sessions_with_page_lines() -> None:
    page = parse_page(
        '# T\n\n```python title="a.py"\nx = 1\n```\n\n'
        "```pycon\n>>> y = 2\n>>> for i in range(y):\n...     print(i)\n0\n1\n"
        ">>> boom()\nTraceback (most recent call last):\nNameError: boom\n```\n\n"
        "```\n>>> z = 3\n```\n\n```bash\n>>> not python\n```\n\n```yaml\nk: v\n```\n",
        "docs/a.md",
    )
    python, session, plain = page.code_blocks
    assert (python.language, python.line, python.source, python.page_line(1)) == (
        "python",
        3,
        "x = 1\n",
        4,
    )
    assert session.is_session and session.source == "y = 2\nfor i in range(y):\n    print(i)\n"
    assert session.line_map == (8, 9, 10) and session.text_line == 8
    assert plain.is_session and plain.source == "z = 3\n"


def test_admonitions_and_tabs_are_read_as_markdown() -> None:
    page = parse_page(
        '# T\n\n!!! note "Title"\n    See `pkg.a.b` and [x](other.md).\n\n'
        '    ```python\n    import pkg\n    ```\n\n=== "Tab"\n\n'
        "    ??? tip\n        Nested `pkg.c.d`.\n\nBack to `pkg.e.f`.\n",
        "docs/a.md",
    )
    assert [(r.target, r.line) for r in page.code_refs] == [
        ("pkg.a.b", 4),
        ("pkg.c.d", 13),
        ("pkg.e.f", 15),
    ]
    assert [(b.source, b.line) for b in page.code_blocks] == [("import pkg\n", 6)]
    assert [link.path for link in page.links] == ["other.md"]


def test_relative_links_only_with_paths_and_anchors() -> None:
    page = parse_page(
        "[a](other.md#part) [b](#here) [c](../src/pkg/mod.py) [d](https://x.org) "
        "[e](mailto:a@b.c) [f](/abs.md) [g](dir/page%20two.md?x=1)\n",
        "docs/a.md",
    )
    assert [(link.path, link.anchor, link.text) for link in page.links] == [
        ("other.md", "part", "a"),
        ("", "here", "b"),
        ("../src/pkg/mod.py", None, "c"),
        ("dir/page two.md", None, "g"),
    ]


def test_headings_and_anchors() -> None:
    page = parse_page(
        "# Café & `Code()` Guide\n\n## Usage\n\n## Usage\n\n### Custom {#my-id .cls}\n\n"
        '### Attr { id="1.3.0" }\n\nText {: #para-id }\n\n<a id="html-id"></a>\n\n'
        "Escaped {#\\_fn_1} id.\n",
        "docs/a.md",
    )
    assert [(h.text, h.level, h.anchor) for h in page.headings] == [
        ("Café & Code() Guide", 1, "cafe-code-guide"),
        ("Usage", 2, "usage"),
        ("Usage", 2, "usage_1"),
        ("Custom", 3, "my-id"),
        ("Attr", 3, "1.3.0"),
    ]
    assert {"café-code-guide", "para-id", "html-id", "_fn_1"} <= page.anchors
    assert page.title == "Café & Code() Guide"
    assert not page.open_anchors


def test_slugify_matches_python_markdown() -> None:
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("a  b", "_") == "a_b"
    assert slugify("Ünïcode Title", unicode=True) == "ünïcode-title"


def test_suppression_comments_outside_code() -> None:
    page = parse_page(
        "<!-- docsync: ignore[DS701, DS705] -->\nline\n\n<!-- docsync: ignore -->\nline\n\n"
        "```python\n# <!-- docsync: ignore -->\n```\n",
        "docs/a.md",
    )
    assert page.suppressions == {1: frozenset({"DS701", "DS705"}), 4: frozenset({"*"})}
    assert page.is_suppressed("DS705", 2) and not page.is_suppressed("DS702", 2)
    assert page.is_suppressed("DS702", 5) and not page.is_suppressed("DS701", 9)


def test_paragraphs_about_the_past_are_marked() -> None:
    page = parse_page(
        "`pkg.old()` was removed in 2.0.\n\nUse `pkg.new()`.\n\nDeprecated usage:\n\n"
        "```python\nimport pkg\n```\n",
        "docs/a.md",
    )
    assert [(r.target, r.historical) for r in page.code_refs] == [
        ("pkg.old", True),
        ("pkg.new", False),
    ]
    assert page.code_blocks[0].historical
