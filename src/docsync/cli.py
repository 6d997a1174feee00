"""The ``docsync`` command line: a thin shell over :mod:`docsync.commands.check`.

Exit codes: 0 clean, 1 findings at or above ``fail-on``, 2 usage or configuration
error.  One handler turns every :class:`~docsync.errors.DocsyncError` into a
message and exit code 2; a user error never shows a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from docsync import __version__
from docsync import timings as timing
from docsync.errors import ConfigError, DocsyncError
from docsync.severity import Severity
from docsync.sinks import for_terminal, scrub_output
from docsync.wording import plural

# Start-up (issue 19): defining the commands and printing --help load only click and
# the modules above.  Each command imports its pipeline (config, scan, rules, git,
# rich, ...) when it runs, so ``docsync check --help`` and a pre-commit hook's start
# pay for nothing else; tests/test_startup.py fails when a heavy module creeps back.
# None of these imports is deferred to dodge a cycle: cli is the top layer.

if TYPE_CHECKING:
    from rich.console import Console

    from docsync.commands.check import BaseOptions, CheckResult
    from docsync.commands.result_cache import CheckSummary
    from docsync.config import Config
    from docsync.deliver.report import FindingKey, FixBy
    from docsync.deliver.sarif import RuleInfo
    from docsync.draft.llm.drafter import LLMOptions
    from docsync.models import Diagnostic

F = TypeVar("F", bound=Callable[..., Any])

_SEVERITIES = click.Choice([s.value for s in Severity])
_FORMATS = click.Choice(["text", "json", "github", "sarif"])
_TIMINGS_HELP = "Print where the time went (start-up, discovery, scan, rules, ...) to stderr."


def handle_errors(func: F) -> F:
    """Map :class:`DocsyncError` to a one-line message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DocsyncError as exc:
            # The message may hold input text: one line each, controls shown, secrets scrubbed.
            problems = exc.problems if isinstance(exc, ConfigError) else ()
            if len(problems) > 1:
                click.echo(f"docsync: error: {len(problems)} configuration errors:", err=True)
                for problem in problems:
                    click.echo(f"  {for_terminal(problem)}", err=True)
            else:
                click.echo(f"docsync: error: {for_terminal(str(exc))}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _say(text: str, *, nl: bool = True, err: bool = False) -> None:
    """Print a report that may hold input text: controls shown, secrets scrubbed."""
    click.echo(for_terminal(text, multiline=True), nl=nl, err=err)


def _say_diagnostics(diagnostics: Sequence[Diagnostic], verbose: bool) -> None:
    """Print a run's diagnostics to stderr as ``check`` shows them: infos only with ``-v``."""
    from docsync.deliver.report import diagnostic_line, shown_diagnostics

    for diag in shown_diagnostics(diagnostics, verbose=verbose):
        _say(diagnostic_line(diag), err=True)


def _split_codes(values: tuple[str, ...]) -> list[str] | None:
    codes = [c.strip() for v in values for c in v.split(",") if c.strip()]
    return codes or None


def build_config(paths: tuple[str, ...], config_file: str | None, flags: dict[str, Any]) -> Config:
    """Merge pyproject.toml settings and command-line flags.

    Args:
        paths: paths given on the command line (relative to the current directory).
        config_file: an explicit pyproject.toml from ``--config``.
        flags: flag values keyed as in ``[tool.docsync]``; ``None`` means not given.

    Returns:
        The configuration for this run.
    """
    # A command runs: only now load the configuration and what the paths need.
    from docsync.commands.run_config import config_for_run

    return config_for_run(paths, config_file, flags)


def _ensure_checked(
    result: CheckResult | CheckSummary, config: Config, paths: tuple[str, ...]
) -> None:
    """Stop with exit code 2 when the run judged no Python file and no page."""
    if result.checked_nothing:
        from docsync.commands.check import docs_dir_of
        from docsync.commands.targets import nothing_to_check

        raise nothing_to_check(config, paths, docs_dir_of(config).resolve())


def _common_check_options(func: F) -> F:
    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False),
            help="pyproject.toml to read [tool.docsync] from.",
        ),
        click.option(
            "--select", multiple=True, help="Rule codes or prefixes to report (DS1,DS201)."
        ),
        click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip."),
        click.option(
            "--style",
            type=click.Choice(["auto", "google", "numpy", "sphinx"]),
            help="Style of docstrings whose style cannot be detected.",
        ),
        click.option("--exclude", multiple=True, help="Glob of paths to skip (replaces config)."),
        click.option("--extend-exclude", multiple=True, help="Glob of paths to skip, in addition."),
        click.option(
            "--require-params/--no-require-params",
            default=None,
            help="Report docstrings of functions with parameters but no parameter section.",
        ),
        click.option(
            "--check-tests/--no-check-tests",
            default=None,
            help="Check tests, fixtures and task contexts like API (default: their "
            "injected parameters need no docs).",
        ),
        click.option(
            "--cache/--no-cache",
            default=None,
            help="Keep scan results in .docsync-cache/ between runs (default: on).",
        ),
        click.option(
            "--pages/--no-pages",
            default=None,
            help="Check the MkDocs pages too (default: on, unless PATHS leave out the docs).",
        ),
        click.option("--docs-dir", help="The pages' directory, instead of the site config's."),
        click.option(
            "--site-config",
            help="The site's config file (default: properdocs.yml, mkdocs.yml or zensical.toml).",
        ),
        click.option(
            "--review/--no-review",
            default=None,
            help="List the review prompts (DS502, DS706) instead of only counting them.",
        ),
        click.option(
            "--since/--no-since",
            default=None,
            help="Name the commit that made each finding stale (default: with --base only).",
        ),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Also show informational diagnostics (empty files, skipped files).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _flags(**values: Any) -> dict[str, Any]:
    flags: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, tuple):
            value = list(value) or None
        flags[key.replace("_", "-")] = value
    if flags.get("select"):
        flags["select"] = _split_codes(tuple(flags["select"]))
    if flags.get("ignore"):
        flags["ignore"] = _split_codes(tuple(flags["ignore"]))
    return flags


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docsync")
def main() -> None:
    """docsync: find the docs that have drifted from the code, and fix them."""


