"""The rules' pre-filters change how fast rules run, never what they do.

``literals.analyze`` must be sound (every match contains a required literal), and a rule
run through the pipeline's ``LineIndex`` must give exactly the edits of the plain pass,
for every built-in rule, on seeds and on generated documents.
"""

from __future__ import annotations

import pickle

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from speechclean import Pipeline
from speechclean import rules as rules_module
from speechclean.literals import analyze
from speechclean.prefilter import LineIndex, LineScanner
from speechclean.rulefiles import load_rules, parse_rule

BOOK = load_rules()
RULES = list(BOOK.rules())
SCANNER = LineScanner(RULES)
SEED_TEXTS = [Pipeline._normalize(p.read_text(encoding="utf-8"), []) for p in sorted(SEEDS.glob("*.txt"))]


def fast_and_plain(rule, text):
    index = LineIndex(SCANNER)
    return rule.find_edits(text, lines=index), rule.find_edits(text)


# --------------------------------------------------------------------------- analysis
@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        ("(?:上一篇|下一篇)\\s*[:：]?", {"上一篇", "下一篇"}),
        ("仅供(?:学习|参考)", {"仅供学习", "仅供参考"}),
        ("(?=.*(?:来源|作者))[^\\n]{0,30}", {"来源", "作者"}),
        ("第\\s*\\d+\\s*页", {"第", "页"}),  # either one is a sound choice
        ("(?:x0d)?x0a", {"x0a", "x0dx0a"}),
        ("\\d{1,9}", None),
        ("[^。]{0,20}", None),
        ("a|\\d+", None),  # one branch needs no literal: the whole needs none
        ("x(?P<n>y)\\1", None),  # back-reference: not analysed
        ("ab{e<=1}", None),  # fuzzy matching: not analysed
    ],
)
def test_required_literals(pattern, required):
    found = analyze(pattern).required
    if pattern.startswith("第"):
        assert found in (("第",), ("页",))
    else:
        assert (set(found) if found else None) == required


def test_case_insensitive_literals_cover_every_spelling():
    found = analyze("(?i)sucai198\\.com").required
    assert found
    for spelling in ("sucai198.com", "SUCAI198.COM", "SuCaI198.CoM", "ſucai198.com"):
        assert regex.search("(?i)sucai198\\.com", spelling)
        assert any(lit in spelling for lit in found), spelling


def test_every_builtin_rule_is_analysed_and_most_have_literals():
    with_literals = [r.id for r in RULES if analyze(r.pattern).required]
    assert len(with_literals) >= len(RULES) * 3 // 4


ALPHABET = "上下一篇第页共来源作者仅供学习参考微信QQqq0123 \n:：。，(（)）x0dacopyrightCOPYRIGHTſİ"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_analysis_is_sound_on_random_text(text):
    """Whenever a rule's pattern matches, one of its required literals is in the text."""
    for pattern in [r.pattern for r in RULES] + [
        "(?i)sucai198\\.com", "[^。，；！？]{0,40}(?:版权所有|(?i:copyright)|©)", "(?:x0d)?x0a",
        "第\\s*\\d+\\s*页", "(?=.*(?:来源|作者))[^\\n]{0,30}", "(?i:qq)群",
    ]:
        required = analyze(pattern).required
        if required and regex.search(pattern, text, regex.MULTILINE):
            assert any(lit in text for lit in required), (pattern, text)


# --------------------------------------------------------------------------- equivalence
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fast_path_gives_the_plain_edits_on_seeds_and_examples(rule):
    texts = SEED_TEXTS + [ex.text for r in RULES for ex in r.examples]
    texts.append("\n".join(ex.text for r in RULES for ex in r.examples))
    for text in texts:
        fast, plain = fast_and_plain(rule, text)
        assert fast == plain, text[:80]


