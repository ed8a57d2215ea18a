"""Paragraphs hard-wrapped at a fixed width: finding the width, rejoining the lines.

A reflow fix (``reflow.FIXES``); it runs first, while paragraph indents still show.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

import regex

from .document import Edit
from .lineshape import HAN, TERMINAL, class_body, ends_sentence, is_heading, same_script

WRAP_MIN = 20  # a hard-wrapped line has at least this many characters
WRAP_TOLERANCE = 2  # the full lines of one wrap width differ by at most this much


class _CharWidths(dict):
    """Character -> columns, each looked up in ``unicodedata`` once per process."""

    def __missing__(self, c: str) -> int:
        width = self[c] = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        return width


_WIDTHS = _CharWidths()


def display_width(line: str) -> int:
    """Columns on a terminal: wide (CJK) characters count two."""
    return sum(map(_WIDTHS.__getitem__, line))  # a dict hit per character, no Python loop


_NUMBERED = regex.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百\d]+[章节条部分篇])"
)


def _wrap_candidate(line: str) -> bool:
    # A numbered heading is never a wrapped line; "同志们，…" at full width is.
    return (
        len(line) >= WRAP_MIN
        and not ends_sentence(line)
        and not _NUMBERED.match(line)
        and HAN.search(line) is not None
    )


_INDENT = " \t\u3000\xa0"

# Lines that may be wrap candidates: at least WRAP_MIN characters, not ending with a
# terminal (a stripped line that ends with one ends a sentence).
_MAYBE_WRAPPED = rf"(?<=[^{class_body(TERMINAL)}\n]\n)(?<=[^\n]{{{WRAP_MIN}}}\n)"
_MAYBE_WRAPPED_LINES = re.compile(rf"\n{_MAYBE_WRAPPED}")
# Two of them as adjacent rows (only blank lines between): group 1 is the second one.
_MAYBE_WRAPPED_PAIR = re.compile(
    rf"\n{_MAYBE_WRAPPED}(?=(?:[{_INDENT}]*\n)*+"
    rf"([^\n]{{{WRAP_MIN},}}+)(?<=[^{class_body(TERMINAL)}\n]))"
)


def wrap_width(lines: list[str]) -> tuple[Callable[[str], int], int] | None:
    """The fixed width a document was hard-wrapped at, if it was.

    Evidence: at least three lines of (nearly) one width that stop mid-sentence, two of
    them one after the other (parallel headings of equal length are never adjacent;
    the lines of one wrapped paragraph are). Width is measured in characters and in
    display columns; the measure with the stronger evidence wins.
    """
    return _wrap_width("\n".join(lines))  # the lines of a text (no newline in them)


def _wrap_width(text: str) -> tuple[Callable[[str], int], int] | None:
    # Only the candidate lines count, and few lines may be candidates: the regexes find
    # those, so most lines are never measured (nor even split off).
    for m in _MAYBE_WRAPPED_PAIR.finditer(text):
        a = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip(_INDENT)
        b = m.group(1).strip(_INDENT)
        if (
            _wrap_candidate(a)
            and _wrap_candidate(b)
            and (
                abs(len(a) - len(b)) <= WRAP_TOLERANCE
                or abs(display_width(a) - display_width(b)) <= WRAP_TOLERANCE
            )
        ):
            break
    else:
        return None  # no two adjacent candidates of one width: the common case
    ends = [m.start() for m in _MAYBE_WRAPPED_LINES.finditer(text)]
    if len(text) - text.rfind("\n") > WRAP_MIN:  # the last line has no newline
        ends.append(len(text))
    rows = []  # the candidates
    next_adjacent = []  # is the next candidate the next row (only blank lines between)?
    prev_end = None
    for end in ends:
        start = text.rfind("\n", 0, end) + 1
        row = text[start:end].strip(_INDENT)
        if _wrap_candidate(row):
            if prev_end is not None:
                next_adjacent.append(not text[prev_end:start].strip(_INDENT + "\n"))
            rows.append(row)
            prev_end = end
    next_adjacent.append(False)
    if len(rows) < 3:
        return None
    best = None
    for measure in (len, display_width):
        widths = list(map(measure, rows))
        counts = Counter(widths)
        adjacent: set[int] = set()
        for i, w in enumerate(widths):
            if next_adjacent[i] and abs(widths[i + 1] - w) <= WRAP_TOLERANCE:
                adjacent.update((w, widths[i + 1]))
        for w in sorted(adjacent, reverse=True):
            n = sum(counts.get(v, 0) for v in range(w - WRAP_TOLERANCE, w + 1))
            if n >= 3 and (best is None or n > best[2]):
                best = (measure, w, n)
    return (best[0], best[1]) if best else None


def join_wrapped_lines(text: str) -> list[Edit]:
    """Rejoin paragraphs hard-wrapped at a fixed width (``'…做好今年的经济工⏎作意义重大'``).

    Only in a document that shows a wrap width (``wrap_width``): a line of that width that
    stops mid-sentence is joined to the next non-blank line, unless that one is a heading
    or in another script. Runs before trimming: where paragraphs open with an indent (and
    not every line is indented), a full line is joined even after a full stop, unless the
    next line is indented.
    """
    found = _wrap_width(text)
    if found is None:
        return []
    lines = text.split("\n")
    measure, width = found
    filled = [line for line in lines if line.strip(_INDENT)]
    indented = sum(1 for line in filled if line[0] in _INDENT)
    indent_marks_paragraphs = 2 <= indented < len(filled)
    edits = []
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    prev = None
    for i, raw in enumerate(lines):
        line = raw.strip(_INDENT)
        if not line:
            continue
        if prev is not None:
            a = lines[prev].strip(_INDENT)
            starts_paragraph = raw[0] in _INDENT
            full = width - WRAP_TOLERANCE <= measure(a) <= width
            stops = _wrap_candidate(a) or (
                indent_marks_paragraphs and not starts_paragraph and len(a) >= WRAP_MIN
                and not _NUMBERED.match(a)
            )
            if (
                full
                and stops
                and not (indent_marks_paragraphs and starts_paragraph)
                and not is_heading(line)
                and same_script(a, line)
            ):
                start = offsets[prev] + len(lines[prev].rstrip(_INDENT))
                edits.append(Edit(start, offsets[i] + len(raw) - len(raw.lstrip(_INDENT))))
        prev = i
    return edits