@main.command()
@_common_check_options
@click.option(
    "--format",
    "output_format",
    type=_FORMATS,
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--fail-on", type=_SEVERITIES, help="Lowest severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--run-examples",
    is_flag=True,
    help="Run the pages' >>> sessions in a subprocess (never on untrusted pull requests).",
)
@click.option("--base", help="Report only what the change from REF made stale (origin/main).")
@click.option("--head", help="With --base: compare to this ref instead of the working tree.")
@click.option("--staged", is_flag=True, help="With --base: judge what is staged (pre-commit).")
@click.option("--timings", "show_timings", is_flag=True, help=_TIMINGS_HELP)
@handle_errors
def check(
    paths: tuple[str, ...],
    config_file: str | None,
    output_format: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    run_examples: bool,
    base: str | None,
    head: str | None,
    staged: bool,
    show_timings: bool,
    verbose: bool,
    **options: Any,
) -> None:
    """Report docstrings and pages that disagree with the code they document."""
    from docsync.commands.result_cache import check_summary  # the command runs: load it
    from docsync.progress import scan_progress

    with _timed(show_timings):
        config = build_config(paths, config_file, _flags(fail_on=fail_on, **options))
        change = _base_options(base, head, staged)
        with scan_progress(output_format) as progress:
            result = check_summary(
                config,
                progress=progress,
                run_examples=run_examples,
                change=change,
                fixes=None if output_format == "github" else functools.partial(_fixes, config),
            )
        _ensure_checked(result, config, paths)
        with timing.phase("output"):
            fix_command = "docsync fix" if base is None else f"docsync fix --base {base}"
            _emit(
                result, output_format, output, verbose, fixes=result.fixes, fix_command=fix_command
            )
    if result.failed(config) and not exit_zero:
        sys.exit(1)


