"""decode: bytes -> text, with the encoding and how sure we are.

Order: BOM, strict UTF-8, strict decodes of the few real candidates (GB18030, Big5-HKSCS,
UTF-16 without BOM) scored by how plausible the text they yield is, and chardet on a bounded
sample only when nothing decodes strictly. Plausibility matters because the legacy codecs
accept each other's bytes: Big5 read as GBK (or GBK as Big5) "decodes" into rare-character
nonsense, which the score rejects in favour of common Chinese.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import regex

from .errors import NotTextError
from .plausibility import Score, plausibility

SAMPLE_BYTES = 64 * 1024  # what chardet and the binary checks look at: enough, cheap


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    confidence: float  # 0..1
    replaced: int = 0  # undecodable byte sequences replaced by U+FFFD


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL = regex.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Performance (helper E): the same count as _CONTROL without a match object per hit
# (bytes.translate counts in C).
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))


def _looks_binary(data: bytes) -> bool:
    head = data[:SAMPLE_BYTES]
    if not head:
        return False
    controls = len(head.translate(None, _NOT_CONTROL))  # what is left: == len(_CONTROL.findall)
    return controls > max(8, len(head) // 200)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (newlines, digits) leave NULs on one side."""
    head = data[: SAMPLE_BYTES & ~1]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd > 2 * even and odd >= 2:
        return "utf-16-le"
    if even > 2 * odd and even >= 2:
        return "utf-16-be"
    return None


def _replaced(data: bytes, encoding: str, decoded: str) -> int:
    """How many U+FFFD in ``decoded`` stand for undecodable bytes (a file may hold real
    U+FFFD characters, which are text, not damage)."""
    n = decoded.count("\ufffd")
    return n - data.decode(encoding, errors="ignore").count("\ufffd") if n else 0


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_CHARDET_TO_CODEC = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "euc-tw": "big5hkscs",
    "hz-gb-2312": "gb18030",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "ascii": "utf-8",
    "utf-16": "utf-16",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
}

LEGACY_CANDIDATES = ("gb18030", "big5hkscs")
MAX_DAMAGED_CONFIDENCE = 0.9  # a file that needed replacements is never "certain"


def _chardet_guess(data: bytes) -> tuple[str | None, float]:
    import chardet  # only here: it is slow to import and rarely needed

    found = chardet.detect(data[:SAMPLE_BYTES])
    name = (found.get("encoding") or "").lower()
    return _CHARDET_TO_CODEC.get(name, name or None), float(found.get("confidence") or 0.0)


def _confidence(score: float, runner_up: float) -> float:
    # A real document scores ~0.5-0.8; a clear margin over the next candidate adds trust.
    base = min(1.0, score / 0.5)
    margin = min(1.0, max(0.0, score - runner_up) / 0.3)
    return round(max(0.05, min(1.0, 0.5 * base + 0.5 * margin * base)), 3)


# _confidence gives 1.0 to a score >= 0.5 that leads the next by >= 0.3; 0.31 leaves room
# for rounding in the subtraction.
_SURE_MARGIN = 0.31


def _choose(candidates: list[tuple[str, str]]) -> Decoded | None:
    """The best-scoring (encoding, text) candidate, ties to the first, if it scores >= 0.15;
    confident by its margin over the runner-up.

    Plainly: score every candidate in full. Most files are decided by bounds instead (one
    strict decode, or Big5 read as GB18030 beside the real Big5): when the candidate with
    the highest ceiling has a floor >= 0.5 and every other ceiling is _SURE_MARGIN below
    that floor, its score beats every other and _confidence gives 1.0, whatever the exact
    scores are.
    """
    if not candidates:
        return None
    scores = [Score(text) for _, text in candidates]
    ceilings = [s.ceiling() for s in scores]
    lead = ceilings.index(max(ceilings))
    floor = scores[lead].floor()
    if floor >= 0.5 and all(c <= floor - _SURE_MARGIN
                            for i, c in enumerate(ceilings) if i != lead):
        enc, text = candidates[lead]
        return Decoded(text, enc, 1.0)
    scored = [(s.exact(), enc, text) for s, (enc, text) in zip(scores, candidates, strict=True)]
    scored.sort(key=lambda t: t[0], reverse=True)  # stable: a tie keeps the first
    best, enc, text = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return Decoded(text, enc, _confidence(best, runner_up)) if best >= 0.15 else None


def decode(data: bytes) -> Decoded:
    """Decode scraped bytes. Raises ``NotTextError`` for binary input."""
    if not data:
        return Decoded("", "utf-8", 1.0)
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = _strict(body, name)
            if text is not None:
                return Decoded(text, name, 1.0)
            text = body.decode(name, errors="replace")  # a BOM, then damage (truncation)
            return Decoded(text, name, MAX_DAMAGED_CONFIDENCE, _replaced(body, name, text))

    utf16 = _utf16_guess(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None and plausibility(text) > 0.2:
            return Decoded(text, utf16, 0.9)
        # A truncated download ends on half a character: a few replacements, not binary.
        text = data.decode(utf16, errors="replace")
        replaced = _replaced(data, utf16, text)
        if replaced <= max(2, len(text) // 1000) and plausibility(text) > 0.2:
            return Decoded(text, utf16, 0.8, replaced)
    if b"\x00" in data[:SAMPLE_BYTES] or _looks_binary(data):
        raise NotTextError("binary file (NUL or control bytes), not text")

    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8" if not data.isascii() else "ascii", 1.0)

    # Strict decodes of the legacy candidates, scored.
    candidates = [(enc, _strict(data, enc)) for enc in LEGACY_CANDIDATES]
    chosen = _choose([(enc, text) for enc, text in candidates if text is not None])
    if chosen is not None:
        return chosen

    # Nothing decodes cleanly: a few bad bytes in a real file. Ask chardet on a sample,
    # then let plausibility (minus replacements) choose among its guess and the usual ones.
    guess, _ = _chardet_guess(data)
    options = dict.fromkeys([g for g in (guess,) if g] + ["utf-8", *LEGACY_CANDIDATES])
    ranked: list[tuple[float, str, str, int]] = []
    for enc in options:
        try:
            cand = data.decode(enc, errors="replace")
        except (LookupError, UnicodeError):
            continue
        bad = _replaced(data, enc, cand)
        score = plausibility(cand) - 20 * bad / max(1, len(cand))
        ranked.append((score, enc, cand, bad))
    ranked.sort(key=lambda t: t[0], reverse=True)
    score, enc, cand, bad = ranked[0]  # utf-8 with errors="replace" always decodes
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    # Replaced bytes are damage: never claim full certainty for such a file.
    confidence = min(_confidence(max(score, 0.0), max(runner_up, 0.0)), MAX_DAMAGED_CONFIDENCE)
    return Decoded(cand, enc, confidence, bad)
