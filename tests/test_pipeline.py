"""The library API: stages, change records, rule sets, user rules, sites."""

from __future__ import annotations

import pickle

import pytest

from conftest import SEEDS
from speechclean import Pipeline, RuleErrors, UsageError, load_rules
from speechclean.convert import to_simplified


def seed(prefix: str) -> bytes:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_builtin_rule_has_examples_that_behave():
    book = load_rules()
    rules = list(book.rules())
    assert len(rules) >= 40
    for rule in rules:
        assert rule.examples, f"{rule.id} has no examples"
        assert rule.example_failures() == [], rule.id


def test_rule_ids_are_unique_and_namespaced():
    ids = [r.id for r in load_rules().rules()]
    assert len(ids) == len(set(ids))
    assert all("/" in i for i in ids)


def test_change_records_name_stage_rule_category_and_input_line(pipeline):
    result = pipeline.clean(seed("000"))
    by_rule = {c.rule: c for c in result.changes}
    trial = by_rule["rulaiwenku/trial-end"]
    assert (trial.stage, trial.category, trial.action) == ("rules", "truncation", "truncate-after")
    assert trial.line == 23  # the 试读结束 line of the input file
    assert trial.old.startswith("............试读结束")
    assert by_rule["reflow/join-broken-lines"].stage == "reflow"
    tail = seed("000").decode("utf-8").split("\n")[22:]
    assert result.removed()["lines_by_category"]["truncation"] == sum(1 for x in tail if x.strip())


def test_stages_record_decode_and_convert(pipeline):
    result = pipeline.clean(seed("004"))
    assert result.encoding == "utf-8" and result.confidence == 1.0
    assert result.converted
    assert any(n.startswith("convert:") for n in result.notes)
    assert "panjin" in result.sites


def test_simplified_documents_are_not_converted(pipeline):
    assert not pipeline.clean(seed("003")).converted


def test_text_input_is_accepted_as_is(pipeline):
    result = pipeline.clean("　　同志们：\r\n\r\n  今天我们开会。  \r\n")
    assert result.text == "同志们：\n今天我们开会。\n"
    assert result.encoding == "unicode"


def test_zhe_fixup_leaves_proper_words_alone():
    assert to_simplified("我市有著良好基礎,原著和著名作品,顯著成效") == (
        "我市有着良好基础,原著和著名作品,显著成效"
    )


def test_pipeline_is_picklable_and_equivalent(pipeline):
    clone = pickle.loads(pickle.dumps(pipeline))
    assert clone.clean(seed("002")).data == pipeline.clean(seed("002")).data


def test_user_rule_with_builtin_id_replaces_it(tmp_path):
    write(tmp_path / "rules/common/mine.yaml", """\
rules:
  - id: common/trailing-number
    category: footer
    action: drop-line
    pattern: 'NEVER-MATCHES-\\d+'
    examples: {drop: ['NEVER-MATCHES-1'], keep: ['221381']}
""")
    book = load_rules([tmp_path / "rules"])
    ids = [r.id for r in book.rules()]
    assert ids.count("common/trailing-number") == 1
    # replaced in place: still in the built-in metadata set
    metadata = next(s for s in book.common if s.name == "metadata")
    assert any(r.pattern.startswith("NEVER") for r in metadata.rules)
    page = "在大会上的讲话\n今天我们开会。\n221381\n"
    assert Pipeline.from_rules().clean(page).text == "在大会上的讲话\n今天我们开会。\n"
    assert Pipeline(book).clean(page).text == page


def test_user_site_rules_apply_when_fingerprint_matches(tmp_path):
    write(tmp_path / "rules/sites/example.yaml", """\
site: example
match: ['示例网']
rules:
  - id: example/banner
    category: header
    action: drop-line
    pattern: '示例网 —— .{0,20}'
    examples: {drop: ['示例网 —— 好文章'], keep: ['示例很好。']}
""")
    pipeline = Pipeline.from_rules([tmp_path / "rules"])
    text = "示例网 —— 每日好文\n在大会上的讲话\n同志们：\n今天开会。\n"
    result = pipeline.clean(text)
    assert result.sites == ["example"]
    assert result.text == "在大会上的讲话\n同志们：\n今天开会。\n"
    # the fingerprint is absent: the site's rules stay off
    assert "example" not in Pipeline.from_rules([tmp_path / "rules"]).clean("普通文字。\n").sites


def test_forced_site_applies_without_fingerprint(tmp_path):
    text = "admin 分享 时间: 加入收藏 共计900个字,预计阅读时长3分钟。\n正文第一段。\n"
    assert Pipeline.from_rules().clean(text).sites == []
    forced = Pipeline.from_rules(site="sucai198").clean(text)
    assert forced.sites == ["sucai198"]
    assert forced.text == "正文第一段。\n"


def test_unknown_site_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown site 'nope'"):
        Pipeline.from_rules(site="nope")


def test_rule_errors_name_file_and_line(tmp_path):
    write(tmp_path / "rules/common/bad.yaml", """\
rules:
  - id: bad/one
    category: footer
    action: drop-line
    pattern: '(unclosed'
    examples: {drop: ['x']}
  - id: bad/two
    category: nonsense
    action: drop-line
    pattern: 'x'
""")
    with pytest.raises(RuleErrors) as info:
        load_rules([tmp_path / "rules"])
    messages = [str(e) for e in info.value.errors]
    assert any(m.startswith(f"{tmp_path}/rules/common/bad.yaml:5:") and "compile" in m
               for m in messages), messages
    assert any(":8:" in m and "unknown category" in m for m in messages), messages
