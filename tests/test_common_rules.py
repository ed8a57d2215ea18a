"""The common rule set (rules/common/): what it removes from pages of sites nobody wrote
rules for, and the look-alike content lines it must leave alone.

Each boilerplate line is put between two body paragraphs (or at the end of the page, where
the rule is limited to the tail) and run through the whole pipeline: the line must go and
the paragraphs must stay verbatim. Look-alikes are content lines shaped like boilerplate
(short, no full stop) that mention the same words.
"""

from __future__ import annotations

import pytest

from speechclean.rulefiles import load_rules

BEFORE = "今天召开全市工作会议，主要任务是总结去年工作，部署今年任务，动员全市上下凝心聚力、真抓实干。"
AFTER = "同志们，让我们更加紧密地团结起来，以更加昂扬的精神状态，奋力开创全市高质量发展新局面！"

BOILERPLATE = {
    "solicitation": [
        "加客服微信：fwdq2023", "微信号：wenlvmoumou", "QQ：2345678901", "qq 12345678",
        "免费获取更多讲话稿，请联系QQ：2345678901", "原创定制 专业代写 加V：xzb88866",
        "联系电话：0531-86012345", "投稿邮箱：tougao@example.cn", "Email：service@example.com",
        "商务合作：17712345678", "扫码关注", "微信扫一扫", "扫一扫在手机打开当前页",
        "长按识别二维码关注我们", "点击上方蓝字关注我们", "关注“老干部之家”，了解更多资讯",
        "关注公众号“范文大全网”，回复“讲话”领取100篇精选讲话稿", "在线客服", "联系客服",
        "领取福利", "免费领取全套资料", "开通VIP会员，海量文档免费下载", "VIP免费下载",
        "本文为会员内容，开通会员后可查看全文", "下载券：2", "付费下载", "赏", "【打赏】",
        "点击下载Word版", "下载文档到电脑，查找使用更方便", "觉得不错，请点个在看",
    ],
    "notices": [
        "版权所有：某某市人民政府", "版 权 所 有 ： 某 某 市 人 民 政 府", "版权声明",
        "Copyright © 2023 某某网 All Rights Reserved", "copyright@ 2008-2023 某某网站版权所有",
        "本站仅提供信息存储空间服务，不拥有所有权，不承担相关法律责任。",
        "本文内容由互联网用户自发贡献，该文观点仅代表作者本人。",
        "转载请注明出处", "如需转载，请注明出处。", "如有侵权请联系删除",
        "本站文章均来自网络，如有侵权请联系删除。", "图片来源于网络，如有侵权请联系删除",
        "京ICP备05070218号", "鲁ICP备05031234号-1", "京公网安备 11010502030143号",
        "京 公 网 安 备 11010502030143 号", "网站标识码：3701000031",
        "主办单位：某某市人民政府办公室  承办单位：某某市大数据中心",
        "网站地图 | 联系我们 | 隐私声明", "仅供学习 禁止外传", "www.fanwendaquan.com",
        "写作帮 | 一站式公文写作服务平台",
    ],
    "navigation": [
        "上一篇：关于做好2023年春季森林防火工作的通知", "下一篇：没有了", "上一主题 下一主题",
        "上一条：区政府召开第十二次常务会议", "返回顶部", "返回列表", "【打印本页】 【关闭窗口】",
        "打印本页 | 关闭窗口", "当前位置：首页 > 新闻中心 > 领导讲话", "您的位置：首页 >> 政务公开 >> 讲话",
        "位置: 首页 -> 政务动态 -> 正文", "首页 > 政府信息公开 > 领导讲话 > 正文",
        "某某基层论坛 › 讲话稿专区 › 查看内容", "分享到：", "分享到： 微信 微博 QQ空间",
        "收藏", "点赞", "字号：大 中 小", "【字体：大 中 小】", "第1页/共3页", "第 2 页 共 4 页",
        "- 2 -", "共3页", "回复 | 引用 | TOP", "使用道具 举报", "楼主", "沙发", "3楼",
        "阅读 3582", "赞 12  在看 5", "继续滑动看下一个", "END", "- END -", "▼",
    ],
    "metadata": [
        "发布时间：2023-04-12 10:30  来源：市应急管理局  浏览次数：1287",
        "发布日期：2022-11-03 | 来源：县融媒体中心 | 作者：王明 | 点击数：356",
        "更新时间：2023-01-02", "来源：新华社", "作者：张三 | 编辑：李四", "责任编辑：李华",
        "阅读量：2451", "浏览次数：546", "来源 | 某某市妇联",
        "本帖最后由 xiaoli2008 于 2022-3-5 09:12 编辑",
        "xiaoli2008 发表于 2022-3-5 08:50:33 | 只看该作者 | 倒序浏览",
        "文件大小：35KB  总页数：6页  总字数：约5000字",
        "上传人：张** 上传时间：2023-08-29 文档编号：7723015",
        "原创 王小明 数字某某 2023-06-12 08:30 发表于江苏", "以下文章来源于残联之声 ，作者残联之声",
        "收录于合集 #领导讲话 36个", "共计6667个字,预计阅读时长23分钟。",
    ],
    "truncation": [
        "............试读结束............", "试读结束，如需阅读全文请下载", "展开阅读全文",
        "全文共2356字，当前仅显示1200字", "……此处省略1893字，正式会员可完整阅读……",
        "继续免费阅读", "继续免费阅读全文", "已阅读3页，剩余3页", "剩余2页未读，继续阅读",
        "免费阅读已结束，点击下载阅读全文", "该文档共5页，全部预览完了，如果喜欢就下载吧！",
        "阅读原文", "点击查看更多>>",
    ],
    "spam": [
        "欧美系列亚洲系列国产系列,人妻无码专用影院,国产亚洲精品拍拍拍拍拍",
        "澳门娱乐城 百家乐 在线下注 免费试玩", "郑州治疗癫痫病哪家医院好 郑州癫痫病医院排名",
        "aB3xK9", "Qz7Lm2Wp", "mK4pZ8vN3c",
    ],
}
TAIL_ONLY = ["感谢楼主分享，学习了！", "写得很好，收藏了", "221381", "(0)"]

