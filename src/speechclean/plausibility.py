"""plausibility: how much a text looks like real Chinese, for decode to choose a reading.

The score of a text's first SCORE_CHARS characters: the share of frequent characters among
its Han ones, less three times the share of junk (unassigned, private-use, control and
replacement characters; mojibake counts five). The regex classes below define it; counted
with them it costs ~0.4 ms a text (three passes and a set lookup per character), so Score
counts the same (pinned over every code point in tests/test_fast_paths.py) another way:

- most 256-code-point blocks are all Han (CJK ideographs), all bad (private use) or hold
  neither: bytes.translate on the UTF-16 high bytes counts those by block;
- the frequent characters, and the special (Han or bad) ones of the mixed blocks Chinese
  text uses, are found by codecs.charmap_encode with errors="ignore": a C lookup per
  character, 255 characters per map, the bytes it writes name the characters found;
- the characters of the other mixed blocks, astral ones and surrogates are rare in text:
  when there are any, they are picked out and classified by the regex classes themselves.

Score also gives a ceiling and a floor of the score, cheaper still, for decode to skip
scoring what cannot change its choice.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import regex

SCORE_CHARS = 4_000  # chars scored per candidate: decides as well as 20,000 did (same
# encoding for every corpus file and seed), at a fifth of the cost

# The ~500 most frequent characters of modern Chinese; their Traditional forms are added at
# first use. Real text draws over half its Han characters from this set; mis-decoded bytes
# land on it a few percent of the time.
_FREQUENT = (
    "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后"
    "能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此"
    "心前面又定见只主没公从知头意己现开外已很最手本高正动长把回但部老话相加利等间体明问文新四向"
    "实命工全期重点制度展建设业产展力量机关民政府市区县省委书记会议城管理服务社会经济发展推进"
    "工作落实责任要求加强提高坚持全面深入切实确保问题组织领导干部群众基层单位部门建设创新改革"
    "开放安全稳定质量水平能力体系机制标准目标任务措施情况活动环境文明精神思想认识形势意见方面"
    "重要必须进一步继续深化完善积极主动努力各级各类通过结合根据按照围绕进行开展做好取得成效明显"
    "提升增强树立形成推动实现保障支持参与共同强化规范严格认真扎实有效持续常态长效治理监督检查考"
    "核评价测评整改问题短板薄弱环节突出重点难点今年去年以来当前目前下一步同志们大家我们今天召开"
    "主要这次次些每样还更最很非常特别尤其比较正在已经曾经将要可以能够应该需要必须一定不断始终"
    "代表人民党中央国家社会主义特色新时代习近平总书记重要讲话指示批示精神学习贯彻宣传教育培训"
    "信息网络数据技术科技产业企业项目投资资金财政预算收入增长经济市场消费生产销售农业农村乡村"
    "城乡居民生活就业收入保障医疗卫生健康教育文化旅游交通道路公路铁路水利能源生态环保污染防治"
    "法律法规制度政策规划计划方案办法意见通知报告总结汇报材料发言致辞讲话会议大会座谈动员部署"
)

_HAN = regex.compile(r"\p{Han}")
_BAD = regex.compile(r"[\p{Co}\p{Cn}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_MOJIBAKE = regex.compile(r"锟斤拷|烫烫烫|屯屯屯|Ã.|â€|ï»¿|[鍦鐨鏄浜]{2}")
_MOJIBAKE_FIRST = "锟烫屯Ãâï鍦鐨鏄浜"  # every _MOJIBAKE match starts with one of these


@lru_cache(maxsize=1)
def _frequent_ranked() -> tuple[str, ...]:
    """The frequent characters in the order of _FREQUENT (roughly the most frequent first),
    each Simplified one followed by its Traditional form."""
    try:
        from .convert import simplified_to_traditional

        traditional = simplified_to_traditional(_FREQUENT)
    except Exception:  # pragma: no cover - OpenCC missing only in broken installs
        traditional = ""
    if len(traditional) == len(_FREQUENT):
        chars = "".join(a + b for a, b in zip(_FREQUENT, traditional, strict=True))
    else:  # pragma: no cover - s2t maps characters one to one
        chars = _FREQUENT + traditional
    return tuple(dict.fromkeys(chars))


@lru_cache(maxsize=1)
def _frequent_chars() -> frozenset[str]:
    return frozenset(_frequent_ranked())


# Latin-1, Greek, punctuation, letterlike (℃), enclosed (①), CJK punctuation, bopomofo,
# enclosed CJK, vertical and small forms, fullwidth forms: the mixed blocks Chinese text
# uses, whose special characters one charmap holds.
_MAPPED_BLOCKS = (0x00, 0x03, 0x20, 0x21, 0x24, 0x30, 0x31, 0x32, 0xFE, 0xFF)
_FREQ, _HAN_FLAG, _BAD_FLAG, _MOJI_FLAG = 1, 2, 4, 8  # what a special character counts as
# bytes.translate deletes these to keep the bytes with the flag
_WITHOUT = {f: bytes(v for v in range(256) if not v & f) for f in (1, 2, 4, 8)}


@dataclass(frozen=True, slots=True)
class _Tables:
    # High bytes that bytes.translate deletes to keep those of the blocks that are all Han;
    # all bad or odd (mixed but not mapped, and the surrogates of astral characters); all bad.
    not_han: bytes
    not_junk: bytes
    not_bad: bytes
    odd: re.Pattern  # one character of an odd block, or an astral one
    special: tuple  # (charmap, table: byte it writes -> flags) of the special characters
    first: tuple  # charmap of the most frequent characters (enough for a floor)
    later: tuple  # charmaps of the other frequent characters
    frequent: frozenset[str]  # the frequent Han characters
    ufffe: bool  # U+FFFE is bad but cannot be mapped (it marks holes in a charmap)


def _charmap(chars: str):
    # A charmap maps U+0000 to byte 0 by construction: each character gets byte 1..255.
    return codecs.charmap_build("\0" + chars)


def _others(*kept: list[int]) -> bytes:
    return bytes(b for b in range(256) if not any(b in k for k in kept))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Built from the regex classes at first use (~30 ms): they follow the installed
    Unicode version."""
    bmp = "".join(map(chr, range(0x10000)))
    han, bad = set(_HAN.findall(bmp)), set(_BAD.findall(bmp))
    frequent = frozenset(c for c in _frequent_chars() if _HAN.fullmatch(c))
    flags: dict[str, int] = {}  # special characters
    blocks: dict[str, list[int]] = {"han": [], "bad": [], "odd": list(range(0xD8, 0xE0))}
    for block in range(256):
        chars = bmp[block << 8 : (block + 1) << 8]
        n_han, n_bad = sum(c in han for c in chars), sum(c in bad for c in chars)
        if 0xD8 <= block < 0xE0 or not (n_han or n_bad):
            continue
        if n_han == 256 or n_bad == 256:
            blocks["han" if n_han else "bad"].append(block)
        elif block in _MAPPED_BLOCKS:
            flags.update((c, _HAN_FLAG if c in han else _BAD_FLAG)
                         for c in chars if c in han or c in bad)
        else:
            blocks["odd"].append(block)
    for c in _MOJIBAKE_FIRST:
        flags[c] = flags.get(c, 0) | _MOJI_FLAG
    nul = flags.pop("\0", 0)  # U+0000 is byte 0 of every charmap: counted in the first
    ufffe = bool(flags.pop("\ufffe", 0))
    # Most frequent first: the first charmap finds most of a text's frequent characters.
    ranked = [c for c in _frequent_ranked()
              if c in frequent and c <= "\uffff" and ord(c) >> 8 not in blocks["odd"]]
    for c in ranked:
        if c in flags:
            flags[c] |= _FREQ
    ranked = [c for c in ranked if c not in flags]
    special = []
    chars = sorted(flags)  # by code point: each charmap covers few blocks, a compact lookup
    for i in range(0, len(chars), 255):
        chunk = chars[i : i + 255]
        table = bytes([nul if i == 0 else 0, *(flags[c] for c in chunk)]).ljust(256, b"\0")
        special.append((_charmap("".join(chunk)), table))
    odd = "".join(f"\\u{b:02x}00-\\u{b:02x}ff" for b in blocks["odd"])
    return _Tables(
        not_han=_others(blocks["han"]),
        not_junk=_others(blocks["bad"], blocks["odd"]),
        not_bad=_others(blocks["bad"]),
        odd=re.compile(f"[{odd}\\U00010000-\\U0010ffff]"),
        special=tuple(special),
        first=(_charmap("".join(ranked[:255])),),
        later=tuple(_charmap("".join(ranked[i : i + 255])) for i in range(255, len(ranked), 255)),
        frequent=frequent,
        ufffe=ufffe,
    )


