"""Documents written for the tests: other speeches wrapped in each seed site's template,
with other titles, numbers, IDs, dates, page counts and contact numbers.

Each builder returns ``(raw_text, expected_clean_text)``. The expected text is the speech
itself, written here, never produced by speechclean.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Speech:
    title: str
    date: str  # e.g. "(2021年4月9日)" or ""
    salutation: str
    paragraphs: tuple[str, ...]


SPEECHES = (
    Speech(
        "在全市安全生产工作会议上的讲话",
        "(2021年4月9日)",
        "同志们:",
        (
            "今天召开全市安全生产工作会议,主要任务是深入贯彻落实上级关于安全生产的决策部署,总结去年工作,分析当前形势,安排部署今年重点任务。刚才,应急管理局通报了一季度安全生产情况,几个县区作了表态发言,讲得都很好,我都同意。",
            "一、清醒认识当前安全生产面临的严峻形势",
            "过去一年,全市各级各部门坚持人民至上、生命至上,扎实开展安全生产专项整治三年行动,事故总量、较大事故起数和死亡人数实现“三下降”,全市安全生产形势总体平稳。但是我们也要清醒看到,部分企业主体责任落实不到位,一些行业领域隐患排查治理流于形式,基层监管力量薄弱的问题依然突出。",
            "二、突出抓好重点行业领域专项整治",
            "要聚焦危险化学品、矿山、道路交通、建筑施工、消防等重点行业领域,逐一建立问题隐患和制度措施“两个清单”,实行清单化管理、闭环式整改。对排查出的重大隐患,要挂牌督办、限期整改,整改不到位的坚决停产停业整顿。",
            "三、压紧压实各方安全生产责任",
            "各级党委政府要落实属地管理责任,行业主管部门要落实“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”的要求,企业要落实全员安全生产责任制。对发生责任事故的,要严肃追究有关单位和人员责任,绝不姑息。",
            "同志们,安全生产责任重于泰山。让我们以更加坚决的态度、更加有力的举措,坚决守住安全生产底线,为全市经济社会高质量发展营造安全稳定的环境。",
        ),
    ),
    Speech(
        "在乡村振兴工作推进会上的讲话",
        "(2022年7月15日)",
        "同志们:",
        (
            "这次会议的主要任务是总结上半年全县乡村振兴工作,查找问题短板,安排部署下半年重点任务。上半年,全县上下坚持农业农村优先发展,粮食生产再获丰收,农村人居环境持续改善,脱贫攻坚成果得到巩固拓展。",
            "一、毫不放松抓好粮食生产和重要农产品供给",
            "要严格落实耕地保护责任,坚决遏制耕地“非农化”、防止“非粮化”,确保全年粮食播种面积稳定在38万亩以上。要加快高标准农田建设进度,年内新建高标准农田5.2万亩,同步推进农田水利设施配套。",
            "二、持续巩固拓展脱贫攻坚成果",
            "要健全防止返贫动态监测和帮扶机制,对脱贫不稳定户、边缘易致贫户和突发严重困难户做到早发现、早干预、早帮扶。要用好衔接资金,重点支持产业发展和就业帮扶,让群众的钱袋子更鼓。",
            "三、扎实推进宜居宜业和美乡村建设",
            "要以农村厕所革命、生活污水治理、生活垃圾处理为重点,持续开展村庄清洁行动。要发挥村规民约作用,推进移风易俗,培育文明乡风、良好家风、淳朴民风。",
            "同志们,乡村振兴是一场持久战。各级各部门要以时不我待的紧迫感,一件事情接着一件事情办,一年接着一年干,奋力谱写全县乡村振兴新篇章。",
        ),
    ),
    Speech(
        "在全区优化营商环境大会上的讲话",
        "",
        "同志们:",
        (
            "营商环境就是生产力,优化营商环境就是解放生产力、提升竞争力。今天召开全区优化营商环境大会,就是要进一步统一思想、明确任务,以更大力度推动营商环境持续优化。",
            "一、把握形势,增强优化营商环境的责任感",
            "当前,区域之间的竞争越来越体现为营商环境的竞争。去年我区营商环境评价在全市排名第六,与先进地区相比,在政务服务效率、要素保障能力、政策落实力度等方面还有不小差距,企业反映的审批环节多、办事时间长等问题还没有根本解决。",
            "二、聚焦重点,打造一流的政务服务环境",
            "要深化“放管服”改革,全面推行“一网通办”“一窗受理”,企业开办时间压缩到1个工作日以内,工程建设项目审批时间压缩到60个工作日以内。要健全政企沟通机制,对企业诉求实行台账管理、限时办结、结果反馈。",
            "三、强化保障,确保各项措施落地见效",
            "各部门主要负责同志要亲自抓、负总责,把优化营商环境作为“一把手”工程。区纪委监委要加强监督检查,对损害营商环境的行为发现一起、查处一起、通报一起。",
            "同志们,优化营商环境永远在路上。让我们以只争朝夕的精神,努力把我区打造成为投资兴业的热土!",
        ),
    ),
    Speech(
        "在全县教育工作会议上的讲话",
        "(2020年9月8日)",
        "同志们:",
        (
            "在第三十六个教师节即将到来之际,我们召开全县教育工作会议,表彰优秀教师和先进集体,部署新学年教育工作。首先,我代表县委、县政府,向受到表彰的先进集体和个人表示热烈祝贺!",
            "一、坚持立德树人,把牢教育发展正确方向",
            "教育是国之大计、党之大计。要把思想政治教育贯穿教育教学全过程,推动习近平新时代中国特色社会主义思想进教材、进课堂、进头脑,培养德智体美劳全面发展的社会主义建设者和接班人。",
            "二、补齐短板弱项,推动城乡教育均衡发展",
            "要加快推进县城学校扩容和农村寄宿制学校建设,年内新增学位2400个,着力化解城区“大班额”问题。要完善教师交流轮岗制度,引导优秀教师向乡村学校流动,让农村孩子在家门口就能享受优质教育。",
            "同志们,教育寄托着千家万户的希望。让我们携手并进、真抓实干,努力办好人民满意的教育!",
        ),
    ),
    Speech(
        "在防汛抗旱工作会议上的讲话",
        "(2023年5月26日)",
        "同志们:",
        (
            "当前,我市即将全面进入主汛期。据气象部门预测,今年汛期降水总体偏多,出现区域性暴雨洪涝的可能性较大,防汛形势严峻复杂。今天召开会议,就是要动员全市上下迅速行动起来,全力做好防汛抗旱各项工作。",
            "一、立足于防大汛、抗大旱、抢大险",
            "要坚决克服麻痹思想和侥幸心理,树牢底线思维,做好应对极端天气的充分准备。各县区要对水库、河道堤防、山洪灾害易发区、城市低洼地段开展拉网式排查,发现隐患立即整改。",
            "二、抓实抓细监测预警和转移避险",
            "要加强气象、水文监测预报,及时发布预警信息,确保预警信息第一时间传递到村、到户、到人。对危险区域群众,要提前制定转移方案,明确转移路线和安置场所,做到应转尽转、应转早转。",
            "同志们,防汛抗旱事关人民群众生命财产安全。各级各部门务必以高度负责的态度,守土有责、守土尽责,坚决打赢防汛抗旱这场硬仗!",
        ),
    ),
    Speech(
        "在全市科技创新大会上的讲话",
        "",
        "同志们:",
        (
            "今天,我们在这里召开全市科技创新大会,目的是深入实施创新驱动发展战略,动员全市上下加快建设创新型城市。过去五年,全市研发经费投入年均增长百分之十五,高新技术企业数量翻了一番。",
            "一、强化企业创新主体地位",
            "要支持龙头企业牵头组建创新联合体,承担重大科技项目。对首次认定的高新技术企业给予奖励,引导企业加大研发投入,力争到年底规模以上工业企业研发机构覆盖率达到百分之四十。",
            "二、集聚创新人才",
            "要实施更加积极、更加开放、更加有效的人才政策,在住房保障、子女入学、医疗服务等方面为人才提供全方位服务,让各类人才引得进、留得住、用得好。",
            "同志们,创新是引领发展的第一动力。让我们以更加奋发有为的精神状态,推动全市科技创新工作迈上新台阶!",
        ),
    ),
)


def expected_text(speech: Speech, with_date: bool = True) -> str:
    lines = [speech.title]
    if with_date and speech.date:
        lines.append(speech.date)
    lines.append(speech.salutation)
    lines += speech.paragraphs
    return "\n".join(lines) + "\n"


def _break_mid_sentence(paragraph: str, rng: random.Random) -> str:
    """Break a long paragraph after a comma, as scraped previews do (line break, maybe a
    blank line)."""
    commas = [i for i, ch in enumerate(paragraph) if ch == "," and 45 < i < len(paragraph) - 10]
    if len(paragraph) < 80 or not commas:
        return paragraph
    cut = rng.choice(commas) + 1
    # break right after a comma or in the middle of the next phrase
    cut += rng.choice([0, 2])
    sep = rng.choice(["\n", "\n\n"])
    return paragraph[:cut] + sep + paragraph[cut:]


# ----------------------------------------------------------------- rulaiwenku (如来写作网)
def rulaiwenku(speech: Speech, seed: int, truncated: bool = True) -> tuple[str, str]:
    rng = random.Random(seed)
    wx = str(rng.randint(1_000_000, 99_999_999))
    page_id = rng.randint(10_000, 999_999)
    date = f"{rng.randint(2019, 2024)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    counter = f"({rng.randint(1, 9)})" if truncated else ""
    body = [_break_mid_sentence(p, rng) for p in speech.paragraphs]
    head = [f"{speech.title}{counter}", "", speech.title, speech.salutation]
    tail = []
    if truncated:
        tail += ["", "............试读结束............", "", f"查阅全文加微信{wx}", ""]
    tail += [
        "如来写作网gw.rulaixiezuo.com(可搜索其他更多资料)",
        "",
        "本文内容由互联网用户自发贡献,该文观点仅代表作者本人。本站仅提供信息存储空间服务,"
        "不拥有所有权,不承担相关法律责任。如发现本站有涉嫌抄袭侵权/违法违规的内容, "
        f"请发送邮件至 {wx}@qq.com 举报,一经查实,本站将立刻删除。",
        f"如若转载,请注明出处:https://www.rulaiwenku.com/{page_id}.html",
        f"({rng.randint(0, 99)})",
        f"上一篇 {date}",
        f"下一篇 {date}",
        "",
        "相关推荐",
        "",
        *(f"{s.title}{rng.randint(1, 3) if rng.random() < 0.5 else ''}" for s in SPEECHES[:3]),
        "",
        "搜索资料 全部分类 搜索教程",
        "扫码关注",
        "",
        "客服代找资料",
        f"加客服微信:{wx}",
        "私发想要资料的标题/关键词",
        "快速代查找相关所有资料",
        "",
        f"如来写作网客服微信{wx}",
        "",
        "立即扫码添加我吧",
        "",
        "微信咨询",
        "",
        "返回顶部",
    ]
    expected = expected_text(speech, with_date=False)
    return "\n".join(head + body + tail), expected


# ----------------------------------------------------------------- sucai198
def sucai198(speech: Speech, seed: int, related: bool = False) -> tuple[str, str]:
    rng = random.Random(seed)
    user = rng.choice(["admin", "editor01", "wenmishi", "xzh2020"])
    spaced_title = speech.title[:6] + " " + speech.title[6:]
    lines = [
        "SUCAI198.COM —— 专注党建行政公文写作范文",
        "",
        spaced_title,
        "",
        f"{user} 分享 时间: 加入收藏 共计{rng.randint(1000, 20000)}个字,"
        f"预计阅读时长{rng.randint(3, 60)}分钟。",
        "",
        speech.title,
        "",
    ]
    if speech.date:
        lines += [speech.date, ""]
    lines += [speech.salutation, ""]
    for p in speech.paragraphs:
        lines += [p, ""]
    lines += [str(rng.randint(1000, 999_999)), "领取福利", "", "微信扫码领取福利", "", "微信扫码分享"]
    if related:
        # other pages list related templates under the widgets: titles of other speeches
        lines += ["", "相关范文", *(s.title for s in SPEECHES if s is not speech)]
    return "\n".join(lines), expected_text(speech)


# ----------------------------------------------------------------- 1wenmi (第壹文秘)
def _docx_spaces(text: str, rng: random.Random) -> str:
    """DOCX extraction noise: a space after roughly every 25th character."""
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if i % 25 == 24 and rng.random() < 0.8:
            out.append(" ")
    return "".join(out)


def wenmi(speech: Speech, seed: int) -> tuple[str, str]:
    """A preview: the speech flattened into page chunks "N、…" with DOCX spaces."""
    rng = random.Random(seed)
    # The preview loses paragraph breaks: title, salutation and paragraphs run together;
    # numbered headings that follow a full stop come back as paragraph starts.
    segments = [speech.salutation + speech.paragraphs[0]]
    for p in speech.paragraphs[1:]:
        if p.startswith(("一、", "二、", "三、", "四、")):
            segments.append(p)
        else:
            segments[-1] += p
    flat = speech.title + "".join(segments)
    n_pages = rng.randint(4, 7)
    size = len(flat) // n_pages + 1
    pages = [flat[i : i + size] for i in range(0, len(flat), size)]
    fname = f"{speech.title}.docx"
    lines = [
        fname,
        "",
        f"上传人:{rng.choice('abcxyz')}** 文档编号:{rng.randint(100000, 999999)} "
        f"上传时间:2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 格式:DOCX "
        f"页数:{len(pages)} 大小:{rng.randint(10, 99)}.{rng.randint(10, 99)}KB",
        "下载 相关 举报",
    ]
    for i in range(1, len(pages) + 1):
        lines += [f"{fname}_第{i}页", f"第{i}页 / 共{len(pages)}页"]
    lines += [
        f"亲,该文档总共{len(pages)}页,全部预览完了,如果喜欢就下载吧!",
        "资源描述",
        "",
        f"《{fname}》由会员分享,可在线阅读,更多相关《{fname}({len(pages)}页珍藏版)》请在第壹文秘上搜索。",
        "",
    ]
    for i, page in enumerate(pages, 1):
        lines += [f"{i}、{_docx_spaces(page, rng)}", ""]
    lines += [
        "展开阅读全文",
        "相关资源",
        "猜你喜欢",
        "相关搜索",
        "",
        "当前位置:首页 > 办公文档 > 演讲致辞",
        "",
        f"copyright@ 2008-{rng.randint(2021, 2025)} 1wenmi网站版权所有",
        "",
        f"经营许可证编号:宁ICP备{rng.randint(2019, 2024)}00{rng.randint(1000, 9999)}号-1",
        "",
        "本站为文档C2C交易模式,即用户上传的文档直接被用户下载,本站只是中间服务平台,"
        "本站所有文档下载所得的收益归上传人(含作者)所有。第壹文秘仅提供信息存储空间,"
        "仅对用户上传内容的表现方式做保护处理,对上载内容本身不做任何修改或编辑。",
    ]
    expected = "\n".join([speech.title, *segments]) + "\n"
    return "\n".join(lines), expected


# ----------------------------------------------------------------- 酷乐文行
def kulewenxing(speech: Speech, seed: int) -> tuple[str, str]:
    rng = random.Random(seed)
    full = str.maketrans({",": "，", ":": "：", "!": "！", ";": "；", "(": "（", ")": "）"})
    s = Speech(
        speech.title,
        speech.date.translate(full),
        speech.salutation.translate(full),
        tuple(p.translate(full) for p in speech.paragraphs),
    )
    header = [
        "仅供学习 禁止外传",
        "酷乐文行",
        "自建平台、实时分享",
        "根据实际需求和形式任务不断迭代",
        f"现在订阅立享前{rng.randint(2, 5)}年的所有权益和资料 ",
        "",
        "【打击倒卖活动】",
        "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
        f"会员群：{' ' * rng.randint(3, 22)}免费QQ群：{' ' * rng.randint(1, 9)}",
    ]
    body = [s.title, *([s.date] if s.date else []), s.salutation, *s.paragraphs]
    raw = "\n".join(header + [""] * rng.randint(1, 6) + body + [""] * rng.randint(0, 3))
    return raw, "\n".join(body) + "\n"


# ----------------------------------------------------------------- 盘锦 news portal
PINYIN = {
    "現": "xiàn", "創": "chuàng", "標": "biāo", "戰": "zhàn", "發": "fā", "責": "zé",
    "設": "shè", "鄉": "xiāng", "務": "wù", "領": "lǐng", "進": "jìn", "節": "jié",
    "統": "tǒng", "導": "dǎo", "態": "tài", "環": "huán", "關": "guān", "當": "dāng",
    "調": "diào", "礎": "chǔ", "學": "xué", "協": "xié", "數": "shù", "聯": "lián",
}  # fmt: skip


def panjin(speech: Speech, seed: int) -> tuple[str, str]:
    """A Traditional portal page with pinyin glued after some characters."""
    from speechclean.convert import simplified_to_traditional

    rng = random.Random(seed)

    def trad(text: str) -> str:
        t = simplified_to_traditional(text)
        return "".join(ch + (f"({PINYIN[ch]})" if ch in PINYIN else "") for ch in t)

    column = rng.choice(["盤錦要聞", "縣區動態", "部門動態"])
    indent = " " * 10
    lines = [
        trad("您现在所在的位置") + f": 首頁 > {trad('要闻动态')} > {column}",
        "",
        indent + trad(speech.title),
        "",
        indent + f"{trad('发布时间')}:{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d} {trad('信息来源')}:{trad(rng.choice(['盘锦日报', '盘锦新闻网', '市委宣传部']))} "
        f"{trad('浏览次数')}:{rng.randint(10, 9999)}",
        "",
        "",
    ]
    paragraphs = [speech.salutation, *speech.paragraphs]
    for p in paragraphs:
        lines += [indent + trad(p), ""]
    spam = rng.sample(
        ["欧美系列", "亚洲系列", "国产系列", "人妻无码专用影院", "国产亚洲精品拍拍拍",
         "欧美一区二区三区精品日韩", "午夜福利视频在线观看", "高清无码免费视频"], 4
    )  # fmt: skip
    lines.append(indent + ",".join(spam))
    expected = "\n".join([speech.title, *paragraphs]) + "\n"
    return "\n".join(lines), expected
