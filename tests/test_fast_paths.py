"""Shortcuts taken for speed must give exactly what the straightforward code gives."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from reflow_reference import _TRIM
from speechclean.decode import _SURE_MARGIN, LEGACY_CANDIDATES, Decoded, _choose, _confidence
from speechclean.literals import analyze
from speechclean.pipeline import NOT_REGEX_SPACE, visible_chars
from speechclean.plausibility import (
    _BAD,
    _HAN,
    _MOJIBAKE,
    _MOJIBAKE_FIRST,
    SCORE_CHARS,
    Score,
    _frequent_chars,
    _frequent_ranked,
    _tables,
    plausibility,
)
from speechclean.prefilter import LineScanner
from speechclean.reflow import LINE_SPACE, display_width, join_broken_lines, trim_lines
from speechclean.rulefiles import load_rules


def test_visible_chars_counts_what_regex_does_not_call_space():
    space = regex.compile(r"\s")
    python_only = {chr(i) for i in range(0x110000) if chr(i).isspace() and not space.match(chr(i))}
    regex_only = {chr(i) for i in range(0x110000) if space.match(chr(i)) and not chr(i).isspace()}
    assert python_only == set(NOT_REGEX_SPACE) and not regex_only
    text = "\u3000\u3000讲话\x1c稿 \t\n第二行\xa0\u2028"
    assert visible_chars(text) == len(text) - len(space.findall(text)) == 7


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("讲话ab") == 6
    assert display_width("ＡＢ") == 4  # fullwidth forms are wide


def test_line_scanner_finds_overlapping_literals():
    book = load_rules()
    scanner = LineScanner(book.rules())
    rules = [r for r in book.rules() if scanner.covers(r)]
    line = "相关下载举报收藏"
    size, found = scanner.scan(line)
    assert size == len(line)
    # Every covered rule whose pattern matches the whole line was reported as a candidate.
    for r in rules:
        if r.compiled.match(line + "\n"):
            assert r.id in found


def test_join_broken_lines_after_an_open_annotation():
    text = "我们要戮(lù\n)力同心，共同奋斗，一起把这件事情做好，把日子过得越来越好。\n"
    assert join_broken_lines(text)  # the break inside "(lù⏎)" is joined


def test_trim_shortcut_finds_what_the_pattern_finds():
    space = regex.compile(r"\s")
    assert LINE_SPACE == {chr(i) for i in range(0x110000) if space.match(chr(i))} - {"\n"}
    for text in ["", "\n", "a", "a\nb\n", " a", "a ", "a\n\u3000b", "a\u2028 \nb", "\n\n \n",
                 "a \u2028b", "a\rb\r\n", "句子。\xa0"]:
        expected = [(m.start(), m.end()) for m in _TRIM.finditer(text)]
        assert [(e.start, e.end) for e in trim_lines(text)] == expected, repr(text)


_BOOK = load_rules()
_SCANNER = LineScanner(_BOOK.rules())
_LITERAL_RULES = [r for r in _BOOK.rules() if _SCANNER.covers(r) and analyze(r.pattern).required]
_LITERALS = sorted({lit for r in _LITERAL_RULES for lit in analyze(r.pattern).required})
# Pieces of literals too, so that literals overlap and run into each other.
_PIECES = _LITERALS + sorted({lit[i:] for lit in _LITERALS for i in range(1, len(lit))})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text("第页共 /:-。", max_size=3)),
                max_size=8).map("".join))
def test_scanner_reports_every_rule_whose_literal_a_line_holds(line):
    """One findall pass per line skips literals that start inside a reported one; the
    closure table must make up for every one of them."""
    size, found = _SCANNER.scan(line)
    if size > _SCANNER.max_length:
        return
    for rule in _LITERAL_RULES:
        if size <= rule.max_length and any(lit in line for lit in analyze(rule.pattern).required):
            assert rule.id in found, (rule.id, line)


# decode: plausibility counted by blocks and charmaps, and the candidate chosen from bounds.

def plain_counts(sample: str) -> tuple[int, int, int]:
    """decode's counts as first written: Han, frequent Han, bad (mojibake x5)."""
    han = _HAN.findall(sample)
    frequent = _frequent_chars()
    bad = len(_BAD.findall(sample)) + 5 * len(_MOJIBAKE.findall(sample))
    return len(han), sum(c in frequent for c in han), bad


