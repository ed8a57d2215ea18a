"""`rules suggest`: mining a made-up site's folder gives a draft that passes `rules check`,
removes the site's header/footer lines in `clean` and keeps every body sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import moxiang
from speechclean.cli import main
from speechclean.draft import generalize, validate_draft
from speechclean.rulefiles import load_rules, parse_file
from speechclean.rules import RuleBook
from speechclean.suggest import line_key, looks_like_content, suggest


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """24 pages of 墨香文库 mined into a draft at RULES/sites/moxiang.yaml."""
    root = tmp_path_factory.mktemp("moxiang")
    pages = root / "pages"
    contents = moxiang.write_site(pages, n=24, seed=7)
    rules = root / "rules"
    (rules / "sites").mkdir(parents=True)
    draft = rules / "sites" / "moxiang.yaml"
    result = CliRunner().invoke(main, ["rules", "suggest", str(pages), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    return {"root": root, "pages": pages, "contents": contents, "rules": rules, "draft": draft}


def _clean(src: Path, dst: Path, rules: Path) -> None:
    result = CliRunner().invoke(main, ["clean", str(src), "-o", str(dst), "--rules", str(rules), "-q"])
    assert result.exit_code == 0, result.output


def test_draft_passes_rules_check(site):
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(site["rules"])])
    assert result.exit_code == 0, result.output
    assert validate_draft(site["draft"].read_text(encoding="utf-8")) == []


def test_draft_names_the_site_and_its_fingerprints(site):
    rs = parse_file(site["draft"], "site")
    assert rs.name == "moxiang"
    assert r"moxiang\.example" in rs.match
    assert all(r.id.startswith("moxiang/") and r.examples for r in rs.rules)
    # each rule removes lines of one of the site's chrome templates, and only those
    assert 3 <= len(rs.rules) <= len(moxiang.CHROME_SITE)
    for rule in rs.rules:
        drops = [e.text for e in rule.examples if e.expect == "drop"]
        assert drops and all(moxiang.is_site_chrome(d) for d in drops), rule.id


def test_clean_with_the_draft_keeps_exactly_the_speech(site):
    out = site["root"] / "out"
    _clean(site["pages"], out, site["rules"])
    for i, content in enumerate(site["contents"]):
        lines = (out / f"mx{i:03d}.txt").read_text(encoding="utf-8").splitlines()
        assert lines == content, f"mx{i:03d}.txt"


def test_draft_generalizes_to_other_pages_of_the_site(site):
    """Pages with other numbers, names and dates than the ones mined."""
    other = site["root"] / "other"
    contents = moxiang.write_site(other, n=12, seed=1234)
    out = site["root"] / "other-out"
    _clean(other, out, site["rules"])
    for i, content in enumerate(contents):
        assert (out / f"mx{i:03d}.txt").read_text(encoding="utf-8").splitlines() == content


def test_no_draft_rule_touches_a_body_line(site):
    rs = parse_file(site["draft"], "site")
    body = moxiang.BODY + ["同志们：", "（2019年10月8日）", "（2024年1月2日）"]
    for rule in rs.rules:
        for line in body:
            assert rule.apply(line) == line, (rule.id, line)


def test_without_the_draft_the_chrome_survives(site):
    """The draft is needed: the built-in rules alone leave the site chrome in place."""
    out = site["root"] / "plain"
    result = CliRunner().invoke(main, ["clean", str(site["pages"]), "-o", str(out), "-q"])
    assert result.exit_code == 0
    text = (out / "mx000.txt").read_text(encoding="utf-8")
    assert "投稿人：" in text and "墨香文库整理发布于" in text


def test_draft_yaml_has_counts_and_examples(site):
    text = site["draft"].read_text(encoding="utf-8")
    assert "from 24 files" in text
    assert re.search(r"# 24 lines in 24 files, e\.g\. \S*mx000\.txt", text)
    data = yaml.safe_load(text)
    for rule in data["rules"]:
        assert rule["examples"]["drop"] and rule["examples"]["keep"]


# --------------------------------------------------------------------------- units
def test_line_key_clusters_numbers_and_punctuation():
    assert line_key("第3页/共12页") == line_key("第 12 页 / 共 30 页")
    assert line_key("投稿人：张明 热度：12℃") == line_key("投稿人：李晓燕 热度：9876℃")
    assert line_key("收藏(3)") != line_key("分享(3)")


@pytest.mark.parametrize("line", [
    "同志们：", "各位代表、同志们：", "（2017年3月6日）", "谢谢大家！", "一、提高政治站位",
    "在全市安全生产工作会议上的讲话",
    "要用好微信公众号、短视频等新媒体平台，把政策讲清楚。",
    "安全生产事关人民群众生命财产安全。各级各部门要牢固树立安全发展理念",
    "各地要持续保持工作热度不能虎头蛇尾更不能搞一阵风要建立长效机制推动常态化管理不断巩固成果让群众满意" * 2,
])  # fmt: skip
def test_content_lines_are_never_candidates(line):
    assert looks_like_content(line)


@pytest.mark.parametrize("line", ["墨香文库 | moxiang.example", "收藏(12)  分享(3)  举报", "第3页/共12页"])
def test_chrome_lines_are_candidates(line):
    assert not looks_like_content(line)


def test_generalize_matches_members_and_other_numbers():
    import regex

    members = ["本文档共4页，下载需18墨豆 | 开通VIP", "本文档共12页，下载需3墨豆|开通VIP"]
    pattern = generalize(members)
    assert r"\d+" in pattern
    for text in members + ["本文档共300页，下载需1墨豆 | 开通VIP"]:
        assert regex.fullmatch(pattern, text), (pattern, text)
    assert not regex.fullmatch(pattern, "本文档共四页，下载需十墨豆 | 开通VIP")


def test_a_repeated_body_paragraph_is_not_proposed(pipeline):
    closing = "同志们，让我们团结一心、真抓实干，为全市高质量发展作出新的更大贡献！"
    docs = [(f"{i}.txt", f"首页横幅 第{i}期\n标题{i}号文件\n{closing}\n") for i in range(10)]
    result = suggest(docs, pipeline)
    assert result.proposed, "the repeated banner should be proposed"
    for c in result.proposed:
        assert c.rule.apply(closing) == closing


def test_nothing_to_mine_still_gives_a_valid_draft(pipeline, seed_paths):
    docs = [(p.name, p.read_bytes()) for p in seed_paths]  # five different sites
    result = suggest(docs, pipeline)
    assert validate_draft(result.to_yaml()) == []


def test_binary_files_are_skipped_and_named(pipeline, tmp_path):
    moxiang.write_site(tmp_path, n=6)
    docs = [(p.name, p.read_bytes()) for p in sorted(tmp_path.glob("*.txt"))]
    docs.append(("logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    result = suggest(docs, pipeline)
    text = result.to_yaml()
    assert "# skipped logo.txt: binary file" in text
    assert validate_draft(text) == []


def test_known_site_templates_get_safe_drafts():
    """Pages of the five seed sites mined with the common rules only: every proposed rule
    keeps every line of the speeches."""
    import sitedocs
    from speechclean import Pipeline

    full = load_rules()
    common_only = Pipeline(RuleBook(full.common, ()))
    builders = (sitedocs.rulaiwenku, sitedocs.sucai198, sitedocs.wenmi, sitedocs.kulewenxing,
                sitedocs.panjin)  # fmt: skip
    for build in builders:
        docs, body = [], []
        for i in range(8):
            raw, expected = build(sitedocs.SPEECHES[i % len(sitedocs.SPEECHES)], seed=i)
            docs.append((f"{build.__name__}{i}.txt", raw))
            body += [line for line in expected.split("\n") if line.strip()]
        result = suggest(docs, common_only)
        assert validate_draft(result.to_yaml()) == [], build.__name__
        for c in result.proposed:
            for line in body:
                assert c.rule.apply(line) == line, (build.__name__, c.data["pattern"], line)


def test_min_files_option(site):
    runner = CliRunner()
    many = runner.invoke(main, ["rules", "suggest", str(site["pages"]), "--min-files", "30"])
    assert many.exit_code == 0
    assert "watermark" not in many.stdout  # seen in 12 files only
    few = runner.invoke(main, ["rules", "suggest", str(site["pages"]), "--min-files", "10"])
    assert "watermark" in few.stdout


def test_suggest_cli_errors():
    runner = CliRunner()
    result = runner.invoke(main, ["rules", "suggest", "/nonexistent/folder"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_short_cue_lines_at_the_edges_are_proposed_even_if_rare(pipeline):
    """A popularity counter in 2 of 10 files is below --min-files but has a cue (热度) and
    sits in the last lines: proposed, as a cue line."""
    docs = []
    for i in range(10):
        counter = f"热度：{100 + 37 * i}℃\n" if i in (2, 7) else ""
        docs.append((f"{i}.txt", f"{moxiang.TITLES[i]}\n同志们：\n{moxiang.PARAGRAPHS[i]}\n{counter}"))
    result = suggest(docs, pipeline)
    (cue,) = result.proposed
    assert not cue.repeated and cue.data["category"] == "metadata"
    assert cue.rule.apply("热度：98765℃") == ""
    assert validate_draft(result.to_yaml()) == []


def test_a_pattern_that_would_hit_a_body_line_is_not_proposed(pipeline):
    """投稿人：<name> repeats, but its generalized pattern would also remove a content line
    of the same shape: the rule is left out and the draft says why."""
    docs = []
    for i in range(8):
        body = moxiang.PARAGRAPHS[i]
        extra = "投稿人：实践，智慧。\n" if i == 3 else ""
        docs.append((f"{i}.txt", f"投稿人：{moxiang.UPLOADERS[i]}\n{moxiang.TITLES[i]}\n{extra}{body}\n"))
    result = suggest(docs, pipeline)
    text = result.to_yaml()
    assert not result.proposed
    assert "would also drop '投稿人：实践，智慧。'" in text
    assert validate_draft(text) == []


def test_control_characters_still_give_a_readable_draft(pipeline):
    """Scraped lines can hold control characters YAML may not contain literally."""
    docs = [(f"page\x07{i}.txt", f"横幅\x07广告 第{i}期\n{moxiang.TITLES[i]}\n{moxiang.PARAGRAPHS[i]}\n")
            for i in range(6)]  # fmt: skip
    result = suggest(docs, pipeline)
    assert len(result.proposed) == 1
    assert validate_draft(result.to_yaml()) == []