def _found(sample: str, charmaps: tuple) -> int:
    """How many characters of ``sample`` the charmaps hold (U+0000 aside)."""
    n = 0
    for charmap in charmaps:
        out = codecs.charmap_encode(sample, "ignore", charmap)[0]
        n += len(out) - out.count(0)
    return n


def _score(han: int, frequent: int, bad: int, length: int) -> float:
    score = frequent / han if han else 0.5  # no Han at all: judge on junk characters alone
    return max(0.0, score - 3 * bad / length)


class Score:
    """The plausibility of one text, computed only as far as a question needs:
    ``ceiling() >= exact() >= floor()``, each cheaper than the next.

    ceiling: the frequent share is at most 1 and the private-use blocks alone count as bad
    (a Big5 file read as GB18030 is a quarter private use: its ceiling is far below a real
    reading's score). floor: the Han and bad counts are exact, the frequent characters only
    those of the first charmap (most of them).
    """

    __slots__ = ("sample", "_high", "_junk", "_first")

    def __init__(self, text: str) -> None:
        self.sample = text[:SCORE_CHARS]
        # The high byte of each UTF-16 code unit, and those of the bad and odd blocks.
        self._high = self.sample.encode("utf-16-le", "surrogatepass")[1::2]
        self._junk = self._high.translate(None, _tables().not_junk)
        self._first: tuple[int, int, int] | None = None  # counts with the first charmap

    def ceiling(self) -> float:
        if not self.sample:
            return 1.0
        bad = len(self._junk.translate(None, _tables().not_bad))
        return max(0.0, 1.0 - 3 * bad / len(self.sample))

    def floor(self) -> float:
        return _score(*self._first_counts(), len(self.sample)) if self.sample else 1.0

    def exact(self) -> float:
        return _score(*self.counts(), len(self.sample)) if self.sample else 1.0

    def counts(self) -> tuple[int, int, int]:
        """Han characters, frequent Han characters, bad characters (mojibake x5)."""
        han, frequent, bad = self._first_counts()
        return han, frequent + _found(self.sample, _tables().later), bad

    def _first_counts(self) -> tuple[int, int, int]:
        if self._first is None:
            self._first = self._count()
        return self._first

    def _count(self) -> tuple[int, int, int]:
        t, sample = _tables(), self.sample
        han = len(self._high.translate(None, t.not_han))
        bad = by_block = len(self._junk.translate(None, t.not_bad))
        special = b"".join([codecs.charmap_encode(sample, "ignore", charmap)[0].translate(flags)
                            for charmap, flags in t.special])
        han += len(special.translate(None, _WITHOUT[_HAN_FLAG]))
        bad += len(special.translate(None, _WITHOUT[_BAD_FLAG]))
        frequent = len(special.translate(None, _WITHOUT[_FREQ])) + _found(sample, t.first)
        if t.ufffe:
            bad += sample.count("\ufffe")
        if len(self._junk) != by_block:  # characters of odd blocks
            odd = "".join(t.odd.findall(sample))
            odd_han = "".join(_HAN.findall(odd))
            han += len(odd_han)
            frequent += sum(map(t.frequent.__contains__, odd_han))
            bad += len(_BAD.findall(odd))
        if special.translate(None, _WITHOUT[_MOJI_FLAG]):
            bad += 5 * len(_MOJIBAKE.findall(sample))
        return han, frequent, bad


def plausibility(text: str) -> float:
    """How much ``text`` looks like real Chinese (or plain text): roughly 0..1."""
    return Score(text).exact()
