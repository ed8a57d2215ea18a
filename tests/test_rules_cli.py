"""`rules list`, `rules check` and `rules test`: what a rule author sees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import moxiang
from speechclean.cli import main
from speechclean.rulefiles import load_rules

SITE_FILE = """\
site: moxiang
description: 墨香文库 pages
match: ['moxiang\\.example']
rules:
  - id: moxiang/uploader
    category: metadata
    action: drop-line
    pattern: '投稿人：\\S{1,8}\\s+文档ID：MX\\d+\\s+热度：\\d+℃'
    zone: {head: 8}
    description: the uploader line under the header
    examples:
      drop: ['投稿人：张明  文档ID：MX12345  热度：67℃']
      keep: ['投稿人要对内容负责。']
  - id: moxiang/published
    category: metadata
    action: drop-line
    pattern: '墨香文库整理发布于\\d{4}-\\d{2}-\\d{2}'
    description: the publishing line in the footer
    examples:
      drop: ['墨香文库整理发布于2023-01-02']
      keep: ['墨香文库整理发布的资料要核对。']
  - id: moxiang/never
    category: ad
    action: drop-line
    pattern: '墨香币充值中心'
    description: a mistyped rule that never fires
    examples:
      drop: ['墨香币充值中心']
      keep: ['充值']
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write_rules(root: Path, text: str, kind: str = "sites", name: str = "site.yaml") -> Path:
    path = root / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- list
def test_list_shows_every_builtin_rule():
    result = run("rules", "list")
    assert result.exit_code == 0
    for rule in load_rules().rules():
        assert rule.id in result.stdout


def test_list_one_site_and_json(tmp_path):
    write_rules(tmp_path, SITE_FILE)
    result = run("rules", "list", "--site", "moxiang", "--rules", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.stdout)
    assert data["name"] == "moxiang" and data["kind"] == "site"
    first = data["rules"][0]
    assert first["id"] == "moxiang/uploader" and first["site"] == "moxiang"
    assert first["category"] == "metadata" and first["action"] == "drop-line"
    assert first["description"] == "the uploader line under the header"
    common = json.loads(run("rules", "list", "--site", "common", "--format", "json").stdout)
    assert common and all(s["kind"] == "common" for s in common)


def test_list_unknown_site_is_a_usage_error():
    result = run("rules", "list", "--site", "nosuchsite")
    assert result.exit_code == 2
    assert "unknown site 'nosuchsite'" in result.stderr


