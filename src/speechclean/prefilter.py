"""Running each rule only where it can act.

Cleaning a document runs every rule over it, twice (the fixed point). Most rules find
nothing, and a regex pass per rule per document is what made the rules stage slow. Two
facts let most of that work be skipped without changing a single edit:

- a rule whose required literals (``literals.analyze``) occur nowhere in the text cannot
  match: one ``in`` per literal replaces the pass;
- a drop-line rule judges each line on its own (the pattern must match the line whole,
  bounded to it) and only lines no longer than its ``max_length``: so it only needs to run
  on the short lines that contain one of its literals. A ``LineIndex`` splits the text into
  lines once per version of the text, and one shared scan per distinct short line
  (memoised for the document, so the second round costs almost nothing) tells which rules'
  literals each line holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

from .document import Edit
from .literals import analyze

if TYPE_CHECKING:
    from .rules import Rule, Zone

BLANK = " \t\u3000\xa0"  # what a drop-line rule trims before judging a line's length
_NOTHING: frozenset[str] = frozenset()
_FEW = 3  # up to this many literals are looked for with ``in``, more with one trie pattern
_SIZE_BUCKETS = (40, 100, 200, 300)  # line sizes that get a trie of their own (see LineScanner)
# What is learnt about a short line is kept across documents: a site's chrome (menus,
# share bars, footers) repeats from page to page, a speech's sentences do not. Bounded:
# the tables start afresh when they hold this many lines.
SHARED_LINE = 100
SHARED_LINES = 50_000


def may_match(pattern: str, text: str) -> bool:
    """False only when ``pattern`` certainly has no match in ``text``."""
    return _gate(pattern)(text)


def _always(text: str) -> bool:
    return True


@lru_cache(maxsize=4096)
def _gate(pattern: str):
    """``may_match`` for one pattern, worked out once: text -> can it match?"""
    required = analyze(pattern).required
    if required is None:
        return _always
    if len(required) == 1:
        return lambda text, lit=required[0]: lit in text
    if len(required) <= _FEW or all(len(lit) == 1 for lit in required):
        # a few ``in`` (memchr-fast for one character) beat one pattern pass
        return lambda text, lits=required: any(lit in text for lit in lits)
    search = _literal_search(required)
    return lambda text: search(text) is not None


@lru_cache(maxsize=1024)
def _literal_search(literals: tuple[str, ...]):
    """One pass for many literals (``in`` costs a pass each)."""
    return _trie_pattern(literals).search


class LiteralFinder:
    """Which of many literals occur in a text, in one trie pass instead of an ``in`` each
    (site fingerprints: a dozen literals looked for in every document)."""

    def __init__(self, literals: Iterable[str]) -> None:
        words = set(literals)
        trie = _trie_pattern(words)
        self._search = trie.search if trie else None
        # The trie reports the longest literal at a position; the shorter ones starting
        # there (its prefixes) are present too.
        self._with = {w: frozenset(w[:n] for n in range(1, len(w) + 1) if w[:n] in words)
                      for w in words}

    def present(self, text: str) -> set[str]:
        found: set[str] = set()
        search = self._search
        m = search(text) if search else None
        while m is not None:
            found |= self._with[m.group()]
            m = search(text, m.start() + 1)
        return found


def fast_drop_line(rule: Rule) -> bool:
    """Can this rule be run on the candidate lines of a ``LineIndex``?"""
    return rule.action == "drop-line" and rule.compiled is not None


def _trie_pattern(words: Iterable[str]) -> re.Pattern | None:
    """One ``re`` pattern matching the longest of ``words`` that starts at a position."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    source = build(trie)
    return re.compile(source) if source else None


