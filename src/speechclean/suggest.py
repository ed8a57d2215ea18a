"""suggest: mine boilerplate candidates from a folder of one site.

Lines are read as a new site's rules will see them in ``clean``: decoded, normalized and
converted by the pipeline, after the repair sets; lines that the existing rules (common
sets, sites already recognised) remove are not proposed again. Each line gets a
CCNet-style key (lowercase, digit runs -> ``0``, punctuation and spaces stripped, values
after ``label:`` masked) and lines are clustered by key. Candidates are the clusters seen
in at least ``min_files`` files, and short lines with boilerplate cues in the first or last
lines of files. Content-looking lines (long, sentence punctuation inside, salutations, date
lines, numbered headings, titles) are never candidates. ``draft.py`` turns candidates into
checked rules and the YAML draft.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import regex

from .document import apply_edits
from .errors import DocumentError
from .pipeline import Pipeline
from .rules import Rule

MAX_LINE = 60  # longer lines are content, never proposed
CUE_LINE = 40  # a non-repeated line needs a cue and at most this length
EDGE = 8  # "head/tail of the file": the first/last EDGE non-blank lines (cue lines)
ZONE_LIMIT = 20  # a cluster always within the first/last ZONE_LIMIT lines gets a zone
PLACEHOLDER_MATCH = "TODO: a literal found on every page of the site"
HEAD_BODY, TAIL_BODY = 3, 1  # content lines allowed above a head / below a tail chrome line
FINGERPRINT_SHARE = 0.8

_SEP = r"\s\p{P}\p{S}"
SLOT = "\x00"  # a masked field value in a key
FIELD_VALUE = regex.compile(r"(?<=[^\s:：][:：]\s*)[^\s:：|｜丨·•/]+")
_KEY_DROP = regex.compile(rf"[{_SEP}]+")
UNIT = regex.compile(rf"(\x00)|(\d+)|([^\d{_SEP}])")
_MID_SENTENCE = regex.compile(r"[。！？!?；;](?=.*[^\s\p{P}])")
_CONTENT = regex.compile(
    r"""^(?:
        (?:尊敬的|各位|同志们|亲爱的|女士们|先生们|朋友们|老师们|同学们)[^。]{0,30}[:：]
      | [(（]?\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[^:：]{0,20}[)）]?
      | (?:时间|日期)[:：]\s*\d{4}\s*年.{0,12}
      | [一二三四五六七八九十]+[、.．].*
      | [(（][一二三四五六七八九十]+[)）].*
      | .{0,6}谢谢.{0,6}
      | .{2,40}(?:讲话|发言|致辞|报告|演讲|主持词|贺词|讲稿)(?:稿|材料|提纲)?(?:[(（]\d{1,3}[)）])?
    )$""",
    regex.VERBOSE,
)
CUES = {  # category -> cue words, checked in this order
    "pagination": r"第\s*\d+\s*页|共\s*\d+\s*页|页码|下一页|上一页",
    "navigation": r"上一篇|下一篇|首页|位置|返回|相关|推荐|栏目|导航|›|>>",
    "ad": r"微信|QQ|qq|扫码|二维码|客服|会员|VIP|vip|下载|领取|关注|公众号|广告|咨询|优惠|注册|登录",
    "footer": r"版权|(?i:copyright)|©|ICP|备案|声明|联系我们|关于我们|免责|转载|侵权",
    "metadata": r"浏览|阅读|点击|上传|投稿|作者|来源|发布|日期|时间|编号|字数|大小|热度|收藏|分享|点赞|评论",
    "watermark": r"仅供|禁止外传|水印|内部资料",
    "truncation": r"试读|全文|预览|未完",
}
_CUE = {cat: regex.compile(p) for cat, p in CUES.items()}
_TEXTURE = regex.compile(r"\d|[:：|｜丨·•›>»©【】\[\]/@]")  # what chrome looks like, titles don't
_DOMAIN = regex.compile(r"(?<![\w.@-])(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{2,10}(?![\w-])", regex.I)
_GENERIC_DOMAIN = regex.compile(  # shared services, not one site's fingerprint
    r"(?:^|\.)(?:qq|baidu|weixin|weibo|sina|163|126|sohu|miit\.gov|gov|example\.com)\.[a-z]+$"
)
_BRAND = regex.compile(  # a whole Han run named like a site: 墨香文库, 如来写作网
    r"(?<!\p{Han})(?!互联网|物联网|局域网)\p{Han}{1,6}(?:文库|网站|网)(?!\p{Han})"
)


def line_key(line: str) -> str:
    """CCNet-style key: field values masked, digits collapsed, case and punctuation gone.

    >>> line_key("第3页 / 共12页") == line_key("第12页/共30页")
    True
    """
    masked = FIELD_VALUE.sub(SLOT, line.strip())
    key = regex.sub(r"\d+", "0", _KEY_DROP.sub("", masked.lower()))
    return key or "sep:" + regex.sub(r"\s+", "", line)


def looks_like_content(line: str) -> bool:
    """Lines never proposed for removal: long, sentence-like, salutations, dates, headings."""
    s = line.strip()
    commas = bool(regex.search(r"[，、,]", s))
    return (
        len(s) > MAX_LINE
        or bool(_MID_SENTENCE.search(s))
        or bool(_CONTENT.match(s))
        or (commas and s[-1] in "。！？!?")  # a sentence
        or (commas and len(s) > 40 and not _TEXTURE.search(s))
    )


def cue_category(line: str) -> str | None:
    return next((cat for cat, p in _CUE.items() if p.search(line)), None)


@dataclass
class Occurrence:
    file: int  # index into Suggestion.names
    text: str  # the trimmed line
    head: int  # 1-based position among non-blank lines from the top
    tail: int  # ... and from the bottom
    before: int = 0  # lines above it that are not proposed chrome (title, date ...)
    after: int = 0  # ... and below it


@dataclass
class Candidate:
    key: str
    occurrences: list[Occurrence]
    repeated: bool  # seen in >= min_files files (else: a cue line)
    rule: Rule | None = None
    data: dict = field(default_factory=dict)  # the rule as written to the draft
    rejected: str = ""  # why it is not proposed

    @property
    def files(self) -> set[int]:
        return {o.file for o in self.occurrences}

    @property
    def members(self) -> list[str]:
        return list(dict.fromkeys(o.text for o in self.occurrences))


@dataclass
class Suggestion:
    site: str
    names: list[str]
    min_files: int
    fingerprints: list[tuple[str, int]]  # (pattern, files containing it)
    candidates: list[Candidate]
    skipped: list[tuple[str, str]]  # (name, reason)

    @property
    def proposed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.rule is not None]

    def to_yaml(self) -> str:
        from .draft import render

        return render(self)


def mining_text(pipeline: Pipeline, data: bytes | str, name: str) -> tuple[str, str, set[str]]:
    """(source, seen, kept) for one document: the text entering the rules stage; that text
    after the repair sets, as a new site's rules see it; and the (trimmed) lines that
    survive the existing rules — the sites it already matches and the common sets."""
    result = pipeline.clean(data, name)
    common = pipeline.book.common
    repair = [rs for rs in common if getattr(rs, "phase", "") == "repair"]
    others = [pipeline.book.site(s) for s in result.sites] + [
        rs for rs in common if rs not in repair
    ]
    seen = _apply_sets(result.source, repair, pipeline.timeout)
    kept = _apply_sets(seen, others, pipeline.timeout)
    return result.source, seen, {line.strip() for line in kept.split("\n")}


def _apply_sets(text: str, sets, timeout: float) -> str:
    for rs in sets:
        for rule in rs.rules:
            text = apply_edits(text, rule.find_edits(text, timeout))
    return text


HANDLED = "\x01"  # key of a line the existing rules already remove


def suggest(
    documents: list[tuple[str, bytes | str]],
    pipeline: Pipeline,
    min_files: int | None = None,
    site: str | None = None,
) -> Suggestion:
    """Mine ``documents`` ((name, data) pairs of one site) and build a draft rule file."""
    names: list[str] = []
    sources: list[str] = []
    texts: list[str] = []  # as the new site's rules will see them
    handled: set[str] = set()  # lines the existing rules remove
    skipped: list[tuple[str, str]] = []
    clusters: dict[str, list[Occurrence]] = defaultdict(list)
    keys: list[list[str | None]] = []  # per file, per non-blank line: its key if not content
    for name, data in documents:
        try:
            source, text, kept = mining_text(pipeline, data, name)
        except DocumentError as exc:
            skipped.append((name, str(exc)))
            continue
        i = len(names)
        names.append(name)
        sources.append(source)
        texts.append(text)
        lines = [s.strip() for s in text.split("\n") if s.strip()]
        keys.append([])
        for pos, line in enumerate(lines):
            if line not in kept:
                key = HANDLED
                handled.add(line)
            else:
                key = None if looks_like_content(line) else line_key(line)
            keys[i].append(key)
            if key not in (None, HANDLED):
                clusters[key].append(Occurrence(i, line, pos + 1, len(lines) - pos))
    n = len(names)
    if min_files is None:
        min_files = max(3, math.ceil(0.2 * n))

    candidates = []
    for key, occ in clusters.items():
        nfiles = len({o.file for o in occ})
        at_edge = all(min(o.head, o.tail) <= EDGE for o in occ)
        short_cue = all(
            len(o.text) <= CUE_LINE and cue_category(o.text) and _TEXTURE.search(o.text)
            for o in occ
        )
        if nfiles >= min_files:
            candidates.append(Candidate(key, occ, True))
        elif at_edge and short_cue:
            candidates.append(Candidate(key, occ, False))
    _count_body_around(candidates, keys)
    candidates.sort(key=lambda c: (-len(c.files), _zone_order(c), c.key))

    fingerprints = _fingerprints(sources, candidates, handled)
    site = site or _site_name(fingerprints)
    from .draft import build_rules

    build_rules(candidates, texts, site, handled)
    return Suggestion(site, names, min_files, fingerprints, candidates, skipped)


# --------------------------------------------------------------------------- rules
def _zone_order(c: Candidate) -> tuple[int, int]:
    zone = zone_of(c)
    if zone and "head" in zone:
        return 0, min(o.head for o in c.occurrences)
    if zone:
        return 2, -min(o.tail for o in c.occurrences)
    return 1, 0


def _count_body_around(candidates: list[Candidate], keys: list[list[str | None]]) -> None:
    """Set ``before``/``after`` of every occurrence: the non-chrome lines around it."""
    chrome = {c.key for c in candidates} | {HANDLED}
    prefix = []  # per file: non-chrome lines among the first k lines, k = 0..n
    for file_keys in keys:
        counts = [0]
        for k in file_keys:
            counts.append(counts[-1] + (k not in chrome))
        prefix.append(counts)
    for c in candidates:
        for o in c.occurrences:
            counts = prefix[o.file]
            o.before = counts[o.head - 1]
            o.after = counts[-1] - counts[o.head]


def zone_of(c: Candidate) -> dict | None:
    """``{head: N}`` when every occurrence sits in the chrome block at the top of its file
    (at most HEAD_BODY content lines above it, such as the title), ``{tail: N}`` likewise
    at the bottom; none for chrome between paragraphs."""
    occ = c.occurrences
    if all(o.before <= HEAD_BODY for o in occ) and max(o.head for o in occ) <= ZONE_LIMIT:
        return {"head": max(o.head for o in occ) + 5}
    if all(o.after <= TAIL_BODY for o in occ) and max(o.tail for o in occ) <= ZONE_LIMIT:
        return {"tail": max(o.tail for o in occ) + 5}
    return None


# --------------------------------------------------------------------------- fingerprints
def _fingerprints(
    sources: list[str], candidates: list[Candidate], handled: set[str]
) -> list[tuple[str, int]]:
    """Domain names, then brand names, present in most files, taken from chrome: the
    proposed lines and the lines the existing rules remove (copyright, ICP lines)."""
    joined = "\n".join([m for c in candidates for m in c.members[:5]] + sorted(handled))
    literals = [d for d in dict.fromkeys(m.lower() for m in _DOMAIN.findall(joined))
                if not _GENERIC_DOMAIN.search(d)]
    literals += list(dict.fromkeys(_BRAND.findall(joined)))
    found = []
    for lit in literals:
        n = sum(lit in s.lower() for s in sources)
        if sources and n >= FINGERPRINT_SHARE * len(sources):
            found.append((regex.escape(lit), n))
    if not found:
        top = [c for c in candidates if c.repeated]
        if top:
            from .draft import generalize

            found.append((generalize(top[0].members), len(top[0].files)))
    found.sort(key=lambda f: -f[1])
    return found[:3]


def _site_name(fingerprints: list[tuple[str, int]]) -> str:
    for pattern, _ in fingerprints:
        labels = [x for x in pattern.replace("\\.", ".").split(".") if x.isascii() and x]
        labels = [x for x in labels[:-1] if x not in ("www", "com", "net", "org", "gov", "edu")]
        name = regex.sub(r"[^a-z0-9-]", "", labels[-1].lower()) if labels else ""
        if name:
            return name
    return "newsite"
