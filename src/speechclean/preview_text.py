"""The terminal view of a preview: per file, each removed or changed span on its source
lines with rule id and category; then the hits per rule over all files.

Removed text is shown in red and inserted text in green when colour is on; without colour
(stdout not a terminal) they read ``[-removed-]`` and ``{+inserted+}``, as in
``git diff --word-diff=plain``. Long kept stretches of a line are shortened with ``…``;
removed text is always shown whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import click

from .preview import LAYOUT, FilePreview, Selection, SourceView, display_lines

KEEP_AROUND = 24  # kept characters shown on each side of a highlight
CONTEXT_WIDTH = 100  # context lines are cut after this many characters


@dataclass
class Entry:
    """Changes of one rule on adjacent source lines, shown together."""

    rule: str
    category: str
    action: str
    first: int
    last: int
    changes: list[int]


class Styler:
    def __init__(self, color: bool):
        self.color = color

    def span(self, text: str, style: str) -> str:
        if style == "del":
            return click.style(text, fg="bright_white", bg="red") if self.color else f"[-{text}-]"
        if style == "ins":
            return click.style(text, fg="black", bg="green") if self.color else f"{{+{text}+}}"
        if style == "other":  # removed by another rule than the one shown
            return click.style(text, dim=True) if self.color else text
        return text

    def __call__(self, text: str, **kw) -> str:
        return click.style(text, **kw) if self.color else text


def entries(fp: FilePreview, view: SourceView, selection: Selection) -> list[Entry]:
    items = []
    for i, c in enumerate(fp.changes):
        if not selection.wants(c):
            continue
        first, last = view.lines_of(i) or (c.line, c.line)
        items.append((first, i, last, c))
    items.sort()
    out: list[Entry] = []
    for first, i, last, c in items:
        prev = out[-1] if out else None
        if prev and prev.rule == c.rule and first <= prev.last + 1:
            prev.last = max(prev.last, last)
            prev.changes.append(i)
        else:
            out.append(Entry(c.rule, c.category, c.action, first, last, [i]))
    return out


def _shorten(line: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Cut long kept stretches around the highlights of a line."""
    if not any(style in ("del", "ins") for _, style in line):
        text = "".join(t for t, _ in line)
        return [(text[:CONTEXT_WIDTH] + "…" if len(text) > CONTEXT_WIDTH else text, "plain")]
    out = []
    last = len(line) - 1
    for j, (text, style) in enumerate(line):
        if style == "plain":
            if j == 0 and len(text) > KEEP_AROUND:
                text = "…" + text[-KEEP_AROUND:]
            elif j == last and len(text) > KEEP_AROUND:
                text = text[:KEEP_AROUND] + "…"
            elif len(text) > 2 * KEEP_AROUND + 1:
                text = text[:KEEP_AROUND] + "…" + text[-KEEP_AROUND:]
        out.append((text, style))
    return out


def render_entry(fp: FilePreview, view: SourceView, entry: Entry, context: int,
                 st: Styler) -> Iterator[str]:
    c0 = fp.changes[entry.changes[0]]
    where = f"line {entry.first}" if entry.first == entry.last else \
        f"lines {entry.first}-{entry.last}"
    count = f" ×{len(entry.changes)}" if len(entry.changes) > 1 else ""
    yield (f"  {st(where, fg='cyan')}  {st(entry.rule, bold=True)}  "
           f"{st(entry.category, fg='yellow')}  {entry.action}{count}")
    marked = set(entry.changes)
    if not any(i in view.spans for i in entry.changes):
        # the change only touched text an earlier change had inserted: show its record
        old, new = c0.old.replace("\n", "⏎"), c0.new.replace("\n", "↵")
        yield f"      {st.span(old, 'del') if old else ''}{st.span(new, 'ins') if new else ''}"
        return
    first = max(1, entry.first - context)
    last = min(view.n_lines, entry.last + context)
    width = len(str(last))
    lines = display_lines(view.tokens(first, last, marked))
    for k, line in enumerate(lines):
        number = st(f"{first + k:>{width}}", dim=True)
        body = "".join(st.span(t, style) for t, style in _shorten(line))
        yield f"    {number} │ {body}".rstrip()


def render_file(fp: FilePreview, selection: Selection, context: int, st: Styler) -> Iterator[str]:
    if fp.result is None:
        yield f"{st(fp.path, bold=True)}  {st(fp.status, fg='red')}: {fp.error}"
        return
    r = fp.result
    view = SourceView(fp.segments)
    shown = sum(1 for c in fp.changes if selection.wants(c))
    hidden = len(fp.changes) - shown
    facts = [r.encoding]
    if r.converted:
        facts.append("converted to Simplified")
    facts.append("site " + ", ".join(r.sites) if r.sites else "no site matched")
    counted = f"{shown} change{'s' if shown != 1 else ''}"
    if hidden:
        what = "layout" if not selection.rules else "other"
        counted += f", {hidden} {what} hidden"
    facts.append(counted)
    yield f"{st(fp.path, bold=True)}  ({'; '.join(facts)})"
    for note in r.notes:  # what decode/normalize/convert did (not span edits)
        yield f"  {st('note', dim=True)}: {note}"
    for w in r.warnings:
        yield f"  {st('warning', fg='red')}: {w.code}: {w.message}"
    for entry in entries(fp, view, selection):
        yield from render_entry(fp, view, entry, context, st)
    yield ""


def render_table(rows: list[dict], st: Styler) -> Iterator[str]:
    width = max([len(r["rule"]) for r in rows] + [4])
    head = f"{'rule':<{width}}  {'category':<10}  {'files':>5}  {'hits':>5}  {'lines':>5}  {'chars':>6}"
    yield st(head, bold=True)
    for r in rows:
        line = (f"{r['rule']:<{width}}  {r['category']:<10}  {r['files']:>5}  {r['hits']:>5}  "
                f"{r['lines']:>5}  {r['chars']:>6}")
        yield st(line + "  never fired", fg="yellow") if r["hits"] == 0 else line


def render_text(previews: list[FilePreview], rows: list[dict], selection: Selection,
                context: int = 0, color: bool = False) -> Iterator[str]:
    """The whole terminal preview, line by line."""
    st = Styler(color)
    for fp in previews:
        if selection.rules and fp.result is not None and \
                not any(selection.wants(c) for c in fp.changes):
            continue  # following one rule: files it never hit are left out
        yield from render_file(fp, selection, context, st)
    yield from render_table(rows, st)
    files = len(previews)
    failed = sum(1 for fp in previews if fp.result is None)
    changes = sum(1 for fp in previews for c in fp.changes if selection.wants(c))
    lines = sum(r["lines"] for r in rows if r["category"] != LAYOUT)
    dead = sum(1 for r in rows if r["hits"] == 0)
    yield (f"{files} file{'s' if files != 1 else ''} ({failed} failed): {changes} changes shown, "
           f"{lines} lines removed; {len(rows)} rule{'s' if len(rows) != 1 else ''}, {dead} never fired")