def _fixes(config: Config, result: CheckResult) -> Mapping[FindingKey, FixBy]:
    """Who fixes each finding (GitHub annotations have no place for it: not asked then)."""
    from docsync.commands.fix_marks import drafts_any, marks

    if not drafts_any(result.findings):  # no dry run to make: no libcst, no fixers
        return marks(result.findings, result.project)
    from docsync.commands.fix import fixable  # libcst and the drafters: only when needed

    return fixable(config, result)


@contextlib.contextmanager
def _timed(show: bool) -> Iterator[None]:
    """Record the run's phases, and print them to standard error at the end, if asked."""
    if show:
        timing.start()
    try:
        yield
    finally:
        if show:
            click.echo(timing.render(), err=True, nl=False)


def _base_options(base: str | None, head: str | None, staged: bool) -> BaseOptions | None:
    if base is None:
        if head or staged:
            raise click.UsageError("--head and --staged compare against a base: add --base REF")
        return None
    if head and staged:
        raise click.UsageError("--head and --staged exclude each other")
    from docsync.commands.check import BaseOptions  # loaded by the check that runs

    return BaseOptions(base, head, staged)


def _emit(
    result: CheckSummary,
    output_format: str,
    output: str | None,
    verbose: bool,
    *,
    fixes: Mapping[FindingKey, FixBy],
    fix_command: str,
) -> None:
    # Each format loads its renderer (start-up); text output alone needs rich.
    from docsync.deliver.report import Report, sort_findings

    report = Report(
        findings=sort_findings(result.findings),
        diagnostics=result.diagnostics,
        files_scanned=result.files_scanned,
        baselined=result.baselined,
        verbose=verbose,
        reviews=result.reviews,
        notes=result.notes,
        pages_checked=result.pages_checked,
        fixes=fixes,
        fix_command=fix_command,
    )
    from pathlib import Path

    if output_format == "text":
        from rich.console import Console

        from docsync.deliver.report import render_text

        if output:
            with Path(output).open("w", encoding="utf-8") as handle:
                render_text(report, Console(file=handle, no_color=True, width=120))
        else:
            render_text(report, _stdout_console())
        return
    if output_format == "json":
        from docsync.deliver.report import render_json

        text = render_json(report)
    elif output_format == "sarif":
        from docsync.deliver.sarif import render_sarif

        text = render_sarif(report, _rule_infos())
    else:
        from docsync.deliver.report import render_github

        text = render_github(report)
    text = scrub_output(text)
    if output:
        from docsync.atomic import write_text_atomic

        write_text_atomic(Path(output), text)
    else:
        click.echo(text, nl=False)


def _rule_infos() -> list[RuleInfo]:
    from docsync.deliver.sarif import RuleInfo
    from docsync.rules.registry import RULES

    return [RuleInfo(r.code, r.slug, r.summary, r.severity) for r in RULES]


def _stdout_console() -> Console:
    from rich.console import Console  # only text output needs rich (start-up time)

    no_color = "NO_COLOR" in os.environ or not sys.stdout.isatty()
    return Console(no_color=no_color, highlight=False, soft_wrap=True)


@main.command()
@_common_check_options
@handle_errors
def baseline(
    paths: tuple[str, ...], config_file: str | None, verbose: bool, **options: Any
) -> None:
    """Record today's findings; later checks skip them and say how many."""
    from docsync.commands.baseline import baseline_path, write_baseline  # the command runs
    from docsync.commands.check import run_check
    from docsync.progress import scan_progress

    config = build_config(paths, config_file, _flags(**options))
    with scan_progress("text") as progress:
        result = run_check(config, use_baseline=False, progress=progress)
    _ensure_checked(result, config, paths)
    _say_diagnostics(result.diagnostics, verbose)
    path = baseline_path(config)
    count = write_baseline(path, result.findings)
    _say(f"Recorded {count} {plural(count, 'finding')} in {path}.")


