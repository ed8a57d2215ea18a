"""What a pattern cannot match without: the literals behind the rules' pre-filters.

``analyze(pattern)`` reads a rule pattern (the ``regex`` module's syntax) and returns the
strings of which every match must contain at least one, counting what a positive lookahead
must see. A rule whose required strings are absent from a line or a document cannot act
there, so ``prefilter`` does not run its pattern there.

The reading is conservative: any construct it does not fully understand (back-references,
recursion, conditionals, fuzzy matching, verbose or dot-all mode, set operations) gives no
pre-filter at all, and the rule simply runs everywhere. Soundness is what matters: a wrong
literal would silently skip a rule; a missing one only costs time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_MAX_SET = 64  # largest set of alternative strings tracked exactly
_MAX_PRODUCT = 16  # a concatenation may multiply alternatives (a|b)(c|d) up to this many
_MAX_LEN = 40
_CLASS_EXACT = 16  # a character class of at most this many characters is an exact set
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_SHORTHANDS = "dDwWsSX"  # \d, \s ... : some character, which one is not known
_ANCHORS = "bBmMAZzG"  # zero-width
_BARE_FLAGS = re.compile(r"\(\?[A-Za-z-]*i[A-Za-z-]*\)")
_CASE_EXTRA = {"i": "\u0130", "k": "\u212a", "s": "\u017f"}  # İ, Kelvin sign, long s


class Unsupported(Exception):
    """The pattern uses something the analysis does not model: no pre-filter."""


@dataclass(frozen=True, slots=True)
class Analysis:
    required: tuple[str, ...] | None  # every match contains one of these (None: unknown)


@dataclass(frozen=True, slots=True)
class _Info:
    exact: frozenset[str] | None  # the node matches exactly one of these strings
    required: frozenset[str] | None  # every match of the node contains one of these


_ANY = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None)


@lru_cache(maxsize=4096)
def analyze(pattern: str) -> Analysis:
    """The literals every match of ``pattern`` (compiled with MULTILINE) contains."""
    try:
        info = _Parser(pattern).parse()
    except Unsupported:
        return Analysis(None)
    req = _usable(info.required) or _usable(info.exact)
    return Analysis(tuple(sorted(req)) if req else None)


def _usable(s: frozenset[str] | None) -> frozenset[str] | None:
    return s if s and "" not in s else None


def _rank(s: frozenset[str]) -> tuple[int, int]:
    # Longer literals are rarer (up to a point); fewer alternatives are cheaper to look for.
    return (min(3, min(len(x) for x in s)), -len(s))


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    usable = [c for c in candidates if _usable(c)]
    return max(usable, key=_rank) if usable else None


def _concat(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    if len(a) * len(b) > max(_MAX_PRODUCT, len(a), len(b)):
        return None
    out = frozenset(x + y for x in a for y in b)
    return out if max(map(len, out)) <= _MAX_LEN else None


def _seq(items: list[_Info]) -> _Info:
    """A concatenation: runs of exactly-known parts join into longer literals; each run,
    and each part's own requirement, is a requirement of the whole."""
    candidates: list[frozenset[str]] = []
    run: frozenset[str] | None = frozenset({""})
    whole = True  # every item so far was exact and joined into ``run``
    for it in items:
        if it.required is not None:
            candidates.append(it.required)
        if run is not None and it.exact is not None:
            joined = _concat(run, it.exact)
            if joined is not None:
                run = joined
                continue
        whole = False
        if run is not None:
            candidates.append(run)
        run = it.exact
    if run is not None:
        candidates.append(run)
    return _Info(run if whole else None, _best(candidates))


def _alt(branches: list[_Info]) -> _Info:
    """An alternation needs one of its branches' requirements (each branch must have one)."""
    exact: frozenset[str] | None = frozenset()
    required: frozenset[str] | None = frozenset()
    for b in branches:
        if exact is not None and b.exact is not None and len(exact) + len(b.exact) <= _MAX_SET:
            exact = exact | b.exact
        else:
            exact = None
        need = _usable(b.required) or _usable(b.exact)
        required = None if required is None or need is None else required | need
    if required is not None and len(required) > _MAX_SET:
        required = None
    return _Info(exact, required)


def _repeat(it: _Info, lo: int, hi: int | None) -> _Info:
    if lo == 0:
        return _Info(it.exact | {""} if hi == 1 and it.exact is not None else None, None)
    exact = None
    if hi == lo and it.exact is not None:
        exact = frozenset({""})
        for _ in range(lo):
            exact = _concat(exact, it.exact) if exact is not None else None
    return _Info(exact, _usable(it.required) or _usable(it.exact))


