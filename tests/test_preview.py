"""`speechclean preview`: the annotated source (a property test), the terminal view and
the JSON data, on the seeds and on generated documents."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from speechclean import Pipeline
from speechclean.cli import main
from speechclean.preview import (
    JSON_VERSION,
    SourceView,
    annotate,
    known_rules,
    preview_one,
    source_of,
    text_of,
)

PIPELINE = Pipeline.from_rules()
SEED_LINES = sorted(
    {line for p in SEEDS.glob("*.txt") for line in p.read_text(encoding="utf-8").splitlines()}
)
BOILERPLATE = [
    "上一篇 2021年3月2日", "下一篇：关于做好春节期间工作的通知", "返回顶部", "第2页 / 共8页",
    "加客服微信:5551234", "扫码关注", "您现在所在的位置: 首页 > 新闻 > 讲话",
    "发布时间:2023-01-02 来源:新华网 浏览次数:88", "............试读结束............",
    "展开阅读全文", "仅供学习 禁止外传", "(0)", "12345", "同志们:", "一、加强领导",
    "在全市工作会议上的讲话", "現(xiàn)在", "版权所有 © 2020 某某网 京ICP备12345678号",
]  # fmt: skip
cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=50)
ascii_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
punct = st.sampled_from(list("，。、：；！？“”（）《》,.:()—…"))
indent = st.sampled_from(["", "", "  ", "　　", "\t", "          "])
line = st.tuples(
    indent,
    st.one_of(
        st.sampled_from(SEED_LINES),
        st.sampled_from(BOILERPLATE),
        st.lists(st.one_of(cjk, ascii_text, punct), max_size=6).map("".join),
    ),
).map("".join)
newline = st.sampled_from(["\n", "\n", "\n\n", "\n  \n", "\r\n"])
document = st.lists(st.tuples(line, newline), max_size=30).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_preview_segments_rebuild_the_source_and_the_clean_text(text):
    result = PIPELINE.clean(text.encode("utf-8"))
    segments = annotate(result.source, result.changes)
    assert source_of(segments) == result.source  # kept + removed
    assert text_of(segments) == result.text  # kept + inserted
    # every removed or inserted piece names a real change; the terminal view's tokens of
    # all lines, insertions left out, are the source again
    assert all(s.change is None or 0 <= s.change < len(result.changes) for s in segments)
    view = SourceView(segments)
    if result.source:
        marked = set(range(len(result.changes)))
        tokens = view.tokens(1, view.n_lines, marked)
        assert "".join(t for t, style in tokens if style != "ins") == result.source


def test_preview_segments_of_the_seeds_rebuild_source_and_text(pipeline, seed_paths):
    for path in seed_paths:
        fp = preview_one(pipeline, path.read_bytes(), path.name)
        assert source_of(fp.segments) == fp.result.source, path.name
        assert text_of(fp.segments) == fp.result.text, path.name
        removed_by = {s.change for s in fp.segments if s.kind == "removed"}
        # whole-line removals always show up on the source
        for i, c in enumerate(fp.changes):
            if c.action == "drop-line" and c.stage == "rules":
                assert i in removed_by, (path.name, c.rule)


# --------------------------------------------------------------------------- CLI
def run(*args, input=None):
    return CliRunner().invoke(main, ["preview", *map(str, args)], input=input)


@pytest.fixture(scope="module")
def seeds_results():
    return {p.name: PIPELINE.clean(p.read_bytes(), name=p.name) for p in sorted(SEEDS.glob("*.txt"))}


def entry_headers(output: str) -> list[str]:
    """The `line N  rule  category  action` lines of a text preview."""
    return [ln for ln in output.splitlines() if ln.startswith("  line")]


def test_text_preview_of_the_seeds_shows_every_change_on_its_line(seeds_results):
    res = run(SEEDS)
    assert res.exit_code == 0, res.output
    out = res.output
    # no colour when stdout is not a terminal: removals are bracketed instead
    assert "\x1b[" not in out
    assert "[-" in out
    # SPEC's own example of site branding: the sucai198 header line is shown removed whole
    assert any(ln.endswith("[-SUCAI198.COM —— 专注党建行政公文写作范文-]") for ln in out.splitlines())
    headers = entry_headers(out)
    for name, result in seeds_results.items():
        assert name in out
        for note in result.notes:  # e.g. the Traditional -> Simplified conversion
            assert f"  note: {note}" in out
        for c in result.changes:
            if c.category != "layout":
                assert any(f"  {c.rule}  {c.category}  {c.action}" in h for h in headers), c.rule
    # layout changes (indentation, blank lines) are hidden by default and counted
    assert "reflow/blank-lines  layout" not in out
    assert "layout hidden" in out


def test_text_preview_table_lists_every_rule_including_those_that_never_fired(tmp_path,
                                                                            seeds_results):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "never.yaml").write_text(
        "set: never\nrules:\n"
        "  - id: mine/never-fires\n    category: ad\n    action: drop-line\n"
        "    pattern: '本行永远不会出现在种子里'\n"
        "    examples: {drop: ['本行永远不会出现在种子里'], keep: ['正文']}\n",
        encoding="utf-8",
    )
    res = run(SEEDS, "--rules", tmp_path)
    assert res.exit_code == 0, res.output
    table = res.output.split("\nrule ")[1].splitlines()[1:-1]  # header and totals left out
    rows = {ln.split()[0]: ln for ln in table}
    for r in known_rules(PIPELINE):
        assert r["rule"] in rows, r["rule"]
    assert rows["mine/never-fires"].split()[1:] == ["ad", "0", "0", "0", "0", "never", "fired"]
    assert res.output.splitlines()[-1].endswith("never fired")
    for rule in ("reflow/blank-lines", "reflow/duplicate-title"):  # reflow fixes counted too
        files = sum(1 for r in seeds_results.values() if any(c.rule == rule for c in r.changes))
        hits = sum(1 for r in seeds_results.values() for c in r.changes if c.rule == rule)
        assert rows[rule].split()[2:4] == [str(files), str(hits)]


def test_rule_option_follows_one_rule(seeds_results):
    rule = "common/page-number"
    hit = [n for n, r in seeds_results.items() if any(c.rule == rule for c in r.changes)]
    assert hit, "the seeds should exercise this rule"
    res = run(SEEDS, "--rule", rule)
    assert res.exit_code == 0, res.output
    headers = entry_headers(res.output)
    assert headers and all(f"  {rule}  " in h for h in headers)
    for name in seeds_results:
        assert (name in res.output) == (name in hit)
    table = res.output.split("\nrule ")[1].splitlines()[1:-1]
    assert [ln.split()[0] for ln in table] == [rule]
    # glob patterns, and a mistyped id is a usage error
    assert run(SEEDS, "--rule", "common/page-*").exit_code == 0
    bad = run(SEEDS, "--rule", "common/no-such-rule")
    assert bad.exit_code == 2
    assert "no-such-rule" in bad.output and "Traceback" not in bad.output


def test_context_option_shows_lines_around_each_change(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("第一段正文。\n第二段正文。\n第三段正文。\n返回顶部\n第五段正文。\n第六段正文。\n",
                   encoding="utf-8")
    bare = run(doc, "--rule", "common/page-widgets")
    assert bare.exit_code == 0, bare.output
    assert "    4 │ [-返回顶部-]" in bare.output
    assert "第三段" not in bare.output
    wide = run(doc, "--rule", "common/page-widgets", "--context", 2)
    lines = wide.output.splitlines()
    i = lines.index("    4 │ [-返回顶部-]")
    assert lines[i - 2 : i + 3] == [
        "    2 │ 第二段正文。", "    3 │ 第三段正文。", "    4 │ [-返回顶部-]",
        "    5 │ 第五段正文。", "    6 │ 第六段正文。",
    ]  # fmt: skip
    assert run(doc, "--context", "-1").exit_code == 2


def test_all_option_shows_layout_changes():
    res = run(SEEDS, "--all")
    assert res.exit_code == 0
    assert any("reflow/blank-lines  layout" in h for h in entry_headers(res.output))
    assert "layout hidden" not in res.output


def test_color_option_highlights_removed_text_with_ansi():
    res = run(SEEDS / "001_d4e73c5e19644a6a.txt", "--color")
    assert "\x1b[" in res.output and "[-" not in res.output
    assert "\x1b[" not in run(SEEDS / "001_d4e73c5e19644a6a.txt", "--no-color").output


def test_joins_show_the_removed_line_break(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("同志们:\n我们要坚持把创建全国文明城市作为推进城市发展、提升治理能力的重要抓手，"
                   "促进“两个文明”\n协调发展，不断提升市民的获得感。\n", encoding="utf-8")
    res = run(doc)
    assert "reflow/join-broken-lines" in res.output
    assert "“两个文明”[-⏎-]" in res.output


def test_site_and_glob_options(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / "003_c4cdd8bcf8d9ec22.txt", src / "a.txt")
    shutil.copy(SEEDS / "003_c4cdd8bcf8d9ec22.txt", src / "sub" / "b.htm")
    res = run(src, "--glob", "*.htm", "--format", "json")
    assert res.exit_code == 0, res.output
    assert [f["path"].rsplit("/", 1)[-1] for f in json.loads(res.output)["files"]] == ["b.htm"]
    forced = json.loads(run(src / "a.txt", "--site", "panjin", "--format", "json").output)
    assert forced["files"][0]["sites"] == ["panjin"]
    assert run(src, "--site", "no-such-site").exit_code == 2


def test_json_format_on_the_seeds(seeds_results):
    res = run(SEEDS, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["version"] == JSON_VERSION
    assert set(data) >= {"version", "files", "rules", "speechclean", "provenance"}
    assert len(data["files"]) == len(seeds_results)
    for f in data["files"]:
        result = seeds_results[f["path"].rsplit("/", 1)[-1]]
        assert set(f) >= {"path", "status", "encoding", "sites", "changes", "warnings", "hidden",
                          "notes"}
        assert f["notes"] == result.notes
        assert f["status"] == "ok" and f["encoding"] == result.encoding
        assert f["sites"] == result.sites
        shown = [c for c in result.changes if c.category != "layout"]
        assert len(f["changes"]) == len(shown)
        assert f["hidden"] == len(result.changes) - len(shown)
        for got, c in zip(f["changes"], shown, strict=True):
            assert set(got) == {"line", "end_line", "stage", "rule", "category", "action",
                                "old", "new"}
            assert (got["line"], got["rule"], got["old"], got["new"]) == (c.line, c.rule, c.old, c.new)
            assert got["end_line"] >= got["line"]
    rules = {r["rule"]: r for r in data["rules"]}
    assert set(rules) == {r["rule"] for r in known_rules(PIPELINE)}
    for r in rules.values():
        assert set(r) == {"rule", "set", "category", "action", "files", "hits", "lines", "chars"}
    total_hits = sum(len(r.changes) for r in seeds_results.values())
    assert sum(r["hits"] for r in rules.values()) == total_hits
    # --all and --rule select the same changes as in the text view
    everything = json.loads(run(SEEDS, "--format", "json", "--all").output)
    assert sum(len(f["changes"]) for f in everything["files"]) == total_hits


def test_preview_writes_nothing(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    assert run(src).exit_code == 0
    assert run(src, "--format", "json").exit_code == 0
    assert sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before


def test_failed_inputs_exit_3_and_the_rest_is_previewed(tmp_path):
    shutil.copy(SEEDS / "001_d4e73c5e19644a6a.txt", tmp_path / "good.txt")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    res = run(tmp_path, "--format", "json")
    assert res.exit_code == 3
    assert "skipped" in res.stderr and "binary.txt" in res.stderr
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(res.stdout)["files"]}
    assert files["binary.txt"]["status"] == "skipped" and files["binary.txt"]["error"]
    assert files["good.txt"]["status"] == "ok" and files["good.txt"]["changes"]
    text = run(tmp_path)
    assert text.exit_code == 3 and "good.txt" in text.stdout and "Traceback" not in text.output


def test_usage_and_rule_errors_exit_2(tmp_path):
    assert run(tmp_path / "missing").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(empty).exit_code == 2  # no files matching
    bad = tmp_path / "rules" / "common"
    bad.mkdir(parents=True)
    (bad / "bad.yaml").write_text("rules:\n  - id: x\n    pattern: '('\n", encoding="utf-8")
    res = run(SEEDS, "--rules", tmp_path / "rules")
    assert res.exit_code == 2 and "bad.yaml" in res.stderr and "Traceback" not in res.output


def test_stdin_preview():
    res = run("-", input="您现在所在的位置: 首页 > 新闻 > 讲话\n同志们:\n今天我们开会。\n")
    assert res.exit_code == 0, res.output
    assert "<stdin>" in res.output
    assert "[-您现在所在的位置: 首页 > 新闻 > 讲话-]" in res.output


def test_replacements_show_only_what_changed_and_blank_lines_stay_visible(tmp_path):
    rules = tmp_path / "rules" / "common"
    rules.mkdir(parents=True)
    (rules / "ext.yaml").write_text(
        "set: ext\nrules:\n"
        "  - id: mine/file-extension\n    category: header\n    action: replace\n"
        "    pattern: '^(.{4,40}讲话)\\.docx$'\n    replacement: '\\1'\n"
        "    examples: {change: [{in: '在大会上的讲话.docx', out: '在大会上的讲话'}]}\n",
        encoding="utf-8",
    )
    res = run("-", "--rules", tmp_path / "rules", "--all",
              input="在全市大会上的讲话.docx\n\n\n同志们:\n今天开会。\n")
    assert res.exit_code == 0, res.output
    assert "    1 │ 在全市大会上的讲话[-.docx-]" in res.output
    # the two blank lines are dropped: each shows as a visible removed line break
    assert "    2 │ [-⏎-]" in res.output and "    3 │ [-⏎-]" in res.output