def plain_plausibility(text: str) -> float:
    sample = text[:SCORE_CHARS]
    if not sample:
        return 1.0
    han, frequent, bad = plain_counts(sample)
    score = frequent / han if han else 0.5
    return max(0.0, score - 3 * bad / len(sample))


def plain_choose(candidates: list[tuple[str, str]]) -> Decoded | None:
    """decode's choice among strict decodes as first written: score all, sort."""
    scored = sorted(((plain_plausibility(t), enc, t) for enc, t in candidates),
                    key=lambda x: x[0], reverse=True)
    if not scored:
        return None
    best, enc, text = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return Decoded(text, enc, _confidence(best, runner_up)) if best >= 0.15 else None


def test_score_counts_every_code_point():
    for i in range(0x10000):  # one by one: a block or map mistake shows as the character
        c = chr(i)
        assert Score(c).counts() == plain_counts(c), hex(i)
    for start in range(0x10000, 0x110000, SCORE_CHARS):  # astral: classified by the classes
        chunk = "".join(map(chr, range(start, min(start + SCORE_CHARS, 0x110000))))
        assert Score(chunk).counts() == plain_counts(chunk), hex(start)


def test_mojibake_starts_with_a_first_character():
    # Each completion of one alternative of _MOJIBAKE, after any other character: no match.
    completions = ("斤拷", "烫烫", "屯屯", "x", "€", "»¿", "鍦")
    for i in range(0x10000):
        c = chr(i)
        if c not in _MOJIBAKE_FIRST:
            assert not any(_MOJIBAKE.match(c + rest) for rest in completions), hex(i)
    for text in ("锟斤拷锟斤拷", "烫烫烫烫", "屯屯屯", "Ã©tÃ©", "â€œ", "ï»¿标题", "鍦ㄤ簬鐨勬槸", "浜嗕"):
        assert Score(text).counts() == plain_counts(text)


def test_score_charmaps_are_c_lookups():
    # A charmap of more than 255 characters or astral ones falls back to a dict: still
    # exact, but a Python lookup per character.
    t = _tables()
    maps = [m for m, _ in t.special] + list(t.first) + list(t.later)
    assert all(type(m).__name__ == "EncodingMap" for m in maps)


SEED_TEXT = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
odd_chars = st.sampled_from(
    "\x00\x01\x0b\x1b\x7f\x85\xa0\xc3\xe2\xef\u0387\u0530\u2065\u20c1\u2427\u2460\u2e80\u2e9a"
    "\u3005\u3007\u3040\u4db5\u4dc0\ud800\udc00\ue000\uf8ff\ufa6e\ufe53\uffbf\ufffd\ufffe"
    "\uffff\U00016fe2\U00020000\U0002a6e0\U000f0000" + _MOJIBAKE_FIRST + "斤拷烫屯€»¿鍦鐨")


@st.composite
def chinese(draw) -> str:
    start = draw(st.integers(0, len(SEED_TEXT)))
    return SEED_TEXT[start : start + draw(st.integers(0, 2 * SCORE_CHARS))]


@st.composite
def misread(draw) -> str:
    """Chinese text in one legacy encoding read as another: what the candidates look like."""
    text = draw(chinese())
    codec, other = draw(st.permutations(["gb18030", "big5hkscs", "utf-8", "gbk"]))[:2]
    return text.encode(codec, "ignore").decode(other, draw(st.sampled_from(["ignore",
                                                                            "replace"])))


