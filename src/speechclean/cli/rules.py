"""``speechclean rules``: list, check, test and suggest rule files."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from ..errors import DocumentError, RuleErrors
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    glob_option,
    load_pipeline,
    rules_option,
)

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Output as text or as JSON.",
)  # fmt: skip


@click.group()
def rules() -> None:
    """List, check, test and suggest strip rules."""


def _load_book(rule_dirs):
    from ..rulefiles import load_rules

    try:
        return load_rules(rule_dirs)
    except RuleErrors as exc:
        for err in exc.errors:
            click.echo(str(err), err=True)
        n = len(exc.errors)
        click.echo(f"{n} problem{'s' if n > 1 else ''}", err=True)
        sys.exit(EXIT_USAGE)


# --------------------------------------------------------------------------- list
@rules.command("list")
@rules_option
@click.option("--site", metavar="NAME", help="Only this site's rule set ('common': the common sets).")
@format_option
def list_rules(rule_dirs, site, fmt) -> None:
    """Rule sets and their rules: id, site, category, action, description."""
    book = _load_book(rule_dirs)
    sets = list(book.sets)
    if site == "common":
        sets = list(book.common)
    elif site is not None:
        sets = [s for s in book.sites if s.name == site]
        if not sets:
            fail(f"unknown site {site!r} (known: {', '.join(s.name for s in book.sites)})")
    if fmt == "json":
        click.echo(json.dumps([_set_dict(rs) for rs in sets], ensure_ascii=False, indent=2))
        return
    for rs in sets:
        where = "common" if rs.kind == "common" else f"site {rs.name}"
        click.echo(f"{rs.name} ({where}, {len(rs.rules)} rules) {rs.source}")
        if rs.match:
            click.echo(f"  match: {' | '.join(rs.match)}")
        for r in rs.rules:
            click.echo(f"  {r.id:<40} {r.category:<11} {r.action:<15} {r.description}")


def _set_dict(rs) -> dict:
    return {
        "name": rs.name, "kind": rs.kind, "source": rs.source, "description": rs.description,
        "match": list(rs.match),
        "rules": [
            {"id": r.id, "site": rs.name if rs.kind == "site" else None, "category": r.category,
             "action": r.action, "pattern": r.pattern, "description": r.description,
             "zone": {r.zone.where: r.zone.lines} if r.zone else None,
             "examples": len(r.examples), "source": f"{r.source}:{r.line}"}
            for r in rs.rules
        ],
    }  # fmt: skip


# --------------------------------------------------------------------------- check
def rule_problems(rules_) -> list[str]:
    """``file:line: id: message`` for every example that misbehaves or is missing."""
    problems = []
    for rule in rules_:
        for msg in rule.example_failures():
            problems.append(f"{rule.source}:{rule.line}: {rule.id}: {msg}")
        if not rule.examples:
            problems.append(f"{rule.source}:{rule.line}: {rule.id}: rule has no examples")
    return problems


@rules.command("check")
@rules_option
def check_rules(rule_dirs) -> None:
    """Validate every rule file: schema, unique ids, patterns compile, examples behave.

    Checks the built-in rules and every --rules DIR; prints file:line: message for each
    problem and exits 2 if there is any.
    """
    book = _load_book(rule_dirs)
    problems = rule_problems(book.rules())
    n_rules = sum(len(rs.rules) for rs in book.sets)
    for p in problems:
        click.echo(p, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {n_rules} rules", err=True)
        sys.exit(EXIT_USAGE)
    n_examples = sum(len(r.examples) for r in book.rules())
    click.echo(f"ok: {len(book.sets)} rule sets, {n_rules} rules, {n_examples} examples")
    sys.exit(EXIT_OK)


# --------------------------------------------------------------------------- test
@rules.command("test")
@click.argument("rulefile", type=click.Path(dir_okay=False))
@click.argument("samples", nargs=-1, required=True, metavar="SAMPLE...")
@rules_option
@click.option("--alone", is_flag=True,
              help="Apply only RULEFILE (default: the common rules run first, as in clean).")
@glob_option("read")
@format_option
def test_rules(rulefile, samples, rule_dirs, alone, pattern, fmt) -> None:
    """Show what one rule file does to SAMPLE files (or folders).

    The file is validated like `rules check`. By default the common rules (built-in and
    --rules) run first and a site file's rules are then forced on every sample, so its
    rules see what they will see in `clean`; whether the site's fingerprint matches is
    shown per sample. Lists, per sample, each line a rule of RULEFILE removed or changed,
    then the hits per rule, including rules that never fired.
    """
    from ..pipeline import Pipeline

    rs, problems = _parse_rulefile(Path(rulefile))
    for p in problems:
        click.echo(p, err=True)
    pipeline = Pipeline(_book_for(rs, rule_dirs, alone), site=rs.name if rs.kind == "site" else None)
    ids = {r.id for r in rs.rules}
    hits = dict.fromkeys((r.id for r in rs.rules), 0)
    reports, failed = [], 0
    for path, _name in _inputs(samples, pattern):
        try:
            result = pipeline.clean(_read(path), name=str(path))
        except DocumentError as exc:
            click.echo(f"speechclean: {exc.status}: {path}: {exc}", err=True)
            failed += 1
            continue
        mine = sorted((c for c in result.changes if c.stage == "rules" and c.rule in ids),
                      key=lambda c: (c.line, c.step))
        for c in mine:
            hits[c.rule] += 1
        matched = rs.matches(result.source) if rs.kind == "site" else None
        others = sum(1 for c in result.changes if c.stage == "rules" and c.rule not in ids)
        reports.append({
            "path": str(path), "encoding": result.encoding, "fingerprint": matched,
            "changes": [_change_dict(c) for c in mine], "other_rule_changes": others,
        })  # fmt: skip
    if fmt == "json":
        out = {"rulefile": rulefile, "kind": rs.kind, "alone": alone, "samples": reports,
               "hits": hits, "problems": problems}  # fmt: skip
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_test(rs, reports, hits, alone)
    sys.exit(EXIT_USAGE if problems else EXIT_FAILED if failed else EXIT_OK)


def _parse_rulefile(path: Path):
    """The rule set of one file (site or common, from its ``site:`` key) and its example
    problems; exits 2 on schema errors."""
    import regex

    from ..rulefiles import parse_file

    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    kind = "site" if regex.search(r"(?m)^site\s*:", head) else "common"
    try:
        rs = parse_file(path, kind)
    except RuleErrors as exc:
        for err in exc.errors:
            click.echo(str(err), err=True)
        fail(f"{path}: invalid rule file; nothing was tested")
    return rs, rule_problems(rs.rules)


def _book_for(rs, rule_dirs, alone: bool):
    """A rule book with the tested file in it: alone, or with the common rules (a common
    file takes the place of the set of the same name; other rules with its ids are taken
    out)."""
    from ..rules import RuleBook

    if alone:
        return RuleBook((rs,) if rs.kind == "common" else (), (rs,) if rs.kind == "site" else ())
    base = _load_book(rule_dirs)
    ids = {r.id for r in rs.rules}
    common = []
    placed = rs.kind != "common"
    for s in base.common:
        if not placed and (s.name == rs.name or Path(s.source).resolve() == Path(rs.source).resolve()):
            common.append(rs)  # the tested version of this set, in its place
            placed = True
            continue
        common.append(replace(s, rules=tuple(r for r in s.rules if r.id not in ids)))
    if not placed:
        common.append(rs)
    return RuleBook(tuple(common), (rs,) if rs.kind == "site" else (), base.digest)


def _change_dict(c) -> dict:
    return {"rule": c.rule, "category": c.category, "action": c.action, "line": c.line,
            "old": c.old, "new": c.new}  # fmt: skip


def _show(change: dict) -> str:
    old = change["old"]
    lines = [x for x in old.split("\n") if x.strip()]
    if change["action"] in ("truncate-after", "truncate-before"):
        first = lines[0].strip() if lines else ""
        return f"{first[:60]}" + (f"  (+{len(lines) - 1} more lines)" if len(lines) > 1 else "")
    if change["action"] == "replace" or change["new"]:
        return f"{old.strip()[:60]!r} -> {change['new'].strip()[:60]!r}"
    return old.strip()[:80]


def _print_test(rs, reports: list[dict], hits: dict, alone: bool) -> None:
    width = max((len(i) for i in hits), default=10)
    for rep in reports:
        fp = "" if rep["fingerprint"] is None else (
            "; fingerprint matched" if rep["fingerprint"] else "; fingerprint NOT matched")
        click.echo(f"{rep['path']} ({rep['encoding']}{fp})")
        for c in rep["changes"]:
            click.echo(f"  line {c['line']:<4} {c['rule']:<{width}} {c['category']:<10} "
                       f"{c['action']:<15} {_show(c)}")
        others = "" if alone else f"; {rep['other_rule_changes']} by the other rules"
        click.echo(f"  {len(rep['changes'])} changes by {Path(rs.source).name}{others}")
    click.echo(f"hits per rule ({len(reports)} sample{'s' if len(reports) != 1 else ''}):")
    for rule_id, n in hits.items():
        click.echo(f"  {rule_id:<{width}} {n:>5}" + ("  never fired" if n == 0 else ""))


def _inputs(sources, pattern: str):
    from ..io import iter_inputs

    for src in map(Path, sources):
        if not src.exists():
            fail(f"{src}: no such file or directory")
        yield from iter_inputs(src, pattern)


def _read(path: Path) -> bytes:
    from ..io import read_input

    try:
        return read_input(path)
    except OSError as exc:
        raise DocumentError(exc.strerror or str(exc)) from None


# --------------------------------------------------------------------------- suggest
@rules.command("suggest")
@click.argument("sources", nargs=-1, required=True, metavar="SRC...")
@click.option("--min-files", type=click.IntRange(min=1), default=None,
              help="A line must repeat in this many files (default: max(3, 20% of the files)).")
@click.option("--site", metavar="NAME", help="Site name for the draft (default: from its domain).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the draft to FILE instead of stdout.")
@rules_option
@glob_option("read")
def suggest_rules(sources, min_files, site, output, rule_dirs, pattern) -> None:
    """Mine boilerplate from SRC files of one site and print a draft site rule file.

    Proposes lines that repeat across many files (numbers and punctuation ignored) and
    short lines with boilerplate cues at the head or tail of files, each as a drop-line
    rule with a generalized pattern, examples and counts, plus fingerprints. Lines the
    existing rules already remove are left out; content-looking lines never get a rule.
    The draft passes `rules check` as it is: edit it, check it, preview it.
    """
    from ..draft import validate_draft
    from ..io import atomic_write
    from ..suggest import suggest

    if site is not None and not site.replace("-", "").replace("_", "").isalnum():
        fail(f"site name {site!r}: use letters, digits, '-' and '_'")
    pipeline = load_pipeline(rule_dirs)
    documents = []
    for path, _name in _inputs(sources, pattern):
        try:
            documents.append((str(path), _read(path)))
        except DocumentError as exc:
            click.echo(f"speechclean: skipped: {path}: {exc}", err=True)
    if not documents:
        fail(f"no files matching {pattern!r} in {', '.join(sources)}")
    result = suggest(documents, pipeline, min_files=min_files, site=site)
    draft = result.to_yaml()
    for problem in validate_draft(draft):  # never expected: the draft is checked as built
        click.echo(f"speechclean: warning: the draft fails rules check: {problem}", err=True)
    if output:
        atomic_write(Path(output), draft.encode("utf-8"))
    else:
        click.echo(draft, nl=False)
    rejected = sum(1 for c in result.candidates if c.rejected)
    click.echo(
        f"mined {len(result.names)} files: {len(result.proposed)} rules proposed, "
        f"{rejected} candidates not proposed, {len(result.fingerprints)} fingerprints"
        + (f"; draft written to {output}" if output else ""),
        err=True,
    )