@main.command()
@_common_check_options
@click.option("--diff", "diff_only", is_flag=True, help="Print a unified diff; write nothing.")
@click.option(
    "--placeholders",
    is_flag=True,
    help="Add entries for undocumented parameters, described 'TODO(docsync): ...' for a person.",
)
@click.option("--base", help="Fix only what the change from this ref (origin/main) made stale.")
@click.option(
    "--staged", is_flag=True, help="With --base: judge what is staged (pre-commit), fix on disk."
)
@click.option("--fail-on", type=_SEVERITIES, help="Lowest severity left that makes exit code 1.")
@click.option(
    "--llm/--no-llm", default=None, help="Draft what needs prose with Claude (ANTHROPIC_API_KEY)."
)
@click.option("--model", help="The Claude model that drafts (default: claude-sonnet-5-5).")
@click.option(
    "--max-cost",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop LLM drafting before the estimated spend passes this many US dollars.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the LLM cost (with -v, the prompts); send nothing."
)
@click.option("--batch", is_flag=True, help="Send LLM requests as a Message Batch (half price).")
@click.option("--timings", "show_timings", is_flag=True, help=_TIMINGS_HELP)
@handle_errors
def fix(
    paths: tuple[str, ...],
    config_file: str | None,
    diff_only: bool,
    placeholders: bool,
    base: str | None,
    staged: bool,
    fail_on: str | None,
    dry_run: bool,
    batch: bool,
    verbose: bool,
    show_timings: bool,
    **options: Any,
) -> None:
    """Fix the findings that need no new prose; with --llm, draft the prose with Claude."""
    from docsync.commands.check import BaseOptions, run_check
    from docsync.commands.fix import run_fix
    from docsync.deliver.fix_report import render_fix_text
    from docsync.draft.llm.summary import render_previews

    with _timed(show_timings):
        config = build_config(paths, config_file, _flags(fail_on=fail_on, **options))
        llm = _llm_options(config, dry_run=dry_run, batch=batch)
        if staged and base is None:
            raise click.UsageError("--staged compares against a base: add --base REF")
        # As run_fix would check (base mode leaves the baseline alone), but here, to stop
        # first when nothing is checked.
        change = BaseOptions(base, staged=staged) if base is not None else None
        checked = run_check(config, use_baseline=base is None, change=change)
        _ensure_checked(checked, config, paths)
        _say_diagnostics(checked.diagnostics, verbose)
        result = run_fix(
            config,
            diff_only=diff_only,
            placeholders=placeholders,
            llm=llm,
            check=checked,
            staged=staged,
        )
        with timing.phase("output"):
            if diff_only:
                click.echo(result.patch, nl=False)  # bytes: each file's lines in its own encoding
            if result.llm is not None and result.llm.previews:
                # The totals first; the prompts themselves only when asked for.
                _say(result.llm.dry_run_totals(), err=diff_only)
                if verbose:
                    _say(render_previews(result.llm), err=diff_only)
                else:
                    _say("(-v prints the prompts)", err=diff_only)
            _say(render_fix_text(result), nl=False, err=diff_only)
    if result.still_fails(config):
        sys.exit(1)


def _llm_options(config: Config, *, dry_run: bool, batch: bool) -> LLMOptions | None:
    """The LLM options of a ``fix`` run, or ``None`` when LLM drafting is off."""
    if batch and not config.llm:
        raise ConfigError("--batch sends requests to Claude: add --llm (or llm = true in config)")
    if not (config.llm or dry_run):
        return None
    from docsync.draft.llm.drafter import LLMOptions

    return LLMOptions.from_config(config, dry_run=dry_run, batch=batch)


