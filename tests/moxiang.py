"""A made-up document-sharing site, 墨香文库 (moxiang.example), for the rule-authoring tests.

``write_site(folder, n)`` writes ``n`` speeches wrapped in the site's chrome: header and
footer lines whose numbers change from page to page (document ids, view and download
counts, page numbers, dates, uploader names, phone numbers), a watermark line in the middle
of some pages, and different bodies. ``BODY`` is every content line a clean output must
keep verbatim; ``CHROME_SITE`` holds the site-specific chrome templates that only a new
site rule can remove (the other chrome lines are caught by the built-in common rules).
"""

from __future__ import annotations

import random
from pathlib import Path

TITLES = [
    "在全市安全生产工作会议上的讲话",
    "在全县乡村振兴推进会上的讲话",
    "在全市优化营商环境大会上的讲话",
    "在全区教育工作会议上的讲话",
    "在全市文明城市创建动员大会上的讲话",
    "在全县防汛抗旱工作会议上的讲话",
    "在全市招商引资工作推进会上的讲话",
    "在全市民政工作会议上的讲话",
    "在全区卫生健康工作会议上的讲话",
    "在全市生态环境保护大会上的讲话",
    "在全县基层党建工作会议上的讲话",
    "在全市政法工作会议上的讲话",
    "在全市科技创新大会上的讲话",
    "在全县春季植树造林动员会上的讲话",
    "在全市文化旅游发展大会上的讲话",
    "在全区城市管理工作会议上的讲话",
    "在全市金融工作座谈会上的讲话",
    "在全县农村人居环境整治现场会上的讲话",
    "在全市统计工作会议上的讲话",
    "在全市信访工作联席会议上的讲话",
    "在全区交通运输工作会议上的讲话",
    "在全市审计工作会议上的讲话",
    "在全县市场监管工作会议上的讲话",
    "在全市人才工作会议上的讲话",
    "在全市水利工作会议上的讲话",
    "在全区应急管理工作会议上的讲话",
]

PARAGRAPHS = [
    "今天召开这次会议，主要任务是总结去年工作，分析当前形势，部署今年任务。刚才，几位同志作了很好的发言，我都同意，请大家会后认真抓好落实。",
    "过去一年，全市上下坚持稳中求进工作总基调，各项工作取得了新的进展。地区生产总值增长百分之六点二，一般公共预算收入增长百分之八，城乡居民收入稳步提高。",
    "成绩来之不易，这是全市广大干部群众团结奋斗的结果。在此，我代表市委、市政府，向同志们表示衷心的感谢！",
    "在看到成绩的同时，我们也要清醒认识到存在的问题和不足。一些部门责任落实不到位，工作作风不够扎实，个别领域风险隐患依然突出。",
    "一、提高政治站位，切实增强做好工作的责任感和紧迫感",
    "安全生产事关人民群众生命财产安全，事关改革发展稳定大局。各级各部门要牢固树立安全发展理念，坚决守住不发生重特大事故的底线。",
    "要坚持问题导向，对排查出的隐患逐项建立台账，明确整改责任人和整改时限，做到整改一个、销号一个，绝不能走过场。",
    "二、突出工作重点，推动各项任务落地见效",
    "要用好微信公众号、短视频等新媒体平台，把政策讲清楚、把服务送上门，让群众少跑腿、好办事。",
    "各地要持续保持工作热度，不能虎头蛇尾，更不能搞一阵风。要建立长效机制，推动常态化管理。",
    "要加快推进数字政府建设，打通部门之间的数据壁垒，推动更多政务服务事项实现网上办、掌上办、一次办。",
    "乡村振兴，产业振兴是基础。要因地制宜发展特色种植、乡村旅游和农产品加工，让农民在产业链上分享更多增值收益。",
    "教育是国之大计、党之大计。要优化学校布局，补齐农村学校短板，加强教师队伍建设，让每个孩子都能享有公平而有质量的教育。",
    "要严格落实河湖长制，统筹推进水污染防治、水生态修复和水资源保护，坚决打好碧水保卫战。",
    "招商引资是经济工作的生命线。要瞄准重点产业链精准招商，坚持项目为王，以项目建设的实际成效检验干部的能力和作风。",
    "三、加强组织领导，确保各项工作落到实处",
    "各级领导干部要带头深入基层、深入一线，面对面听取群众意见，实打实解决群众反映强烈的急难愁盼问题。",
    "要加强督查考核，把考核结果作为干部选拔任用、评先评优的重要依据，对工作不力、推诿扯皮的要严肃问责。",
    "全市各级统计机构要依法独立履行职责，坚决防范和惩治统计造假、弄虚作假行为，确保统计数据真实准确。",
    "第二季度是全年工作的关键期，大家要把时间抓紧，把任务分解到每一页工作台账上，确保上半年任务过半。",
    "要进一步擦亮城市窗口，整治背街小巷、农贸市场和老旧小区环境，以点带面提升城市精细化管理水平。",
    "信访工作是党的群众工作的重要组成部分。要畅通和规范群众诉求表达渠道，把矛盾纠纷化解在基层、化解在萌芽状态。",
    "人才是第一资源。要落实好人才引进政策，在住房、子女入学、医疗等方面提供优质服务，让各类人才引得来、留得住、用得好。",
    "防汛工作要立足于防大汛、抗大灾，提前做好物资储备和队伍准备，确保一旦发生险情能够拉得出、冲得上、打得赢。",
    "同志们，新的一年，任务艰巨，使命光荣。让我们以更加昂扬的斗志、更加务实的作风，奋力开创各项事业发展新局面！",
    "大家在下载和浏览各类学习资料时，要注意保密纪律，涉密文件一律不得上传互联网。",
    "春季植树造林正当其时。各乡镇要组织干部群众积极参与义务植树，做到栽一棵、活一棵、成林一片。",
    "要统筹发展和安全，健全风险防范化解机制，守住不发生系统性金融风险的底线。",
    "文化旅游产业潜力巨大。要深入挖掘本地历史文化资源，打造一批叫得响的文旅品牌，推动文旅融合发展。",
    "最后，我再强调一点：所有工作都要落到具体的人、具体的事上，只有这样才能真正见到实效。",
]

