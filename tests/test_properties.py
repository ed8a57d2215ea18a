"""Hypothesis properties of the whole pipeline: idempotent, deterministic, and nothing is
lost outside the recorded changes."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from speechclean import Pipeline
from speechclean.document import undo_changes

PIPELINE = Pipeline.from_rules()

# Real material to mix: seed lines (content and boilerplate alike) and typical chrome.
SEED_LINES = sorted(
    {line for p in SEEDS.glob("*.txt") for line in p.read_text(encoding="utf-8").splitlines()}
)
CHROME = [
    "上一篇 2021年3月2日", "返回顶部", "第2页 / 共8页", "加客服微信:5551234", "扫码关注",
    "您现在所在的位置: 首页 > 新闻 > 讲话", "发布时间:2023-01-02 来源:新华网 浏览次数:88",
    "............试读结束............", "展开阅读全文", "(0)", "12345", "同志们:", "  ",
    "　　今天我们召开会议。", "一、加强领导", "在全市工作会议上的讲话", "x0dx0a",
]  # fmt: skip
cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=60)
ascii_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
punct = st.sampled_from(list("，。、：；！？“”（）《》,.:()—…"))
line = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(CHROME),
    st.lists(st.one_of(cjk, ascii_text, punct), max_size=6).map("".join),
)
newline = st.sampled_from(["\n", "\n\n", "\r\n", "\n  \n"])
document = st.lists(st.tuples(line, newline), max_size=25).map(
    lambda parts: "".join(a + b for a, b in parts)
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(document)
def test_cleaning_clean_output_changes_nothing(text):
    once = PIPELINE.clean(text.encode("utf-8")).data
    twice = PIPELINE.clean(once).data
    assert twice == once


@SETTINGS
@given(document)
def test_cleaning_is_deterministic(text):
    data = text.encode("utf-8")
    first = PIPELINE.clean(data)
    again = pickle.loads(pickle.dumps(PIPELINE)).clean(data)
    assert first.data == again.data
    assert first.changes == again.changes


@SETTINGS
@given(document)
def test_no_text_lost_outside_recorded_changes(text):
    """Undoing every recorded change gives back the text the rules stage started from."""
    result = PIPELINE.clean(text.encode("utf-8"))
    assert undo_changes(result.text, result.changes) == result.source


@SETTINGS
@given(document)
def test_output_shape(text):
    out = PIPELINE.clean(text.encode("utf-8")).text
    lines = out.split("\n")
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))
    assert "" not in lines[:-1]
    assert all(line == line.strip() for line in lines)
    assert "\r" not in out and "\ufeff" not in out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=12))
def test_seed_lines_in_any_order_stay_idempotent(lines):
    once = PIPELINE.clean("\n".join(lines)).text
    assert PIPELINE.clean(once).text == once