class _Parser:
    """Recursive descent over the subset of ``regex`` syntax that rules use."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        # In the regex module's default (V0) mode a bare inline flag may apply to the whole
        # pattern wherever it stands; scoped ones, (?i:...), are handled where they occur.
        self.ignorecase = _BARE_FLAGS.search(pattern) is not None

    def parse(self) -> _Info:
        info = self._alternation()
        if self.i != len(self.p):
            raise Unsupported("unbalanced parenthesis")
        return info

    def _peek(self) -> str:
        return self.p[self.i : self.i + 1]

    def _alternation(self) -> _Info:
        branches = [self._sequence()]
        while self._peek() == "|":
            self.i += 1
            branches.append(self._sequence())
        return branches[0] if len(branches) == 1 else _alt(branches)

    def _sequence(self) -> _Info:
        items = []
        while self.i < len(self.p) and self._peek() not in "|)":
            items.append(self._quantified(self._atom()))
        return _seq(items) if items else _EMPTY

    def _quantified(self, atom: _Info) -> _Info:
        c = self._peek()
        if c in ("*", "+", "?"):
            lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            self.i += 1
        elif c == "{":
            end = self.p.find("}", self.i)
            lo_s, comma, hi_s = (self.p[self.i + 1 : end] if end != -1 else "").partition(",")
            if end == -1 or not all(x.isdigit() or x == "" for x in (lo_s, hi_s)) or (
                not lo_s and not hi_s
            ):
                raise Unsupported("not a plain {m,n} quantifier (fuzzy matching?)")
            lo = int(lo_s or 0)
            hi = (int(hi_s) if hi_s else None) if comma else lo
            self.i = end + 1
        else:
            return atom
        if self._peek() in ("?", "+"):  # lazy or possessive: the same strings can match
            self.i += 1
        if self._peek() in ("*", "+", "?", "{"):
            raise Unsupported("stacked quantifiers")
        return _repeat(atom, lo, hi)

    def _atom(self) -> _Info:
        c = self.p[self.i]
        if c == "(":
            return self._group()
        if c == "[":
            return self._class()
        if c == "\\":
            return self._escape()
        self.i += 1
        if c in "^$":
            return _EMPTY
        if c == ".":
            return _ANY
        if c in "*+?{":
            raise Unsupported("quantifier without a target")
        return self._char(c)

    def _char(self, c: str) -> _Info:
        if self.ignorecase and not _caseless(c):
            variants = _ascii_case_variants(c)
            return _Info(variants, variants) if variants else _ANY
        s = frozenset({c})
        return _Info(s, s)

    def _group(self) -> _Info:
        p = self.p
        self.i += 1
        look = None  # "ahead" | "negative" | "behind"
        if p.startswith("?", self.i):
            rest = p[self.i + 1 :]
            if rest[:1] in (":", "|", ">"):  # plain, branch-reset and atomic groups
                self.i += 2
            elif rest.startswith("P<") or (rest.startswith("<") and rest[1:2] not in "=!"):
                close = p.find(">", self.i)
                if close == -1:
                    raise Unsupported("bad group name")
                self.i = close + 1
            elif rest[:1] in ("=", "!"):
                look = "ahead" if rest[0] == "=" else "negative"
                self.i += 2
            elif rest[:2] in ("<=", "<!"):
                look = "behind"
                self.i += 3
            elif rest.startswith("#"):
                close = p.find(")", self.i)
                if close == -1:
                    raise Unsupported("unterminated comment")
                self.i = close + 1
                return _EMPTY
            else:
                return self._flags()
        inner = self._alternation()
        if self._peek() != ")":
            raise Unsupported("missing )")
        self.i += 1
        if look is None:
            return inner
        if look == "ahead":
            # Zero-width, but what it must see is in the text (and, bounded to a line,
            # in the line).
            return _Info(frozenset({""}), _usable(inner.required) or _usable(inner.exact))
        return _EMPTY  # a lookbehind may look at the line before: no requirement

    def _flags(self) -> _Info:
        p = self.p
        j = self.i + 1
        while j < len(p) and (p[j].isalpha() or p[j] == "-"):
            j += 1
        flags = p[self.i + 1 : j]
        if not flags or any(f not in "imua-" for f in flags) or j >= len(p):
            raise Unsupported(f"inline flags {flags!r}")
        if p[j] == ")":
            self.i = j + 1
            return _EMPTY
        if p[j] != ":":
            raise Unsupported("bad inline flags")
        self.i = j + 1
        outer = self.ignorecase
        self.ignorecase = outer or "i" in flags.partition("-")[0]
        inner = self._alternation()
        self.ignorecase = outer
        if self._peek() != ")":
            raise Unsupported("missing )")
        self.i += 1
        return inner

    def _class(self) -> _Info:
        p = self.p
        j = self.i + 1
        negated = p.startswith("^", j)
        if negated:
            j += 1
        chars: set[str] = set()
        unknown = False  # holds a shorthand, property or wide range: not a small exact set
        first = True
        while True:
            if j >= len(p):
                raise Unsupported("unterminated class")
            c = p[j]
            if c == "]" and not first:
                j += 1
                break
            first = False
            if c == "[" or p.startswith(("&&", "--", "||", "~~"), j):
                raise Unsupported("nested set or set operation")
            if c == "\\":
                ch, j = self._class_escape(j)
                if ch is None:
                    unknown = True
                    continue
            else:
                ch = c
                j += 1
            if p.startswith("-", j) and j + 1 < len(p) and p[j + 1] != "]":
                hi_ch, j = self._class_escape(j + 1) if p[j + 1] == "\\" else (p[j + 1], j + 2)
                if hi_ch is None or ord(hi_ch) < ord(ch):
                    raise Unsupported("bad range")
                if ord(hi_ch) - ord(ch) > _CLASS_EXACT:
                    unknown = True
                else:
                    chars.update(chr(k) for k in range(ord(ch), ord(hi_ch) + 1))
                continue
            chars.add(ch)
        self.i = j
        if negated or unknown or not chars or len(chars) > _CLASS_EXACT:
            return _ANY
        if self.ignorecase and not all(_caseless(c) for c in chars):
            return _ANY
        s = frozenset(chars)
        return _Info(s, s)

    def _class_escape(self, j: int) -> tuple[str | None, int]:
        """An escape inside a class: (its character, next index), or (None, next index)
        for a shorthand or property."""
        p = self.p
        if j + 1 >= len(p):
            raise Unsupported("trailing backslash")
        e = p[j + 1]
        if e in _SHORTHANDS:
            return None, j + 2
        if e in "pP":
            return None, self._property_end(j + 2)
        return self._char_escape(j)

    def _property_end(self, j: int) -> int:
        p = self.p
        if p.startswith("{", j):
            close = p.find("}", j)
            if close == -1:
                raise Unsupported("bad property")
            return close + 1
        if j < len(p):
            return j + 1
        raise Unsupported("bad property")

    def _char_escape(self, j: int) -> tuple[str, int]:
        """``\\x`` at ``j`` that stands for one character."""
        p = self.p
        e = p[j + 1]
        if e in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[e], j + 2
        for letter, digits in (("x", 2), ("u", 4), ("U", 8)):
            if e == letter:
                h = p[j + 2 : j + 2 + digits]
                if len(h) != digits or any(c not in "0123456789abcdefABCDEF" for c in h):
                    raise Unsupported("bad hex escape")
                return chr(int(h, 16)), j + 2 + digits
        if e == "N" and p.startswith("{", j + 2):
            close = p.find("}", j)
            try:
                return unicodedata.lookup(p[j + 3 : close]), close + 1
            except KeyError:
                raise Unsupported("bad \\N{...}") from None
        if e.isalnum() or e == "_":
            raise Unsupported(f"escape \\{e}")  # back-references, \L<list>, \K ...
        return e, j + 2

    def _escape(self) -> _Info:
        p = self.p
        if self.i + 1 >= len(p):
            raise Unsupported("trailing backslash")
        e = p[self.i + 1]
        if e in _SHORTHANDS:
            self.i += 2
            return _ANY
        if e in "pP":
            self.i = self._property_end(self.i + 2)
            return _ANY
        if e in _ANCHORS:
            self.i += 2
            return _EMPTY
        ch, self.i = self._char_escape(self.i)
        return self._char(ch)


def _ascii_case_variants(c: str) -> frozenset[str] | None:
    """Every character IGNORECASE lets an ASCII letter match (checked against ``regex``)."""
    if not (c.isascii() and c.isalpha()):
        return None
    low = c.lower()
    return frozenset({low, low.upper()} | set(_CASE_EXTRA.get(low, "")))


def _caseless(c: str) -> bool:
    """A character that IGNORECASE matches only as itself (Han, digits, punctuation)."""
    return c.lower() == c == c.upper() and c.casefold() == c
