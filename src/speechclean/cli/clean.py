"""``speechclean clean``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import DocumentError, UsageError
from .common import (
    EXIT_CHANGES,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    fail,
    load_pipeline,
    source_options,
)  # fmt: skip

PROGRESS_MIN_FILES = 20  # shorter runs finish before a bar is worth drawing


@click.command()
@source_options("clean")
@click.option("-o", "--output", "dest", type=click.Path(file_okay=False), metavar="DST",
              help="Output folder; each SRC tree is mirrored under it.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of cores).")
@click.option("--diff", is_flag=True, help="Print a unified diff of what would change; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--report", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write a JSON Lines report, one object per input.")
@click.option("--force", is_flag=True, help="Re-clean files whose outputs are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary (errors still shown).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: run on a Ray cluster (pip install 'speechclean[ray]'); SRC and DST "
              "may be URIs such as s3://bucket/dir; --jobs bounds the Ray workers.")
@click.option("--address", metavar="ADDR",
              help="--engine ray: join this Ray cluster (auto, ray://head:10001) instead of "
              "starting a local Ray.")
def clean(sources, dest, rule_dirs, site, jobs, diff, check, report, pattern, force, quiet,
          engine, address):
    """Clean SRC files or folders into DST.

    \b
    Examples:
      speechclean clean seeds -o clean
      speechclean clean scrape/ -o out/ --report out.jsonl --jobs 4
      speechclean clean scrape/ --check          # exit 1 if anything would change
      cat page.txt | speechclean clean -         # stdin to stdout
    """
    pipeline = load_pipeline(rule_dirs, site)
    mode = "diff" if diff else "check" if check else "write"
    if "-" in sources:
        if len(sources) > 1:
            fail("'-' (stdin) cannot be combined with other sources")
        if dest is not None:
            fail("'-' writes the clean text to stdout; it takes no -o/--output")
        sys.exit(_clean_stdin(pipeline, mode, diff, check, report))
    if dest is None and mode == "write":
        fail("missing -o/--output DST (or use --diff/--check, or '-' for stdin)")
    if address and engine != "ray":
        fail("--address needs --engine ray")

    from ..io import plan
    from ..runner import run

    try:
        if engine == "ray":
            from ..engine_ray import plan_files

            jobs_list = plan_files(list(sources), dest, pattern)
        else:
            # --diff/--check write nothing: their reports show no output path
            out = Path(dest) if dest and mode == "write" else None
            jobs_list = plan([Path(s) for s in sources], out, pattern)
    except UsageError as exc:
        fail(str(exc))
    if not jobs_list:
        fail(f"no files matching {pattern!r} in {', '.join(sources)}")

    workers = jobs or os.cpu_count() or 1
    bar = None
    if not quiet and sys.stderr.isatty() and len(jobs_list) >= PROGRESS_MIN_FILES:
        bar = click.progressbar(length=len(jobs_list), label="cleaning", file=sys.stderr)
        bar.__enter__()
    stopped_by = _stop_on_sigterm()
    try:
        if engine == "ray":
            from ..engine_ray import run_ray

            summary = run_ray(
                jobs_list, pipeline, mode=mode, dest=dest if mode == "write" else None,
                force=force, address=address, num_cpus=jobs,
                progress=(lambda _r: bar.update(1)) if bar else None,
            )  # fmt: skip
        else:
            summary = run(
                jobs_list, pipeline, mode=mode, workers=min(workers, len(jobs_list)),
                dest=Path(dest) if dest and mode == "write" else None, force=force,
                progress=(lambda _r: bar.update(1)) if bar else None,
            )  # fmt: skip
    except UsageError as exc:
        fail(str(exc))  # --engine ray: Ray missing, or the cluster cannot be reached
    except KeyboardInterrupt:
        # Outputs are written whole or not at all, and the state file records those done.
        click.echo("\nspeechclean: interrupted; run the same command again to finish", err=True)
        sys.exit(128 + stopped_by[0] if stopped_by else EXIT_INTERRUPTED)
    finally:
        _stop_on_sigterm.restore()
        if bar is not None:
            bar.__exit__(None, None, None)

    if mode == "diff":
        for r in summary.reports:
            if r.diff:
                click.echo(r.diff, nl=False)
    for r in summary.failed:
        click.echo(f"speechclean: {r.status}: {r.path}: {r.error}", err=True)
    if report:
        _write_report(summary, report)
    if not quiet:
        click.echo(format_summary(summary, mode, dest), err=True)
    if summary.failed:
        sys.exit(EXIT_FAILED)
    if check and summary.changed:
        sys.exit(EXIT_CHANGES)
    sys.exit(EXIT_OK)


class _SigtermAsInterrupt:
    """While a run goes on, SIGTERM (``kill``, a CI timeout) stops it like Ctrl-C: the run
    unwinds, temp files are removed and finished outputs recorded. Exit 143 (128 + 15)."""

    def __init__(self) -> None:
        self._previous = None

    def __call__(self) -> list[int]:
        import signal
        import threading

        got: list[int] = []
        if threading.current_thread() is not threading.main_thread():
            return got

        def handler(signum, frame):
            got.append(signum)
            raise KeyboardInterrupt

        self._previous = signal.signal(signal.SIGTERM, handler)
        return got

    def restore(self) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
            self._previous = None


_stop_on_sigterm = _SigtermAsInterrupt()


def _write_report(summary, report: str) -> None:
    from ..runner import write_report

    try:
        write_report(summary, Path(report))
    except OSError as exc:
        fail(f"cannot write report {report}: {exc.strerror or exc}", EXIT_FAILED)


def _clean_stdin(pipeline, mode: str, diff: bool, check: bool, report: str | None) -> int:
    from ..runner import FileReport, RunSummary, report_for, unified_diff

    data = sys.stdin.buffer.read()

    def write(file_report: FileReport) -> None:
        if report:
            _write_report(RunSummary([file_report], pipeline.provenance()), report)

    try:
        result = pipeline.clean(data, name="<stdin>")
    except DocumentError as exc:
        click.echo(f"speechclean: {exc.status}: <stdin>: {exc}", err=True)
        write(FileReport("-", None, exc.status, bytes_in=len(data), error=str(exc)))
        return EXIT_FAILED
    file_report = report_for(result, "-", "-" if mode == "write" else None)
    file_report.changed = result.data != data
    if mode != "write" and not file_report.changed:
        file_report.status = "unchanged"
    write(file_report)
    for w in result.warnings:
        click.echo(f"speechclean: warning: <stdin>: {w.message}", err=True)
    changed = result.data != data
    if mode == "write":
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    elif diff and changed:
        click.echo(unified_diff(result, "<stdin>"), nl=False)
    return EXIT_CHANGES if check and changed else EXIT_OK


SUMMARY_WARNING_LINES = 20  # beyond this the report has them all


def _warning_lines(reports) -> list[str]:
    """One line per file and warning code (with how often), at most SUMMARY_WARNING_LINES."""
    lines = []
    for r in reports:
        by_code: dict[str, list[str]] = {}
        for w in r.warnings:
            by_code.setdefault(w["code"], []).append(w["message"])
        for code, messages in by_code.items():
            more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
            lines.append(f"    {r.path}: {code}: {messages[0]}{more}")
    if len(lines) > SUMMARY_WARNING_LINES:
        rest = len(lines) - SUMMARY_WARNING_LINES
        lines = lines[:SUMMARY_WARNING_LINES] + [f"    ... {rest} more (--report FILE lists all)"]
    return lines


def format_summary(summary, mode: str, dest: str | None) -> str:
    counts = summary.counts
    n = len(summary.reports)
    bytes_in = sum(r.bytes_in for r in summary.reports)
    bytes_out = sum(r.bytes_out for r in summary.reports)
    if mode == "write":
        head = (f"cleaned {n} file{'s' if n != 1 else ''} into {dest}: {counts['ok']} written, "
                f"{counts['unchanged']} up to date, {len(summary.failed)} failed")
    else:
        verb = "would change" if mode == "check" else "differ"
        head = (f"checked {n} file{'s' if n != 1 else ''}: {len(summary.changed)} {verb}, "
                f"{len(summary.failed)} failed")
    lines = [head, f"  bytes: {bytes_in:,} in, {bytes_out:,} out"]
    removed = {c: k for c, k in summary.lines_removed_by_category().items() if k}
    if removed:
        parts = ", ".join(f"{cat} {k}" for cat, k in sorted(removed.items(), key=lambda t: -t[1]))
        lines.append(f"  lines removed: {sum(removed.values())} ({parts})")
    warnings = summary.warnings()
    if warnings:
        lines.append("  warnings: " + ", ".join(f"{code} {k}" for code, k in sorted(warnings.items())))
        lines += _warning_lines(summary.reports)
    if summary.failed:
        lines.append("  failed: " + ", ".join(f"{r.path} ({r.status})" for r in summary.failed))
    return "\n".join(lines)
