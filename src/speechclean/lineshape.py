"""What a line looks like to reflow: where a sentence ends, what starts a block, which
script a line is written in. Shared by the reflow fixes (``reflow.py``, ``wrap.py``)."""

from __future__ import annotations

import re
from itertools import islice

import regex


def class_body(chars) -> str:
    """The body of a character class holding ``chars``."""
    return "".join(re.escape(c) for c in sorted(chars))


TERMINAL = frozenset("。！？!?；;…：:.")
CLOSERS = frozenset("”’」』)）》〉】\"'")
_CLOSER_CHARS = "".join(sorted(CLOSERS))  # for str.rstrip, joined once
OPENERS = frozenset("“‘「『(（《〈【")

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


def ends_sentence(line: str) -> bool:
    # "。”" ends a sentence; "“两个文明”" does not.
    core = line.rstrip(_CLOSER_CHARS)
    return not core or core[-1] in TERMINAL


_OPEN_TAIL = regex.compile(r"[(（][^()（）]{0,8}$")


def unbalanced_open(line: str) -> bool:
    """The line stops right after an opening bracket or inside a short bracketed
    annotation (``戮(lù⏎)力``). A stray "(" further back is a typo, not a break."""
    # The annotation is at most 9 characters long: only the line's end is searched.
    return line[-1] in OPENERS or _OPEN_TAIL.search(line, max(0, len(line) - 9)) is not None


def is_heading(line: str) -> bool:
    return _BLOCK_START.match(line) is not None


HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"[A-Za-z]")
# A line can never start with these: it continues the line before (a wrap put the break
# before the punctuation, "严峻性⏎、不确定性").
CONTINUATION = frozenset("，、。；：！？）」』”’》〉】,;")


# Performance (helper E): ASCII letters counted in C (encode, then delete all but A-Za-z),
# the same count as len(_LATIN.findall(line)) at a fifth of the cost.
_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def is_latin(line: str) -> bool:
    """A line written in a Latin script (the English version of a bilingual speech)."""
    letters = len(line.encode("ascii", "ignore").translate(None, _NOT_LETTERS))
    if letters < 8:
        return False
    # letters > 2 * Han characters: Han characters are counted only until there are
    # enough to say no (a long Chinese line with a few English words stops early).
    enough = (letters + 1) // 2
    if len(line) - letters < enough:
        return True  # not even every other character could be Han
    return next(islice(HAN.finditer(line), enough - 1, None), None) is None


def same_script(a: str, b: str) -> bool:
    return is_latin(a) == is_latin(b)
