"""reflow: put the text back into one paragraph per line.

Each fix is a small named function ``text -> list[Edit]``; the pipeline records what each
one changed. Order matters: rejoin fixed-width hard-wrapped paragraphs (``wrap.py``; before
trimming, while paragraph indents still show), trim, join broken lines (also across blank
lines and preview page chunks), split a title glued to the salutation, drop duplicate
title lines, then drop blank lines and end with exactly one newline. What a line looks
like (sentence ends, headings, script) is ``lineshape.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

from .document import Edit
from .lineshape import (
    CONTINUATION,
    OPENERS,
    TERMINAL,
    class_body,
    ends_sentence,
    is_heading,
    is_latin,
    unbalanced_open,
)
from .wrap import display_width, join_wrapped_lines, wrap_width

__all__ = [  # the fixes, and what the tests of their parts use
    "FIXES", "Fix", "LINE_SPACE", "display_width", "drop_blank_lines", "drop_duplicate_titles",
    "is_latin", "join_broken_lines", "join_wrapped_lines", "split_title_salutation",
    "trim_lines", "wrap_width",
]  # fmt: skip

PROSE_PUNCT = regex.compile(r"[，,、；;]")
MIN_BROKEN_LENGTH = 40  # a line shorter than this is a title or heading, not a broken paragraph
MAX_HEADING = 80


@dataclass(frozen=True, slots=True)
class Fix:
    id: str
    category: str
    action: str  # as for rules: what kind of edit it makes
    find: Callable[[str], list[Edit]]
    description: str


# Spaces that end a line's text: regex's [^\S\n] (test_fast_paths checks the set).
LINE_SPACE = frozenset("\t\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


_SPACE_CHARS = "".join(sorted(LINE_SPACE))
# A line starts or ends with a space. Performance: the scans of the whole text in this
# module start with a literal newline and use the standard re module, not regex: re then
# jumps from newline to newline and tries the rest there only, about twice as fast as
# regex on these patterns (a pattern starting with a character class is slower still).
_SPACE_EDGE = re.compile(rf"\n(?:(?<=[{class_body(LINE_SPACE)}]\n)|(?=[{class_body(LINE_SPACE)}]))")


def trim_lines(text: str) -> list[Edit]:
    """Leading indentation and trailing spaces: ``'　　今年…'`` -> ``'今年…'``."""
    # What regex ^[^\S\n]+|[^\S\n]+$ (MULTILINE) finds: only \n ends a line for it, so it
    # finds something only where a line starts or ends with a space. Most texts have none
    # (rules and the first round trimmed them): one scan of the newlines says so.
    if not text or (
        text[0] not in LINE_SPACE and text[-1] not in LINE_SPACE and not _SPACE_EDGE.search(text)
    ):
        return []
    edits = []
    pos = 0
    for line in text.split("\n"):
        if line and (line[0] in LINE_SPACE or line[-1] in LINE_SPACE):
            core = line.lstrip(_SPACE_CHARS)
            if len(core) < len(line):
                edits.append(Edit(pos, pos + len(line) - len(core)))
            if core and core[-1] in LINE_SPACE:  # a line of spaces is one match, not two
                end = pos + len(line)
                edits.append(Edit(end - len(core) + len(core.rstrip(_SPACE_CHARS)), end))
        pos += len(line) + 1
    return edits


def _is_broken(a: str, b: str) -> bool:
    """Does line ``a`` stop in the middle of a sentence that ``b`` continues?"""
    if not a or not b:
        return False
    if b[0] not in CONTINUATION and b[0] not in ")）" and ends_sentence(a) and not (
        unbalanced_open(a)
    ):
        return False  # the common case, decided without the regex checks below
    if is_heading(b) or is_latin(a) or is_latin(b):
        return False  # English lines are never glued (a join would need a space)
    if b[0] in CONTINUATION and not is_latin(b):
        return True
    # A numbered line is a heading when heading-sized; a long one is a paragraph that
    # opens with its heading (previews flatten both into one line).
    heading = is_heading(a) and len(a) < MAX_HEADING
    if unbalanced_open(a) or b[0] in ")）":
        return not heading or a[-1] in OPENERS
    if heading or ends_sentence(a):
        return False
    return len(a) >= MIN_BROKEN_LENGTH and PROSE_PUNCT.search(a) is not None


# Where _is_broken(a, b) can say yes for a line a on its own (nothing joined to it yet):
# at a run of newlines between non-blank lines a and b where
#   - b starts with a continuation or ")", or
#   - a ends with an opener, or has "(" or "（" in its last 9 characters with no bracket
#     after it (unbalanced_open; one fixed-width lookbehind per distance), or
#   - a does not end with a terminal and is MIN_BROKEN_LENGTH long (a shorter one that
#     does not end a sentence fails _is_broken's last test).
# Anywhere else _is_broken(a, b) is False; most breaks are found there without Python.
# (Closers are not stripped here: a long line ending with one is a candidate too.)
_OPEN_AT = "|".join(rf"(?<=[(（][^()（）\n]{{{k}}}\n)" for k in range(9))
_MAYBE_BROKEN = re.compile(
    rf"\n(?:(?:(?<=[^{class_body(TERMINAL)}\n]\n)"
    rf"(?:(?<=[^\n]{{{MIN_BROKEN_LENGTH}}}\n)|(?<=[{class_body(OPENERS)}]\n))|{_OPEN_AT})\n*(?=[^\n])"
    rf"|(?<=[^\n]\n)\n*(?=[{class_body(CONTINUATION)})）]))"
)
_NEWLINES = re.compile(r"\n*")


def join_broken_lines(text: str) -> list[Edit]:
    """``'“两个文明”⏎协调发展'`` -> ``'“两个文明”协调发展'``, also across blank lines."""
    edits = []
    judged = -1  # the breaks up to here are decided
    for m in _MAYBE_BROKEN.finditer(text):
        a_end, b_start = m.span()
        if a_end <= judged:
            continue
        a_start = text.rfind("\n", 0, a_end) + 1
        joined = text[a_start:a_end]
        # a with everything joined to it is judged as one line (so one pass reaches the
        # fixed point): after a join, the next break is judged here, whatever the pattern
        # says about the line alone.
        while True:
            judged = a_end
            b_end = text.find("\n", b_start)
            b_end = len(text) if b_end == -1 else b_end
            b = text[b_start:b_end]
            if not _is_broken(joined, b):
                break
            edits.append(Edit(a_end, b_start))
            joined += b
            a_end, b_start = b_end, _NEWLINES.match(text, b_end).end()
            if b_start == len(text):
                break
    return edits


_TITLE_SALUTATION = regex.compile(
    r"""^(?P<title>[^\n，,。；;：:！？!?]{4,80}?
            (?:讲话|讲话稿|讲话材料|讲话提纲|发言|发言稿|发言材料|致辞|讲稿|报告|演讲|演讲稿))
        (?=(?:各位[^\n，,。；：:]{0,12}[、，,])?同志们(?:、朋友们)?[:：])""",
    regex.MULTILINE | regex.VERBOSE,
)


# The salutation _TITLE_SALUTATION looks ahead for, as a literal regex scans for it.
_SALUTATION = regex.compile(r"同志们(?:、朋友们)?[:：]")


def split_title_salutation(text: str) -> list[Edit]:
    """``'…讲话材料同志们:…'`` -> ``'…讲话材料⏎同志们:…'``."""
    # A match lies within one line holding the salutation it looks ahead for, so only
    # those lines are tried (the same edits as a search of the whole text, ~20x cheaper).
    edits = []
    end = -1
    for found in _SALUTATION.finditer(text):
        if found.start() < end:
            continue  # on a line tried already
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end == -1 else end
        m = _TITLE_SALUTATION.match(text, start, end)
        if m:
            edits.append(Edit(m.end(), m.end(), "\n"))
    return edits


_QUOTES = dict.fromkeys(map(ord, "“”„‟\"「」『』"), '"') | dict.fromkeys(map(ord, "‘’'"), "'")
_TITLE_SUFFIX = regex.compile(
    r"(?:[(（]\d{1,3}[)）]|\.(?:docx?|pdf|pptx?|wps|txt)"
    r"|[(（【\[](?:精选|推荐|最新|完整版|全文|原创|通用|范文|修改版|精华版?|可编辑|word版|转载?"
    r"|\d{1,3}篇|合集|汇编)[^)）】\]]{0,8}[)）】\]])+$",
    regex.IGNORECASE,
)
# A page title may carry the site's name: 标题_文档之家, 标题 - 百度文库, 标题|某某网.
_SITE_SUFFIX = regex.compile(r"(?:[_|｜]|-|–|—)+[^_|｜\-–—]{1,20}$")
_SITE_SEPARATORS = frozenset("_|｜-–—")  # one is among the last 21 characters of a match
HEAD_LINES = 15  # duplicate titles are looked for among this many first non-blank lines
MAX_TITLE = 120


_SPACES = regex.compile(r"\s+")


@lru_cache(maxsize=4096)  # the fixed-point rounds judge the same head lines again
def title_key(line: str) -> str:
    """What two copies of one title share: width, quote style, spacing and suffixes folded."""
    s = unicodedata.normalize("NFKC", line).translate(_QUOTES)
    s = _SPACES.sub("", s)
    return _TITLE_SUFFIX.sub("", s)


def drop_duplicate_titles(text: str) -> list[Edit]:
    """A page title repeated as the document's own title is kept once (the later copy)."""
    head: list[tuple[int, int, str]] = []  # (offset, end, key) of the title-sized lines
    lines = 0  # non-blank lines seen
    pos = 0
    while pos <= len(text) and lines < HEAD_LINES:  # line by line, only as far as the head
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end]
        if line and not line.isspace():
            lines += 1
            if len(line) <= MAX_TITLE:  # a longer line is no title: its key would be ""
                head.append((pos, end, title_key(line)))
        pos = end + 1
    last = {key: k for k, (_, _, key) in enumerate(head)}  # where each key is seen last
    edits = []
    for k, (offset, end, key) in enumerate(head):
        if len(key) < 4:
            continue
        if last[key] <= k:  # no later copy: maybe one of the title without the site's name
            if _SITE_SEPARATORS.isdisjoint(key[-21:]):
                continue  # no site's name to drop
            short = _SITE_SUFFIX.sub("", key)
            if len(short) < 4 or last.get(short, -1) <= k:
                continue
        edits.append(Edit(offset, end + 1 if end < len(text) else end))
    return edits


