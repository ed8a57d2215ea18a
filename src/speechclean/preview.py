"""Preview: what cleaning would remove, shown on the source text, per file and per rule.

Everything here reads the ``Change`` records of ``Pipeline.clean()``; nothing matches
patterns again. ``annotate()`` replays the recorded steps over the source text and tags
every piece of it as kept or removed (by which change), plus the text changes inserted, so

    kept + removed  == Result.source      (insertions ignored)
    kept + inserted == Result.text        (removals ignored)

The terminal view, the JSON data and the HTML page (``preview_html``) are all built from
these segments and from ``rule_table()``, the hits per rule over all files.

Layout changes (category ``layout``: trimming indentation, blank lines, the final newline)
are hidden from the terminal and JSON listings unless asked for (``include_layout``); the
rule table always counts them.
"""

from __future__ import annotations

import bisect
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .document import Change
from .errors import DocumentError
from .pipeline import Pipeline, Result, removed_lines
from .reflow import FIXES

JSON_VERSION = 1  # bump when a key of the JSON schema changes meaning or disappears
LAYOUT = "layout"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the annotated source: ``kept`` source text, source text ``removed`` by
    ``result.changes[change]``, or text ``inserted`` by it."""

    kind: str  # "kept" | "removed" | "inserted"
    text: str
    change: int | None = None


def annotate(source: str, changes: list[Change]) -> list[Segment]:
    """Replay ``changes`` (step by step, as the pipeline made them) over ``source``."""
    pieces: list[Segment] = [Segment("kept", source)] if source else []
    by_step: dict[int, list[int]] = {}
    for i, c in enumerate(changes):
        by_step.setdefault(c.step, []).append(i)
    for step in sorted(by_step):
        group = sorted(by_step[step], key=lambda i: changes[i].start)
        pieces = _replay_step(pieces, [(i, changes[i]) for i in group])
    return _coalesce(pieces)


def _width(piece: Segment) -> int:
    """Length of the piece in the current text (removed pieces are tombstones)."""
    return 0 if piece.kind == "removed" else len(piece.text)


def _replay_step(pieces: list[Segment], group: list[tuple[int, Change]]) -> list[Segment]:
    out: list[Segment] = []
    k, n = 0, len(pieces)
    pos = 0  # offset in the current text where pieces[k] starts
    for cid, c in group:
        start, end, new = _narrowed(c)
        # copy what lies before the change (and tombstones right at its start)
        while k < n:
            p = pieces[k]
            w = _width(p)
            if w == 0 or pos + w <= start:
                out.append(p)
                pos += w
                k += 1
                continue
            if pos < start:
                cut = start - pos
                out.append(Segment(p.kind, p.text[:cut], p.change))
                pieces[k] = Segment(p.kind, p.text[cut:], p.change)
                pos = start
            break
        # the changed range: source text becomes a tombstone, inserted text vanishes
        while k < n and pos < end:
            p = pieces[k]
            w = _width(p)
            if w == 0:
                out.append(p)
                k += 1
                continue
            take = min(w, end - pos)
            if p.kind == "kept":
                out.append(Segment("removed", p.text[:take], cid))
            if take < w:
                pieces[k] = Segment(p.kind, p.text[take:], p.change)
            else:
                k += 1
            pos += take
        if new:
            out.append(Segment("inserted", new, cid))
    out.extend(pieces[k:])
    return out


def _narrowed(c: Change) -> tuple[int, int, str]:
    """The change without the text its old and new share at both ends: replacing
    ``'\n\n\n'`` by ``'\n'`` removes two line breaks, ``'讲话.docx'`` by ``'讲话'`` removes
    ``'.docx'``."""
    old, new = c.old, c.new
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return c.start + head, c.end - tail, new[head : len(new) - tail]


def _coalesce(pieces: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for p in pieces:
        if not p.text:
            continue
        if out and out[-1].kind == p.kind and out[-1].change == p.change:
            out[-1] = Segment(p.kind, out[-1].text + p.text, p.change)
        else:
            out.append(p)
    return out


def source_of(segments: Iterable[Segment]) -> str:
    return "".join(s.text for s in segments if s.kind != "inserted")


def text_of(segments: Iterable[Segment]) -> str:
    return "".join(s.text for s in segments if s.kind != "removed")


# --------------------------------------------------------------------------- files
@dataclass
class FilePreview:
    """One input: its cleaning result and annotated source, or why it failed."""

    path: str
    status: str = "ok"  # ok | error | skipped
    error: str | None = None
    result: Result | None = None
    segments: list[Segment] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return self.result.changes if self.result else []


def preview_one(pipeline: Pipeline, data: bytes | str, path: str) -> FilePreview:
    try:
        result = pipeline.clean(data, name=path)
    except DocumentError as exc:
        return FilePreview(path, status=exc.status, error=str(exc))
    return FilePreview(path, result=result, segments=annotate(result.source, result.changes))


def preview_paths(pipeline: Pipeline, paths: Iterable[tuple[object, str]]) -> list[FilePreview]:
    """Preview each ``(path, shown_name)``; unreadable or failing files become errors."""
    previews = []
    for path, name in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            previews.append(FilePreview(name, status="error", error=exc.strerror or str(exc)))
            continue
        previews.append(preview_one(pipeline, data, name))
    return previews


# --------------------------------------------------------------------------- selection
@dataclass(frozen=True)
class Selection:
    """Which changes a listing shows: rule id patterns (``fnmatch``), layout or not."""

    rules: tuple[str, ...] = ()
    include_layout: bool = False

    def wants(self, change: Change) -> bool:
        if self.rules:
            return any(fnmatch.fnmatchcase(change.rule, p) for p in self.rules)
        return self.include_layout or change.category != LAYOUT

    def wants_rule(self, rule_id: str) -> bool:
        return not self.rules or any(fnmatch.fnmatchcase(rule_id, p) for p in self.rules)


def known_rules(pipeline: Pipeline) -> list[dict]:
    """Every loaded rule and reflow fix, in the order they run: the common repair sets,
    the site sets, the other common sets, then reflow."""
    book = pipeline.book
    repair = [rs for rs in book.common if getattr(rs, "phase", None) == "repair"]
    generic = [rs for rs in book.common if rs not in repair]
    rows = [
        {"rule": r.id, "set": rs.name, "category": r.category, "action": r.action}
        for rs in repair + list(book.sites) + generic
        for r in rs.rules
    ]
    rows += [{"rule": f.id, "set": "reflow", "category": f.category, "action": f.action}
             for f in FIXES]  # fmt: skip
    return rows


def unknown_patterns(pipeline: Pipeline, patterns: Iterable[str]) -> list[str]:
    """The ``--rule`` patterns that name no loaded rule (mistyped ids)."""
    ids = [r["rule"] for r in known_rules(pipeline)]
    return [p for p in patterns if not any(fnmatch.fnmatchcase(i, p) for i in ids)]


def rule_table(pipeline: Pipeline, previews: list[FilePreview],
               selection: Selection = Selection()) -> list[dict]:
    """Hits per rule over all files, every loaded rule included: the rules that fired in
    the order they run, then those that never fired (``hits == 0``). ``lines`` counts whole
    non-blank lines removed, ``chars`` characters removed."""
    rows = {r["rule"]: r | {"files": 0, "hits": 0, "lines": 0, "chars": 0}
            for r in known_rules(pipeline)}  # fmt: skip
    for fp in previews:
        hit: set[str] = set()
        for c in fp.changes:
            row = rows.setdefault(c.rule, {"rule": c.rule, "set": "?", "category": c.category,
                                           "action": c.action, "files": 0, "hits": 0,
                                           "lines": 0, "chars": 0})  # fmt: skip
            row["hits"] += 1
            row["lines"] += removed_lines(c)
            row["chars"] += max(0, len(c.old) - len(c.new))
            hit.add(c.rule)
        for rule in hit:
            rows[rule]["files"] += 1
    chosen = [row for rule, row in rows.items() if selection.wants_rule(rule)]
    return [r for r in chosen if r["hits"]] + [r for r in chosen if not r["hits"]]


# --------------------------------------------------------------------------- source view
class SourceView:
    """The annotated source of one file, addressable by source line."""

    def __init__(self, segments: list[Segment]):
        self.segments = segments
        self.starts: list[int] = []  # source offset where each segment sits
        self.spans: dict[int, tuple[int, int]] = {}  # change -> source range it touched
        pos = 0
        for s in segments:
            self.starts.append(pos)
            end = pos if s.kind == "inserted" else pos + len(s.text)
            if s.change is not None:
                a, b = self.spans.get(s.change, (pos, end))
                self.spans[s.change] = (min(a, pos), max(b, end))
            pos = end
        self.source = source_of(segments)
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(self.source) if ch == "\n"]
        if self.source.endswith("\n"):
            self.line_starts.pop()  # no empty last line after the final newline
        self.n_lines = len(self.line_starts)

    def line_of(self, offset: int) -> int:
        return max(1, min(self.n_lines, bisect.bisect_right(self.line_starts, offset)))

    def lines_of(self, change: int) -> tuple[int, int] | None:
        span = self.spans.get(change)
        if span is None:
            return None
        a, b = span
        return self.line_of(a), self.line_of(max(a, b - 1))

    def line_range(self, first: int, last: int) -> tuple[int, int]:
        """Source offsets of lines ``first..last`` (1-based, inclusive), newline included."""
        a = self.line_starts[first - 1]
        b = self.line_starts[last] if last < self.n_lines else len(self.source)
        return a, b

    def tokens(self, first: int, last: int, marked: set[int]) -> list[tuple[str, str]]:
        """``(text, style)`` for lines ``first..last``: style ``del``/``ins`` for what the
        ``marked`` changes removed/inserted, ``other`` for source text other changes
        removed, ``plain`` for kept text."""
        a, b = self.line_range(first, last)
        at_end = b == len(self.source)
        out: list[tuple[str, str]] = []
        i = max(0, bisect.bisect_right(self.starts, a) - 1)
        while i < len(self.segments) and self.starts[i] <= b:
            s, start = self.segments[i], self.starts[i]
            i += 1
            if s.kind == "inserted":
                if s.change in marked and a <= start and (start < b or at_end):
                    out.append((s.text, "ins"))
                continue
            lo, hi = max(a, start), min(b, start + len(s.text))
            if lo >= hi:
                continue
            piece = s.text[lo - start : hi - start]
            if s.kind == "kept":
                style = "plain"
            else:
                style = "del" if s.change in marked else "other"
            if out and out[-1][1] == style:
                out[-1] = (out[-1][0] + piece, style)
            else:
                out.append((piece, style))
        return out


def display_lines(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Split tokens at source newlines. A removed newline shows as ``⏎`` when part of its
    line stays (a join), or when nothing but line breaks was removed (blank lines);
    an inserted newline shows as ``↵``."""
    gone = ("del", "other")
    blank_only = not any(style == "del" and text.strip() for text, style in tokens)
    lines: list[list[tuple[str, str]]] = [[]]
    for text, style in tokens:
        if style == "ins":
            lines[-1].append((text.replace("\n", "↵"), style))
            continue
        parts = text.split("\n")
        for j, part in enumerate(parts):
            if part:
                lines[-1].append((part, style))
            if j < len(parts) - 1:
                line = lines[-1]
                if style == "del" and (blank_only or line and not all(st in gone for _, st in line)):
                    line.append(("⏎", "del"))
                lines.append([])
    if not lines[-1] and len(lines) > 1:
        lines.pop()
    return lines


