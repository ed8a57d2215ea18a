"""``speechclean rules``: list and check rule files."""

from __future__ import annotations

import sys

import click

from ..errors import RuleErrors
from .common import EXIT_OK, EXIT_USAGE, fail, rules_option


@click.group()
def rules() -> None:
    """List and check strip rules."""


@rules.command("list")
@rules_option
def list_rules(rule_dirs) -> None:
    """Rule sets and their rules: id, site, category, action, description."""
    from ..rules import load_rules

    try:
        book = load_rules(rule_dirs)
    except RuleErrors as exc:
        for err in exc.errors:
            click.echo(str(err), err=True)
        fail("cannot load rules")
    for rs in book.sets:
        where = "common" if rs.kind == "common" else f"site {rs.name}"
        click.echo(f"{rs.name} ({where}, {len(rs.rules)} rules) {rs.source}")
        if rs.match:
            click.echo(f"  match: {' | '.join(rs.match)}")
        for r in rs.rules:
            click.echo(f"  {r.id:<40} {r.category:<11} {r.action:<15} {r.description}")


@rules.command("check")
@rules_option
def check_rules(rule_dirs) -> None:
    """Validate every rule file: schema, unique ids, patterns compile, examples behave."""
    from ..rules import load_rules

    try:
        book = load_rules(rule_dirs)
    except RuleErrors as exc:
        for err in exc.errors:
            click.echo(str(err), err=True)
        click.echo(f"{len(exc.errors)} problem(s)", err=True)
        sys.exit(EXIT_USAGE)
    problems = 0
    n_examples = 0
    for rule in book.rules():
        n_examples += len(rule.examples)
        for msg in rule.example_failures():
            click.echo(f"{rule.source}:{rule.line}: {rule.id}: {msg}", err=True)
            problems += 1
        if not rule.examples:
            click.echo(f"{rule.source}:{rule.line}: {rule.id}: rule has no examples", err=True)
            problems += 1
    n_rules = sum(len(rs.rules) for rs in book.sets)
    if problems:
        click.echo(f"{problems} problem(s) in {n_rules} rules", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"ok: {len(book.sets)} rule files, {n_rules} rules, {n_examples} examples")
    sys.exit(EXIT_OK)
