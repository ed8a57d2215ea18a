"""reflow: the fixes that put text back into one paragraph per line (unit level, each fix
on its own, then through the pipeline where the rules matter)."""

from __future__ import annotations

import pytest

from speechclean.document import apply_edits
from speechclean.reflow import (
    FIXES,
    display_width,
    drop_duplicate_titles,
    is_latin,
    join_broken_lines,
    join_wrapped_lines,
    wrap_width,
)

PARA = (
    "同志们，今年是实施“十四五”规划承上启下的关键之年，做好今年的经济工作意义重大。我们要坚持"
    "稳字当头、稳中求进，统筹发展和安全，全力以赴稳增长、调结构、促改革、惠民生、防风险，推动"
    "全市经济实现质的有效提升和量的合理增长。"
)
PARA2 = (
    "从外部环境看，世界百年未有之大变局加速演进，外部环境的复杂性、严峻性、不确定性上升；从内部"
    "条件看，我市经济长期向好的基本面没有改变，发展的韧性强、潜力大、活力足。"
)


def wrap(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def fix(find, text: str) -> str:
    return apply_edits(text, find(text))


def test_fix_order_is_documented():
    assert [f.id for f in FIXES] == [
        "reflow/join-wrapped-lines", "reflow/trim", "reflow/join-broken-lines",
        "reflow/split-title-salutation", "reflow/duplicate-title", "reflow/blank-lines",
    ]


# ------------------------------------------------------------------ hard-wrapped text
@pytest.mark.parametrize("width", [24, 30, 34, 52])
def test_wrapped_paragraphs_are_rejoined(width):
    text = "在全市经济工作会议上的讲话\n" + wrap(PARA, width) + "\n" + wrap(PARA2, width) + "\n"
    out = fix(join_wrapped_lines, text)
    assert out.split("\n")[1:3] == [PARA, PARA2]
    assert out.startswith("在全市经济工作会议上的讲话\n")


def test_a_full_line_ending_a_sentence_is_a_paragraph_end_unless_indents_say_otherwise():
    # wrapped at 40, the first line of PARA ends with 。 exactly at the width
    plain = wrap(PARA, 40) + "\n" + wrap(PARA2, 40) + "\n"
    first = wrap(PARA, 40).split("\n")[0]
    assert first.endswith("。") and len(first) == 40
    out = fix(join_wrapped_lines, plain).split("\n")
    assert out[:3] == [first, PARA[len(first):], PARA2]  # no sign it continues: kept apart
    indented = "\u3000\u3000" + wrap(PARA, 40) + "\n\u3000\u3000" + wrap(PARA2, 40) + "\n"
    out = fix(join_wrapped_lines, indented).split("\n")
    assert [line.strip("\u3000") for line in out[:2]] == [PARA, PARA2]


def test_wrapped_with_blank_lines_between_every_line():
    text = "\n\n".join(wrap(PARA, 30).split("\n")) + "\n"
    assert fix(join_wrapped_lines, text).strip() == PARA


def test_wrap_by_display_columns_with_digits_and_latin():
    para = ("2023年全市GDP增长5.2%，5G基站新增3000个，PM2.5平均浓度下降到32微克每立方米，"
            "空气质量优良天数比例达到百分之八十六，城乡居民收入稳步增长，民生福祉持续增进。")
    lines, line = [], ""
    for ch in para:  # wrap at 40 columns, CJK counting two
        if display_width(line + ch) > 40:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    assert len({len(x) for x in lines[:-1]}) > 1  # character counts differ
    assert fix(join_wrapped_lines, "\n".join(lines) + "\n").strip() == para


def test_wrapped_heading_and_salutation_are_not_glued():
    text = "同志们：\n" + wrap(PARA, 30) + "\n一、坚定不移抓好项目建设\n" + wrap(PARA2, 30) + "\n"
    out = fix(join_wrapped_lines, text).split("\n")
    assert out[:4] == ["同志们：", PARA, "一、坚定不移抓好项目建设", PARA2]


def test_unwrapped_document_is_left_alone():
    # parallel headings of one length are not a wrap: they are never adjacent
    text = (
        "坚持问题导向聚焦短板弱项推动工作落实\n" + PARA + "\n"
        "坚持目标导向突出重点任务推动创新发展\n" + PARA2 + "\n"
        "坚持结果导向强化督查考核推动责任落实\n" + PARA + "\n"
    )
    assert wrap_width(text.split("\n")) is None
    assert join_wrapped_lines(text) == []


def test_a_list_of_equal_titles_is_not_glued_to_the_body():
    titles = ["全市召开安全生产工作会议部署重点任务", "全县秋冬季农业生产工作会议召开部署"]
    text = PARA + "\n" + "\n".join(titles) + "\n"
    assert join_wrapped_lines(text) == []


def test_wrapped_chinese_is_not_glued_to_english():
    english = "Distinguished guests, ladies and gentlemen, it gives me great pleasure to welcome you"
    text = wrap(PARA, 30) + "\n" + english + "\n"
    out = fix(join_wrapped_lines, text).split("\n")
    assert out[:2] == [PARA, english]


# ------------------------------------------------------------------ broken lines
def test_english_paragraph_is_not_joined_to_chinese():
    chinese = "我们将继续扩大对外开放，持续优化营商环境，欢迎世界各地的投资者来我市共享发展机遇，谢谢大家"
    english = "Distinguished guests, ladies and gentlemen, dear friends, good morning"
    assert join_broken_lines(chinese + "\n" + english + "\n") == []
    assert join_broken_lines(english + "\n" + chinese + "\n") == []


def test_is_latin():
    assert is_latin("Thank you all for coming to the festival")
    assert not is_latin("推广5G、工业互联网和AI应用，推动GDP增长")
    assert not is_latin("5G")


def test_line_starting_with_continuation_punctuation_is_joined():
    text = "外部环境的复杂性、严峻性\n、不确定性上升。\n"
    assert fix(join_broken_lines, text) == "外部环境的复杂性、严峻性、不确定性上升。\n"


def test_existing_joins_still_work():
    text = "既是推进“四个全面”战略布局、提升市民文明素质的过程，也是促进经济社会转型发展、“两个文明”\n协调发展的过程。\n"
    assert fix(join_broken_lines, text) == text.replace("\n协调", "协调")


# ------------------------------------------------------------------ duplicate titles
@pytest.mark.parametrize(
    "page_title",
    [
        "在全市卫生健康工作会议上的讲话_文档之家",
        "在全市卫生健康工作会议上的讲话 - 百度文库",
        "在全市卫生健康工作会议上的讲话（精选）.pdf",
        "在全市卫生健康工作会议上的讲话【精选3篇】",
        "在全市卫生健康工作会议上的讲话(2)",
        "在全市卫生健康工作会议上的讲话.docx",
    ],
)
def test_page_title_with_site_suffix_is_a_duplicate(page_title):
    text = f"{page_title}\n上传人：某某\n在全市卫生健康工作会议上的讲话\n同志们：\n"
    out = fix(drop_duplicate_titles, text)
    assert out == "上传人：某某\n在全市卫生健康工作会议上的讲话\n同志们：\n"


def test_different_titles_both_stay():
    text = "2023-2024学年第一学期开学典礼\n在2023-2024学年开学典礼上的讲话\n"
    assert drop_duplicate_titles(text) == []


# ------------------------------------------------------------------ through the pipeline
def test_pipeline_rejoins_and_is_idempotent(pipeline):
    text = "公文范文网\n在全市经济工作会议上的讲话\n" + wrap(PARA, 34) + "\n\n" + wrap(PARA2, 34) + "\n"
    out = pipeline.clean(text).text
    assert out == f"在全市经济工作会议上的讲话\n{PARA}\n{PARA2}\n"
    assert pipeline.clean(out).text == out


def test_bilingual_speech_keeps_both_versions(pipeline):
    zh = "女士们、先生们，欢迎各位来到美丽的江城，参加国际友好城市交流周开幕式，谢谢大家"
    en = [
        "Ladies and gentlemen, welcome to our city for the International Exchange Week",
        "Over the past decade, our city has built 5G networks covering every district.",
    ]
    out = pipeline.clean("\n".join([zh, *en]) + "\n").text.split("\n")
    assert out[:3] == [zh, *en]