# --------------------------------------------------------------------------- check
def test_check_passes_on_builtin_rules():
    result = run("rules", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok:")


def test_every_builtin_rule_has_passing_examples():
    for rule in load_rules().rules():
        assert rule.examples, rule.id
        assert rule.example_failures() == [], rule.id
        assert any(e.expect == "keep" for e in rule.examples), f"{rule.id}: no keep example"


@pytest.mark.parametrize("change, message", [
    (("'墨香币充值中心'", "'墨香币(充值'"), "pattern does not compile"),
    (("drop: ['墨香币充值中心']", "drop: ['墨香积分']"), "drop example not dropped"),
    (("keep: ['充值']", "keep: ['墨香币充值中心']"), "keep example changed"),
    (("category: ad", "category: adverts"), "unknown category 'adverts'"),
    (("id: moxiang/never", "id: moxiang/uploader"), "duplicate rule id 'moxiang/uploader'"),
])  # fmt: skip
def test_check_reports_file_line_and_exits_2(tmp_path, change, message):
    path = write_rules(tmp_path, SITE_FILE.replace(*change))
    result = run("rules", "check", "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr
    line = next(x for x in result.stderr.splitlines() if message in x and str(path) in x)
    assert line.startswith(f"{path}:")
    assert int(line.split(":")[1]) > 0
    assert "Traceback" not in result.output


def test_check_flags_rules_without_examples(tmp_path):
    text = SITE_FILE.replace("    examples:\n      drop: ['墨香币充值中心']\n      keep: ['充值']\n", "")
    write_rules(tmp_path, text)
    result = run("rules", "check", "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert "moxiang/never: rule has no examples" in result.stderr


# --------------------------------------------------------------------------- test
@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    moxiang.write_site(folder, n=4, seed=3)
    return folder


def test_rules_test_shows_lines_removed_per_sample(tmp_path, pages):
    path = write_rules(tmp_path / "r", SITE_FILE)
    result = run("rules", "test", str(path), str(pages / "mx000.txt"), str(pages / "mx001.txt"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{pages / 'mx000.txt'} (utf-8; fingerprint matched)" in out
    assert "line 3    moxiang/uploader" in out
    assert "投稿人：" in out and "墨香文库整理发布于" in out
    assert re.search(r"moxiang/never +0  never fired", out)
    assert re.search(r"moxiang/uploader +2\n", out)


def test_rules_test_reports_fingerprint_miss_and_folders(tmp_path, pages):
    path = write_rules(tmp_path / "r", SITE_FILE.replace("moxiang\\.example", "other\\.example"))
    result = run("rules", "test", str(path), str(pages))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("fingerprint NOT matched") == 4
    assert re.search(r"moxiang/uploader +4\n", result.stdout)  # forced, as with --site


def test_rules_test_common_rules_run_first_unless_alone(tmp_path, pages):
    """By default the site rules see the text as in `clean`: the repair rules have taken
    the glued pinyin out of 墨香币充(chōng)值中心, so moxiang/never matches it; with
    --alone they have not, and it does not."""
    path = write_rules(tmp_path / "r", SITE_FILE)
    sample = pages / "mx000.txt"
    sample.write_text(sample.read_text(encoding="utf-8") + "墨香币充(chōng)值中心\n", encoding="utf-8")
    default = json.loads(run("rules", "test", str(path), str(sample), "--format", "json").stdout)
    alone = json.loads(run("rules", "test", str(path), str(sample), "--alone", "--format", "json").stdout)
    assert default["hits"]["moxiang/never"] == 1
    assert alone["hits"]["moxiang/never"] == 0
    assert default["samples"][0]["other_rule_changes"] > 0
    assert alone["samples"][0]["other_rule_changes"] == 0


def test_rules_test_a_common_file(tmp_path, pages):
    text = SITE_FILE.split("rules:\n", 1)[1]
    path = write_rules(tmp_path, "set: mine\nrules:\n" + text, kind="common", name="mine.yaml")
    data = json.loads(run("rules", "test", str(path), str(pages), "--format", "json").stdout)
    assert data["kind"] == "common"
    assert data["hits"]["moxiang/published"] == 4
    assert all(s["fingerprint"] is None for s in data["samples"])


def test_rules_test_invalid_file_exits_2(tmp_path, pages):
    path = write_rules(tmp_path, SITE_FILE.replace("action: drop-line", "action: delete", 1))
    result = run("rules", "test", str(path), str(pages))
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "unknown action 'delete'" in result.stderr


def test_rules_test_failing_example_is_reported_and_exits_2(tmp_path, pages):
    path = write_rules(tmp_path, SITE_FILE.replace("keep: ['充值']", "keep: ['墨香币充值中心']"))
    result = run("rules", "test", str(path), str(pages / "mx000.txt"))
    assert result.exit_code == 2
    assert "keep example changed" in result.stderr
    assert "moxiang/uploader" in result.stdout  # the samples are still shown


def test_rules_test_binary_sample_exits_3(tmp_path, pages):
    path = write_rules(tmp_path / "r", SITE_FILE)
    (pages / "logo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    result = run("rules", "test", str(path), str(pages))
    assert result.exit_code == 3
    assert "logo.txt" in result.stderr and "Traceback" not in result.output
    assert re.search(r"moxiang/uploader +4\n", result.stdout)


def test_every_rules_command_has_help():
    for command in ("list", "check", "test", "suggest"):
        result = run("rules", command, "--help")
        assert result.exit_code == 0
        assert len(result.stdout.splitlines()) > 3
