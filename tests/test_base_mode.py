"""Base mode end to end on real git repositories, and the pure reference helpers."""

from __future__ import annotations

import pytest

from docsync.changes.changeset import compute_changes
from docsync.commands.against_base import (
    ChangeReport,
    check_change,
    select_for_change,
)
from docsync.config import Config
from docsync.models import Docstring, Finding, Location, Project, Severity, Style
from docsync.rules.references import (
    Gone,
    Namespace,
    RefForm,
    Scope,
    find_references,
    judge_reference,
    text_start_line,
)
from docsync.rules.registry import FAMILIES, RULES, run_rules
from docsync.rules.rule import RuleKind
from docsync.rules.staleness import signature_delta
from docsync.scan.index import import_table
from docsync.scan.python import scan_source
from helpers_git import GitRepo, edit

API = '''\
"""The API: start with :func:`load_config`."""


def fetch(url, timeout=3):
    """Fetch a URL.

    Args:
        url: where from.
        timeout: seconds to wait.
    """
    response = open(url)
    return response.read()


def load_config(path):
    """Load the configuration.

    Args:
        path: the file.
    """
    with open(path) as handle:
        text = handle.read()
    pairs = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    return {key.strip(): value.strip() for key, value in pairs}


def old_problem(a):
    """Already wrong at the base.

    Args:
        a: fine.
        gone: documented but long gone.
    """
    return a


def compute(x):
    """Compute a value.

    Args:
        x: the input.
    """
    y = x + 1
    return y * 2


def _private(x):
    """A private helper."""
    y = x + 1
    return y
'''

USER = '''\
"""Uses the API.

Read the settings with `load_config()`, or `pkg.api.load_config` directly;
paths are joined with `os.path.join` and ``os.path.join()``.
"""
import os


def main(path):
    """Run.

    See Also
    --------
    pkg.api.fetch : fetches.
    pkg.api.load_config : loads.
    """
    return os.path.join(path, "x")
'''


def run(repo: GitRepo, base: str = "main", **kwargs: object) -> ChangeReport:
    return check_change(
        Config(root=repo.path),
        base,
        detect=lambda p: run_rules(p),
        **kwargs,  # type: ignore[arg-type]
    )


def codes(report: ChangeReport) -> list[tuple[str, str]]:
    return [(f.code, f.symbol) for f in report.findings]


@pytest.fixture
def pkg(repo: GitRepo) -> GitRepo:
    repo.write("pkg/__init__.py", '"""The package."""\n')
    repo.write("pkg/api.py", API)
    repo.write("pkg/user.py", USER)
    repo.commit("base")
    return repo


def test_nothing_changed_reports_nothing_even_with_old_problems(pkg: GitRepo) -> None:
    assert any(f.symbol == "pkg.api.old_problem" for f in run_rules(run(pkg).head))
    assert run(pkg).findings == ()


def test_stale_after_change_replaces_the_rule_findings(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, deadline=None):")
    report = run(pkg)
    assert codes(report) == [("DS501", "pkg.api.fetch")]
    finding = report.findings[0]
    assert finding.message == (
        "signature of fetch() changed (timeout removed, deadline added) "
        "but its docstring was not updated"
    )
    assert finding.severity is Severity.ERROR
    assert finding.evidence.documented == "fetch(url, timeout=3)"
    assert finding.evidence.actual == "fetch(url, deadline=None)"
    assert finding.location.path == "pkg/api.py"
    assert finding.location.line == 5  # the docstring
    assert finding.fix_hint is not None and "timeout" in finding.fix_hint


def test_signature_change_that_keeps_the_docstring_right_is_not_reported(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, timeout=10):")
    assert codes(run(pkg)) == []


def test_updated_docstring_that_is_still_wrong_keeps_the_rule_finding(pkg: GitRepo) -> None:
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, deadline=None):")
    edit(pkg, '"""Fetch a URL.', '"""Fetch a URL, politely.')
    found = codes(run(pkg))
    assert ("DS501", "pkg.api.fetch") not in found
    assert {code for code, symbol in found if symbol == "pkg.api.fetch"} == {"DS103"}