@st.composite
def sprinkled(draw) -> str:
    """Text with odd characters (mixed blocks, astral, surrogates, junk, mojibake) in it."""
    parts = draw(st.lists(st.one_of(chinese(), st.text(odd_chars, max_size=20),
                                    st.text(max_size=20)), max_size=6))
    return "".join(parts)


FREQUENT = _frequent_ranked()
CLASSES = (
    FREQUENT[:200],  # the first charmap's
    FREQUENT[300:],  # the later charmaps'
    "".join(c for c in map(chr, range(0x9F00, 0x9F40)) if c not in FREQUENT),  # rare Han
    "\ue000\ue123\uf8ff\ufffd\x01\x7f",  # bad
    "，。、“” \n\u3000abc123",  # neither
)


@st.composite
def blend(draw) -> str:
    """Frequent, rare, bad and other characters in any proportion: scores over all 0..1."""
    return "".join(draw(st.text(st.sampled_from(chars), max_size=draw(st.integers(0, 900))))
                   for chars in CLASSES)


texts = st.one_of(chinese(), misread(), sprinkled(), blend())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_plausibility_and_its_bounds_are_the_plain_score(text):
    score = Score(text)
    assert score.exact() == plain_plausibility(text) == plausibility(text)
    assert score.floor() <= score.exact() <= score.ceiling()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LEGACY_CANDIDATES), texts), max_size=3))
def test_choose_picks_what_scoring_all_picks(candidates):
    assert _choose(candidates) == plain_choose(candidates)


@given(st.floats(0.5, 1.0), st.floats(0.0, 1.0))
def test_confidence_saturates_past_the_sure_margin(score, runner_up):
    if runner_up <= score - _SURE_MARGIN:
        assert _confidence(score, runner_up) == 1.0


def test_choose_at_the_thresholds():
    # Scores from 0 to 1 in steps of 0.01, and just around 0.15, 0.5 and the sure margin,
    # alone or beside a reading that is partly private use.
    frequent, rare, junk = FREQUENT[0], CLASSES[2][0], "\ue000"
    for share in [i / 100 for i in range(101)] + [0.149, 0.151, 0.309, 0.311, 0.499, 0.501]:
        a = round(1000 * share)
        text = frequent * a + rare * (1000 - a)
        for other in ("", junk * 50 + frequent * 400, junk * 150 + frequent * 400):
            candidates = [("gb18030", text)] + ([("big5hkscs", other)] if other else [])
            assert _choose(candidates) == plain_choose(candidates), (share, other)
            assert _choose(candidates[::-1]) == plain_choose(candidates[::-1])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\r\n\u2028\u2029\x85\x0b\x0ca\ufeff\u200b 字", max_size=30))
def test_normalize_turns_line_breaks_into_lf_as_the_pattern_does(text):
    from speechclean.pipeline import _INVISIBLE, _NEWLINES, Pipeline

    notes: list[str] = []
    got = Pipeline._normalize(text, notes)
    newlines = len(_NEWLINES.findall(text))
    expected = _NEWLINES.sub("\n", text)
    invisible = len(_INVISIBLE.findall(expected))
    assert got == _INVISIBLE.sub("", expected)
    assert any(f"{newlines} CR/CRLF" in n for n in notes) == bool(newlines)
    assert any(f"{invisible} BOM" in n for n in notes) == bool(invisible)


def test_inputs_are_selected_as_pure_path_match_selects(tmp_path):
    from pathlib import PurePosixPath

    from speechclean.io import iter_inputs

    for rel in ["a.txt", "B.TXT", "0.txt", "sub/c.txt", "sub/deep/d.md", "x.txt.bak", "ab.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    every = [rel for _, rel in iter_inputs(tmp_path, "*")]  # walk order
    assert len(every) == 7
    for glob in ["*.txt", "*.TXT", "0*", "[ab]*.txt", "*", "sub/*.txt", "*/*.md", "./*.txt"]:
        got = [rel for _, rel in iter_inputs(tmp_path, glob)]
        assert got == [r for r in every if PurePosixPath(r).match(str(PurePosixPath(glob)))], glob
