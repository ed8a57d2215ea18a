"""draft: turn mined candidate clusters into checked drop-line rules and a YAML draft.

Each cluster's members are aligned unit by unit (the units of their common key): literal
characters stay, digit runs become ``\\d+``, masked field values a bounded non-space run,
separators a character class. A rule is kept only if its examples pass and it removes no
line of the folder outside the proposed chrome.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import regex

from .errors import RuleError, RuleErrors
from .rulefiles import parse_file, parse_rule
from .rules import Rule
from .suggest import (
    FIELD_VALUE,
    MAX_LINE,
    PLACEHOLDER_MATCH,
    SLOT,
    UNIT,
    Candidate,
    Suggestion,
    cue_category,
    zone_of,
)


def generalize(members: list[str]) -> str:
    """A regex matching every member (lines of one key): literals kept, digit runs as
    ``\\d+``, masked field values as bounded non-space runs, separators as classes."""
    parsed = [_units(m) for m in members]
    length = min(len(p[0]) for p in parsed)
    parts = []
    for i in range(length + 1):
        seps = [p[1][i] for p in parsed]
        parts.append(_sep_pattern(seps))
        if i == length:
            break
        kinds = {p[0][i] for p in parsed}
        unit = parsed[0][0][i]
        if unit == SLOT:
            longest = max(len(v) for p in parsed for v in p[2] if v) if any(p[2] for p in parsed) else 4
            parts.append(rf"[^\s:：|｜丨]{{1,{min(30, max(8, 2 * longest))}}}")
        elif unit == "0":
            parts.append(r"\d+")
        elif len(kinds) == 1:
            parts.append(_escape(unit))
        else:
            parts.append("[" + "".join(regex.escape(k) for k in sorted(kinds)) + "]")
    return "".join(parts)


def _units(line: str) -> tuple[list[str], list[str], list[str]]:
    """Key units of a line (chars, "0" for digit runs, SLOT) with the separator text before
    each unit and after the last one, and the masked values."""
    values = FIELD_VALUE.findall(line)
    masked = FIELD_VALUE.sub(SLOT, line)
    units, seps = [], []
    pos = 0
    for m in UNIT.finditer(masked):
        seps.append(masked[pos : m.start()])
        units.append(SLOT if m.group(1) else "0" if m.group(2) else m.group(3))
        pos = m.end()
    seps.append(masked[pos:])
    return units, seps, values


def _escape(literal: str) -> str:
    return regex.escape(literal).replace("\\-", "-")  # "-" is literal outside a class


def _sep_pattern(seps: list[str]) -> str:
    if all(s == seps[0] for s in seps) and not regex.search(r"\s", seps[0]):
        return _escape(seps[0])
    chars = sorted({c for s in seps for c in s if not c.isspace()})
    cls = r"\s" + "".join(regex.escape(c) if c in "\\]^-[" else c for c in chars)
    return f"[{cls}]*" if chars else r"\s*"


def build_rules(
    candidates: list[Candidate], texts: list[str], site: str, handled: set[str]
) -> None:
    chrome = {m for c in candidates for m in c.members} | handled
    body = [s.strip() for t in texts for s in t.split("\n") if s.strip() and s.strip() not in chrome]
    body.sort(key=len, reverse=True)
    seen_patterns: set[str] = set()
    counts: dict[str, int] = defaultdict(int)
    for c in candidates:
        members = c.members
        pattern = generalize(members)
        if pattern in seen_patterns:
            c.rejected = "same pattern as a rule above"
            continue
        category = cue_category(" ".join(members[:3]))
        zone = zone_of(c)
        if category is None:
            category = "watermark" if not zone else "footer" if "tail" in zone else "header"
        counts[category] += 1
        data = {
            "id": f"{site}/{category}-{counts[category]}",
            "category": category,
            "action": "drop-line",
            "pattern": pattern,
            "max_length": min(MAX_LINE + 20, max(len(m) for m in members) + 20),
            "description": _describe(c, zone),
            "examples": {"drop": members[:3], "keep": []},
        }
        if zone:
            data["zone"] = zone
        try:
            rule = parse_rule(data, "<draft>")
        except RuleError as exc:  # a generalization bug must not break the draft
            c.rejected = f"invalid pattern: {exc.message}"
            continue
        keep = _keep_example(rule, members, body)
        if keep is None:
            c.rejected = "no body line to show what it keeps"
            continue
        data["examples"]["keep"] = [keep]
        rule = parse_rule(data, "<draft>")
        problem = _overreach(rule, texts, chrome) or "; ".join(rule.example_failures())
        if problem:
            c.rejected = problem
            continue
        seen_patterns.add(pattern)
        c.rule, c.data = rule, data


def _keep_example(rule: Rule, members: list[str], body: list[str]) -> str | None:
    chars = {c for c in "".join(members) if c.isalpha()}
    ranked = sorted(
        (b for b in body[:400] if len(b) >= 10), key=lambda b: (-len(chars & set(b)), -len(b))
    )
    for line in ranked:
        sentence = regex.match(r".{8,60}?[。！？；]", line)
        sample = sentence.group() if sentence else line[:60]
        if len(sample) >= 6 and rule.apply(sample) == sample:
            return sample
    return None


def _overreach(rule: Rule, texts: list[str], chrome: set[str]) -> str:
    """Why ``rule`` is unsafe: it removes a folder line that is not proposed chrome."""
    for text in texts:
        for e in rule.find_edits(text):
            line = text[e.start : e.end].strip()
            if line and line not in chrome:
                return f"would also drop {line[:50]!r}"
    return ""


def _describe(c: Candidate, zone: dict | None) -> str:
    where = "first" if zone and "head" in zone else "last" if zone else "any"
    kind = "repeated line" if c.repeated else "short line with a boilerplate cue"
    lines = f" in the {where} lines" if zone else ""
    return f"{kind}{lines}, seen in {len(c.files)} files"


def _q(s: str) -> str:
    """A YAML scalar for ``s``: single-quoted, or JSON-escaped (valid YAML) when it holds
    characters YAML may not contain literally (controls, unassigned code points)."""
    if any(unicodedata.category(c) in ("Cc", "Cs", "Cn") and c != "\t" for c in s):
        return json.dumps(s)
    return "'" + s.replace("'", "''") + "'"


def _c(comment: str) -> str:
    """A comment line YAML can read: control characters shown as '?'."""
    return "".join("?" if unicodedata.category(ch) in ("Cc", "Cs", "Cn") else ch for ch in comment)


def render(s: Suggestion) -> str:
    """The draft rule file: YAML with comments (counts, sample files, what was left out)."""
    n = len(s.names)
    out = [
        f"# Draft rules for site {_c(s.site)!r}, mined by `speechclean rules suggest` from {n} files",
        f"# (repeated = seen in at least {s.min_files} files). Review every rule, then run",
        "# `speechclean rules check --rules DIR` and `speechclean preview ... --rules DIR`.",
        "# Lines the built-in rules already remove are not proposed.",
    ]
    for name, reason in s.skipped:
        out.append(_c(f"# skipped {name}: {reason}"))
    out += [f"site: {_q(s.site)}", f"description: {_q(f'TODO: describe {s.site} (mined from {n} files)')}"]
    for pattern, k in s.fingerprints:
        out.append(_c(f"# fingerprint {pattern} found in {k}/{n} files"))
    if not s.fingerprints:
        out.append("# no fingerprint found: replace this with a literal found on every page")
    match = [p for p, _ in s.fingerprints] or [PLACEHOLDER_MATCH]
    out.append("match: [" + ", ".join(_q(p) for p in match) + "]")
    out.append("rules:" if s.proposed else "rules: []")
    for c in s.proposed:
        d = c.data
        files = sorted({s.names[f] for f in c.files})
        out.append(_c(f"  # {len(c.occurrences)} lines in {len(files)} files, e.g. {', '.join(files[:3])}"))
        out.append(f"  - id: {_q(d['id'])}")
        for key in ("category", "action"):
            out.append(f"    {key}: {d[key]}")
        out.append(f"    pattern: {_q(d['pattern'])}")
        out.append(f"    max_length: {d['max_length']}")
        if "zone" in d:
            (where, lines), = d["zone"].items()
            out.append(f"    zone: {{{where}: {lines}}}")
        out.append(f"    description: {_q(d['description'])}")
        out.append("    examples:")
        for kind in ("drop", "keep"):
            out.append(f"      {kind}: [" + ", ".join(_q(x) for x in d["examples"][kind]) + "]")
    rejected = [c for c in s.candidates if c.rejected]
    if rejected:
        out.append("# Not proposed (check these lines by hand):")
        for c in rejected:
            out.append(_c(f"#   {c.members[0][:60]!r} ({len(c.files)} files): {c.rejected}"))
    return "\n".join(out) + "\n"


def validate_draft(text: str) -> list[str]:
    """Problems ``rules check`` would report for a draft (empty when it is valid)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            rs = parse_file(path, "site")
        except RuleErrors as exc:
            return [e.message for e in exc.errors]
    return [f"{r.id}: {m}" for r in rs.rules for m in r.example_failures()] + [
        f"{r.id}: rule has no examples" for r in rs.rules if not r.examples
    ]