UPLOADERS = ["张明", "李晓燕", "王建国", "陈思远", "刘芳", "赵文博", "孙丽", "周海涛", "吴静"]
CATEGORIES = ["领导讲话", "会议讲话", "讲话稿", "致辞讲话"]

# Site chrome that survives the built-in common rules: what `rules suggest` must find.
CHROME_SITE = [
    "墨香文库 | 专注讲话稿·公文写作 | moxiang.example",
    "投稿人：{uploader}  文档ID：MX{docid}  热度：{views}℃",
    "收藏({stars})  分享({shares})  举报",
    "本文档共{pages}页，下载需{beans}墨豆 | 开通墨香VIP免费下载",
    "墨香文库整理发布于{year}-{month:02d}-{day:02d}",
    "—— 墨香文库 moxiang.example 原创首发 ——",
]
# Chrome the built-in common rules already remove (breadcrumb, page numbers, phone, ICP).
CHROME_COMMON = [
    "首页 › 讲话稿 › {category}",
    "第{page}页/共{pages}页",
    "客服热线：400-{a}-{b}",
    "墨香文库 © 2016-{year} moxiang.example 浙ICP备{icp}号-1",
]

BODY = TITLES + PARAGRAPHS


def is_site_chrome(line: str) -> bool:
    """Whether ``line`` was made from one of the CHROME_SITE templates."""
    import re

    for template in CHROME_SITE:
        parts = re.split(r"\{[^}]*\}", template)
        if re.fullmatch(".+".join(map(re.escape, parts)), line):
            return True
    return False


def document(i: int, rng: random.Random) -> tuple[str, list[str]]:
    """Page ``i`` of the site and the content lines it must keep."""
    values = {
        "uploader": rng.choice(UPLOADERS), "docid": rng.randint(10000, 999999),
        "views": rng.randint(3, 98000), "stars": rng.randint(0, 999),
        "shares": rng.randint(0, 99), "pages": rng.randint(2, 30),
        "beans": rng.randint(1, 20), "year": rng.randint(2015, 2024),
        "month": rng.randint(1, 12), "day": rng.randint(1, 28),
        "category": rng.choice(CATEGORIES), "a": rng.randint(100, 999),
        "b": rng.randint(1000, 9999), "icp": rng.randint(10000000, 99999999),
    }  # fmt: skip
    values["page"] = rng.randint(1, values["pages"])
    title = TITLES[i % len(TITLES)]
    date = f"（{values['year']}年{values['month']}月{values['day']}日）"
    body = rng.sample(PARAGRAPHS, rng.randint(6, 9))
    content = [title, date, "同志们：", *body]
    head = [CHROME_SITE[0], CHROME_COMMON[0], CHROME_SITE[1], CHROME_SITE[2]]
    tail = [CHROME_COMMON[1], CHROME_SITE[3], CHROME_SITE[4], CHROME_COMMON[2], CHROME_COMMON[3]]
    middle = body[:]
    if i % 2 == 0:  # a watermark line between paragraphs on half of the pages
        middle.insert(len(middle) // 2, CHROME_SITE[5])
    lines = [*head, "", title, date, "同志们：", *("　　" + p for p in middle), "", *tail]
    return "\n".join(line.format(**values) for line in lines) + "\n", content


def write_site(folder: Path, n: int = 24, seed: int = 7) -> list[list[str]]:
    """Write ``n`` pages (a few in GB18030) and return each page's content lines."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    contents = []
    for i in range(n):
        text, content = document(i, rng)
        encoding = "gb18030" if i % 5 == 3 else "utf-8"
        (folder / f"mx{i:03d}.txt").write_bytes(text.encode(encoding))
        contents.append(content)
    return contents
