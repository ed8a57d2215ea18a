"""Bad rule files fail fast: exit 2, ``file:line: message`` on stderr, no traceback, and
nothing written (DST not even created) — through ``clean`` and ``rules check`` alike."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from speechclean.cli import main

GOOD_RULE = """\
  - id: mine/stamp
    category: watermark
    action: drop-line
    pattern: '本地水印\\d+'
    examples:
      drop: ['本地水印42']
      keep: ['本地水印是什么']
"""

# name -> (file text, line the error must point at, words the message must contain)
BAD_FILES = {
    "invalid-yaml": (
        "set: mine\nrules:\n  - id: mine/a\n    pattern: '[unclosed\n    action: drop-line\n",
        None, "invalid YAML",
    ),
    "unknown-key": (
        "set: mine\nrules:\n" + GOOD_RULE + "    patern: 'typo'\n", 10, "unknown key 'patern'",
    ),
    "unknown-action": (
        "set: mine\nrules:\n" + GOOD_RULE.replace("drop-line", "delete-line"), 5,
        "unknown action 'delete-line'",
    ),
    "unknown-category": (
        "set: mine\nrules:\n" + GOOD_RULE.replace("watermark", "junk"), 4,
        "unknown category 'junk'",
    ),
    "pattern-does-not-compile": (
        "set: mine\nrules:\n" + GOOD_RULE.replace("本地水印\\d+", "本地(水印"), 6,
        "does not compile",
    ),
    "duplicate-id": (
        "set: mine\nrules:\n" + GOOD_RULE + GOOD_RULE, 10, "duplicate rule id 'mine/stamp'",
    ),
    "example-does-not-behave": (
        "set: mine\nrules:\n" + GOOD_RULE.replace("keep: ['本地水印是什么']", "keep: ['本地水印9']"),
        3, "keep example changed",
    ),
    "missing-pattern": (
        "set: mine\nrules:\n" + GOOD_RULE.replace("    pattern: '本地水印\\d+'\n", ""), 3,
        "'pattern'",
    ),
    "not-a-mapping": ("- just\n- a list\n", 1, "must be a mapping"),
}


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def src(tmp_path) -> Path:
    folder = tmp_path / "scrape"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copyfile(seed, folder / seed.name)
    return folder


def bad_rules(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    text = BAD_FILES[kind][0]
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    path = rules / "common" / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return rules, path


def assert_points_at(stderr: str, path: Path, line: int | None, words: str) -> None:
    where = re.escape(str(path)) + (f":{line}:" if line else r":(\d+:)?")
    hits = [s for s in stderr.splitlines() if re.match(where, s)]
    assert hits, f"no '{path}:{line}:' line in:\n{stderr}"
    assert any(words in s for s in hits), stderr


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_clean_refuses_bad_rules_before_writing(tmp_path, src, kind):
    rules, path = bad_rules(tmp_path, kind)
    dest = tmp_path / "out"
    report = tmp_path / "run.jsonl"
    result = invoke("clean", src, "-o", dest, "--rules", rules, "--report", report)
    assert result.exit_code == 2
    assert_points_at(result.stderr, path, BAD_FILES[kind][1], BAD_FILES[kind][2])
    assert "nothing was done" in result.stderr
    assert not dest.exists() and not report.exists()


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_rules_check_reports_file_and_line(tmp_path, kind):
    rules, path = bad_rules(tmp_path, kind)
    result = invoke("rules", "check", "--rules", rules)
    assert result.exit_code == 2
    assert_points_at(result.stderr, path, BAD_FILES[kind][1], BAD_FILES[kind][2])


def test_invalid_yaml_points_at_its_line(tmp_path):
    rules, path = bad_rules(tmp_path, "invalid-yaml")
    result = invoke("rules", "check", "--rules", rules)
    line = int(re.search(re.escape(str(path)) + r":(\d+):", result.stderr).group(1))
    assert 4 <= line <= 6  # the unclosed quote, or where YAML noticed it


def test_duplicate_ids_across_two_files_of_one_directory(tmp_path, src):
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    (rules / "common" / "a.yaml").write_text("set: a\nrules:\n" + GOOD_RULE, encoding="utf-8")
    (rules / "common" / "b.yaml").write_text("set: b\nrules:\n" + GOOD_RULE, encoding="utf-8")
    result = invoke("clean", src, "-o", tmp_path / "out", "--rules", rules)
    assert result.exit_code == 2
    assert_points_at(result.stderr, rules / "common" / "b.yaml", 3, "duplicate rule id")
    assert not (tmp_path / "out").exists()


def test_missing_rules_directory(tmp_path, src):
    result = invoke("clean", src, "-o", tmp_path / "out", "--rules", tmp_path / "nope")
    assert result.exit_code == 2 and "rule directory not found" in result.stderr
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_not_just_the_first(tmp_path, src):
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    for kind in ("unknown-action", "pattern-does-not-compile"):
        (rules / "common" / f"{kind}.yaml").write_text(BAD_FILES[kind][0], encoding="utf-8")
    result = invoke("clean", src, "-o", tmp_path / "out", "--rules", rules)
    assert result.exit_code == 2
    assert "unknown action" in result.stderr and "does not compile" in result.stderr
    assert "2 rule errors" in result.stderr