def test_rule_findings_on_added_symbols_are_reported(pkg: GitRepo) -> None:
    edit(
        pkg,
        "def _private(x):",
        'def added(a):\n    """New.\n\n    Args:\n        b: wrong.\n    """\n    return a\n\n\n'
        "def _private(x):",
    )
    found = codes(run(pkg))
    assert ("DS103", "pkg.api.added") in found or ("DS101", "pkg.api.added") in found
    assert all(symbol != "pkg.api.old_problem" for _, symbol in found)


def test_body_change_asks_for_a_review_at_info(pkg: GitRepo) -> None:
    edit(pkg, "    return y * 2", "    return y * 3")
    edit(pkg, "    y = x + 1\n    return y\n", "    y = x + 2\n    return y\n")
    report = run(pkg)
    assert codes(report) == [("DS502", "pkg.api.compute")]  # not the private helper
    assert report.findings[0].severity is Severity.INFO


def test_formatting_only_change_is_not_a_review(pkg: GitRepo) -> None:
    edit(
        pkg,
        "    y = x + 1\n    return y * 2",
        "    y = (x +\n         1)  # spaced\n\n    return (y * 2)",
    )
    assert run(pkg).changes.symbols == ()
    assert codes(run(pkg)) == []


def test_renamed_symbol_breaks_references_everywhere(pkg: GitRepo) -> None:
    edit(pkg, "def load_config(path):", "def read_config(path):")
    report = run(pkg)
    broken = [f for f in report.findings if f.code == "DS601"]
    assert [(f.location.path, f.location.line, f.message) for f in broken] == [
        ("pkg/api.py", 1, "`load_config` was renamed to `read_config`"),
        ("pkg/user.py", 3, "`load_config()` was renamed to `read_config()`"),
        ("pkg/user.py", 3, "`pkg.api.load_config` was renamed to `pkg.api.read_config`"),
        ("pkg/user.py", 15, "`pkg.api.load_config` was renamed to `pkg.api.read_config`"),
    ]
    assert all(f.severity is Severity.WARNING for f in broken)
    assert broken[1].evidence.actual == "pkg.api.read_config"


def test_removed_symbol_reference_names_what_is_gone(pkg: GitRepo) -> None:
    text = (pkg.path / "pkg/api.py").read_text()
    start, end = text.index("def load_config"), text.index("def old_problem")
    pkg.write("pkg/api.py", text[:start] + text[end:])
    messages = {f.message for f in run(pkg).findings if f.code == "DS601"}
    assert "`load_config()` refers to pkg.api.load_config, which this change removed" in messages


def test_moved_symbol_reference_says_where_it_went(pkg: GitRepo) -> None:
    text = (pkg.path / "pkg/api.py").read_text()
    start, end = text.index("def load_config"), text.index("def old_problem")
    pkg.write("pkg/api.py", text[:start] + text[end:])
    pkg.write("pkg/config.py", '"""Configuration."""\n\n\n' + text[start:end])
    messages = {f.message for f in run(pkg).findings if f.code == "DS601"}
    assert "`pkg.api.load_config` was moved to `pkg.config.load_config`" in messages


def test_a_kept_alias_is_not_a_broken_reference(pkg: GitRepo) -> None:
    edit(pkg, "def load_config(path):", "def read_config(path):")
    with (pkg.path / "pkg/api.py").open("a") as handle:
        handle.write("\n\nload_config = read_config\n")
    assert [f for f in run(pkg).findings if f.code == "DS601"] == []


def test_references_to_other_libraries_are_never_judged(repo: GitRepo) -> None:
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/paths.py", "def join(a, b):\n    result = a + b\n    return result\n")
    repo.write("pkg/use.py", USER)
    repo.commit()
    repo.remove("pkg/paths.py")
    assert [f for f in run(repo).findings if f.code == "DS601"] == []


def test_a_method_removed_from_a_subclass_may_still_be_inherited(repo: GitRepo) -> None:
    repo.write(
        "multi.py",
        '''
        class MultiDict(dict):
            def keys(self):
                """Every key."""
                keys = list(super().keys())
                return keys

            def listvalues(self):
                """Like :meth:`keys`, for values."""
                return [list(v) for v in self.values()]
        ''',
    )
    repo.commit()
    text = (repo.path / "multi.py").read_text()
    start, end = text.index("    def keys"), text.index("    def listvalues")
    repo.write("multi.py", text[:start] + text[end:])
    assert [f for f in run(repo).findings if f.code == "DS601"] == []