_PLACEHOLDERS_HELP = "Add entries for undocumented parameters, described 'TODO(docsync): ...'."


@main.command()
@_common_check_options
@click.option("--base", help="Fix only what the change from this ref (origin/main) made stale.")
@click.option("--into", help="The branch the pull request merges into (default: the current one).")
@click.option("--branch", help="The branch to commit the fixes to (default: docsync/sync).")
@click.option("--label", "labels", multiple=True, help="A label for a new pull request.")
@click.option("--placeholders", is_flag=True, help=_PLACEHOLDERS_HELP)
@click.option("--fail-on", type=_SEVERITIES, help="Lowest severity left that makes exit code 1.")
@handle_errors
def pr(
    paths: tuple[str, ...],
    config_file: str | None,
    base: str | None,
    into: str | None,
    placeholders: bool,
    fail_on: str | None,
    verbose: bool,
    **options: Any,
) -> None:
    """Fix on a branch, push it, and open or update one pull request (needs GITHUB_TOKEN)."""
    from docsync.commands.pr import run_pr
    from docsync.deliver.fix_report import render_fix_text

    config = build_config(paths, config_file, _flags(fail_on=fail_on, **options))
    outcome = run_pr(config, base=base, into=into, placeholders=placeholders)
    _say_diagnostics(outcome.fix.diagnostics, verbose)
    _say(render_fix_text(outcome.fix), nl=False)
    _say(outcome.describe(), nl=False, err=outcome.denied is not None)
    if outcome.failed(config):
        sys.exit(1)


@main.command()
@_common_check_options
@click.option("--pr", "number", type=click.IntRange(min=1), required=True, help="The PR number.")
@click.option("--base", help="Judge the change from this ref (default: the PR's merge base).")
@click.option("--branch", help="Prefix of the follow-up branch (default: docsync/sync).")
@click.option("--placeholders", is_flag=True, help=_PLACEHOLDERS_HELP)
@click.option("--fail-on", type=_SEVERITIES, help="Lowest severity that makes exit code 1.")
@handle_errors
def review(
    paths: tuple[str, ...],
    config_file: str | None,
    number: int,
    base: str | None,
    placeholders: bool,
    fail_on: str | None,
    verbose: bool,
    **options: Any,
) -> None:
    """Suggest fixes on a pull request's diff, with one summary comment (needs GITHUB_TOKEN)."""
    from docsync.commands.review import run_review
    from docsync.deliver.fix_report import render_fix_text

    config = build_config(paths, config_file, _flags(fail_on=fail_on, **options))
    outcome = run_review(config, number, base=base, placeholders=placeholders)
    _say_diagnostics(outcome.fix.diagnostics, verbose)
    _say(render_fix_text(outcome.fix), nl=False)
    _say(outcome.describe(), nl=False, err=outcome.denied is not None)
    if outcome.failed(config):
        sys.exit(1)


@main.command()
@handle_errors
def action() -> None:
    """Run as the GitHub Action: read the event, check, then review or open the sync PR.

    Everything comes from the environment GitHub Actions sets (GITHUB_EVENT_NAME,
    GITHUB_EVENT_PATH, GITHUB_OUTPUT, ...) and the action's INPUT_* variables; see
    docs/github-action.md.
    """
    from docsync.action.main import ActionInputs, run_action

    inputs = ActionInputs.from_env(os.environ)
    flags = _flags(fail_on=inputs.fail_on, model=inputs.model, max_cost=inputs.max_cost)
    config = build_config(inputs.paths, inputs.config_file, flags)
    outcome = run_action(config, inputs, os.environ, echo=click.echo)
    sys.exit(outcome.exit_code)


@main.command()
def rules() -> None:
    """List every rule with its code, slug, default severity and summary."""
    from docsync.rules.registry import RULES  # the command runs: load the rules

    for rule in RULES:
        click.echo(f"{rule.code}  {rule.slug:<28} {rule.severity.value:<8} {rule.summary}")
