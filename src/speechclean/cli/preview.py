"""``speechclean preview``: what cleaning would remove, in the terminal, as JSON or HTML."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import UsageError
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    fail,
    load_pipeline,
    source_options,
)


@click.command()
@source_options("preview")
@click.option("--rule", "rule_ids", multiple=True, metavar="ID",
              help="Show only this rule's changes (repeatable; * and ? allowed, "
              "e.g. 'common/*'). With --html, the page opens filtered on it.")
@click.option("--context", "-C", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Source lines shown around each change.")
@click.option("--all", "-a", "show_layout", is_flag=True,
              help="Also list layout changes (indentation, blank lines, final newline).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None,
              help="Listing on stdout [default: text; none when --html is given].")
@click.option("--html", "html_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write a self-contained HTML review page of every file.")
@click.option("--color/--no-color", default=None,
              help="Colour the removed text [default: when stdout is a terminal].")
def preview(sources, rule_dirs, site, pattern, rule_ids, context, show_layout, fmt, html_file,
            color):
    """Show what cleaning SRC files or folders would remove; write nothing.

    Each removed or changed span is shown on its source lines with its rule id and
    category, then a table of hits per rule over all files (rules that never fired
    included).

    \b
    Examples:
      speechclean preview seeds
      speechclean preview scrape/ --rule 'common/contact-line' --context 1
      speechclean preview scrape/ --format json > preview.json
      speechclean preview scrape/ --html review.html
    """
    from ..preview import Selection, preview_one, preview_paths, rule_table, unknown_patterns

    pipeline = load_pipeline(rule_dirs, site)
    unknown = unknown_patterns(pipeline, rule_ids)
    if unknown:
        fail(f"--rule {unknown[0]!r} names no loaded rule (see 'speechclean rules list')")
    selection = Selection(tuple(rule_ids), show_layout)

    if "-" in sources:
        if len(sources) > 1:
            fail("'-' (stdin) cannot be combined with other sources")
        previews = [preview_one(pipeline, sys.stdin.buffer.read(), "<stdin>")]
    else:
        from ..io import plan

        try:
            jobs = plan([Path(s) for s in sources], None, pattern)
        except UsageError as exc:
            fail(str(exc))
        if not jobs:
            fail(f"no files matching {pattern!r} in {', '.join(sources)}")
        previews = preview_paths(pipeline, [(job.path, str(job.path)) for job in jobs])

    for fp in previews:
        if fp.result is None:
            click.echo(f"speechclean: {fp.status}: {fp.path}: {fp.error}", err=True)

    if html_file:
        from ..preview_html import render_html

        page = render_html(pipeline, previews, initial_rule=rule_ids[0] if rule_ids else None)
        try:
            Path(html_file).write_text(page, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {html_file}: {exc.strerror or exc}")
        n = len(previews)
        click.echo(f"wrote {html_file}: {n} file{'s' if n != 1 else ''}; open it in a browser",
                   err=True)

    if fmt == "json":
        from ..preview import to_json_data

        data = to_json_data(pipeline, previews, selection)
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif fmt == "text" or not html_file:
        from ..preview_text import render_text

        use_color = sys.stdout.isatty() if color is None else color
        rows = rule_table(pipeline, previews, selection)
        for line in render_text(previews, rows, selection, context, use_color):
            click.echo(line, color=use_color)

    sys.exit(EXIT_FAILED if any(fp.result is None for fp in previews) else EXIT_OK)
