"""Documents from sites no rule file was written for: the common rules and reflow must
strip their boilerplate and keep every sentence of the speech.

Fixtures in tests/fixtures/unseen/*.yaml model typical portals (government news portals,
wenku previews, writing-template sites, forums, WeChat reposts, plus documents with
scraping artifacts). Each lists phrases that must stay (``keep``), must go (``drop``) and
must appear exactly once (``once``); they are scored like ../shared/acceptance/score.py:
NFKC, quotes unified, horizontal whitespace removed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import regex
import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "unseen"
_QUOTES = dict.fromkeys(map(ord, "“”„‟\"「」『』"), '"') | dict.fromkeys(map(ord, "‘’'"), "'")


def fold(s: str) -> str:
    """The folding of score.py: NFKC, one kind of quote, no horizontal whitespace."""
    s = unicodedata.normalize("NFKC", s).translate(_QUOTES)
    return regex.sub(r"[^\S\n]+", "", s)


def score(text: str, doc: dict) -> list[str]:
    """Failed checks of one document, as score.py words them."""
    f = fold(text)
    failures = [f"keep {s!r}" for s in doc.get("keep", []) if fold(s) not in f]
    failures += [f"drop {s!r}" for s in doc.get("drop", []) if fold(s) in f]
    for s in doc.get("once", []):
        n = f.count(fold(s))
        if n != 1:
            failures.append(f"once {s!r} (found {n})")
    lines = text.split("\n")
    if not (text.endswith("\n") and not text.endswith("\n\n")):
        failures.append("ends with exactly one newline")
    if any(line != line.strip() for line in lines):
        failures.append("no leading/trailing whitespace on lines")
    if "" in lines[:-1]:
        failures.append("no blank lines")
    return failures


def _load() -> list[dict]:
    docs = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for doc in yaml.safe_load(path.read_text(encoding="utf-8")):
            docs.append(doc | {"file": path.name})
    return docs


DOCS = _load()


def test_fixture_set_covers_the_portal_types():
    portals = Counter(d["portal"] for d in DOCS)
    assert len(DOCS) >= 25
    for kind in ("government news portal", "wenku document preview", "writing-template site",
                 "forum", "WeChat article repost"):
        assert portals[kind] >= 4, portals


def test_fixture_names_are_unique_and_every_document_has_expectations():
    assert len({d["name"] for d in DOCS}) == len(DOCS)
    for doc in DOCS:
        assert doc.get("keep") and doc.get("drop") and doc.get("once"), doc["name"]


@pytest.mark.parametrize("doc", DOCS, ids=[d["name"] for d in DOCS])
def test_unseen_document_is_cleaned(pipeline, doc):
    result = pipeline.clean(doc["text"], name=doc["name"])
    assert result.sites == [], "no site rule file should match an unseen site"
    failures = score(result.text, doc)
    assert not failures, "\n".join(failures) + "\n--- output:\n" + result.text


@pytest.mark.parametrize("doc", DOCS, ids=[d["name"] for d in DOCS])
def test_unseen_document_cleaning_is_idempotent(pipeline, doc):
    once = pipeline.clean(doc["text"]).text
    assert pipeline.clean(once).text == once


@pytest.mark.parametrize("doc", DOCS, ids=[d["name"] for d in DOCS])
def test_no_over_cleaning_warning(pipeline, doc):
    result = pipeline.clean(doc["text"])
    assert not [w for w in result.warnings if w.code == "long-line-dropped"], result.warnings


def test_scorer_folds_like_score_py():
    assert fold("“版 权”\u3000所有：") == '"版权"所有:'
    doc = {"keep": ["同志们："], "drop": ["版权所有"], "once": ["标题"]}
    assert score("标题\n同志们:\n", doc) == []
    assert score("标题\n标题\n版 权 所 有\n", doc) == [
        "keep '同志们：'", "drop '版权所有'", "once '标题' (found 2)",
    ]
    assert "no blank lines" in score("a\n\nb\n", {})
