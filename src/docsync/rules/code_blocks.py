"""Static checks of the Python examples on pages: DS702, DS703 and DS704.

A code block is parsed with :mod:`ast`, never run.  A page is read as one
script, the way readers read it: a name is resolved through the imports of its
block (``import pkg``, ``from pkg.mod import f as g``) or, when the block does not
bind it, of an earlier block of the page (:class:`PageScope`), and a project's
top-level package is known by its name even where no block imports it.  A name
is resolved only when it is bound exactly once, so a name the example rebinds is
never judged.  Instances are followed only when a name is bound directly to
``Cls(...)``.  Calls with ``*args``/``**kwargs`` unpacking, calls inside
``try``/``pytest.raises`` blocks, and session statements whose expected output
is a traceback are left alone: the example may mean to fail.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from docsync.models import (
    CodeBlock,
    Evidence,
    Finding,
    Location,
    Page,
    Severity,
    Signature,
    Symbol,
    SymbolKind,
    fingerprint,
)
from docsync.rules.base import render_params
from docsync.rules.literal_args import base_signature, misplaced_literals
from docsync.rules.rule import Examples, FixKind, Rule, RuleKind
from docsync.rules.signatures import (
    TRANSPARENT_DECORATORS,
    call_problems,
    callable_signature,
    override_problems,
)
from docsync.scan.index import Status, SymbolIndex
from docsync.scan.pyast import dotted_name

if TYPE_CHECKING:
    from docsync.changes.changeset import ChangeSet  # imports GitPython: only for type checking

__all__ = [
    "BAD_ATTRIBUTE",
    "BAD_CALL",
    "BAD_IMPORT",
    "BlockResult",
    "Mention",
    "PageScope",
    "call_problems",
    "check_block",
    "page_finding",
]


BAD_CALL = Rule(
    code="DS702",
    slug="example-bad-call",
    summary="An example calls a project function or class with arguments its signature rejects.",
    severity=Severity.WARNING,
    description=(
        "A keyword the callee no longer accepts, too many positional arguments, or a "
        "required argument left out; checked statically, never run. Calls with "
        "`*args`/`**kwargs` unpacking, callees whose `**kwargs` (for keywords) or `*args` "
        "(for positions) absorb the arguments, decorated or overloaded callees, and calls "
        "inside `try` or `pytest.raises` are not judged. A method of an example's subclass "
        "of a project class that does not accept a parameter the project's method requires "
        "by keyword (keyword-only, no default; no `**kwargs`) is reported too: the project "
        "calls it with that keyword. With `--base`, a call that still fits by count is "
        "reported when the change moved a literal positional argument onto a parameter "
        "whose annotation cannot take it (a project class, `None`, another builtin), "
        "from one that could."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "BAD_CALL_FLAG", "BAD_CALL_KEEP"),
    fix=FixKind.MECHANICAL,
    names_symbol=True,
)
BAD_IMPORT = Rule(
    code="DS703",
    slug="example-bad-import",
    summary="An example imports (or uses through a module) a name the project does not have.",
    severity=Severity.WARNING,
    description=(
        "Only the project's own packages are judged; a name is missing only when no "
        "submodule, definition, re-export, star import or module `__getattr__` provides it."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "BAD_IMPORT_FLAG", "BAD_IMPORT_KEEP"),
    fix=FixKind.PROSE,
    names_symbol=True,
)
BAD_ATTRIBUTE = Rule(
    code="DS704",
    slug="example-bad-attribute",
    summary="An example uses an attribute or method the class does not have.",
    severity=Severity.WARNING,
    description=(
        "Only names bound directly to `Cls(...)` in the example are followed, and only when "
        "every base of the class is a project class (or `object`) and nothing defines "
        "`__getattr__`; attributes the example sets itself are known."
    ),
    kind=RuleKind.PAGE,
    examples=Examples("pages", "BAD_ATTRIBUTE_FLAG", "BAD_ATTRIBUTE_KEEP"),
    fix=FixKind.PROSE,
    names_symbol=True,
)


@dataclass(frozen=True)
class Mention:
    """A project symbol an example (or a reference) uses, for the review rule."""

    qualname: str
    line: int
    text: str


@dataclass
class BlockResult:
    """What checking one block found."""

    findings: list[Finding] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class PageScope:
    """What the blocks of a page bound so far, for the blocks after them.

    ``names`` maps a name bound by an earlier block to the project name it imports,
    or ``None`` when it was bound to anything else (or more than once);
    ``instances`` maps a name bound once to ``Cls(...)`` to the class.
    """

    names: dict[str, str | None] = field(default_factory=dict)
    instances: dict[str, Symbol] = field(default_factory=dict)


def page_finding(
    rule: Rule,
    page: Page,
    line: int,
    message: str,
    *,
    subject: str,
    text: str,
    evidence: Evidence | None = None,
    fix_hint: str | None = None,
    end_line: int | None = None,
) -> Finding:
    """A finding on a page, fingerprinted by rule, page path and the text involved.

    Args:
        rule: The rule.
        page: The page the finding is on.
        line: The page line.
        message: One line saying what is wrong.
        subject: The symbol (or name) the finding is about.
        text: The page text involved (a reference or a statement), for the fingerprint.
        evidence: What the page says against what the code says.
        fix_hint: A short instruction for the fix.
        end_line: The last page line of the construct (``line`` when omitted).

    Returns:
        The finding, at the rule's default severity.
    """
    return Finding(
        code=rule.code,
        slug=rule.slug,
        severity=rule.severity,
        message=message,
        location=Location(page.path, line, max(line, end_line or line)),
        symbol=subject,
        evidence=evidence or Evidence(documented=text),
        fingerprint=fingerprint(rule.code, page.path, text),
        fix_hint=fix_hint,
    )


def check_block(
    block: CodeBlock,
    page: Page,
    index: SymbolIndex,
    scope: PageScope | None = None,
    changes: ChangeSet | None = None,
) -> BlockResult:
    """Check one Python block of a page against the project.

    Args:
        block: A Python code block (or ``>>>`` session).
        page: The page holding it.
        index: The project's names.
        scope: What the page's earlier blocks bound; updated with what this one binds.
        changes: The change set of ``--base``: calls whose literal arguments the change
            moved onto parameters that cannot take them are reported too.

    Returns:
        The DS702-DS704 findings, and every project symbol the block uses.
    """
    try:
        tree = ast.parse(block.source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return BlockResult()
    checker = _BlockChecker(block, page, index, tree, scope or PageScope())
    checker.changes = changes
    checker.run()
    return checker.result


class _BlockChecker:
    """Resolves one block's names and checks its imports, calls and attributes."""

    def __init__(
        self, block: CodeBlock, page: Page, index: SymbolIndex, tree: ast.Module, scope: PageScope
    ) -> None:
        self.block = block
        self.scope = scope
        self.page = page
        self.index = index
        self.tree = tree
        self.result = BlockResult()
        self.bindings: Counter[str] = Counter()
        self.imports: dict[str, str] = {}
        self.instances: dict[str, Symbol] = {}
        self.stored: set[tuple[str, str]] = set()
        self.guarded: set[int] = set()
        self.chained: set[int] = set()
        self.called: dict[int, ast.Call] = {}  # callee -> its call, for the finding's span
        self.reported: dict[int, int] = {}  # node -> its finding's index
        self.changes: ChangeSet | None = None

    def run(self) -> None:
        """Gather bindings, then check every import, call and attribute chain."""
        for node in ast.walk(self.tree):
            self._gather(node)
        carried = self.scope.instances.items()
        self.instances = {k: v for k, v in carried if not self.bindings[k]}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                self._instance(node)
        self._pass_on()
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._check_import(node)
            elif isinstance(node, ast.Call) and id(node) not in self.guarded:
                self._check_call(node)
            elif isinstance(node, ast.Attribute) and id(node) not in self.chained:
                self._check_attribute(node)
            elif isinstance(node, ast.ClassDef) and len(node.bases) == 1:
                self._check_overrides(node)

    def _pass_on(self) -> None:
        """Record in the page scope what this block binds, for the blocks after it."""
        for name, count in self.bindings.items():
            self.scope.names[name] = self.imports.get(name) if count == 1 else None
            self.scope.instances.pop(name, None)
        self.scope.instances.update(self.instances)

    # --- gathering ----------------------------------------------------------------------

    def _gather(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            self.bindings[node.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bindings[node.name] += 1
        elif isinstance(node, ast.arg):
            self.bindings[node.arg] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.bindings.update(dict.fromkeys(node.names, 2))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self.bindings[node.name] += 1
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._gather_import(node)
        elif isinstance(node, ast.Call):
            self.called[id(node.func)] = node
        elif isinstance(node, ast.Attribute):
            self.chained.add(id(node.value))
            if isinstance(node.value, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.stored.add((node.value.id, node.attr))
        elif isinstance(node, (ast.Try, ast.With)) and _expects_failure(node):
            self.guarded.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Call))
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            self.bindings[node.name] += 1

    def _gather_import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                name = alias.asname or alias.name.partition(".")[0]
                target = alias.name if alias.asname else name
            elif node.level or alias.name == "*" or not node.module:
                continue
            else:
                name, target = alias.asname or alias.name, f"{node.module}.{alias.name}"
            self.bindings[name] += 1
            if self.index.is_project_name(target):
                self.imports[name] = target

    def _qualify(self, node: ast.expr) -> str | None:
        """The dotted project name an expression spells through the page's imports."""
        dotted = dotted_name(node)
        first, dot, rest = (dotted or "").partition(".")
        if dotted is None or self.bindings[first] > 1:
            return None
        if self.bindings[first] == 1:
            base = self.imports.get(first)
        elif first in self.scope.names:
            base = self.scope.names[first]
        else:  # the project's own package, which the page may use without an import
            base = first if self.index.lookup(first).status is Status.FOUND else None
        return f"{base}{dot}{rest}" if base else None

    def _instance(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        name = node.targets[0].id
        if self.bindings[name] != 1 or not isinstance(node.value, ast.Call):
            return
        dotted = self._qualify(node.value.func)
        symbol = self.index.resolve(dotted) if dotted else None
        if symbol is not None and symbol.kind is SymbolKind.CLASS:
            self.instances[name] = symbol

    # --- checks -------------------------------------------------------------------------

    def _line(self, node: ast.stmt | ast.expr) -> int:
        return self.block.page_line(node.lineno)

    def _end_line(self, node: ast.stmt | ast.expr) -> int:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # its `def` lines
            return self.block.page_line(max(node.lineno, node.body[0].lineno - 1))
        node = self.called.get(id(node), node)  # a missing callee: the whole call
        return self.block.page_line(node.end_lineno or node.lineno)

    def _text(self, node: ast.AST) -> str:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            end = max(node.lineno, node.body[0].lineno - 1)
            lines = self.block.source.splitlines()[node.lineno - 1 : end]
            return "\n".join(lines).strip() or node.name
        return ast.get_source_segment(self.block.source, node) or ast.dump(node)

    def _report(self, rule: Rule, node: ast.stmt | ast.expr, message: str, **extra: str) -> None:
        line = self._line(node)
        if self.page.is_suppressed(rule.code, line, self.block.line):
            return
        if id(node) in self.reported:  # one finding per construct: `from m import A, B`
            at = self.reported[id(node)]
            earlier = self.result.findings[at]
            self.result.findings[at] = replace(earlier, message=f"{earlier.message}; {message}")
            return
        self.reported[id(node)] = len(self.result.findings)
        text = self._text(node)
        subject = extra.get("subject", text)
        suggestion = extra.get("suggestion")
        hint = f"replace it with `{suggestion}`" if suggestion else extra.get("hint")
        evidence = Evidence(documented=text, actual=suggestion or extra.get("actual"))
        finding = page_finding(
            rule,
            self.page,
            line,
            message,
            subject=subject,
            text=text,
            evidence=evidence,
            fix_hint=hint,
            end_line=self._end_line(node),
        )
        self.result.findings.append(finding)

    def _mention(self, qualname: str | None, node: ast.stmt | ast.expr) -> None:
        if qualname is not None:
            self.result.mentions.append(Mention(qualname, self._line(node), self._text(node)))

    def _check_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            if node.level or not node.module or not self.index.is_project_name(node.module):
                return
            names = [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
            module = self.index.lookup(node.module)
            if module.status is Status.MISSING:
                self._judge_import(node, node.module, self._exported(node, names))
                return
            if module.status is not Status.FOUND:
                return
        else:
            names = [a.name for a in node.names if self.index.is_project_name(a.name)]
        for dotted in names:
            self._judge_import(node, dotted)

    def _exported(self, node: ast.ImportFrom, names: list[str]) -> str | None:
        """``from pkg import X, Y`` when the package itself exports every imported name."""
        top = names[0].partition(".")[0] if names else ""
        bare = [n.rpartition(".")[2] for n in names]
        if not bare or any(
            self.index.lookup(f"{top}.{n}").status is not Status.FOUND for n in bare
        ):
            return None
        return f"from {top} import {', '.join(bare)}"

    def _judge_import(
        self, node: ast.Import | ast.ImportFrom, dotted: str, suggestion: str | None = None
    ) -> None:
        found = self.index.lookup(dotted)
        if found.status is Status.FOUND:
            self._mention(found.qualname, node)
            return
        if found.status is not Status.MISSING:
            return
        suggestion = suggestion or self.index.suggest(dotted)
        where = f"module `{found.qualname}`" if found.qualname else "the project"
        message = f"the example imports `{dotted}`, but {where} has no `{found.missing}`"
        if suggestion:
            message += f"; did you mean `{suggestion}`?"
        self._report(
            BAD_IMPORT,
            node,
            message,
            subject=dotted,
            suggestion=suggestion or "",
            hint="import a name the project exports",
        )

    def _check_call(self, node: ast.Call) -> None:
        if any(isinstance(a, ast.Starred) for a in node.args):
            return
        if any(k.arg is None for k in node.keywords):
            return
        callee = self._callee(node.func)
        if callee is None:
            return
        symbol, signature = callee
        self._mention(symbol.qualname, node)
        values = [*node.args, *(k.value for k in node.keywords)]
        if any(isinstance(v, ast.Constant) and v.value is Ellipsis for v in values):
            return  # `f(...)`: the example elides the arguments
        problems = call_problems(signature, len(node.args), [k.arg for k in node.keywords if k.arg])
        base = base_signature(symbol, self.changes) if not problems else None
        if base is not None:  # fits by count; by meaning?
            problems = misplaced_literals(node.args, symbol, signature, base, self.index)
        if not problems:
            return
        label = (
            f"{symbol.name}()"
            if symbol.kind is not SymbolKind.METHOD
            else (".".join(symbol.qualname.rsplit(".", 2)[-2:]) + "()")
        )
        message = f"the example calls `{label}`, which " + "; ".join(problems)
        self._report(
            BAD_CALL,
            node,
            message,
            subject=symbol.qualname,
            actual=f"{label[:-2]}{_render(signature)}",
            hint=f"update the call to match `{label[:-2]}{_render(signature)}`",
        )

    def _check_overrides(self, node: ast.ClassDef) -> None:
        """Methods of an example's subclass of a project class that its callers would break."""
        base = self._qualify(node.bases[0])
        if base is None or getattr(self.index.resolve(base), "kind", None) is not SymbolKind.CLASS:
            return
        for method in node.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if any(dotted_name(d) not in TRANSPARENT_DECORATORS for d in method.decorator_list):
                continue
            found = self.index.resolve(f"{base}.{method.name}")
            own = self._signature_of(found) if found and found.kind is SymbolKind.METHOD else None
            problems = override_problems(method, own[1]) if own else []
            if own and problems:
                label = ".".join(own[0].qualname.rsplit(".", 2)[-2:])
                message = f"the example overrides `{label}`, but " + "; ".join(problems)
                hint = f"update the method to match `{label}{_render(own[1])}`"
                self._report(BAD_CALL, method, message, subject=own[0].qualname, hint=hint)

    def _callee(self, func: ast.expr) -> tuple[Symbol, Signature] | None:
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            cls = self.instances.get(func.value.id)
            if cls is not None:
                found = self.index.lookup(f"{cls.qualname}.{func.attr}")
                method = found.symbol
                if method is not None and method.kind is SymbolKind.METHOD:
                    return self._signature_of(method)
                return None
        dotted = self._qualify(func)
        symbol = self.index.resolve(dotted) if dotted else None
        if symbol is None:
            return None
        if symbol.kind is SymbolKind.METHOD and not symbol.has_decorator(
            "classmethod", "staticmethod"
        ):
            return None  # called on the class: the first argument is the instance
        return self._signature_of(symbol)

    def _signature_of(self, symbol: Symbol) -> tuple[Symbol, Signature] | None:
        return callable_signature(symbol, self.index)

    def _check_attribute(self, node: ast.Attribute) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        if isinstance(node.value, ast.Name) and node.value.id in self.instances:
            if (node.value.id, node.attr) in self.stored:
                return
            cls = self.instances[node.value.id]
            dotted = f"{cls.qualname}.{node.attr}"
        else:
            qualified = self._qualify(node)
            if qualified is None or self._through_missing_import(node):
                return
            dotted = qualified
        found = self.index.lookup(dotted)
        if found.status is Status.FOUND:
            self._mention(found.qualname, node)
        elif found.status is Status.MISSING and found.qualname is not None:
            self._missing_attribute(node, dotted, found.qualname, found.missing or "")

    def _through_missing_import(self, node: ast.expr) -> bool:
        """Whether a name goes through an import that is itself missing (flagged there)."""
        first = (dotted_name(node) or "").partition(".")[0]
        target = self.imports.get(first) if self.bindings[first] else self.scope.names.get(first)
        if target is None or "." not in target:
            return False
        return self.index.lookup(target).status is Status.MISSING

    def _missing_attribute(self, node: ast.Attribute, dotted: str, owner: str, name: str) -> None:
        suggestion = self.index.suggest(dotted)
        owner_symbol = self.index.resolve(owner)
        is_class = owner_symbol is not None and owner_symbol.kind is SymbolKind.CLASS
        rule = BAD_ATTRIBUTE if is_class else BAD_IMPORT
        kind = "class" if is_class else "module"
        message = f"the example uses `{self._text(node)}`, but {kind} `{owner}` has no `{name}`"
        if suggestion:
            message += f"; did you mean `{suggestion.rpartition('.')[2]}`?"
        self._report(
            rule,
            node,
            message,
            subject=f"{owner}.{name}",
            suggestion=suggestion or "",
            hint=f"use an attribute `{owner}` has",
        )


def _expects_failure(node: ast.Try | ast.With) -> bool:
    """Whether a ``try`` block, or a ``with pytest.raises(...)``, wraps code meant to fail."""
    if isinstance(node, ast.Try):
        return True
    for item in node.items:
        expr = item.context_expr
        func = expr.func if isinstance(expr, ast.Call) else expr
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("raises", "assertRaises", "assertRaisesRegex", "suppress"):
            return True
    return False


def _render(signature: Signature) -> str:
    """``(a, /, b=1, *, c)``: the parameter list with its ``/`` and ``*`` markers."""
    return render_params(signature, markers=True)
