"""The one Markdown escaper: each function, and what a CommonMark parser reads back."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st
from markdown import markdown
from markdown_it import MarkdownIt

from docsync.deliver.markdown_escape import (
    ZERO_WIDTH_JOINER,
    cell,
    code_span,
    fence,
    html_text,
    inline,
    mkdocs_inline,
    mkdocs_text,
    plain,
)

_GFM = MarkdownIt("commonmark").enable("table")
# Text rich in what Markdown reads: backticks, mentions, tags, links, pipes, breaks.
_MARKUP = st.text(alphabet=st.sampled_from("`@<>&[]()|\\*_#!{} \nab:/."), max_size=40)
_CODE = re.compile(r"<code>(.*?)</code>", re.DOTALL)


def _codes(markdown: str) -> list[str]:
    return [html.unescape(found) for found in _CODE.findall(_GFM.render(markdown))]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_code_span_outgrows_the_backticks_inside_and_pads_when_they_touch_its_ends() -> None:
    assert code_span("pkg.mod.f") == "`pkg.mod.f`"
    assert code_span("a`b") == "``a`b``"
    assert code_span("a``b`") == "``` a``b` ```"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span("a\nb  c") == "`a b c`"
    assert code_span("a|b", in_table=True) == "`a\\|b`"
    assert code_span("") == ""


@given(_MARKUP)
def test_a_code_span_reads_back_as_the_text_on_one_line(text: str) -> None:
    flat = _one_line(text)
    if flat:
        assert _codes(f"x {code_span(text)} y") == [flat]
        table = f"| h |\n|---|\n| {code_span(text, in_table=True)} |\n"
        assert _codes(table) == [flat]


def test_plain_text_is_literal_on_github() -> None:
    assert plain("a `b` [c](d) <e> & @octocat | x\ny") == (
        f"a \\`b\\` \\[c\\](d) &lt;e> &amp; @{ZERO_WIDTH_JOINER}octocat \\| x y"
    )


@given(_MARKUP)
def test_plain_text_makes_no_tag_link_code_or_mention(text: str) -> None:
    rendered = _GFM.render(f"x {plain(text)}")
    assert re.fullmatch(r"<p>.*</p>\n", rendered, re.DOTALL), rendered
    inner = rendered[3:-5]
    assert not re.search(r"<(?!/?(?:em|strong)>)", inner), rendered
    assert not re.search(r"@\w", inner)


def test_inline_keeps_a_messages_code_and_escapes_the_rest() -> None:
    assert inline("parameter `x` of f() is not documented") == (
        "parameter `x` of f() is not documented"
    )
    assert inline("the page `docs/a` @octocat `b.md` does not exist") == (
        f"the page `docs/a` @{ZERO_WIDTH_JOINER}octocat `b.md` does not exist"
    )
    assert inline("`a`<img src=x>`b`") == "`a`&lt;img src=x>`b`"
    assert inline("`` x`y `` and ` open") == "``x`y`` and \\` open"
    assert cell("a | `b|c`\nd") == "a \\| `b\\|c` d"


@given(_MARKUP)
def test_inline_text_makes_no_tag_link_or_mention_and_keeps_its_code(text: str) -> None:
    rendered = _GFM.render(f"x {inline(text)}")
    outside = _CODE.sub("", rendered)[3:-5]
    assert not re.search(r"<(?!/?(?:em|strong)>)", outside), rendered
    assert not re.search(r"@\w", outside)
    if "\\" not in text and "<" not in text:  # no escape, autolink or tag came first
        assert _codes(f"x {inline(text)}") == _codes(f"x {_one_line(text)}")


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    assert fence("x") == "```\nx\n```\n"
    assert fence("a\n`````\nb", "suggestion").startswith("``````suggestion\n")
    [block] = [t for t in _GFM.parse(fence("````\n@octocat\n````", "diff")) if t.type == "fence"]
    assert block.content == "````\n@octocat\n````\n"


def test_html_text_and_mkdocs_text() -> None:
    assert html_text("[`a`](u) <b> & @me") == f"[`a`](u) &lt;b&gt; &amp; @{ZERO_WIDTH_JOINER}me"
    assert mkdocs_text("`a*b` <s>{: onclick=x} #1\n@me") == (
        "\\`a\\*b\\` &lt;s&gt;\\{: onclick=x\\} \\#1 @me"
    )


def test_mkdocs_inline_keeps_code_spans_and_escapes_the_rest() -> None:
    message = "broken link `#routing`: no heading <b>{: .x}</b> *here*"

    rendered = markdown(mkdocs_inline(message), extensions=["attr_list", "tables"])

    assert rendered == (
        "<p>broken link <code>#routing</code>: no heading &lt;b&gt;{: .x}&lt;/b&gt; *here*</p>"
    )


@given(_MARKUP)
def test_mkdocs_inline_makes_only_paragraphs_and_code_in_python_markdown(text: str) -> None:
    rendered = markdown(mkdocs_inline(text), extensions=["attr_list", "tables"])

    assert set(re.findall(r"</?([a-z]+)", rendered)) <= {"p", "code"}
    assert "\n" not in mkdocs_inline(text)
