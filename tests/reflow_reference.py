"""The reflow fixes as first written, plain loops over lines: the reference that the
fast versions in speechclean.reflow must equal (tests/test_reflow_fast.py).

A copy of src/speechclean/reflow.py at ee49a77 (the functions and their patterns, not
the FIXES registry). Do not speed this up: its worth is being obviously right.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable

import regex

from speechclean.document import Edit

_TRIM = regex.compile(r"^[^\S\n]+|[^\S\n]+$", regex.MULTILINE)
_BLANK_RUN = regex.compile(r"\n(?:[^\S\n]*\n)+")

TERMINAL = frozenset("。！？!?；;…：:.")
CLOSERS = frozenset("”’」』)）》〉】\"'")
_CLOSER_CHARS = "".join(sorted(CLOSERS))  # for str.rstrip, joined once
OPENERS = frozenset("“‘「『(（《〈【")
PROSE_PUNCT = regex.compile(r"[，,、；;]")
MIN_BROKEN_LENGTH = 40  # a line shorter than this is a title or heading, not a broken paragraph
MAX_HEADING = 80

# Lines that start a block of their own: headings, salutations, dated lines.
_BLOCK_START = regex.compile(
    r"""^(?:
        [一二三四五六七八九十百]+[、.．]
      | [(（][一二三四五六七八九十\d]{1,3}[)）]
      | \d{1,2}[、.．](?!\d)
      | 第[一二三四五六七八九十百\d]+[章节条部分篇]
      | [一二三四五六七八九十]是
      | (?:首先|其次|再次|最后)[,，]
      | 同志们 | 各位 | 尊敬的 | 女士们
      | [(（]\d{4}年
    )""",
    regex.VERBOSE,
)


def trim_lines(text: str) -> list[Edit]:
    """Leading indentation and trailing spaces: ``'　　今年…'`` -> ``'今年…'``."""
    return [Edit(m.start(), m.end()) for m in _TRIM.finditer(text)]


def _ends_sentence(line: str) -> bool:
    # "。”" ends a sentence; "“两个文明”" does not.
    core = line.rstrip(_CLOSER_CHARS)
    return not core or core[-1] in TERMINAL


_OPEN_TAIL = regex.compile(r"[(（][^()（）]{0,8}$")


def _unbalanced_open(line: str) -> bool:
    """The line stops right after an opening bracket or inside a short bracketed
    annotation (``戮(lù⏎)力``). A stray "(" further back is a typo, not a break."""
    # The annotation is at most 9 characters long: only the line's end is searched.
    return line[-1] in OPENERS or _OPEN_TAIL.search(line, max(0, len(line) - 9)) is not None


def is_heading(line: str) -> bool:
    return _BLOCK_START.match(line) is not None


_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"[A-Za-z]")
# A line can never start with these: it continues the line before (a wrap put the break
# before the punctuation, "严峻性⏎、不确定性").
CONTINUATION = frozenset("，、。；：！？）」』”’》〉】,;")


def is_latin(line: str) -> bool:
    """A line written in a Latin script (the English version of a bilingual speech)."""
    letters = len(_LATIN.findall(line))
    return letters >= 8 and letters > 2 * len(_HAN.findall(line))


def _same_script(a: str, b: str) -> bool:
    return is_latin(a) == is_latin(b)


def _is_broken(a: str, b: str) -> bool:
    """Does line ``a`` stop in the middle of a sentence that ``b`` continues?"""
    if not a or not b:
        return False
    if is_heading(b) or is_latin(a) or is_latin(b):
        return False  # English lines are never glued (a join would need a space)
    if b[0] in CONTINUATION and not is_latin(b):
        return True
    # A numbered line is a heading when heading-sized; a long one is a paragraph that
    # opens with its heading (previews flatten both into one line).
    heading = is_heading(a) and len(a) < MAX_HEADING
    if _unbalanced_open(a) or b[0] in ")）":
        return not heading or a[-1] in OPENERS
    if heading or _ends_sentence(a):
        return False
    return len(a) >= MIN_BROKEN_LENGTH and PROSE_PUNCT.search(a) is not None


def join_broken_lines(text: str) -> list[Edit]:
    """``'“两个文明”⏎协调发展'`` -> ``'“两个文明”协调发展'``, also across blank lines."""
    edits = []
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    prev = None  # index of the previous non-blank line
    joined = ""  # that line with everything already joined to it: judged as one line, so
    # one pass reaches the fixed point (idempotence)
    for i, line in enumerate(lines):
        if not line:
            continue
        if prev is not None and _is_broken(joined, line):
            edits.append(Edit(offsets[prev] + len(lines[prev]), offsets[i]))
            joined += line
        else:
            joined = line
        prev = i
    return edits


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
        and not _ends_sentence(line)
        and not _NUMBERED.match(line)
        and _HAN.search(line) is not None
    )


def wrap_width(lines: list[str]) -> tuple[Callable[[str], int], int] | None:
    """The fixed width a document was hard-wrapped at, if it was.

    Evidence: at least three lines of (nearly) one width that stop mid-sentence, two of
    them one after the other (parallel headings of equal length are never adjacent;
    the lines of one wrapped paragraph are). Width is measured in characters and in
    display columns; the measure with the stronger evidence wins.
    """
    rows = [line.strip(_INDENT) for line in lines]
    rows = [line for line in rows if line]
    candidates = [_wrap_candidate(line) for line in rows]  # judged once for both measures
    best = None
    for measure in (len, display_width):
        counts: Counter = Counter()
        adjacent: set[int] = set()
        widths = [measure(line) if c else 0 for line, c in zip(rows, candidates, strict=True)]
        for i, w in enumerate(widths):
            if not candidates[i]:
                continue
            counts[w] += 1
            if i + 1 < len(rows) and candidates[i + 1] and abs(widths[i + 1] - w) <= WRAP_TOLERANCE:
                adjacent.update((w, widths[i + 1]))
        for w in sorted(adjacent, reverse=True):
            n = sum(counts[v] for v in range(w - WRAP_TOLERANCE, w + 1))
            if n >= 3 and (best is None or n > best[2]):
                best = (measure, w, n)
    return (best[0], best[1]) if best else None


_INDENT = " \t\u3000\xa0"


def join_wrapped_lines(text: str) -> list[Edit]:
    """Rejoin paragraphs hard-wrapped at a fixed width (``'…做好今年的经济工⏎作意义重大'``).

    Only in a document that shows a wrap width (``wrap_width``): a line of that width that
    stops mid-sentence is joined to the next non-blank line, unless that one is a heading
    or in another script. Runs before trimming: where paragraphs open with an indent (and
    not every line is indented), a full line is joined even after a full stop, unless the
    next line is indented.
    """
    lines = text.split("\n")
    found = wrap_width(lines)
    if found is None:
        return []
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
                and _same_script(a, line)
            ):
                start = offsets[prev] + len(lines[prev].rstrip(_INDENT))
                edits.append(Edit(start, offsets[i] + len(raw) - len(raw.lstrip(_INDENT))))
        prev = i
    return edits


_TITLE_SALUTATION = regex.compile(
    r"""^(?P<title>[^\n，,。；;：:！？!?]{4,80}?
            (?:讲话|讲话稿|讲话材料|讲话提纲|发言|发言稿|发言材料|致辞|讲稿|报告|演讲|演讲稿))
        (?=(?:各位[^\n，,。；：:]{0,12}[、，,])?同志们(?:、朋友们)?[:：])""",
    regex.MULTILINE | regex.VERBOSE,
)


def split_title_salutation(text: str) -> list[Edit]:
    """``'…讲话材料同志们:…'`` -> ``'…讲话材料⏎同志们:…'``."""
    return [Edit(m.end(), m.end(), "\n") for m in _TITLE_SALUTATION.finditer(text)]


_QUOTES = dict.fromkeys(map(ord, "“”„‟\"「」『』"), '"') | dict.fromkeys(map(ord, "‘’'"), "'")
_TITLE_SUFFIX = regex.compile(
    r"(?:[(（]\d{1,3}[)）]|\.(?:docx?|pdf|pptx?|wps|txt)"
    r"|[(（【\[](?:精选|推荐|最新|完整版|全文|原创|通用|范文|修改版|精华版?|可编辑|word版|转载?"
    r"|\d{1,3}篇|合集|汇编)[^)）】\]]{0,8}[)）】\]])+$",
    regex.IGNORECASE,
)
# A page title may carry the site's name: 标题_文档之家, 标题 - 百度文库, 标题|某某网.
_SITE_SUFFIX = regex.compile(r"(?:[_|｜]|-|–|—)+[^_|｜\-–—]{1,20}$")
HEAD_LINES = 15  # duplicate titles are looked for among this many first non-blank lines
MAX_TITLE = 120


_SPACES = regex.compile(r"\s+")


def title_key(line: str) -> str:
    """What two copies of one title share: width, quote style, spacing and suffixes folded."""
    s = unicodedata.normalize("NFKC", line).translate(_QUOTES)
    s = _SPACES.sub("", s)
    return _TITLE_SUFFIX.sub("", s)


def drop_duplicate_titles(text: str) -> list[Edit]:
    """A page title repeated as the document's own title is kept once (the later copy)."""
    edits = []
    head: list[tuple[int, int, str]] = []  # (offset, length, key)
    pos = 0
    for line in text.split("\n"):
        if line.strip() and len(head) < HEAD_LINES:
            head.append((pos, len(line), title_key(line) if len(line) <= MAX_TITLE else ""))
        pos += len(line) + 1
    for k, (offset, length, key) in enumerate(head):
        short = _SITE_SUFFIX.sub("", key)
        later_keys = {later for _, _, later in head[k + 1 :]}
        if len(key) >= 4 and (key in later_keys or (len(short) >= 4 and short in later_keys)):
            end = offset + length + 1 if offset + length < len(text) else offset + length
            edits.append(Edit(offset, end))
    return edits


def drop_blank_lines(text: str) -> list[Edit]:
    """No blank lines, none at the start, exactly one final newline."""
    edits = []
    start = 0
    while start < len(text) and text[start] in " \t\n\u3000\xa0":
        start += 1
    if start:
        edits.append(Edit(0, start))
    edits += [Edit(m.start(), m.end(), "\n") for m in _BLANK_RUN.finditer(text, start)]
    if start < len(text) and not text.endswith("\n"):
        edits.append(Edit(len(text), len(text), "\n"))
    return [e for e in edits if text[e.start : e.end] != e.new]
