"""The reflow fixes are fast versions of tests/reflow_reference.py: for any text they must
give exactly the reference's list of edits (fast path == plain path)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reflow_reference as ref
import sitedocs
from conftest import ROOT, SEEDS
from speechclean import pipeline as pipeline_module
from speechclean import reflow
from speechclean.document import apply_edits

FIXES = [f.find.__name__ for f in reflow.FIXES]
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same_edits(text: str) -> None:
    for name in FIXES:
        assert getattr(reflow, name)(text) == getattr(ref, name)(text), (name, text)
    found, expected = reflow.wrap_width(text.split("\n")), ref.wrap_width(text.split("\n"))
    assert (found and (found[0].__name__, found[1])) == (
        expected and (expected[0].__name__, expected[1])
    ), text


def same_on_the_way(text: str) -> None:
    """Each fix on the text as the pipeline hands it over: after the fixes before it, in
    two rounds."""
    for _ in range(2):
        for name in FIXES:
            edits = getattr(ref, name)(text)
            assert getattr(reflow, name)(text) == edits, (name, text)
            text = apply_edits(text, edits)


# ------------------------------------------------------------------ generated text
han = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E60), min_size=1,
              max_size=14)
terminal = st.sampled_from(sorted(ref.TERMINAL))
closer = st.sampled_from(sorted(ref.CLOSERS))
opener = st.sampled_from(sorted(ref.OPENERS))
continuation = st.sampled_from(sorted(ref.CONTINUATION))
prose = st.sampled_from(list("，,、；;"))
space = st.sampled_from([" ", "\u3000", "\t", "\xa0", "\r", "\u2028", "\x85", "\u2003", "\x0c"])
latin = st.sampled_from(["The economy", " grows ", "GDP", "Ladies and gentlemen", "abc",
                         "Thank you very much", "5G", "word", "x"])
marker = st.sampled_from([
    "一、", "十二.", "（三）", "(2)", "1.", "12、", "3.5", "第一章", "第3节", "一是", "首先，",
    "最后,", "同志们", "同志们:", "同志们：", "同志们、朋友们：", "各位领导、", "尊敬的", "女士们",
    "(2021年", "（注", "(lù", "讲话", "发言材料", "致辞", "报告", "_文档之家", " - 百度文库", "|某某网",
    ".docx", "(精选)", "（2）", "【推荐】", "(完整版)", "“两个文明”", "。”", "……", "ＡＢ", "〇",
])  # fmt: skip
piece = st.one_of(han, han, han, terminal, closer, opener, continuation, prose, space, latin,
                  marker)
line = st.lists(piece, max_size=10).map("".join)


@st.composite
def wrapped(draw) -> str:
    """A paragraph hard-wrapped at a width (characters or columns), maybe indented."""
    para = "".join(draw(st.lists(st.one_of(han, han, prose, terminal, latin, closer, opener),
                                 min_size=4, max_size=30)))
    width = draw(st.integers(18, 44))
    indent = draw(st.sampled_from(["", "", "\u3000\u3000", "  "]))
    columns = draw(st.booleans())
    rows, row = [], ""
    for ch in para:
        if (ref.display_width(row + ch) if columns else len(row + ch)) > width:
            rows.append(row)
            row = ""
        row += ch
    rows.append(row)
    rows[0] = indent + rows[0]
    return "\n".join(rows)


@st.composite
def sized(draw) -> str:
    """A line just under, at or just over one of the lengths the fixes compare with."""
    size = draw(st.sampled_from([8, 9, 10, 19, 20, 21, 39, 40, 41, 79, 80, 81, 119, 120, 121]))
    head = draw(st.sampled_from(["", "", "一、", "（三）", "\u3000\u3000", "Ab "]))
    body = draw(st.text(alphabet="甲乙丙丁，、(（abＡ", min_size=size, max_size=size))
    end = draw(st.sampled_from(["", "", "。", "”", "，", "(", "（注", "。”", " "]))
    return (head + body)[: size - len(end)] + end


@st.composite
def titles(draw) -> str:
    """A title and copies of it in other widths, quotes, spacing and suffixes."""
    title = draw(st.lists(st.one_of(han, marker, latin, st.just("“")), min_size=1, max_size=4))
    title = draw(st.one_of(st.just("".join(title)), sized()))
    site = draw(st.sampled_from(["_文档之家", "—某网", " - 百度文库", "|" + "网" * 20, "_" + "网" * 21]))
    copies = draw(st.lists(st.sampled_from(["", site, "(精选)", ".doc", " ", "（2）", "【精选3篇】"]),
                           max_size=3))
    return "\n".join(title + c for c in ["", *copies])


glued = st.tuples(
    st.lists(st.one_of(han, latin, marker), max_size=4).map("".join),
    st.sampled_from(["讲话", "讲话材料", "发言", "致辞", "报告", "演讲稿", "会议"]),
    st.sampled_from(["", "", "各位领导、", "各位来宾，", "各位，"]),
    st.sampled_from(["同志们:", "同志们：", "同志们、朋友们：", "同志们，", "同志们"]),
    line,
).map("".join)  # a title glued to the salutation (or nearly)
block = st.one_of(line, line, line, wrapped(), titles(), glued, sized(), sized())
separator = st.sampled_from(["\n", "\n", "\n", "\n\n", "\n \n", "\n\u3000\n", "\n\n\n", "\r\n"])
document = st.lists(st.tuples(block, separator), max_size=24).map(
    lambda parts: "".join(a + b for a, b in parts)
) | st.lists(st.tuples(block, separator), max_size=24).map(
    lambda parts: "".join(a + b for a, b in parts).rstrip("\n")
)


@given(document)
@SETTINGS
@example("我们要戮(lù\n)力同心，共同奋斗，一起把这件事情做好，把日子过得越来越好。\n")
@example("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥。\n”\n，乙\n")
@example("(注\n”\n)乙\n")
@example("")
@example("\n\n")
def test_fast_fixes_equal_the_reference(text):
    same_edits(text)
    same_on_the_way(text)


@given(st.lists(st.one_of(wrapped(), wrapped(), sized(), marker), min_size=1, max_size=8),
       separator, st.sampled_from(["\n", ""]))
@SETTINGS
def test_fast_fixes_equal_the_reference_on_wrapped_text(blocks, sep, end):
    same_on_the_way(sep.join(blocks) + end)


@given(st.lists(st.one_of(titles(), sized(), line), min_size=1, max_size=8), separator)
@SETTINGS
def test_fast_fixes_equal_the_reference_on_the_head(blocks, sep):
    same_edits(sep.join(blocks))


@given(st.text(alphabet=st.sampled_from("甲乙。，”)（(ab \n\u3000-_|.d"), max_size=80))
@SETTINGS
def test_fast_fixes_equal_the_reference_on_dense_punctuation(text):
    same_edits(text)


@given(st.one_of(line, sized(), st.text(alphabet="甲乙丙abcdefgXY，. ", max_size=40)))
@SETTINGS
@example("甲乙丙丁abcdefgh")  # 8 letters, 4 Han: not Latin
@example("甲乙丙abcdefgh")
def test_is_latin_equals_the_reference(text):
    assert reflow.is_latin(text) == ref.is_latin(text)


# ------------------------------------------------------------------ real documents
def _documents() -> list[tuple[str, str]]:
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    docs += [(p.name, p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))]
    for i, speech in enumerate(sitedocs.SPEECHES):
        for builder in (sitedocs.rulaiwenku, sitedocs.sucai198, sitedocs.wenmi,
                        sitedocs.kulewenxing, sitedocs.panjin):
            docs.append((f"{builder.__name__}-{i}", builder(speech, seed=i)[0]))
    return docs


@pytest.mark.parametrize(("name", "text"), _documents(), ids=lambda v: v[:24])
def test_fast_fixes_equal_the_reference_on_documents(name, text):
    same_edits(text)
    same_on_the_way(text)
    same_edits(text.replace("\n", "\n\n"))  # as a preview flattens them


def test_fast_fixes_equal_the_reference_inside_the_pipeline(monkeypatch, pipeline):
    """Every text the pipeline hands a fix (after the rules, in every round)."""
    calls = []

    def checked(fix):
        def find(text):
            calls.append(fix.id)
            edits = fix.find(text)
            assert edits == getattr(ref, fix.find.__name__)(text), (fix.id, text)
            return edits

        return reflow.Fix(fix.id, fix.category, fix.action, find, fix.description)

    monkeypatch.setattr(pipeline_module, "FIXES", tuple(map(checked, reflow.FIXES)))
    for name, text in _documents():
        pipeline.clean(text.encode("utf-8"), name)
    assert len(calls) >= len(FIXES) * len(_documents())  # the pipeline ran the fixes here
