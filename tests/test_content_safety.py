"""Content safety: ordinary speech text that mentions the words site boilerplate is made
of (微信, 公众号, 二维码, 网站, 版权, 上一篇, 来源, 浏览, 下载, 会员, 客服, 扫码, 转载, 首页,
点赞, 收藏, 阅读全文 ...) survives the full pipeline verbatim, as a line of its own —
alone, between other paragraphs, at the head or the tail of a page, and inside a page
full of site chrome. The corpus is tests/fixtures/content_safety.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "content_safety.yaml").read_text(encoding="utf-8")
)
PARAGRAPHS: list[str] = CORPUS["paragraphs"]
HEADINGS: list[str] = CORPUS["headings"]
ENGLISH: list[str] = CORPUS["english"]
EVERYTHING = PARAGRAPHS + HEADINGS + ENGLISH

# Site chrome that common rules must remove wherever it stands on a page.
CHROME_ANYWHERE = [
    "当前位置：首页 > 新闻中心 > 领导讲话",
    "发布时间：2023-04-12 10:30  来源：市应急管理局  浏览次数：1287",
    "【打印本页】 【关闭窗口】",
    "字号：大 中 小",
    "分享到： 微信 微博 QQ空间",
    "上一篇：关于做好春季森林防火工作的通知",
    "下一篇：市政府召开常务会议",
    "版权所有：某某市人民政府  网站标识码：3701000031",
    "版 权 所 有 ： 某 某 市 人 民 政 府",
    "鲁ICP备05031234号-1",
    "鲁公网安备 37010202000456号",
    "加客服微信：fwdq2023",
    "QQ：2345678901",
    "长按识别二维码关注我们",
    "点击上方蓝字关注我们",
    "开通VIP会员，海量文档免费下载",
    "本站文章均来自网络，如有侵权请联系删除。",
    "转载请注明出处",
    "第2页 / 共5页",
    "- 3 -",
    "展开阅读全文",
    "全文共2356字，当前仅显示1200字",
    "……此处省略1893字，正式会员可完整阅读……",
    "本帖最后由 xiaoli2008 于 2022-3-5 09:12 编辑",
    "zhangwei 发表于 2022-3-5 10:02:17 | 只看该作者",
    "原创 王小明 数字某某 2023-06-12 08:30 发表于江苏",
    "阅读原文",
    "aB3xK9",
    "欧美系列亚洲系列国产系列,人妻无码专用影院,国产亚洲精品拍拍拍拍拍",
]
HEAD_CHROME = ["公文范文网", "范文大全网 —— 专注优质范文写作", "摘要：今天召开全市大会，部署全年工作。"]
TAIL_CHROME = ["相关推荐", "全市召开春季植树造林动员会", "县纪委监委通报三起典型问题"]


def _lines(pipeline, text: str) -> list[str]:
    return pipeline.clean(text).text.split("\n")


def test_corpus_is_big_enough_and_long():
    assert len(PARAGRAPHS) >= 40
    assert all(60 <= len(p) <= 300 for p in PARAGRAPHS)
    words = ["微信", "公众号", "二维码", "网站", "版权", "上一篇", "来源", "浏览", "下载", "会员",
             "客服", "扫码", "转载", "首页", "点赞", "收藏", "阅读全文"]
    for word in words:
        assert sum(word in p for p in PARAGRAPHS) >= 2, word


@pytest.mark.parametrize("text", EVERYTHING)
def test_alone_comes_out_verbatim(pipeline, text):
    result = pipeline.clean(text + "\n")
    assert result.text == text + "\n", [(c.rule, c.old) for c in result.changes]


def test_all_together_every_line_survives(pipeline):
    out = _lines(pipeline, "\n".join(EVERYTHING) + "\n")
    assert [t for t in EVERYTHING if t not in out] == []


def test_all_together_with_blank_lines_and_indentation(pipeline):
    text = "\n\n".join("\u3000\u3000" + t for t in EVERYTHING) + "\n"
    out = _lines(pipeline, text)
    assert [t for t in EVERYTHING if t not in out] == []


@pytest.mark.parametrize("text", PARAGRAPHS + ENGLISH)
def test_at_the_head_and_at_the_tail_of_a_page(pipeline, text):
    body = PARAGRAPHS[:3]
    for lines in ([text, *body], [*body, text], [text], ["在全市工作会议上的讲话", text]):
        assert text in _lines(pipeline, "\n".join(lines) + "\n"), lines


def test_inside_a_page_full_of_chrome(pipeline):
    page = HEAD_CHROME + CHROME_ANYWHERE[:8] + EVERYTHING + CHROME_ANYWHERE[8:] + TAIL_CHROME
    out = _lines(pipeline, "\n".join(page) + "\n")
    assert [t for t in EVERYTHING if t not in out] == []
    assert [c for c in HEAD_CHROME + CHROME_ANYWHERE + TAIL_CHROME if c in out] == []


def test_no_rule_fires_on_the_corpus(pipeline):
    result = pipeline.clean("\n".join(EVERYTHING) + "\n")
    fired = {c.rule for c in result.changes if c.category != "layout"}
    assert fired == set(), fired


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.lists(st.sampled_from(EVERYTHING), min_size=1, max_size=12, unique=True),
    chrome=st.lists(st.sampled_from(CHROME_ANYWHERE), max_size=10, unique=True),
    head=st.lists(st.sampled_from(HEAD_CHROME), max_size=2, unique=True),
    tail=st.booleans(),
    data=st.data(),
)
def test_random_pages_keep_all_content_and_lose_all_chrome(pipeline, content, chrome, head,
                                                           tail, data):
    """Any mix of safety paragraphs and chrome lines: every paragraph stays, verbatim and
    on its own line; every chrome line goes."""
    body = list(content)
    for line in chrome:
        body.insert(data.draw(st.integers(0, len(body)), label="position"), line)
    page = head + body + (TAIL_CHROME if tail else [])
    out = _lines(pipeline, "\n".join(page) + "\n")
    assert [t for t in content if t not in out] == []
    assert [c for c in chrome + head + (TAIL_CHROME if tail else []) if c in out] == []