# --------------------------------------------------------------------------- JSON
def change_dict(c: Change, view: SourceView | None, index: int) -> dict:
    lines = view.lines_of(index) if view else None
    return {
        "line": c.line,
        "end_line": lines[1] if lines else c.line,
        "stage": c.stage,
        "rule": c.rule,
        "category": c.category,
        "action": c.action,
        "old": c.old,
        "new": c.new,
    }


def file_dict(fp: FilePreview, selection: Selection) -> dict:
    r = fp.result
    view = SourceView(fp.segments) if r else None
    shown = [(i, c) for i, c in enumerate(fp.changes) if selection.wants(c)]
    return {
        "path": fp.path,
        "status": fp.status,
        "error": fp.error,
        "encoding": r.encoding if r else None,
        "confidence": round(r.confidence, 3) if r else None,
        "converted": r.converted if r else False,
        "sites": list(r.sites) if r else [],
        "changes": [change_dict(c, view, i) for i, c in shown],
        "hidden": len(fp.changes) - len(shown),
        "warnings": [w.to_dict() for w in r.warnings] if r else [],
        "notes": list(r.notes) if r else [],
    }


def to_json_data(pipeline: Pipeline, previews: list[FilePreview],
                 selection: Selection = Selection()) -> dict:
    """The preview as data; the schema is documented in the README (``## Preview``)."""
    return {
        "version": JSON_VERSION,
        "speechclean": __version__,
        "provenance": pipeline.provenance(),
        "selection": {"rules": list(selection.rules), "layout": selection.include_layout},
        "files": [file_dict(fp, selection) for fp in previews],
        "rules": rule_table(pipeline, previews, selection),
    }
