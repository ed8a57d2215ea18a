"""Generate the benchmark corpus from the seeds: deterministic, mixed like real scrapes.

Every document is a variant of one seed page: the seed's site chrome (header, pagination,
footer lines, with their numbers varied) around body paragraphs rebuilt from sentences of
all the seeds, so paragraphs are different in every file. Sizes are those of real pages
(3-40 KB, log-uniform) plus a few large files. The mix of encodings:

    utf8       UTF-8, Simplified                       70%
    utf8-trad  UTF-8, Traditional (the panjin page's
               pinyin-glued Traditional, or OpenCC s2t) 6%
    gbk        GBK, Simplified                          8%
    gb18030    GB18030, Simplified                      4%
    big5       Big5, Traditional (s2t, no pinyin)       6%
    utf16      UTF-16 with BOM (LE or BE)               3%
    utf8-bom   UTF-8 with BOM                           3%

and about a quarter of the files of every kind have CRLF line ends.

    python bench/make_corpus.py bench/corpus [--size-mb 52] [--seed 7]

writes ``DIR/src/batch-NN/*.txt`` and ``DIR/manifest.tsv`` (path, encoding, script,
newline, bytes) — the manifest lets the floors decode with the known codec.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

KINDS = (  # (name, weight, codec written, script)
    ("utf8", 70, "utf-8", "simplified"),
    ("utf8-trad", 6, "utf-8", "traditional"),
    ("gbk", 8, "gbk", "simplified"),
    ("gb18030", 4, "gb18030", "simplified"),
    ("big5", 6, "big5", "traditional"),
    ("utf16", 3, "utf-16", "simplified"),
    ("utf8-bom", 3, "utf-8-sig", "simplified"),
)
CRLF_SHARE = 0.25
MIN_KB, MAX_KB = 3, 40
LARGE_FILES_KB = (900, 1600, 2500, 4000)  # a few whole-report dumps
FILES_PER_BATCH = 250

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_DIGITS = re.compile(r"\d+")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_LEAD_MARK = re.compile(r"^(?:\d{1,3}、|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,2}[)）])")


_CHROME_CUES = ("本站", "本文内容", "转载", "侵权", "版权", "下载", "http", "@", "www", "文档",
                "预览", "试读", "搜索", "请在", ".doc", "页珍藏版")


def is_body(line: str) -> bool:
    """A paragraph of the speech (as opposed to chrome, headings or short lines)."""
    s = line.strip()
    return (
        len(s) >= 60
        and sum(s.count(p) for p in "，,") >= 2
        and any(p in s for p in "。；;")
        and not any(cue in s for cue in _CHROME_CUES)
    )


class Template:
    """One seed page cut into head chrome, a middle (body slots and headings), tail chrome."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        lines = text.split("\n")
        body = [i for i, line in enumerate(lines) if is_body(line)]
        first, last = body[0], body[-1]
        self.head = lines[:first]
        self.middle = lines[first : last + 1]
        self.tail = lines[last + 1 :]
        self.traditional = "panjin" in name or _PINYIN.search(text) is not None
        sentences = []
        lengths = []
        for line in self.middle:
            if is_body(line):
                core = _LEAD_MARK.sub("", line.strip())
                # A preview glues its header to the first paragraph ("….docx》请在某网上
                # 搜索。"): such a sentence is chrome, and must not land in other sites' pages.
                sentences += [s for s in _SENTENCE_END.split(core)
                              if len(s) >= 8 and not any(cue in s for cue in _CHROME_CUES)]
                lengths.append(len(core))
        self.sentences = sentences
        self.lengths = lengths  # paragraph lengths of the real page


def vary_digits(line: str, rng: random.Random) -> str:
    """Other page numbers, IDs, counters and dates, same shape."""

    def repl(m: re.Match) -> str:
        n = len(m.group())
        first = str(rng.randint(1, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))

    return _DIGITS.sub(repl, line)


def paragraph(pool: list[str], length: int, rng: random.Random) -> str:
    """Random sentences of the pool, about as long as a paragraph of the real page."""
    out: list[str] = []
    size = 0
    while size < length:
        s = rng.choice(pool)
        out.append(s)
        size += len(s)
    return "".join(out)


