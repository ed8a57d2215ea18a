"""Each seed site's template around other speeches, with other numbers, IDs, dates, page
counts and contact numbers: the output is exactly the speech (issue: rules generalize)."""

from __future__ import annotations

import pytest

import sitedocs
from sitedocs import SPEECHES

CASES = [
    ("rulaiwenku", lambda: sitedocs.rulaiwenku(SPEECHES[0], seed=1)),
    ("rulaiwenku", lambda: sitedocs.rulaiwenku(SPEECHES[3], seed=2)),
    ("rulaiwenku", lambda: sitedocs.rulaiwenku(SPEECHES[5], seed=3, truncated=False)),
    ("sucai198", lambda: sitedocs.sucai198(SPEECHES[1], seed=4)),
    ("sucai198", lambda: sitedocs.sucai198(SPEECHES[2], seed=5, related=True)),
    ("1wenmi", lambda: sitedocs.wenmi(SPEECHES[2], seed=6)),
    ("1wenmi", lambda: sitedocs.wenmi(SPEECHES[4], seed=7)),
    ("1wenmi", lambda: sitedocs.wenmi(SPEECHES[0], seed=8)),
    ("kulewenxing", lambda: sitedocs.kulewenxing(SPEECHES[4], seed=9)),
    ("kulewenxing", lambda: sitedocs.kulewenxing(SPEECHES[1], seed=10)),
    ("panjin", lambda: sitedocs.panjin(SPEECHES[5], seed=11)),
    ("panjin", lambda: sitedocs.panjin(SPEECHES[3], seed=12)),
]
IDS = [f"{site}-{i}" for i, (site, _) in enumerate(CASES)]


@pytest.mark.parametrize(("site", "build"), CASES, ids=IDS)
def test_site_template_is_removed_and_speech_kept(pipeline, site, build):
    raw, expected = build()
    result = pipeline.clean(raw.encode("utf-8"), name=site)
    assert site in result.sites
    assert result.text == expected


@pytest.mark.parametrize(("site", "build"), CASES, ids=IDS)
def test_site_documents_drop_no_long_body_line(pipeline, site, build):
    # (short test speeches in heavy chrome may rightly get an over-cleaning warning)
    raw, _ = build()
    result = pipeline.clean(raw.encode("utf-8"), name=site)
    assert [w for w in result.warnings if w.code != "over-cleaning"] == []


def test_panjin_page_is_converted_to_simplified(pipeline):
    raw, _ = sitedocs.panjin(SPEECHES[0], seed=13)
    result = pipeline.clean(raw.encode("utf-8"))
    assert result.converted
    assert "(" not in result.text  # every glued pinyin annotation is gone