_BLANK_RUN = re.compile(rf"\n(?:[{class_body(LINE_SPACE)}]*\n)+")  # regex's \n(?:[^\S\n]*\n)+


def drop_blank_lines(text: str) -> list[Edit]:
    """No blank lines, none at the start, exactly one final newline."""
    edits = []
    start = 0
    while start < len(text) and text[start] in " \t\n\u3000\xa0":
        start += 1
    if start:
        edits.append(Edit(0, start))
    edits += [Edit(*m.span(), "\n") for m in _BLANK_RUN.finditer(text, start)]
    if start < len(text) and not text.endswith("\n"):
        edits.append(Edit(len(text), len(text), "\n"))
    return edits  # none replaces text by itself: runs have two newlines or more


FIXES: tuple[Fix, ...] = (
    Fix("reflow/join-wrapped-lines", "artifact", "replace", join_wrapped_lines,
        "rejoin paragraphs hard-wrapped at a fixed width"),
    Fix("reflow/trim", "layout", "drop-match", trim_lines, "strip indentation and trailing spaces"),
    Fix("reflow/join-broken-lines", "artifact", "replace", join_broken_lines,
        "join a line broken in the middle of a sentence"),
    Fix("reflow/split-title-salutation", "artifact", "replace", split_title_salutation,
        "put a title glued to 同志们: on its own line"),
    Fix("reflow/duplicate-title", "header", "drop-line", drop_duplicate_titles,
        "keep one copy of a repeated title line"),
    Fix("reflow/blank-lines", "layout", "replace", drop_blank_lines,
        "one paragraph per line, no blank lines, one final newline"),
)  # fmt: skip
