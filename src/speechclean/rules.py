"""Rules as plain objects, and how they apply to text: ``Rule``, ``RuleSet``, ``RuleBook``.

Reading and validating rule files into these objects is ``rulefiles.py``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from .document import Edit
from .errors import RuleTimeoutError
from .literals import analyze
from .prefilter import may_match

if TYPE_CHECKING:
    from .prefilter import LineIndex

CATEGORIES = (
    "header", "footer", "ad", "watermark", "navigation", "pagination",
    "metadata", "truncation", "spam", "artifact",
)  # fmt: skip
ACTIONS = ("drop-line", "drop-match", "replace", "truncate-after", "truncate-before")
DEFAULT_MAX_LENGTH = 200  # drop-line rules never remove longer lines unless they say so
DEFAULT_TIMEOUT = 2.0  # seconds a pattern may run on one document

_BLANK = " \t\u3000\xa0"


# --------------------------------------------------------------------------- rule objects
@dataclass(frozen=True, slots=True)
class Zone:
    """Where a rule may act: the first or last ``lines`` non-blank lines."""

    where: str  # "head" | "tail"
    lines: int

    def span(self, text: str) -> tuple[int, int]:
        n = self.lines
        if self.where == "head":
            pos = 0
            seen = 0
            while seen < n:
                nl = text.find("\n", pos)
                if nl == -1:
                    return 0, len(text)
                if text[pos:nl].strip(_BLANK):
                    seen += 1
                pos = nl + 1
            return 0, pos
        end = len(text)
        pos = end
        seen = 0
        while seen < n and pos > 0:
            nl = text.rfind("\n", 0, pos - 1) if pos > 0 else -1
            if text[nl + 1 : pos].strip(_BLANK + "\n"):
                seen += 1
            pos = nl + 1
            if nl == -1:
                break
        return pos, end


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    expect: str  # "drop" | "keep" | "change"
    output: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    action: str
    pattern: str
    replacement: str = ""
    description: str = ""
    zone: Zone | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    examples: tuple[Example, ...] = ()
    source: str = ""
    line: int = 0
    compiled: regex.Pattern | None = field(default=None, compare=False, repr=False)

    # -- applying -------------------------------------------------------------------
    def find_edits(
        self, text: str, timeout: float = DEFAULT_TIMEOUT, lines: LineIndex | None = None
    ) -> list[Edit]:
        """The edits this rule makes to ``text`` (sorted, non-overlapping).

        ``lines``, the pipeline's index of the document, finds the same edits faster: the
        pattern only runs where its literals occur (see ``prefilter``).
        """
        try:
            if lines is not None and lines.covers(self):
                return lines.drop_line_edits(self, text, timeout)
            if self.zone is None:
                pos, endpos = 0, len(text)
            else:  # many rules share a zone: the index measures it once per text version
                pos, endpos = (self.zone.span(text) if lines is None
                               else lines.span(self.zone, text))
            if pos >= endpos:
                return []
            if lines is not None and not may_match(
                self.pattern, text[pos:endpos] if self.zone else text
            ):
                return []  # a match and what its lookaheads see lie within the zone; so do they
            return self._edits(text, pos, endpos, timeout)
        except TimeoutError:
            raise RuleTimeoutError(self.id, timeout) from None

    def _edits(self, text: str, pos: int, endpos: int, timeout: float) -> list[Edit]:
        pattern = self.compiled
        assert pattern is not None
        action = self.action
        if action == "drop-line":
            # Every line of the zone is judged on its own: the pattern must match it whole
            # with the match bounded to the line, so nothing on the next line can sway the
            # verdict (a lookahead or a [^。] run across lines), and a dropped line takes
            # only its own newline. ``prefilter.LineIndex`` gives the same edits faster.
            edits = []
            n = len(text)
            start = pos
            while start < endpos:
                nl = text.find("\n", start, endpos)
                stop = endpos if nl == -1 else nl
                if len(text[start:stop].strip(_BLANK)) <= self.max_length and pattern.match(
                    text, start, stop, timeout=timeout
                ):
                    edits.append(Edit(start, min(stop + 1, n)))
                start = stop + 1
            return edits
        if action in ("drop-match", "replace"):
            edits = []
            for m in pattern.finditer(text, pos, endpos, timeout=timeout):
                new = m.expand(self.replacement) if action == "replace" else ""
                if new != m.group():
                    edits.append(Edit(m.start(), m.end(), new))
            return edits
        m = pattern.search(text, pos, endpos, timeout=timeout)
        if m is None:
            return []
        if action == "truncate-after":
            start = text.rfind("\n", 0, m.start()) + 1
            return [Edit(start, len(text))] if start < len(text) else []
        # truncate-before
        nl = text.find("\n", m.end() - 1 if m.end() > m.start() else m.end())
        end = len(text) if nl == -1 else nl + 1
        return [Edit(0, end)] if end > 0 else []

    def apply(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        from .document import apply_edits

        return apply_edits(text, self.find_edits(text, timeout))

    # -- examples -------------------------------------------------------------------
    def example_failures(self) -> list[str]:
        """Messages for every example that does not behave as declared."""
        failures = []
        for ex in self.examples:
            try:
                out = self.apply(ex.text)
            except RuleTimeoutError as exc:
                failures.append(str(exc))
                continue
            if ex.expect == "keep" and out != ex.text:
                failures.append(f"keep example changed: {ex.text!r} -> {out!r}")
            elif ex.expect == "drop":
                whole = self.action in ("drop-line", "truncate-after", "truncate-before")
                if out == ex.text or (whole and out.strip()):
                    failures.append(f"drop example not dropped: {ex.text!r} -> {out!r}")
            elif ex.expect == "change" and out != ex.output:
                failures.append(
                    f"change example: {ex.text!r} gave {out!r}, expected {ex.output!r}"
                )
        return failures


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One rule file: the common rules, or a site's rules and fingerprints."""

    name: str
    kind: str  # "common" | "site"
    rules: tuple[Rule, ...]
    description: str = ""
    match: tuple[str, ...] = ()
    convert: str | None = None  # OpenCC config override for this site
    phase: str = "boilerplate"  # common sets: "repair" runs before the site rules
    source: str = ""
    compiled_match: tuple[regex.Pattern, ...] = field(default=(), compare=False, repr=False)

    def matches(self, text: str, timeout: float = DEFAULT_TIMEOUT,
                present: set[str] | None = None) -> bool:
        """``present``: the fingerprint literals ``text`` holds, if already known."""
        try:
            return any(
                p.search(text, timeout=timeout)
                for p in self.compiled_match
                # a fingerprint's literals are absent: no match
                if (may_match(p.pattern, text) if present is None
                    else _any_present(p.pattern, present))
            )
        except TimeoutError:
            raise RuleTimeoutError(f"{self.name} (match)", timeout) from None


def _any_present(pattern: str, present: set[str]) -> bool:
    required = analyze(pattern).required
    return required is None or not present.isdisjoint(required)


@dataclass(frozen=True)
class RuleBook:
    """Every loaded rule set, in application order, plus a digest for provenance."""

    common: tuple[RuleSet, ...]
    sites: tuple[RuleSet, ...]
    digest: str = ""

    @property
    def sets(self) -> tuple[RuleSet, ...]:
        return self.common + self.sites

    def rules(self):
        for rs in self.sets:
            yield from rs.rules

    def site(self, name: str) -> RuleSet | None:
        return next((s for s in self.sites if s.name == name), None)