def heading(pool: list[str], length: int, rng: random.Random) -> str:
    """A heading of about ``length`` characters cut from a sentence of the pool."""
    s = rng.choice(pool).rstrip("。！？；!?;，,")
    return s[: max(4, length)].rstrip("，,、：:")


def build_document(t: Template, pool: list[str], target: int, rng: random.Random) -> str:
    """The template's chrome around fresh paragraphs, grown to about ``target`` characters."""
    out = [vary_digits(line, rng) for line in t.head]
    size = sum(len(line) for line in out)
    tail = [vary_digits(line, rng) for line in t.tail]
    size += sum(len(line) for line in tail)
    i = 0
    while True:
        line = t.middle[i % len(t.middle)]
        if is_body(line):
            mark = _LEAD_MARK.match(line.strip())
            indent = line[: len(line) - len(line.lstrip())]
            length = rng.choice(t.lengths)
            line = indent + (mark.group() if mark else "") + paragraph(pool, length, rng)
        elif (mark := _LEAD_MARK.match(line.strip())) and len(line.strip()) < 60:
            # A numbered heading: every speech has its own (a cache of line verdicts must
            # not find the seeds' headings again in every page)
            line = line[: len(line) - len(line.lstrip())] + mark.group() + heading(
                pool, len(line.strip()) - len(mark.group()), rng)
        elif i >= len(t.middle):
            line = vary_digits(line, rng)
        out.append(line)
        size += len(line) + 1
        i += 1
        if size >= target and i >= 2 and is_body(line):
            break
    return "\n".join(out + tail)


def encodable(text: str, codec: str) -> str:
    """Drop the characters a legacy codec cannot represent (a real page would not have them)."""
    try:
        text.encode(codec)
        return text
    except UnicodeEncodeError:
        return "".join(c for c in text if _fits(c, codec))


def _fits(c: str, codec: str) -> bool:
    try:
        c.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--size-mb", type=float, default=52.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(args.seed)
    templates = [
        Template(p.stem, p.read_bytes().decode("utf-8")) for p in sorted(SEEDS.glob("*.txt"))
    ]
    simplified = [t for t in templates if not t.traditional]
    traditional = [t for t in templates if t.traditional]
    pool = [s for t in simplified for s in t.sentences]
    trad_pool = [s for t in traditional for s in t.sentences] or pool

    src = args.out / "src"
    if src.exists():
        sys.exit(f"{src} exists; remove it first")
    budget = int(args.size_mb * 1_000_000)
    names = [k[0] for k in KINDS]
    weights = [k[1] for k in KINDS]
    manifest = ["path\tencoding\tscript\tnewline\tbytes"]
    total = 0
    n = 0
    large = list(LARGE_FILES_KB)
    while total < budget:
        kind = rng.choices(names, weights)[0]
        _, _, codec, script = next(k for k in KINDS if k[0] == kind)
        if large and n % 700 == 350:
            kb = large.pop(0)
        else:
            kb = math.exp(rng.uniform(math.log(MIN_KB), math.log(MAX_KB)))
        target = int(kb * 1000 / 3)  # ~3 bytes per character in UTF-8
        if kind == "utf8-trad" and rng.random() < 0.5:
            text = build_document(rng.choice(traditional), trad_pool, target, rng)
        else:
            text = build_document(rng.choice(simplified), pool, target, rng)
            if script == "traditional":
                text = s2t.convert(text)
        if kind == "utf16":
            codec = rng.choice(("utf-16-le", "utf-16-be"))
            text = "\ufeff" + text
        crlf = rng.random() < CRLF_SHARE
        if crlf:
            text = text.replace("\n", "\r\n")
        if codec in ("gbk", "big5"):
            text = encodable(text, codec)
        data = text.encode(codec)
        rel = f"batch-{n // FILES_PER_BATCH:02d}/{n:05d}-{kind}.txt"
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        decode_as = {"utf-8-sig": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
        manifest.append(
            f"{rel}\t{decode_as.get(codec, codec)}\t{script}\t{'crlf' if crlf else 'lf'}\t{len(data)}"
        )
        total += len(data)
        n += 1
    (args.out / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{n} files, {total / 1e6:.1f} MB in {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