def test_reference_already_broken_at_the_base_is_not_reported(pkg: GitRepo) -> None:
    edit(pkg, '"""The API: start with :func:`load_config`."""', '"""See :func:`vanished`."""')
    pkg.commit("already broken")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, timeout=4):")
    assert [f for f in run(pkg).findings if f.code == "DS601"] == []


def test_staged_view_and_two_refs(pkg: GitRepo) -> None:
    pkg.git("tag", "v1")
    edit(pkg, "def fetch(url, timeout=3):", "def fetch(url, deadline=None):")
    pkg.git("add", "-A")
    edit(pkg, "def load_config(path):", "def read_config(path):")  # not staged
    assert codes(run(pkg, "HEAD", staged=True)) == [("DS501", "pkg.api.fetch")]
    pkg.commit("v2")
    pkg.git("tag", "v2")
    pkg.write("pkg/api.py", API)  # the work tree no longer matters
    assert {c for c, _ in codes(run(pkg, "v1", head="v2"))} == {"DS501", "DS601"}


def test_select_for_change_keeps_page_findings_in_changed_files(pkg: GitRepo) -> None:
    pkg.write("docs/index.md", "# Docs\n")
    changes, _ = compute_changes(pkg.path, Config(root=pkg.path), "main")
    page = Finding(
        "DS701",
        "page",
        Severity.WARNING,
        "m",
        Location("docs/index.md", 1, 1),
        "docs/index.md",
        evidence=__import__("docsync.models").models.Evidence(),
        fingerprint="f",
    )
    elsewhere = Finding(
        "DS701",
        "page",
        Severity.WARNING,
        "m",
        Location("docs/other.md", 1, 1),
        "docs/other.md",
        evidence=__import__("docsync.models").models.Evidence(),
        fingerprint="g",
    )
    assert select_for_change([page, elsewhere], changes, Project(".", ())) == [page]


def test_change_rules_are_in_the_registry_and_no_family_runs_them() -> None:
    change_rules = [r for r in RULES if r.kind is RuleKind.CHANGE]
    assert [r.code for r in change_rules] == ["DS501", "DS502", "DS503", "DS504", "DS601"]
    assert not {r.code for r in change_rules} & {r.code for f in FAMILIES for r in f.rules}


# --- pure helpers --------------------------------------------------------------------------


def doc(text: str, line: int = 1) -> Docstring:
    return Docstring(text, Style.PLAIN, (), Location("m.py", line, line + text.count("\n")))


def test_find_references_forms_and_lines() -> None:
    text = (
        "Summary with :func:`load` and :py:meth:`~pkg.Client.get`.\n"
        "\n"
        "Call `run(x, y)` or ``pkg.mod.thing`` but not `timeout` or :func:`!raw`.\n"
        "Titled :class:`the client <pkg.Client>` and relative :meth:`.close`.\n"
        "\n"
        "See Also\n"
        "--------\n"
        "first, second : both.\n"
        "    described here: not an entry.\n"
    )
    found = [(r.target, r.form, r.line) for r in find_references(doc(text), 10)]
    assert found == [
        ("load", RefForm.ROLE, 10),
        ("pkg.Client.get", RefForm.ROLE, 10),
        ("run", RefForm.CALL, 12),
        ("pkg.mod.thing", RefForm.DOTTED, 12),
        ("pkg.Client", RefForm.ROLE, 13),
        ("close", RefForm.ROLE, 13),
        ("first", RefForm.SEE_ALSO, 17),
        ("second", RefForm.SEE_ALSO, 17),
    ]
    assert find_references(doc(text), 10)[5].relative


def test_google_see_also() -> None:
    text = "Summary.\n\nSee Also:\n    helper: does it.\n    other_helper\n\nTrailing prose.\n"
    found = [(r.target, r.line) for r in find_references(doc(text), 1)]
    assert found == [("helper", 4), ("other_helper", 5)]


