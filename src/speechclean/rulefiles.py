"""Rule files: read and validate YAML into ``rules`` objects once, with errors that name
the file and line.

Layout of a rule directory: ``common/*.yaml`` (applied to every document) and
``sites/*.yaml`` (applied when one of the file's ``match`` fingerprints is found). Files are
read in name order; user directories come after the built-in one, and a user rule with the
id of a built-in rule replaces it in place.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import regex
import yaml

from .errors import RuleError, RuleErrors
from .rules import (
    ACTIONS,
    CATEGORIES,
    DEFAULT_MAX_LENGTH,
    Example,
    Rule,
    RuleBook,
    RuleSet,
    Zone,
)

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
