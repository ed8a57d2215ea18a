"""`speechclean clean`: every option through click's CliRunner, plus the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import SEEDS
from speechclean.cli import main

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
REPORT_KEYS = {
    "path", "output", "status", "encoding", "confidence", "converted", "sites", "bytes_in",
    "bytes_out", "removed", "warnings", "error", "provenance",
}  # fmt: skip


def run(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug, whatever the input
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def src(tmp_path) -> Path:
    """The seeds as a scraped folder: two at the top, the rest in nested folders."""
    root = tmp_path / "scrape"
    places = ["", "", "site1/", "site1/", "site2/deeper/"]
    for name, place in zip(SEED_NAMES, places, strict=True):
        target = root / place / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SEEDS / name, target)
    (root / "notes.md").write_text("不是 .txt 文件\n", encoding="utf-8")
    return root


def cleaned(pipeline, name: str) -> bytes:
    return pipeline.clean((SEEDS / name).read_bytes(), name=name).data


def outputs(dest: Path) -> dict[str, bytes]:
    return {
        p.relative_to(dest).as_posix(): p.read_bytes()
        for p in sorted(dest.rglob("*")) if p.is_file() and not p.name.startswith(".")
    }  # fmt: skip


def read_report(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ----------------------------------------------------------------------------- mirroring
def test_tree_is_mirrored_and_outputs_are_the_library_output(pipeline, src, tmp_path):
    dest = tmp_path / "out"
    result = run("clean", src, "-o", dest, "--jobs", "1")
    assert result.exit_code == 0, result.output
    got = outputs(dest)
    rel = {p.name: p.relative_to(src).as_posix() for p in src.rglob("*.txt")}
    assert set(got) == set(rel.values())  # notes.md is not *.txt: left out
    for name in SEED_NAMES:
        assert got[rel[name]] == cleaned(pipeline, name)
    assert f"cleaned 5 files into {dest}: 5 written" in result.stderr
    assert "lines removed:" in result.stderr


def test_file_sources_go_to_dst_by_name_and_several_sources_mix(pipeline, src, tmp_path):
    dest = tmp_path / "out"
    one = src / SEED_NAMES[0]
    result = run("clean", one, src / "site2", "-o", dest)
    assert result.exit_code == 0, result.output
    assert set(outputs(dest)) == {SEED_NAMES[0], f"deeper/{SEED_NAMES[4]}"}
    assert (dest / SEED_NAMES[0]).read_bytes() == cleaned(pipeline, SEED_NAMES[0])


def test_two_sources_writing_the_same_output_are_refused(src, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copyfile(SEEDS / SEED_NAMES[0], other / SEED_NAMES[0])
    result = run("clean", src, other, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "would both be written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_glob_selects_files(src, tmp_path):
    (src / "page.htm.txt").write_text("正文一段。\n", encoding="utf-8")
    dest = tmp_path / "out"
    assert run("clean", src, "-o", dest, "--glob", "*.htm.txt").exit_code == 0
    assert set(outputs(dest)) == {"page.htm.txt"}
    dest2 = tmp_path / "out2"
    assert run("clean", src, "-o", dest2, "--glob", "*.md").exit_code == 0
    assert set(outputs(dest2)) == {"notes.md"}
    result = run("clean", src, "-o", tmp_path / "out3", "--glob", "*.docx")
    assert result.exit_code == 2 and "no files matching" in result.stderr
    assert not (tmp_path / "out3").exists()


# ----------------------------------------------------------------------------- refusals
@pytest.mark.parametrize("where", ["same", "inside", "deep-inside"])
def test_dst_that_is_or_lies_inside_src_is_refused(src, where):
    dest = {"same": src, "inside": src / "clean", "deep-inside": src / "site1" / "out"}[where]
    before = sorted(p for p in src.rglob("*"))
    result = run("clean", src, "-o", dest)
    assert result.exit_code == 2
    assert "refusing to write into" in result.stderr
    assert sorted(p for p in src.rglob("*")) == before  # nothing created, nothing changed


def test_usage_errors_exit_2(src, tmp_path):
    assert run("clean", src).exit_code == 2  # no -o and no --diff/--check
    missing = run("clean", tmp_path / "nope", "-o", tmp_path / "out")
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert run("clean", src, "-o", tmp_path / "afile").exit_code == 2
    assert run("clean", src, "-o", tmp_path / "out", "--jobs", "0").exit_code == 2
    assert run("clean", "-", src, "-o", tmp_path / "out").exit_code == 2
    assert run("clean", "-", "-o", tmp_path / "out", input=b"x").exit_code == 2
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- modes
def test_check_exits_1_when_anything_would_change_and_writes_nothing(pipeline, src, tmp_path):
    result = run("clean", src, "--check")
    assert result.exit_code == 1
    assert "5 would change" in result.stderr
    assert run("clean", src, "--check", "-o", tmp_path / "out").exit_code == 1
    assert not (tmp_path / "out").exists()
    # a folder of clean outputs passes
    dest = tmp_path / "clean"
    assert run("clean", src, "-o", dest).exit_code == 0
    again = run("clean", dest, "--check")
    assert again.exit_code == 0, again.stderr
    assert "0 would change" in again.stderr


def test_diff_prints_a_unified_diff_and_writes_nothing(src, tmp_path):
    snapshot = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    result = run("clean", src, "--diff", "-o", tmp_path / "out")
    assert result.exit_code == 0  # --diff alone
    assert not (tmp_path / "out").exists()
    assert f"--- a/{SEED_NAMES[0]}\n+++ b/{SEED_NAMES[0]}\n" in result.stdout
    assert f"+++ b/site2/deeper/{SEED_NAMES[4]}" in result.stdout
    assert "\n@@ -" in result.stdout
    removed = [line for line in result.stdout.splitlines() if line.startswith("-")]
    assert any("试读结束" in line for line in removed)
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == snapshot
    both = run("clean", src, "--diff", "--check")
    assert both.exit_code == 1 and both.stdout == result.stdout


def test_diff_of_a_clean_folder_is_empty(src, tmp_path):
    dest = tmp_path / "clean"
    run("clean", src, "-o", dest)
    result = run("clean", dest, "--diff")
    assert result.exit_code == 0 and result.stdout == ""


# ----------------------------------------------------------------------------- stdin
def test_stdin_to_stdout(pipeline):
    data = (SEEDS / SEED_NAMES[3]).read_bytes()
    result = run("clean", "-", input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == cleaned(pipeline, SEED_NAMES[3])
    assert run("clean", "-", "--check", input=data).exit_code == 1
    assert run("clean", "-", "--check", input=result.stdout_bytes).exit_code == 0
    diff = run("clean", "-", "--diff", input=data)
    assert diff.exit_code == 0 and diff.stdout.startswith("--- a/<stdin>")


def test_stdin_binary_and_empty(tmp_path):
    binary = run("clean", "-", "--report", tmp_path / "r.jsonl", input=b"\x89PNG\r\n\x00\x00" * 50)
    assert binary.exit_code == 3
    assert binary.stdout_bytes == b""
    assert "skipped: <stdin>: binary" in binary.stderr
    (line,) = read_report(tmp_path / "r.jsonl")
    assert line["status"] == "skipped" and "binary" in line["error"]
    empty = run("clean", "-", input=b"")
    assert empty.exit_code == 0 and empty.stdout_bytes == b""
    assert "no text" in empty.stderr


# ----------------------------------------------------------------------------- options
def test_report_has_one_object_per_input_with_the_spec_fields(src, tmp_path):
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    report = tmp_path / "run.jsonl"
    result = run("clean", src, "-o", tmp_path / "out", "--report", report)
    assert result.exit_code == 3  # the binary input failed
    lines = read_report(report)
    assert len(lines) == 7
    assert [line["path"] for line in lines] == sorted(line["path"] for line in lines)
    for line in lines:
        assert set(line) == REPORT_KEYS
        assert {"speechclean", "opencc", "rules"} <= set(line["provenance"])
        assert line["status"] in ("ok", "unchanged", "error", "skipped")
    by_name = {Path(line["path"]).name: line for line in lines}
    seed = by_name[SEED_NAMES[0]]
    assert seed["status"] == "ok" and seed["encoding"] == "utf-8"
    assert isinstance(seed["confidence"], float) and 0 <= seed["confidence"] <= 1
    assert seed["bytes_in"] == (SEEDS / SEED_NAMES[0]).stat().st_size
    assert seed["bytes_out"] == Path(seed["output"]).stat().st_size
    assert seed["sites"] and seed["error"] is None
    assert sum(seed["removed"]["lines_by_category"].values()) > 0
    assert any("/" in rule for rule in seed["removed"]["lines_by_rule"])
    traditional = next(line for line in lines if line["converted"])
    assert traditional["path"].endswith(SEED_NAMES[4])
    assert by_name["binary.txt"]["status"] == "skipped"
    assert "binary" in by_name["binary.txt"]["error"]
    assert not (tmp_path / "out" / "binary.txt").exists()
    assert by_name["empty.txt"]["status"] == "ok"
    assert [w["code"] for w in by_name["empty.txt"]["warnings"]] == ["empty"]
    assert (tmp_path / "out" / "empty.txt").read_bytes() == b""


def test_rerun_skips_up_to_date_outputs_and_force_redoes_them(src, tmp_path):
    dest, report = tmp_path / "out", tmp_path / "r.jsonl"
    assert run("clean", src, "-o", dest).exit_code == 0
    second = run("clean", src, "-o", dest, "--report", report)
    assert "0 written, 5 up to date" in second.stderr
    assert all(line["status"] == "unchanged" and line["encoding"] is None
               for line in read_report(report))  # skipped: not even decoded
    # an edited input and a hand-edited output are both redone (content hashes, not times)
    first = src / SEED_NAMES[0]
    first.write_bytes(b"\n" + first.read_bytes())
    broken = dest / "site1" / SEED_NAMES[2]
    good = broken.read_bytes()
    broken.write_text("被改坏了\n", encoding="utf-8")
    third = run("clean", src, "-o", dest, "--report", report)
    assert third.exit_code == 0
    redone = sorted(Path(r["path"]).name for r in read_report(report) if r["encoding"])
    assert redone == sorted([SEED_NAMES[0], SEED_NAMES[2]])
    assert broken.read_bytes() == good
    assert "1 written, 4 up to date" in third.stderr  # the edited input cleans the same
    forced = run("clean", src, "-o", dest, "--force", "--report", report)
    assert forced.exit_code == 0
    assert all(line["encoding"] for line in read_report(report))  # every file was cleaned


def test_rerun_judges_outputs_by_size_and_time_before_reading_them(src, tmp_path, monkeypatch):
    from speechclean import runner

    dest = tmp_path / "out"
    assert run("clean", src, "-o", dest).exit_code == 0
    read = []
    original = runner.LocalFiles.read
    monkeypatch.setattr(runner.LocalFiles, "read",
                        staticmethod(lambda path: read.append(Path(path)) or original(path)))
    assert "0 written, 5 up to date" in run("clean", src, "-o", dest, "--jobs", "1").stderr
    assert read and not any(dest in p.parents for p in read)  # inputs only: no output read
    # an output rewritten with as many bytes has another modification time: it is read,
    # found changed, and written again
    out = dest / SEED_NAMES[1]
    good = out.read_bytes()
    out.write_bytes(bytes(len(good)))
    stat = out.stat()
    os.utime(out, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "1 written, 4 up to date" in run("clean", src, "-o", dest).stderr
    assert out.read_bytes() == good


def test_user_rules_dir_is_added_and_changes_the_fingerprint(src, tmp_path):
    rules = tmp_path / "my-rules" / "common"
    rules.mkdir(parents=True)
    (rules / "mine.yaml").write_text(
        "set: mine\nrules:\n"
        "  - id: mine/stamp\n    category: watermark\n    action: drop-line\n"
        "    pattern: '本地水印\\d+'\n    description: our own watermark\n"
        "    examples:\n      drop: ['本地水印42']\n      keep: ['本地水印是什么']\n",
        encoding="utf-8",
    )
    page = src / SEED_NAMES[0]
    page.write_bytes("本地水印7\n".encode() + page.read_bytes())
    dest, report = tmp_path / "out", tmp_path / "r.jsonl"
    assert run("clean", src, "-o", dest).exit_code == 0
    assert "本地水印7" in (dest / SEED_NAMES[0]).read_text(encoding="utf-8")
    result = run("clean", src, "-o", dest, "--rules", rules.parent, "--report", report)
    assert result.exit_code == 0
    assert "本地水印7" not in (dest / SEED_NAMES[0]).read_text(encoding="utf-8")
    line = next(r for r in read_report(report) if r["path"].endswith(SEED_NAMES[0]))
    assert line["removed"]["lines_by_rule"]["mine/stamp"] == 1
    assert line["status"] == "ok"  # new rules: not taken as up to date


def test_site_forces_one_sites_rules(tmp_path):
    from speechclean.rulefiles import load_rules

    site = load_rules().sites[0].name
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_text("同志们：\n今天开会。\n", encoding="utf-8")
    report = tmp_path / "r.jsonl"
    result = run("clean", page.parent, "-o", tmp_path / "out", "--site", site, "--report", report)
    assert result.exit_code == 0
    assert read_report(report)[0]["sites"] == [site]
    unknown = run("clean", page.parent, "-o", tmp_path / "out2", "--site", "no-such-site")
    assert unknown.exit_code == 2 and "unknown site" in unknown.stderr
    assert not (tmp_path / "out2").exists()


def test_jobs_give_the_same_outputs_as_one_process(src, tmp_path):
    assert run("clean", src, "-o", tmp_path / "one", "--jobs", "1").exit_code == 0
    assert run("clean", src, "-o", tmp_path / "two", "--jobs", "2").exit_code == 0
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_quiet_drops_the_summary_but_not_errors(src, tmp_path):
    ok = run("clean", src, "-o", tmp_path / "out", "--quiet")
    assert ok.exit_code == 0 and ok.stderr == "" and ok.stdout == ""
    (src / "binary.txt").write_bytes(b"\x00" * 64)
    bad = run("clean", src, "-o", tmp_path / "out", "-q")
    assert bad.exit_code == 3
    assert bad.stderr.strip().splitlines() == [
        f"speechclean: skipped: {src / 'binary.txt'}: binary file (NUL or control bytes), not text"
    ]


# ----------------------------------------------------------------------------- help
def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in _commands(main)] + [""])
def test_every_command_has_help_text(path):
    args = path.split() if path else []
    command = main
    for name in args:
        command = command.commands[name]
    assert (command.help or "").strip(), f"{path or 'speechclean'} has no help text"
    result = run(*args, "--help")
    assert result.exit_code == 0
    first_line = " ".join(command.help.strip().splitlines()[0].split())
    assert first_line in " ".join(result.output.split())  # click re-wraps the text
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} {param.opts[0]} has no help text"


# ----------------------------------------------------------------------------- installed
def _installed() -> str | None:
    beside = Path(sys.executable).with_name("speechclean")
    return str(beside) if beside.exists() else shutil.which("speechclean")


@pytest.mark.skipif(_installed() is None, reason="speechclean is not installed")
def test_installed_command_runs(pipeline, src, tmp_path):
    dest = tmp_path / "out"
    proc = subprocess.run(
        [_installed(), "clean", str(src), "-o", str(dest), "--jobs", "2"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "error::RuntimeWarning"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "cleaned 5 files" in proc.stderr
    assert (dest / SEED_NAMES[0]).read_bytes() == cleaned(pipeline, SEED_NAMES[0])
    version = subprocess.run([_installed(), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "speechclean" in version.stdout


def test_check_report_says_what_would_change_and_names_no_output(src, tmp_path):
    dest, report = tmp_path / "clean", tmp_path / "r.jsonl"
    run("clean", src, "-o", dest)
    (dest / "dirty.txt").write_text("  缩进的一行  \r\n\r\n", encoding="utf-8")
    result = run("clean", dest, "--check", "-o", tmp_path / "unused", "--report", report)
    assert result.exit_code == 1
    lines = {Path(r["path"]).name: r for r in read_report(report)}
    assert lines.pop("dirty.txt")["status"] == "ok"  # would change
    assert {r["status"] for r in lines.values()} == {"unchanged"}
    assert all(r["output"] is None for r in read_report(report))
    assert not (tmp_path / "unused").exists()