def test_text_start_line_skips_the_opening_blank_line() -> None:
    source = ["def f():", '    """', "", "    Summary.", '    """']
    assert text_start_line(doc("Summary.", line=2), source) == 4
    assert text_start_line(doc("Summary.", line=2), ["def f():", '    """Summary."""']) == 2


def test_import_table_resolves_relative_imports_and_aliases() -> None:
    source = (
        b"import os\nimport a.b as ab\nfrom . import sibling\nfrom .config import load as ld\n"
        b"from ..top import thing\nalias = ld\nconst = 3\ndef f(): pass\n"
    )
    module = scan_source(source, "pkg/sub/mod.py", "pkg.sub.mod").module
    assert module is not None
    table = import_table(module)
    assert table == {
        "os": "os",
        "ab": "a.b",
        "sibling": "pkg.sub.sibling",
        "ld": "pkg.sub.config.load",
        "thing": "pkg.top.thing",
        "alias": "pkg.sub.mod.ld",  # through the module's own `ld`
        "const": "pkg.sub.mod.const",
        "f": "pkg.sub.mod.f",
    }
    namespace = Namespace.of([module], [module])
    assert namespace.aliases["pkg.sub.mod.alias"] == "pkg.sub.mod.ld"
    assert namespace.resolve("pkg.sub.mod.alias") is None  # pkg.sub.config is not scanned
    config = scan_source(b"def load(): pass\n", "pkg/sub/config.py", "pkg.sub.config").module
    assert config is not None
    both = Namespace.of([module, config], [module])
    assert both.resolve("pkg.sub.mod.alias") == both.resolve("pkg.sub.mod.ld")
    assert both.resolve("pkg.sub.mod.alias") == "pkg.sub.config.load"
    assert scan_source(b"def (", "m.py", "m").module is None  # nothing to read a table from


def test_a_self_referring_alias_leads_nowhere_instead_of_for_ever() -> None:
    module = scan_source(b"X = X.attr\nY = Z\nZ = Y\n", "m.py", "m").module
    assert module is not None
    namespace = Namespace.of([module], [module])
    assert namespace.aliases["m.X"] == "m.X.attr"
    assert namespace.resolve("m.X") is None
    assert namespace.resolve("m.Y") is None


def test_judge_reference_is_lenient_about_the_unknown() -> None:
    base = Namespace(
        frozenset({"pkg", "pkg.mod", "pkg.mod.join", "pkg.mod.C", "pkg.mod.C.close"}),
        {},
        frozenset({"pkg.mod.C.close"}),
    )
    head = Namespace(frozenset({"pkg", "pkg.mod"}), {})
    gone = {n: Gone(n) for n in ("pkg.mod.join", "pkg.mod.C", "pkg.mod.C.close")}
    scope = Scope("pkg.other.f", "pkg.other", {"os": "os"})

    def judged(text: str) -> bool:
        (ref,) = find_references(doc(text), 1)
        return judge_reference(ref, scope, base, head, gone) is not None

    assert judged("`join()`")
    assert judged(":meth:`C.close`")
    assert not judged("`os.path.join()`")
    assert not judged("`close()`")  # a bare method name could be anybody's
    assert not judged("`print()`")
    assert not judged(":func:`unknown`")
    with_param = Scope("pkg.other.f", "pkg.other", {}, frozenset({"join"}))
    (ref,) = find_references(doc("Calls ``join(a, b)`` on pairs."), 1)
    assert judge_reference(ref, with_param, base, head, gone) is None  # an argument's call


def test_signature_delta_words() -> None:
    from docsync.models import Parameter, ParamKind, Signature

    pk = ParamKind.POSITIONAL_OR_KEYWORD
    old = Signature((Parameter("a", pk, "int"), Parameter("b", pk)), returns="str")
    new = Signature(
        (Parameter("b", ParamKind.KEYWORD_ONLY), Parameter("a", pk, "float", "1")), returns="bytes"
    )
    assert signature_delta(old, new) == [
        "b now keyword-only",
        "a: int -> float",
        "a default none -> 1",
        "parameters reordered",
        "return type str -> bytes",
    ]
    assert signature_delta(old, old) == ["signature changed"]
