"""The cleaning pipeline: decode -> normalize -> convert -> rules -> reflow (-> write).

``Pipeline`` is a plain, picklable object: build it once (rules are compiled then) and call
``clean()`` on bytes or text. Every positional edit of the rules and reflow stages becomes a
``Change``; ``Result`` carries them with the text, so preview, ``--diff``, the report and
the summary all read the same records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from . import __version__
from .convert import (
    DEFAULT_CONFIG,
    needs_conversion,
    opencc_version,
    to_simplified,
    traditional_count,
)
from .decode import Decoded, decode
from .document import Change, ChangeLog, whole_lines
from .literals import analyze
from .prefilter import LineIndex, LineScanner, LiteralFinder
from .reflow import FIXES
from .rulefiles import load_rules
from .rules import DEFAULT_TIMEOUT, Rule, RuleBook, RuleSet

STAGES = ("decode", "normalize", "convert", "rules", "reflow", "write")
MAX_ROUNDS = 3  # rules + reflow repeat until nothing changes (idempotence), at most this often
OVERCLEAN_RATIO = 0.5
LONG_LINE = 100
TIMEOUT_CHARS = 1_000_000  # rule time limits scale with the text beyond this length

_NEWLINES = regex.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = regex.compile(r"[\ufeff\u200b\u200c\u200d\u2060\u180e\u00ad]")
# Visible characters = all but regex's \s. str.split() drops the same characters and four
# more (the separators \x1c-\x1f, not White_Space), which are counted back: a third cheaper
# than counting \s matches (test_fast_paths checks the sets).
NOT_REGEX_SPACE = "\x1c\x1d\x1e\x1f"


def visible_chars(text: str) -> int:
    return len("".join(text.split())) + sum(map(text.count, NOT_REGEX_SPACE))
_OTHER_NEWLINE_CHARS = "\u2028\u2029\x85\x0b\x0c"  # _NEWLINES' others, after CR and CRLF
_INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060\u180e\u00ad"


@dataclass(frozen=True, slots=True)
class Warning:
    code: str  # empty | replaced-bytes | low-confidence | over-cleaning | long-line-dropped
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class Result:
    """What cleaning one document gave."""

    name: str
    text: str  # the clean text
    source: str  # the text as it entered the rules stage (decoded, normalized, converted)
    encoding: str
    confidence: float
    converted: bool
    sites: list[str]
    log: ChangeLog | None = field(default=None, repr=False)  # what the text stages did
    warnings: list[Warning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what decode/normalize/convert did
    bytes_in: int = 0

    @property
    def changes(self) -> list[Change]:
        """Every change, with the input line it was made on (worked out on first use)."""
        return self.log.changes() if self.log is not None else []

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")

    def removed(self) -> dict:
        """Lines and characters removed, by category and by rule id."""
        lines_cat: Counter = Counter()
        chars_cat: Counter = Counter()
        lines_rule: Counter = Counter()
        hits: Counter = Counter()
        # The log's per-step totals: the summary of every file needs no record read.
        for rule, category, edits, lines, chars in self.log.totals if self.log else ():
            hits[rule] += edits
            if category == "layout":
                continue
            lines_cat[category] += lines
            lines_rule[rule] += lines
            chars_cat[category] += chars
        return {
            "lines_by_category": dict(sorted(lines_cat.items())),
            "chars_by_category": dict(sorted(chars_cat.items())),
            "lines_by_rule": dict(sorted(lines_rule.items())),
            "hits_by_rule": dict(sorted(hits.items())),
        }


@dataclass(frozen=True, slots=True)
class Detection:
    """What ``Pipeline.detect`` finds out about a document without writing anything."""

    encoding: str
    confidence: float
    han: int  # Han characters in the decoded text
    traditional: int  # of which OpenCC would convert (Traditional forms)
    sites: list[str]
    replaced: int = 0  # undecodable byte sequences

    @property
    def script(self) -> str:
        """``traditional``, ``simplified``, ``mixed`` or ``none`` (no Han characters)."""
        if not self.han:
            return "none"
        share = self.traditional / self.han
        if share >= TRADITIONAL_SHARE:
            return "traditional"
        return "simplified" if share < MIXED_SHARE else "mixed"

    def to_dict(self) -> dict:
        return {
            "encoding": self.encoding, "confidence": self.confidence, "script": self.script,
            "han": self.han, "traditional": self.traditional, "sites": self.sites,
            "replaced": self.replaced,
        }  # fmt: skip


# Share of Han characters in Traditional form: real Traditional text has ~20-30%; a few
# stray forms (quoted names, 乾隆) in Simplified text stay under 2%.
TRADITIONAL_SHARE = 0.10
MIXED_SHARE = 0.02
_HAN = regex.compile(r"\p{Han}")

def removed_lines(change: Change) -> int:
    """Non-blank lines a change removed whole (a fragment inside a line counts as none)."""
    return whole_lines(change.action, change.old)


class Pipeline:
    """Cleans documents with one loaded rule book. Picklable; build once, reuse."""

    def __init__(
        self,
        book: RuleBook,
        site: str | None = None,
        convert: str = DEFAULT_CONFIG,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if site is not None and book.site(site) is None:
            from .errors import UsageError

            known = ", ".join(s.name for s in book.sites) or "none"
            raise UsageError(f"unknown site {site!r} (known: {known})")
        self.book = book
        self.site = site
        self.convert = convert
        self.timeout = timeout
        self._line_scanner()  # built here, so forked workers inherit it ready-made
        self._fingerprint_literals()

    @classmethod
    def from_rules(cls, rule_dirs=(), site: str | None = None, builtin: bool = True, **kw):
        return cls(load_rules(rule_dirs, builtin=builtin), site=site, **kw)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the same input could clean differently."""
        return (
            f"speechclean {__version__}; rules {self.book.digest}; opencc {opencc_version()}; "
            f"site {self.site or '-'}; convert {self.convert}"
        )

    def provenance(self) -> dict:
        return {
            "speechclean": __version__,
            "opencc": opencc_version(),
            "rules": self.book.digest,
            "site": self.site,
            "convert": self.convert,
        }

    def time_limit(self, text: str) -> float:
        """Seconds one pattern may run on ``text``: ``timeout`` per million characters (at
        least ``timeout``). A catastrophic pattern still fails its file quickly, and a
        20 MB file, where a sound pattern may need over a second, never trips the limit."""
        return self.timeout * max(1.0, len(text) / TIMEOUT_CHARS)

    # ------------------------------------------------------------------ stages
    def _detect(self, text: str, known: list[RuleSet] = ()) -> list[RuleSet]:
        """The sites whose fingerprints ``text`` shows (those in ``known`` are not asked)."""
        if self.site is not None:
            return [] if known else [self.book.site(self.site)]
        limit = self.time_limit(text)
        present = self._fingerprint_literals().present(text)
        return [s for s in self.book.sites if s not in known and s.matches(text, limit, present)]

    def _fingerprint_literals(self) -> LiteralFinder:
        """The literals of every site fingerprint, found in a document in one pass."""
        finder = self.__dict__.get("_fingerprints")
        if finder is None:
            finder = self._fingerprints = LiteralFinder(
                lit for s in self.book.sites for p in s.compiled_match
                for lit in analyze(p.pattern).required or ()
            )  # fmt: skip
        return finder

    def _line_scanner(self) -> LineScanner:
        """Which rules' literals each line holds: built once per rule book."""
        scanner = self.__dict__.get("_scanner")
        if scanner is None:
            scanner = self._scanner = LineScanner(self.book.rules())
        return scanner

    def clean(self, data: bytes | str, name: str = "<input>") -> Result:
        if isinstance(data, str):
            decoded = Decoded(data, "unicode", 1.0)
            bytes_in = len(data.encode("utf-8", errors="replace"))
        else:
            decoded = decode(data)
            bytes_in = len(data)
        notes: list[str] = []
        warnings: list[Warning] = []
        if decoded.replaced:
            warnings.append(Warning(
                "replaced-bytes",
                f"{decoded.replaced} undecodable byte sequence(s) replaced with U+FFFD",
            ))
        if decoded.confidence < 0.5:
            warnings.append(Warning(
                "low-confidence", f"encoding {decoded.encoding} guessed with low confidence"
            ))

        text = self._normalize(decoded.text, notes)
        if not text.strip():
            warnings.append(Warning("empty", "the input has no text"))

        early = self._detect(text)
        detected_in = text
        config = next((s.convert for s in early if s.convert), self.convert)
        converted = False
        if needs_conversion(text, config):
            n = traditional_count(text, config)
            text = to_simplified(text, config)
            converted = True
            notes.append(f"convert: {n} Traditional characters converted with OpenCC {config}")

        source = text
        log = ChangeLog(source)
        sites = list(early)
        lines = LineIndex(self._line_scanner())  # which rules can act on which lines
        repair, generic = self._rule_order()
        for round_ in range(MAX_ROUNDS):
            before = text
            text = self._run_rules(repair, text, lines, log)
            if round_ == 0 and self.site is None and repair and text is not detected_in:
                # Fingerprints are looked for again after the repairs: pinyin glued into a
                # breadcrumb hides it until the artifact rules have run.
                sites += self._detect(text, known=sites)
            # Site rules know their template (truncate at the trial-end marker...), so they
            # run before the generic boilerplate rules.
            site_rules = tuple(r for rs in sites for r in rs.rules)
            text = self._run_rules(site_rules + generic, text, lines, log)
            for fix in FIXES:
                edits = fix.find(text)
                if edits:
                    text = log.apply(text, edits, "reflow", fix.id, fix.category, fix.action)
            if text == before:
                break

        warnings += self._guard(source, text, log)
        return Result(
            name=name,
            text=text,
            source=source,
            encoding=decoded.encoding,
            confidence=decoded.confidence,
            converted=converted,
            sites=[s.name for s in sites],
            log=log,
            warnings=warnings,
            notes=notes,
            bytes_in=bytes_in,
        )

    def _rule_order(self) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
        """The common rules that repair the text (before the site rules) and the generic
        ones (after them), in application order: worked out once per pipeline."""
        order = self.__dict__.get("_order")
        if order is None:
            common = self.book.common
            order = self._order = (
                tuple(r for rs in common if rs.phase == "repair" for r in rs.rules),
                tuple(r for rs in common if rs.phase != "repair" for r in rs.rules),
            )
        return order

    def _run_rules(self, rules: tuple[Rule, ...], text: str, lines: LineIndex,
                   log: ChangeLog) -> str:
        """Each rule in turn, on the text the rules before it left."""
        gated = lines.scanner.gated
        present = None  # the lines holding each rule's literals, found when first needed
        for rule in rules:
            if gated.get(rule.id) is rule:
                if present is None:
                    present = lines.present(text)
                if rule.id not in present:
                    continue  # no line holds its literals: the common case, cut short
            edits = rule.find_edits(text, self.time_limit(text), lines)
            if edits:
                text = log.apply(text, edits, "rules", rule.id, rule.category, rule.action)
                present = None
        return text

    def detect(self, data: bytes | str, name: str = "<input>") -> Detection:
        """Encoding, script and matched sites of a document, as ``clean`` sees them.

        Raises ``NotTextError`` for binary input, like ``clean``.
        """
        decoded = decode(data) if isinstance(data, bytes) else Decoded(data, "unicode", 1.0)
        text = self._normalize(decoded.text, [])
        sites = self.clean(data, name).sites
        config = next((s.convert for s in map(self.book.site, sites) if s and s.convert),
                      self.convert)
        return Detection(decoded.encoding, decoded.confidence, len(_HAN.findall(text)),
                         traditional_count(text, config), sites, decoded.replaced)

    @staticmethod
    def _normalize(text: str, notes: list[str]) -> str:
        # One ``in`` per character is far cheaper than a regex pass over text that has none.
        newlines = 0
        if "\r" in text:  # CRLF (or CR) files: str.replace does what _NEWLINES would, in C
            newlines = text.count("\r")  # a CRLF counts once, like a lone CR
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if any(c in text for c in _OTHER_NEWLINE_CHARS):
            newlines += len(_NEWLINES.findall(text))
            text = _NEWLINES.sub("\n", text)
        if newlines:
            notes.append(f"normalize: {newlines} CR/CRLF/other line breaks made LF")
        invisible = (
            len(_INVISIBLE.findall(text)) if any(c in text for c in _INVISIBLE_CHARS) else 0
        )
        if invisible:
            text = _INVISIBLE.sub("", text)
            notes.append(f"normalize: {invisible} BOM/zero-width characters removed")
        return text

    @staticmethod
    def _guard(source: str, text: str, log: ChangeLog) -> list[Warning]:
        """Flag likely over-cleaning: half the text gone, or a long line dropped between the
        first and the last line that were kept (inside the body, not in the page chrome)."""
        warnings = []
        before = visible_chars(source)
        after = visible_chars(text)
        if before and after < before * OVERCLEAN_RATIO:
            warnings.append(Warning(
                "over-cleaning", f"{before - after} of {before} visible characters removed"
            ))
        long_drops = [
            r for r in log.records if r[3] == "drop-line" and len(r[6].strip()) > LONG_LINE
        ]
        if not long_drops:
            return warnings  # the usual case: no line numbers needed
        linemap = log.linemap
        first, last = (linemap.line_of(0), linemap.line_of(max(0, len(text) - 2))) if text else (0, 0)
        for r in long_drops:
            line = log.line_of(r)
            if first < line < last:
                warnings.append(Warning(
                    "long-line-dropped",
                    f"rule {r[1]} dropped a {len(r[6].strip())}-character line mid-body "
                    f"(line {line})",
                ))
        return warnings
