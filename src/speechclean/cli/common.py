"""Options and helpers shared by the commands."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..errors import RuleErrors, UsageError

EXIT_OK, EXIT_CHANGES, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT death (128 + 2)

rules_option = click.option(
    "--rules", "rule_dirs", multiple=True, metavar="DIR",
    type=click.Path(file_okay=False),
    help="Extra rule directory (DIR/common/*.yaml, DIR/sites/*.yaml); repeatable. "
    "A rule with the id of a built-in rule replaces it.",
)  # fmt: skip


def glob_option(verb: str):
    """``--glob``: which files of a SRC folder a command reads (one definition for all)."""
    return click.option("--glob", "pattern", default="*.txt", show_default=True,
                        metavar="PATTERN", help=f"Which files of a SRC folder to {verb}.")


site_option = click.option(
    "--site", metavar="NAME", help="Apply this site's rules to every file (skip detection)."
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"speechclean: error: {message}", err=True)
    sys.exit(code)


def load_pipeline(rule_dirs, site: str | None = None):
    """Build the pipeline, or exit 2 with every rule error as ``file:line: message``."""
    from ..pipeline import Pipeline

    try:
        pipeline = Pipeline.from_rules(rule_dirs, site=site)
    except RuleErrors as exc:
        _fail_rules([str(err) for err in exc.errors])
    except UsageError as exc:
        fail(str(exc))
    # Examples are cheap to run (~2 ms for every built-in rule): a rule whose own examples
    # fail would clean wrongly, so it stops the run before anything is written.
    problems = [
        f"{rule.source}:{rule.line}: {rule.id}: {msg}"
        for rule in pipeline.book.rules()
        for msg in rule.example_failures()
    ]
    if problems:
        _fail_rules(problems)
    return pipeline


def _fail_rules(messages: list[str]) -> NoReturn:
    for message in messages:
        click.echo(message, err=True)
    n = len(messages)
    fail(f"{n} rule error{'s' if n > 1 else ''}; nothing was done")


def source_options(verb: str):
    """``SRC...``, ``--rules``, ``--site`` and ``--glob``: how every command that reads a
    scrape picks its files and its rules (one definition for clean, preview and detect)."""
    options = [
        click.argument("sources", nargs=-1, required=True, metavar="SRC..."),
        rules_option,
        site_option,
        glob_option(verb),
    ]

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate
