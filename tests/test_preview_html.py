"""The HTML review page of `speechclean preview --html`: self-contained, faithful to the
source (the page's text minus insertions is the source), usable for 1,000 documents, and
working in a real browser (headless Chromium: DOM of highlights, rule table, filters)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from speechclean import Pipeline
from speechclean.cli import main
from speechclean.preview import known_rules, preview_one
from speechclean.preview_html import render_html

PIPELINE = Pipeline.from_rules()


class PageParser(HTMLParser):
    """Collects, per ``details.doc``, its attributes and its ``pre.text`` as pieces
    ``(kind, text, attrs)`` with kind kept / removed (in ``<del>``) / inserted (in ``<ins>``);
    plus the rule table rows and the filter controls."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.docs: list[dict] = []
        self.rule_rows: list[dict] = []
        self.selects: dict[str, list[str]] = {}
        self.external: list[str] = []
        self._in_pre = False
        self._mark: list[tuple[str, dict]] = []
        self._select: str | None = None
        self._in_tbody = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "link") and (a.get("src") or a.get("href")):
            self.external.append(f"{tag} {a}")
        if tag == "details" and "doc" in (a.get("class") or "").split():
            self.docs.append({"attrs": a, "pieces": []})
        elif tag == "pre" and a.get("class") == "text":
            self._in_pre = True
        elif self._in_pre and tag in ("del", "ins"):
            self._mark.append((tag, a))
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rule_rows.append(a)
        elif tag == "select":
            self._select = a.get("id")
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre = False
        elif self._in_pre and tag in ("del", "ins") and self._mark:
            self._mark.pop()
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if not self._in_pre:
            return
        if self._mark:
            tag, a = self._mark[-1]
            kind = "removed" if tag == "del" else "inserted"
        else:
            kind, a = "kept", {}
        self.docs[-1]["pieces"].append((kind, data, a))


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    return p


def source_of(doc: dict) -> str:
    return "".join(t for kind, t, _ in doc["pieces"] if kind != "inserted")


def text_of(doc: dict) -> str:
    return "".join(t for kind, t, _ in doc["pieces"] if kind != "removed")


@pytest.fixture(scope="module")
def seed_previews():
    return [preview_one(PIPELINE, p.read_bytes(), str(p)) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def seeds_page(seed_previews):
    return render_html(PIPELINE, seed_previews)


# --------------------------------------------------------------------------- the page itself
def check_page(page: str, previews) -> PageParser:
    """What every page must satisfy: one section per input, each rebuilding its source and
    clean text, every removal labelled with a real rule and category, the full rule table."""
    parsed = parse(page)
    assert len(parsed.docs) == len(previews)
    for doc, fp in zip(parsed.docs, previews, strict=True):
        assert doc["attrs"]["data-path"] == fp.path
        if fp.result is None:
            assert not doc["pieces"]
            continue
        assert source_of(doc) == fp.result.source, fp.path
        assert text_of(doc) == fp.result.text, fp.path
        rules = {c.rule: c.category for c in fp.changes}
        for kind, _, attrs in doc["pieces"]:
            if kind != "kept":
                assert rules[attrs["data-rule"]] == attrs["data-category"]
        assert set(doc["attrs"]["data-rules"].split()) == set(rules)
        assert doc["attrs"]["data-sites"].split() == (fp.result.sites or ["-"])
    return parsed


def test_seeds_page_rebuilds_every_document_and_lists_every_rule(seeds_page, seed_previews):
    parsed = check_page(seeds_page, seed_previews)
    rows = [r["data-rule"] for r in parsed.rule_rows]
    fired = {c.rule for fp in seed_previews for c in fp.changes}
    order = [r["rule"] for r in known_rules(PIPELINE)]
    # the rules that fired, in the order they run, then every rule that never fired
    assert rows == [r for r in order if r in fired] + [r for r in order if r not in fired]
    dead = {r["data-rule"] for r in parsed.rule_rows if r.get("class") == "dead"}
    assert dead == {r for r in rows if r not in fired}
    assert set(parsed.selects["f-site"]) >= {s for fp in seed_previews for s in fp.result.sites}
    hit = {c.rule for fp in seed_previews for c in fp.changes if c.category != "layout"}
    assert set(parsed.selects["f-rule"]) - {""} == hit
    # every hit rule links to its first occurrence, which exists on the page
    for rule in hit:
        m = re.search(rf'<tr data-rule="{re.escape(rule)}".*?<a href="#(first-\d+)">', seeds_page)
        assert m and f'id="{m.group(1)}"' in seeds_page, rule


def test_page_is_self_contained(seeds_page):
    parsed = parse(seeds_page)
    assert parsed.external == []
    styles_and_scripts = "".join(re.findall(r"<(?:style|script)[^>]*>(.*?)</(?:style|script)>",
                                            seeds_page, re.S))
    for needle in ("http:", "https:", "url(", "@import", "@font-face", "fetch(", "XMLHttpRequest"):
        assert needle not in styles_and_scripts
    hrefs = re.findall(r'href="([^"]*)"', seeds_page)
    assert hrefs and all(h.startswith("#") for h in hrefs)


def test_everything_is_escaped(tmp_path):
    nasty = ('<script>alert("x")</script> & &amp; "quoted" \'single\'\n'
             '您现在所在的位置: 首页 > <b>新闻</b> > 讲话\n同志们:\n今天我们开会。\n')
    fp = preview_one(PIPELINE, nasty, 'dir/"odd" <name> & co.txt')
    page = render_html(PIPELINE, [fp])
    check_page(page, [fp])
    assert "<script>alert" not in page and "<b>新闻" not in page
    assert page.count("<script>") == 1


def test_page_for_1000_documents_stays_small_and_filterable(seed_previews):
    previews = [replace(seed_previews[i % len(seed_previews)], path=f"site{i % 7}/doc{i:04d}.txt")
                for i in range(1000)]  # fmt: skip
    page = render_html(PIPELINE, previews)
    source_bytes = sum(len(fp.result.source.encode("utf-8")) for fp in previews)
    # markup costs well under twice the text itself; sections are collapsed by default
    assert len(page.encode("utf-8")) < 2.5 * source_bytes
    assert page.count('<details class="doc"') == 1000
    assert "<details open" not in page and 'class="doc" open' not in page
    assert "1000 of 1000 documents" in page


def test_cli_writes_only_the_html_file(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "review.html"
    res = CliRunner().invoke(main, ["preview", str(src), "--html", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout == ""  # no listing unless --format is given
    assert "review.html" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html", "src"]
    previews = [preview_one(PIPELINE, p.read_bytes(), str(p)) for p in sorted(src.glob("*.txt"))]
    check_page(out.read_text(encoding="utf-8"), previews)
    both = CliRunner().invoke(main, ["preview", str(src), "--html", str(out), "--format", "json",
                                     "--rule", "common/page-number"])
    assert both.exit_code == 0 and both.stdout.startswith("{")
    assert 'data-initial-rule="common/page-number"' in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["preview", str(src), "--html", str(tmp_path / "no" / "x.html")])
    assert bad.exit_code == 2 and "cannot write" in bad.stderr


# --------------------------------------------------------------------------- in Chromium
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}", *args, url]
    env = dict(os.environ, HOME=str(profile))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, check=False)


def dump_dom(path: Path, fragment: str, profile: Path) -> str:
    proc = chromium(path.as_uri() + fragment, profile, "--dump-dom")
    assert proc.returncode == 0 and "</html>" in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def seeds_page_file(tmp_path_factory, seeds_page):
    path = tmp_path_factory.mktemp("page") / "seeds.html"
    path.write_text(seeds_page, encoding="utf-8")
    return path


@needs_chromium
def test_chromium_renders_highlights_and_rule_table(seeds_page_file, seed_previews, tmp_path):
    dom = dump_dom(seeds_page_file, "", tmp_path / "profile")
    parsed = check_page(dom, seed_previews)  # the DOM Chromium built rebuilds every source
    highlights = re.findall(r'<del class="rm[^"]*" data-rule="([^"]+)" data-category="([^"]+)"', dom)
    expected = {(c.rule, c.category) for fp in seed_previews for c in fp.changes
                if c.old and c.stage == "rules"}
    assert expected <= set(highlights)
    assert len(parsed.rule_rows) == len(known_rules(PIPELINE))
    assert 'id="f-rule"' in dom and 'id="f-site"' in dom
    assert "5 of 5 documents" in dom
    assert not re.search(r'<details class="doc[^"]*"[^>]* hidden', dom)


@needs_chromium
def test_chromium_filters_by_rule_and_site_from_the_url(seeds_page_file, seed_previews, tmp_path):
    rule = "common/page-number"
    want = {fp.path for fp in seed_previews if any(c.rule == rule for c in fp.changes)}
    dom = dump_dom(seeds_page_file, f"#rule={rule}", tmp_path / "profile")
    shown = set(re.findall(r'<details class="doc[^"]*" id="doc-\d+" data-path="([^"]+)"[^>]*>', dom))
    hidden = set(re.findall(r'<details class="doc[^"]*" id="doc-\d+" data-path="([^"]+)"[^>]* hidden', dom))
    assert shown - hidden == want and len(hidden) == len(seed_previews) - len(want)
    assert f"{len(want)} of {len(seed_previews)} documents" in dom
    dimmed = dom.split('id="dim-style"')[1].split("</style>")[0]  # other rules' spans dimmed
    assert "del.rm:not([data-rule=" in dimmed and "page-number" in dimmed

    site = seed_previews[-1].result.sites[0]
    dom = dump_dom(seeds_page_file, f"#site={site}&open=1", tmp_path / "profile")
    opened = re.findall(r'<details class="doc[^"]*" id="doc-\d+" data-path="([^"]+)"[^>]*open', dom)
    assert opened == [fp.path for fp in seed_previews if site in fp.result.sites]


@needs_chromium
def test_chromium_screenshot_of_the_seeds_page(seeds_page_file, tmp_path):
    png = tmp_path / "seeds.png"
    proc = chromium(seeds_page_file.as_uri() + "#open=1", tmp_path / "profile",
                    f"--screenshot={png}", "--window-size=1280,2000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1280 and int.from_bytes(data[20:24], "big") == 2000
    assert len(data) > 50_000  # text and highlights, not a blank page


@needs_chromium
def test_chromium_handles_a_1000_document_page(seed_previews, tmp_path):
    previews = [replace(seed_previews[i % len(seed_previews)], path=f"site{i % 7}/doc{i:04d}.txt")
                for i in range(1000)]  # fmt: skip
    path = tmp_path / "big.html"
    path.write_text(render_html(PIPELINE, previews), encoding="utf-8")
    dom = dump_dom(path, "#q=site3/", tmp_path / "profile")
    want = sum(1 for fp in previews if "site3/" in fp.path)
    assert f"{want} of 1000 documents" in dom
    assert len(re.findall(r'<details class="doc[^"]*"[^>]* hidden', dom)) == 1000 - want