LOOKALIKES = [
    "一、用好微信公众号等新媒体平台", "（五）提升12345热线客服水平", "二是推动扫码支付在政务服务中的应用",
    "四、来源于群众 服务于群众", "版权所有者的合法权益必须得到切实保障", "三、强化版权保护和知识产权运用",
    "上篇 回顾与总结", "时间：2023年5月6日 地点：市委礼堂", "主题：不忘初心 牢记使命",
    "规范网络直播打赏行为，保护未成年人合法权益", "大中小学校要落实责任", "明确目标 突出重点 压实责任 形成合力",
    "（2023年5月6日）", "会议时间 2023-05-06 10:30", "在全市公文写作培训班上的讲话",
    "申报→审核→公示→拨付", "同志们、朋友们：", "谢谢大家！", "5G", "GDP", "PM2.5", "COVID-19",
    "Thank you all!", "文明委(扩大)会议", "第(3)项", "3楼会议室",
]


def _clean_lines(pipeline, lines: list[str]) -> list[str]:
    return pipeline.clean("\n".join(lines) + "\n").text.rstrip("\n").split("\n")


@pytest.mark.parametrize(
    "line", [line for lines in BOILERPLATE.values() for line in lines]
)
def test_boilerplate_line_is_removed_mid_page(pipeline, line):
    out = _clean_lines(pipeline, [BEFORE, line, AFTER])
    assert out == [BEFORE, AFTER]


@pytest.mark.parametrize("line", [line for lines in BOILERPLATE.values() for line in lines]
                         + TAIL_ONLY)
def test_boilerplate_line_is_removed_at_the_end(pipeline, line):
    assert _clean_lines(pipeline, [BEFORE, AFTER, line]) == [BEFORE, AFTER]


@pytest.mark.parametrize("line", LOOKALIKES)
def test_lookalike_content_line_stays(pipeline, line):
    out = _clean_lines(pipeline, [BEFORE, line, AFTER])
    assert line in out
    out = _clean_lines(pipeline, [BEFORE, AFTER, line])
    assert line in out


def test_boilerplate_glued_to_line_ends():
    from speechclean import Pipeline

    pipeline = Pipeline.from_rules()
    out = pipeline.clean(BEFORE + "a8Fk2Q\n" + AFTER + "9hJqW3z\n").text
    assert out == BEFORE + "\n" + AFTER + "\n"
    out = pipeline.clean("今天我们开会。仅供学习 禁止外传\n").text
    assert out == "今天我们开会。\n"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("要坚持以人民为中心的发(fā)展思想。", "要坚持以人民为中心的发展思想。"),
        ("我们的(de)(de)目标是共同富裕。", "我们的目标是共同富裕。"),
        ("要进(jin)一步加强领导。", "要进一步加强领导。"),
        ("第一段。x0dx0a第二段。", "第一段。\n第二段。"),
    ],
)
def test_artifacts_are_repaired(pipeline, raw, clean):
    assert pipeline.clean(raw + "\n").text == clean + "\n"


def test_residual_traditional_characters_are_converted(pipeline):
    mixed = "我们要坚持以人民为中心的创作导向，推出更多反映時代精神的精品力作，不断增強人民群眾的文化獲得感。"
    result = pipeline.clean(mixed + "\n")
    assert result.converted
    assert result.text == (
        "我们要坚持以人民为中心的创作导向，推出更多反映时代精神的精品力作，不断增强人民群众的文化获得感。\n"
    )


def test_conversion_keeps_notable_and_original_work(pipeline):
    text = "我市是著名的歷史文化名城，支持作家以原著為基礎創作，讓我們肩負著新時代的使命。\n"
    assert pipeline.clean(text).text == (
        "我市是著名的历史文化名城，支持作家以原著为基础创作，让我们肩负着新时代的使命。\n"
    )


def test_related_list_at_the_end_is_removed_with_its_heading(pipeline):
    page = [BEFORE, AFTER, "相关文章", "市政府召开优化营商环境专题会议", "我市企业开办实现一日办结",
            "营商环境评价结果出炉 我市位列全省第三", "版权所有：某某市人民政府"]
    assert _clean_lines(pipeline, page) == [BEFORE, AFTER]


def test_a_heading_like_line_followed_by_content_is_not_a_list(pipeline):
    page = [BEFORE, "相关推荐", "要抓好三项工作", AFTER]
    assert _clean_lines(pipeline, page) == [BEFORE, "要抓好三项工作", AFTER]


def test_every_common_rule_has_drop_and_keep_examples():
    book = load_rules()
    for rule in (r for rs in book.common for r in rs.rules):
        kinds = {e.expect for e in rule.examples}
        assert kinds & {"drop", "change"}, f"{rule.id}: no drop/change example"
        if rule.action == "drop-line" or rule.action.startswith("truncate"):
            assert "keep" in kinds, f"{rule.id}: a line rule needs a look-alike that stays"


def test_common_line_rules_are_bounded():
    """Whole-line rules only drop short lines, or work in a head/tail zone."""
    book = load_rules()
    for rule in (r for rs in book.common for r in rs.rules if r.action == "drop-line"):
        assert rule.zone is not None or rule.max_length <= 400, rule.id
    for rule in (r for rs in book.common for r in rs.rules if r.action.startswith("truncate")):
        assert rule.zone is not None, f"{rule.id}: a common truncate rule needs a zone"
