"""Rule files: load and validate YAML into plain objects once, then apply them to text.

Layout of a rule directory: ``common/*.yaml`` (applied to every document) and
``sites/*.yaml`` (applied when one of the file's ``match`` fingerprints is found). Files are
read in name order; user directories come after the built-in one, and a user rule with the
id of a built-in rule replaces it in place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex
import yaml

from .document import Edit
from .errors import RuleError, RuleErrors, RuleTimeoutError
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

_RULE_KEYS = {
    "id", "category", "action", "pattern", "replacement", "description",
    "zone", "max_length", "examples",
}  # fmt: skip
_FILE_KEYS = {"site", "set", "description", "match", "convert", "phase", "rules"}
# Common sets run in two phases around the site rules: "repair" sets (artifacts such as
# glued pinyin) first, so fingerprints and site patterns see repaired text; then the site
# rules, which know their template; then the generic "boilerplate" sets.
PHASES = ("repair", "boilerplate")
_EXAMPLE_KEYS = {"drop", "keep", "change"}
_BLANK = " \t\u3000\xa0"


# --------------------------------------------------------------------------- YAML reading
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~8x faster
    """SafeLoader that keeps line numbers of mappings and their keys, and refuses
    duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = key_node.value
        if key in lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        lines[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file: {exc}", str(path)) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(f"invalid YAML: {exc.problem or exc}", str(path), line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"invalid YAML: {exc}", str(path)) from None


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
        fast = lines is not None and lines.covers(self)
        if fast and not lines.can_act(self, text):
            return []  # before the zone is measured: most rules stop here
        if self.zone is None:
            pos, endpos = 0, len(text)
        else:  # many rules share a zone: the index measures it once per text version
            pos, endpos = self.zone.span(text) if lines is None else lines.span(self.zone, text)
        if pos >= endpos:
            return []
        if lines is not None and not fast and not may_match(
            self.pattern, text[pos:endpos] if self.zone else text
        ):
            return []  # a match and what its lookaheads see lie within the zone; so do they
        try:
            if fast:
                return lines.drop_line_edits(self, text, pos, endpos, timeout)
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


# --------------------------------------------------------------------------- validation
def _compile(pattern: str, where: tuple[str, int], what: str) -> regex.Pattern:
    try:
        return regex.compile(pattern, regex.MULTILINE)
    except regex.error as exc:
        raise RuleError(f"{what} does not compile: {exc}", *where) from None


def _drop_line_regex(pattern: str) -> str:
    """Wrap a drop-line pattern so it must match one whole (trimmed) line."""
    p = pattern
    if p.startswith("^"):
        p = p[1:]
    if p.endswith("$") and not p.endswith("\\$"):
        p = p[:-1]
    return rf"^[^\S\n]*(?:{p})[^\S\n]*(?:\n|\Z)"


def _parse_zone(value: Any, where: tuple[str, int]) -> Zone:
    if isinstance(value, dict):
        keys = [k for k in value if not k.startswith("__")]
        if len(keys) == 1 and keys[0] in ("head", "tail"):
            n = value[keys[0]]
            if isinstance(n, int) and not isinstance(n, bool) and n > 0:
                return Zone(keys[0], n)
    raise RuleError("zone must be {head: N} or {tail: N} with N > 0", *where)


def _parse_examples(value: Any, where: tuple[str, int]) -> tuple[Example, ...]:
    if not isinstance(value, dict):
        raise RuleError("examples must be a mapping with drop/keep/change", *where)
    unknown = set(value) - _EXAMPLE_KEYS - {"__line__", "__lines__"}
    if unknown:
        raise RuleError(f"unknown examples key(s): {', '.join(sorted(unknown))}", *where)
    out: list[Example] = []
    for expect in ("drop", "keep"):
        items = value.get(expect, [])
        if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
            raise RuleError(f"examples.{expect} must be a list of strings", *where)
        out += [Example(s, expect) for s in items]
    for item in value.get("change", []) or []:
        if isinstance(item, dict) and isinstance(item.get("in"), str) and isinstance(
            item.get("out"), str
        ):
            out.append(Example(item["in"], "change", item["out"]))
        elif isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item):
            out.append(Example(item[0], "change", item[1]))
        else:
            raise RuleError("examples.change items must be {in: TEXT, out: TEXT}", *where)
    return tuple(out)


