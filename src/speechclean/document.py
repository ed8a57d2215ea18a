"""Edits, change records and the bookkeeping that maps them back to input lines.

Every text stage works the same way: it looks at the current text and proposes a sorted
list of non-overlapping ``Edit``s (replace ``text[start:end]`` by ``new``). The pipeline
applies them and turns each into a ``Change`` record. Preview, ``--diff``, the report and
the summary all read these records; nothing else describes what happened to a file.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (offsets in the text the edit was found in)."""

    start: int
    end: int
    new: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a stage changed, as the user sees it.

    ``line`` is the 1-based line of the document as it entered the text stages (the input
    file's own line numbering). ``start``/``end`` are offsets in the text *at the moment the
    change was made* (all changes of one step share the same text), so applying the
    changes' inverses in reverse order gives back the text the stages started from.
    """

    stage: str
    rule: str
    category: str
    action: str
    line: int
    start: int
    end: int
    old: str
    new: str
    step: int = 0  # index of the step application that made it, for ordered undo

    @property
    def removed(self) -> bool:
        return self.new == ""

    def to_dict(self) -> dict:
        return asdict(self)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping edits in one pass."""
    if not edits:
        return text
    out: list[str] = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def undo_changes(text: str, changes: list[Change]) -> str:
    """Give back the text before ``changes`` were applied (inverse of the pipeline's steps)."""
    by_step: dict[int, list[Change]] = {}
    for c in changes:
        by_step.setdefault(c.step, []).append(c)
    for step in sorted(by_step, reverse=True):
        group = sorted(by_step[step], key=lambda c: c.start)
        # Within a step, offsets refer to the pre-step text; rebuild it left to right.
        out: list[str] = []
        pos = 0  # position in the post-step text
        shift = 0  # post-step offset minus pre-step offset so far
        for c in group:
            new_start = c.start + shift
            out.append(text[pos:new_start])
            out.append(c.old)
            pos = new_start + len(c.new)
            shift += len(c.new) - (c.end - c.start)
        out.append(text[pos:])
        text = "".join(out)
    return text


class LineMap:
    """Maps offsets in the text after some steps back to line numbers of the original text.

    Each applied step is remembered as the sorted edits it made; mapping an offset walks the
    steps backwards with a binary search per step, so it stays cheap for long documents.
    """

    def __init__(self, original: str) -> None:
        self._original = original
        self._line_starts: list[int] | None = None  # found at the first look-up
        self._edits: list[list[Edit]] = []  # per step, as applied
        # per step: (new_starts, new_ends, old_starts, old_ends), made from _edits when needed
        self._steps: list[tuple[list[int], list[int], list[int], list[int]]] = []

    def push(self, edits: list[Edit]) -> None:
        self._edits.append(edits)  # turned into search tables only when a line is asked for

    def _tables(self) -> list[tuple[list[int], list[int], list[int], list[int]]]:
        steps = self._steps
        for edits in self._edits[len(steps) :]:
            new_starts, new_ends, old_starts, old_ends = [], [], [], []
            shift = 0
            for e in edits:
                ns = e.start + shift
                new_starts.append(ns)
                new_ends.append(ns + len(e.new))
                old_starts.append(e.start)
                old_ends.append(e.end)
                shift += len(e.new) - (e.end - e.start)
            steps.append((new_starts, new_ends, old_starts, old_ends))
        return steps

    def original_offset(self, pos: int, step: int | None = None) -> int:
        """Where ``pos``, an offset in the text before step ``step`` (default: after every
        step), was in the original text."""
        steps = self._tables()
        if step is not None:
            steps = steps[:step]
        for new_starts, new_ends, old_starts, old_ends in reversed(steps):
            i = bisect.bisect_right(new_starts, pos) - 1
            if i < 0:
                continue
            if pos < new_ends[i]:
                pos = old_starts[i]  # inside inserted text: map to where it was inserted
            else:
                pos = old_ends[i] + (pos - new_ends[i])
        return pos

    def line_of(self, pos: int, step: int | None = None) -> int:
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = [0]
            find = self._original.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
        return bisect.bisect_right(starts, self.original_offset(pos, step))


WHOLE_LINE_ACTIONS = frozenset({"drop-line", "truncate-after", "truncate-before"})


def whole_lines(action: str, old: str) -> int:
    """Non-blank lines an edit removed whole (a fragment inside a line counts as none)."""
    if action not in WHOLE_LINE_ACTIONS:
        return 0
    if "\n" not in old.rstrip("\n"):
        return 1 if old.strip() else 0  # one line: the usual drop-line
    return sum(1 for line in old.split("\n") if line.strip())


class ChangeLog:
    """What the text stages did to one document, recorded as they do it.

    Recording is on the hot path (every edit of every document), line numbers are not: most
    runs never show them. So an edit is kept as a plain tuple, and ``changes()`` makes the
    ``Change`` records, with their input line numbers, when someone asks.
    """

    def __init__(self, source: str) -> None:
        self.linemap = LineMap(source)
        # (stage, rule, category, action, start, end, old, new, step)
        self.records: list[tuple] = []
        # per step: (rule, category, edits, whole lines removed, characters removed), for
        # the summary of every file (which reads no record)
        self.totals: list[tuple[str, str, int, int, int]] = []
        self.steps = 0
        self._changes: list[Change] | None = None

    def apply(self, text: str, edits: list[Edit], stage: str, rule: str, category: str,
              action: str) -> str:
        """Apply one step's ``edits`` to ``text``, recording each; returns the new text."""
        step = self.steps
        records = [
            (stage, rule, category, action, e.start, e.end, text[e.start : e.end], e.new, step)
            for e in edits
        ]
        self.records += records
        if any(e.new for e in edits):
            removed = sum(max(0, e.end - e.start - len(e.new)) for e in edits)
        else:
            removed = sum(e.end - e.start for e in edits)
        lines = sum(whole_lines(action, r[6]) for r in records) if action in WHOLE_LINE_ACTIONS else 0
        self.totals.append((rule, category, len(edits), lines, removed))
        self.linemap.push(edits)
        self.steps = step + 1
        self._changes = None
        return apply_edits(text, edits)

    def line_of(self, record: tuple) -> int:
        return self.linemap.line_of(record[4], record[8])

    def changes(self) -> list[Change]:
        if self._changes is None:
            line_of = self.linemap.line_of
            self._changes = [
                Change(stage, rule, category, action, line_of(start, step), start, end, old,
                       new, step)
                for stage, rule, category, action, start, end, old, new, step in self.records
            ]  # fmt: skip
        return self._changes