class LineScanner:
    """Built once per rule book: which drop-line rules' literals a short line contains.

    A line longer than every rule's ``max_length`` is not scanned. Shorter lines are
    scanned for the literals of the rules whose ``max_length`` admits them (one
    trie-shaped pattern per size bucket, so a 150-character line is not searched for the
    literals of rules that stop at 30 characters). (Rules of the other actions are few;
    ``may_match`` gates them on the whole text: scanning every line for their literals,
    long lines included, cost more than it saved.)
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        rules = list(rules)
        line_rules = [r for r in rules if fast_drop_line(r)]
        self._covered = {r.id: r for r in line_rules}
        # Rules with literals: they cannot act on a text no line of which holds one.
        self.gated = {r.id: r for r in line_rules if analyze(r.pattern).required is not None}
        # A verdict on a line is remembered for the document (the fixed point's second round
        # judges the same lines again), unless a lookbehind could see past the line's start.
        self._remembers = frozenset(r.id for r in line_rules if "(?<" not in r.pattern)
        self.max_length = max((r.max_length for r in line_rules), default=-1)
        owners: dict[str, set[str]] = {}
        for r in line_rules:
            for lit in analyze(r.pattern).required or ():
                if "\n" not in lit:  # a line never holds one
                    owners.setdefault(lit, set()).add(r.id)
        self._rules_of = _overlap_closure(owners)
        # Lines of up to ``limit`` characters are searched for the literals of the rules
        # that admit lines longer than the previous limit.
        self._tries: list[tuple[int, re.Pattern | None]] = []
        lower = -1
        for limit in [b for b in _SIZE_BUCKETS if b < self.max_length] + [self.max_length]:
            words = {
                lit for r in line_rules if r.max_length > lower
                for lit in analyze(r.pattern).required or () if lit in owners
            }  # fmt: skip
            self._tries.append((limit, _trie_pattern(words)))
            lower = limit
        # The trie for each line size, looked up by index (scan runs once per new line).
        self._trie_of_size = [next(t for limit, t in self._tries if limit >= size)
                              for size in range(self.max_length + 1)]

        self.seen: dict[str, tuple[int, frozenset[str]]] = {}  # short line -> scan(line)
        self.verdicts: dict[tuple[str, str], bool] = {}  # (rule id, short line) -> drop?

    def __getstate__(self) -> dict:
        return {**self.__dict__, "seen": {}, "verdicts": {}}  # workers learn their own

    def covers(self, rule: Rule) -> bool:
        """A drop-line rule that a ``LineIndex`` runs line by line."""
        return self._covered.get(rule.id) is rule

    def scan(self, line: str) -> tuple[int, frozenset[str]]:
        """(trimmed length, ids of the rules with a literal in ``line``)."""
        size = len(line.strip(BLANK))
        if size > self.max_length:
            return size, _NOTHING
        return size, _search_all(self._trie_of_size[size], self._rules_of, line)


def _overlap_closure(owners: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """literal -> the rules that finding it (in one ``findall`` pass) may stand for.

    ``findall`` with a trie reports, at each position it stops, the longest literal
    starting there, then goes on after it. So a literal can go unreported when it starts
    inside a reported one: it is a prefix of it, lies inside it, or starts inside it and
    runs on past its end. Each reported literal therefore stands for the rules of all
    three kinds too. The last kind may not really be there: a rule then runs for nothing,
    which costs a little time and changes no result.
    """
    by_prefix: dict[str, set[str]] = {}  # proper prefix -> rules of the literals it starts
    for other, ids in owners.items():
        for n in range(1, len(other)):
            by_prefix.setdefault(other[:n], set()).update(ids)
    closure = {}
    for lit in owners:
        inner = {lit[i:j] for i in range(len(lit)) for j in range(i + 1, len(lit) + 1)}
        rules = {k for piece in inner for k in owners.get(piece, ())}
        for i in range(1, len(lit)):
            rules.update(by_prefix.get(lit[i:], ()))
        closure[lit] = frozenset(rules)
    return closure


def _search_all(trie: re.Pattern | None, rules_of: dict, line: str) -> frozenset[str]:
    if trie is None:
        return _NOTHING
    found = trie.findall(line)  # one pass in C; _overlap_closure covers what it skips
    if not found:
        return _NOTHING
    if len(found) == 1:
        return rules_of[found[0]]
    return frozenset().union(*map(rules_of.__getitem__, found))


class LineIndex:
    """The lines of one document's current text, for the rules of one ``clean`` call.

    Rebuilt whenever the text changes (the pipeline passes the same ``str`` object while
    nothing changed), lazily and cheaply: what each distinct line contains, and what each
    drop-line rule made of it, is remembered for the document (for short lines, by the
    scanner, across documents), so a new version of the text only scans its new lines and
    the fixed point's second round runs few patterns.
    """

    def __init__(self, scanner: LineScanner) -> None:
        self.scanner = scanner
        self._memo: dict[str, tuple[int, frozenset[str]]] = {}
        self._verdicts: dict[tuple[str, str], bool] = {}  # (rule id, line) -> drop it?
        self._text: str | None = None
        self._lines: list[str] = []
        self._infos: list[tuple[int, frozenset[str]]] = []
        self._by_rule: dict[str, list[int]] | None = None  # rule id -> lines with its literal
        self._offsets_: list[int] | None = None  # where each line starts in the text
        self._filled: list[int] | None = None  # the non-blank lines
        self._spans: dict[Zone, tuple[int, int]] = {}

    def covers(self, rule: Rule) -> bool:
        """Is ``rule`` one this index can run line by line?"""
        return self.scanner.covers(rule)

    def _refresh(self, text: str) -> None:
        if text is self._text:
            return
        lines = text.split("\n")
        memo = self._memo
        infos = list(map(memo.get, lines))
        if None in infos:
            scanner = self.scanner
            seen = scanner.seen
            if len(seen) > SHARED_LINES:
                seen.clear()
            for i, info in enumerate(infos):
                if info is None:
                    line = lines[i]
                    if len(line) > SHARED_LINE:
                        info = memo[line] = scanner.scan(line)
                    else:
                        info = seen.get(line)
                        if info is None:
                            info = seen[line] = scanner.scan(line)
                        memo[line] = info
                    infos[i] = info
        self._text = text
        self._lines = lines
        self._infos = infos
        self._by_rule = None
        self._offsets_ = None
        self._filled = None
        self._spans = {}

    def span(self, zone: Zone, text: str) -> tuple[int, int]:
        """``zone.span(text)``, from the index's lines: the non-blank lines are listed once
        per version of the text, then every zone is two look-ups."""
        self._refresh(text)
        found = self._spans.get(zone)
        if found is None:
            found = self._spans[zone] = self._zone_span(zone, text)
        return found

    def _zone_span(self, zone: Zone, text: str) -> tuple[int, int]:
        filled = self._filled
        if filled is None:
            filled = self._filled = [i for i, (size, _) in enumerate(self._infos) if size]
        offsets = self._offsets()
        n = zone.lines
        if zone.where == "head":
            # The zone ends after the newline of its n-th non-blank line; a text with fewer
            # newline-ended non-blank lines (the last line has no newline) is all zone.
            if len(filled) >= n and filled[n - 1] < len(self._lines) - 1:
                i = filled[n - 1]
                return 0, offsets[i + 1]  # the next line's start: after this one's newline
            return 0, len(text)
        # tail: the zone starts at its n-th non-blank line from the end
        if len(filled) >= n:
            i = filled[-n]
            return offsets[i], len(text)
        return 0, len(text)

    def present(self, text: str) -> dict[str, list[int]]:
        """Rule id -> the lines of ``text`` that hold one of its literals. A gated rule
        (``scanner.gated``) that is not in it makes no edit in ``text``: the pipeline does
        not even call it (most rules, for most documents)."""
        if text is not self._text:
            self._refresh(text)
        by_rule = self._by_rule
        return by_rule if by_rule is not None else self._rules_present()

    def _offsets(self) -> list[int]:
        """Where each line starts in the text."""
        if self._offsets_ is None:
            self._offsets_ = list(accumulate(map((1).__add__, map(len, self._lines)), initial=0))
        return self._offsets_

    def _rules_present(self) -> dict[str, list[int]]:
        # Built once per version of the text: one pass over the lines, not one per rule.
        by_rule = self._by_rule
        if by_rule is None:
            by_rule = self._by_rule = {}
            for i, (_, rules) in enumerate(self._infos):
                for rule_id in rules:
                    if rule_id in by_rule:
                        by_rule[rule_id].append(i)
                    else:
                        by_rule[rule_id] = [i]
        return by_rule

    def _candidates(self, rule: Rule) -> list[int]:
        infos = self._infos
        limit = rule.max_length
        if self.scanner.gated.get(rule.id) is not rule:
            return [i for i, (size, _) in enumerate(infos) if size <= limit]
        return [i for i in self._rules_present().get(rule.id, ()) if infos[i][0] <= limit]

    def drop_line_edits(self, rule: Rule, text: str, timeout: float) -> list[Edit]:
        """What ``rule`` (a ``fast_drop_line`` rule) removes from ``text`` (its zone)."""
        self._refresh(text)
        candidates = self._candidates(rule)
        if not candidates:
            return []  # before the zone is measured: most rules stop here
        pos, endpos = (0, len(text)) if rule.zone is None else self.span(rule.zone, text)
        offsets = self._offsets()
        lines = self._lines
        match = rule.compiled.match
        remembers = rule.id in self.scanner._remembers
        shared = self.scanner.verdicts
        if len(shared) > SHARED_LINES:
            shared.clear()
        rule_id = rule.id
        n = len(text)
        edits = []
        for i in candidates:
            start = offsets[i]
            if start < pos or start >= endpos:
                continue
            stop = start + len(lines[i])  # the line's end, before its newline
            if not remembers:
                drop = match(text, start, stop, timeout=timeout) is not None
            else:
                key = (rule_id, lines[i])
                verdicts = shared if stop - start <= SHARED_LINE else self._verdicts
                drop = verdicts.get(key)
                if drop is None:
                    drop = verdicts[key] = match(text, start, stop, timeout=timeout) is not None
            if drop:
                edits.append(Edit(start, min(stop + 1, n)))
        return edits