def parse_rule(data: Any, path: str) -> Rule:
    line = data.get("__line__", 0) if isinstance(data, dict) else 0
    where = (path, line)
    if not isinstance(data, dict):
        raise RuleError("each rule must be a mapping", *where)
    lines = data.get("__lines__", {})

    def at(key: str) -> tuple[str, int]:
        return path, lines.get(key, line)

    unknown = set(data) - _RULE_KEYS - {"__line__", "__lines__"}
    if unknown:
        key = sorted(unknown)[0]
        raise RuleError(f"unknown key {key!r} (allowed: {', '.join(sorted(_RULE_KEYS))})", *at(key))
    for key in ("id", "category", "action", "pattern"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RuleError(f"rule needs a non-empty string {key!r}", *where)
    rule_id, category, action = data["id"], data["category"], data["action"]
    if category not in CATEGORIES:
        raise RuleError(
            f"{rule_id}: unknown category {category!r} (one of {', '.join(CATEGORIES)})",
            *at("category"),
        )
    if action not in ACTIONS:
        raise RuleError(
            f"{rule_id}: unknown action {action!r} (one of {', '.join(ACTIONS)})", *at("action")
        )
    replacement = data.get("replacement", "")
    if action == "replace" and "replacement" not in data:
        raise RuleError(f"{rule_id}: a replace rule needs 'replacement'", *where)
    if not isinstance(replacement, str):
        raise RuleError(f"{rule_id}: replacement must be a string", *at("replacement"))
    if action != "replace" and "replacement" in data:
        raise RuleError(f"{rule_id}: only replace rules take 'replacement'", *at("replacement"))
    max_length = data.get("max_length", DEFAULT_MAX_LENGTH)
    if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length <= 0:
        raise RuleError(f"{rule_id}: max_length must be a positive integer", *at("max_length"))
    if "max_length" in data and action != "drop-line":
        raise RuleError(f"{rule_id}: max_length applies to drop-line rules only", *at("max_length"))
    zone = _parse_zone(data["zone"], at("zone")) if "zone" in data else None
    examples = _parse_examples(data["examples"], at("examples")) if "examples" in data else ()
    if action == "replace" and any(e.expect == "drop" for e in examples):
        pass  # "drop" on a replace rule means: the example must change
    raw = data["pattern"]
    source = _drop_line_regex(raw) if action == "drop-line" else raw
    compiled = _compile(source, at("pattern"), f"{rule_id}: pattern")
    if action == "replace":
        try:
            compiled.sub(replacement, "")
            m = compiled.search("") or None
            if m is not None:
                m.expand(replacement)
        except (regex.error, IndexError) as exc:
            raise RuleError(f"{rule_id}: bad replacement: {exc}", *at("replacement")) from None
    return Rule(
        id=rule_id,
        category=category,
        action=action,
        pattern=raw,
        replacement=replacement,
        description=str(data.get("description", "")),
        zone=zone,
        max_length=max_length,
        examples=examples,
        source=path,
        line=line,
        compiled=compiled,
    )


def parse_file(path: Path, kind: str) -> RuleSet:
    """Read and validate one rule file. Raises ``RuleErrors`` listing every problem."""
    spath = str(path)
    try:
        data = _read_yaml(path)
    except RuleError as exc:
        raise RuleErrors([exc]) from None
    if not isinstance(data, dict):
        raise RuleErrors([RuleError("a rule file must be a mapping with 'rules'", spath, 1)])
    errors: list[RuleError] = []
    unknown = set(data) - _FILE_KEYS - {"__line__", "__lines__"}
    for key in sorted(unknown):
        errors.append(RuleError(f"unknown key {key!r}", spath, data["__lines__"].get(key)))
    name = data.get("site") if kind == "site" else data.get("set", path.stem)
    if kind == "site" and (not isinstance(name, str) or not name):
        errors.append(RuleError("a site file needs 'site: NAME'", spath, 1))
        name = path.stem
    match_src = data.get("match", [])
    if isinstance(match_src, str):
        match_src = [match_src]
    compiled_match = []
    if kind == "site" and not match_src:
        errors.append(RuleError("a site file needs at least one 'match' fingerprint", spath, 1))
    for m in match_src if isinstance(match_src, list) else []:
        try:
            compiled_match.append(
                _compile(str(m), (spath, data["__lines__"].get("match", 1)), "match fingerprint")
            )
        except RuleError as exc:
            errors.append(exc)
    convert = data.get("convert")
    if data.get("phase", "boilerplate") not in PHASES:
        errors.append(RuleError(f"phase must be one of {', '.join(PHASES)}", spath,
                                data["__lines__"].get("phase")))
    rules_src = data.get("rules", [])
    if not isinstance(rules_src, list):
        errors.append(RuleError("'rules' must be a list", spath, data["__lines__"].get("rules")))
        rules_src = []
    rules = []
    for item in rules_src:
        try:
            rules.append(parse_rule(item, spath))
        except RuleError as exc:
            errors.append(exc)
    if errors:
        raise RuleErrors(errors)
    return RuleSet(
        name=str(name),
        kind=kind,
        rules=tuple(rules),
        description=str(data.get("description", "")),
        match=tuple(str(m) for m in match_src),
        convert=str(convert) if convert else None,
        phase=str(data.get("phase", "boilerplate")),
        source=spath,
        compiled_match=tuple(compiled_match),
    )


# --------------------------------------------------------------------------- loading
def builtin_rules_dir() -> Path:
    return Path(str(resources.files("speechclean") / "rules"))


def _files(directory: Path, kind: str) -> list[Path]:
    sub = directory / ("common" if kind == "common" else "sites")
    return sorted(sub.glob("*.yaml")) + sorted(sub.glob("*.yml")) if sub.is_dir() else []


def _merge(sets: list[RuleSet], extra: RuleSet) -> None:
    """Add a user set: a rule whose id exists already replaces that rule in place; a site
    that exists already gains the new rules and fingerprints."""
    index = {r.id: (i, j) for i, rs in enumerate(sets) for j, r in enumerate(rs.rules)}
    new_rules = []
    for rule in extra.rules:
        if rule.id in index:
            i, j = index[rule.id]
            rules = list(sets[i].rules)
            rules[j] = rule
            sets[i] = _replace(sets[i], rules=tuple(rules))
        else:
            new_rules.append(rule)
    same = next(
        (i for i, rs in enumerate(sets) if rs.kind == extra.kind and rs.name == extra.name), None
    )
    if same is None:
        sets.append(_replace(extra, rules=tuple(new_rules)))
    else:
        old = sets[same]
        sets[same] = _replace(
            old,
            rules=old.rules + tuple(new_rules),
            match=old.match + extra.match,
            compiled_match=old.compiled_match + extra.compiled_match,
            convert=extra.convert or old.convert,
        )


def _replace(rs: RuleSet, **kw) -> RuleSet:
    from dataclasses import replace

    return replace(rs, **kw)


def load_rules(extra_dirs=(), builtin: bool = True) -> RuleBook:
    """Load the built-in rules plus user directories. Raises ``RuleErrors`` on any problem."""
    dirs = ([builtin_rules_dir()] if builtin else []) + [Path(d) for d in extra_dirs]
    errors: list[RuleError] = []
    digest = hashlib.sha256()
    sets: list[RuleSet] = []
    for directory in dirs:
        if not directory.is_dir():
            errors.append(RuleError("rule directory not found", str(directory)))
            continue
        level: list[RuleSet] = []
        for kind in ("common", "site"):
            for path in _files(directory, kind):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
                try:
                    level.append(parse_file(path, kind))
                except RuleErrors as exc:
                    errors += exc.errors
        errors += _level_errors(level)
        for rs in level:
            _merge(sets, rs)
    if errors:
        raise RuleErrors(errors)
    return RuleBook(
        tuple(s for s in sets if s.kind == "common"),
        tuple(s for s in sets if s.kind == "site"),
        digest.hexdigest()[:12],
    )


def _level_errors(level: list[RuleSet]) -> list[RuleError]:
    """Within one directory, rule ids and site names must be unique."""
    errors = []
    seen: dict[str, Rule] = {}
    for rule in (r for rs in level for r in rs.rules):
        if rule.id in seen:
            first = seen[rule.id]
            errors.append(
                RuleError(
                    f"duplicate rule id {rule.id!r} (first at {first.source}:{first.line})",
                    rule.source,
                    rule.line,
                )
            )
        seen.setdefault(rule.id, rule)
    sites: dict[str, RuleSet] = {}
    for rs in (s for s in level if s.kind == "site"):
        if rs.name in sites:
            errors.append(
                RuleError(f"site {rs.name!r} is defined twice (also in {sites[rs.name].source})",
                          rs.source, 1)
            )
        sites.setdefault(rs.name, rs)
    return errors
