"""``speechclean detect``: encoding, confidence, script and matched sites per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import DocumentError
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    fail,
    load_pipeline,
    source_options,
)


@click.command()
@source_options("look at")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A table, or JSON Lines (one object per file).")
def detect(sources, rule_dirs, site, pattern, fmt) -> None:
    """Print each file's encoding, confidence, script and matched sites.

    \b
    script: traditional, simplified, mixed or none (no Chinese characters), from the
    share of Han characters that OpenCC would convert. sites: the site rule sets whose
    fingerprint `clean` finds. Nothing is written. Exit 3 if a file cannot be read.
    """
    from ..io import iter_inputs, read_input

    pipeline = load_pipeline(rule_dirs, site)
    rows: list[dict] = []
    failed = 0
    for src in map(Path, sources):
        if not src.exists():
            fail(f"{src}: no such file or directory")
        for path, _rel in iter_inputs(src, pattern):
            try:
                detection = pipeline.detect(read_input(path), name=str(path))
            except (DocumentError, OSError) as exc:
                status = getattr(exc, "status", "error")
                message = getattr(exc, "strerror", None) or str(exc)
                click.echo(f"speechclean: {status}: {path}: {message}", err=True)
                rows.append({"path": str(path), "error": message})
                failed += 1
                continue
            rows.append({"path": str(path), **detection.to_dict()})
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        _print_table([r for r in rows if "error" not in r])
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _print_table(rows: list[dict]) -> None:
    if not rows:
        return
    width = max(len(r["path"]) for r in rows)
    click.echo(f"{'path':<{width}}  {'encoding':<10} {'conf':>5}  {'script':<22} sites")
    for r in rows:
        script = r["script"] + (f" ({r['traditional']}/{r['han']})" if r["traditional"] else "")
        click.echo(f"{r['path']:<{width}}  {r['encoding']:<10} {r['confidence']:>5.2f}  "
                   f"{script:<22} {', '.join(r['sites']) or '-'}")