CHROME = sorted({ex.text for r in RULES for ex in r.examples} | {
    line for text in SEED_TEXTS for line in text.split("\n") if len(line) < 120
})
piece = st.one_of(
    st.sampled_from(CHROME),
    st.text(alphabet="第页共一二三、。，:： \u3000\t()（）0123456789微信扫码首页>-—/", max_size=12),
)
line = st.lists(piece, min_size=0, max_size=3).map("".join)
document = st.lists(line, max_size=30).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_fast_path_gives_the_plain_edits_on_generated_documents(text):
    index = LineIndex(SCANNER)
    for rule in RULES:
        assert rule.find_edits(text, lines=index) == rule.find_edits(text), rule.id


def test_a_rule_outside_the_scanner_takes_the_plain_path():
    rule = parse_rule(
        {"id": "user/x", "category": "ad", "action": "drop-line", "pattern": "加微信\\d+"},
        "user.yaml",
    )
    assert rule.find_edits("正文。\n加微信123\n", lines=LineIndex(SCANNER)) == rule.find_edits(
        "正文。\n加微信123\n"
    )
    assert len(rule.find_edits("正文。\n加微信123\n")) == 1


def test_pipeline_output_and_changes_do_not_depend_on_the_prefilter(monkeypatch):
    pipeline = Pipeline.from_rules()
    docs = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    docs.append(("\n".join(CHROME[:200]) + "\n" + SEED_TEXTS[0]).encode("utf-8"))
    fast = [pipeline.clean(d) for d in docs]

    class PlainIndex(LineIndex):
        def covers(self, rule):
            return False

    monkeypatch.setattr("speechclean.pipeline.LineIndex", PlainIndex)
    monkeypatch.setattr(rules_module, "may_match", lambda pattern, text: True)
    plain = [pipeline.clean(d) for d in docs]
    for a, b in zip(fast, plain, strict=True):
        assert a.text == b.text
        assert a.changes == b.changes
        assert a.sites == b.sites


def test_a_drop_line_rule_judges_each_line_on_its_own():
    """Nothing on the next line sways the verdict, and a dropped line takes only its own
    newline (not the blank lines after it)."""
    rule = parse_rule(
        {"id": "user/widget", "category": "navigation", "action": "drop-line",
         "pattern": "(?=[^。]*分享)[^。]{0,10}"},
        "user.yaml",
    )  # fmt: skip
    text = "打印\n分享\n\n\n正文。\n"
    for edits in fast_and_plain(rule, text):
        assert [text[e.start : e.end] for e in edits] == ["分享\n"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", "\u3000\t", "正文。", "  缩进", "abc", "\xa0x"]),
             max_size=25).map("\n".join),
    st.sampled_from(["head", "tail"]),
    st.integers(min_value=1, max_value=12),
)
def test_the_index_measures_zones_as_the_rule_does(text, where, n):
    """The index finds a zone from its list of non-blank lines; Zone.span walks the text."""
    from speechclean.rules import Zone

    zone = Zone(where, n)
    for t in (text, text + "\n", text + "\n\n"):
        assert LineIndex(SCANNER).span(zone, t) == zone.span(t), (t, zone)


def test_what_one_document_taught_the_scanner_changes_no_other_result(monkeypatch):
    """Short lines' literals and verdicts are kept across documents (a site's chrome
    repeats); a document cleans the same after any others, and the tables stay bounded."""
    from speechclean import prefilter

    docs = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    docs += [("\n".join(CHROME[i::7]) + "\n" + SEED_TEXTS[i % 5]).encode() for i in range(7)]
    fresh = [Pipeline.from_rules().clean(d) for d in docs]
    monkeypatch.setattr(prefilter, "SHARED_LINES", 40)
    shared = Pipeline.from_rules()
    for order in (docs, docs[::-1]):
        results = {d: shared.clean(d) for d in order}
        for d, expected in zip(docs, fresh, strict=True):
            assert results[d].text == expected.text
            assert results[d].changes == expected.changes
    scanner = shared._line_scanner()
    assert 0 < len(scanner.seen) <= 40 + 200 and len(scanner.verdicts) <= 40 + 200
    assert pickle.loads(pickle.dumps(shared))._line_scanner().seen == {}
