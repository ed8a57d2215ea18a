"""Messy scraped folders: every bad input is reported on its own line, the rest is cleaned,
nothing is lost or half-written, and the exit code says what happened."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from speechclean.cli import main

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def cli(*args: str) -> subprocess.CompletedProcess:
    """The real program in a subprocess, with a time limit: a regression that blocks (a
    pipe read, a catastrophic pattern) fails the test instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "speechclean", *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def read_report(path: Path) -> dict[str, dict]:
    lines = [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines()]
    return {Path(r["path"]).name: r for r in lines}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".speechclean-*.tmp")]


# ------------------------------------------------------------------------ bad inputs
@pytest.fixture
def messy(tmp_path) -> Path:
    src = tmp_path / "scrape"
    src.mkdir()
    shutil.copyfile(SEEDS / SEED_NAMES[0], src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b" \r\n\t\r\n\xe3\x80\x80\n")  # spaces, CRLF, ideographic
    (src / "binary.txt").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    (src / "dangling.txt").symlink_to(src / "gone.txt")
    (src / "loop1.txt").symlink_to(src / "loop2.txt")
    (src / "loop2.txt").symlink_to(src / "loop1.txt")
    (src / "linked.txt").symlink_to(src / "good.txt")  # a symlinked file is read
    os.mkfifo(src / "pipe.txt")  # a read would wait forever for a writer
    (src / "folder.txt").mkdir()  # a folder named like a file is walked into
    shutil.copyfile(SEEDS / SEED_NAMES[1], src / "folder.txt" / "inner.txt")
    (src / "folder.txt" / "up").symlink_to(src, target_is_directory=True)  # a dir loop
    return src


def test_each_bad_input_fails_alone_and_the_rest_is_written(pipeline, messy, tmp_path):
    dest, report = tmp_path / "out", tmp_path / "run.jsonl"
    proc = cli("clean", messy, "-o", dest, "--report", report, "--jobs", "2")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    r = read_report(report)
    assert set(r) == {
        "good.txt", "empty.txt", "blank.txt", "binary.txt", "dangling.txt", "loop1.txt",
        "loop2.txt", "linked.txt", "pipe.txt", "inner.txt",
    }  # fmt: skip
    expected_errors = {
        "binary.txt": ("skipped", "binary"),
        "dangling.txt": ("error", "No such file"),
        "loop1.txt": ("error", "symbolic links"),
        "loop2.txt": ("error", "symbolic links"),
        "pipe.txt": ("error", "named pipe"),
    }
    for name, (status, words) in expected_errors.items():
        assert r[name]["status"] == status and words in r[name]["error"], r[name]
        assert f"speechclean: {status}: {messy / name}: " in proc.stderr
        assert not (dest / name).exists()
    good = pipeline.clean((SEEDS / SEED_NAMES[0]).read_bytes()).data
    assert (dest / "good.txt").read_bytes() == good
    assert (dest / "linked.txt").read_bytes() == good
    assert (dest / "folder.txt" / "inner.txt").exists()
    for name in ("empty.txt", "blank.txt"):
        assert (dest / name).read_bytes() == b""
        assert [w["code"] for w in r[name]["warnings"]] == ["empty"]
    assert "5 failed" in proc.stderr
    assert not temp_files(dest)
    # the inputs are untouched
    assert (messy / "good.txt").read_bytes() == (SEEDS / SEED_NAMES[0]).read_bytes()


def test_a_pipe_given_directly_is_an_error_not_a_hang(messy, tmp_path):
    proc = cli("clean", messy / "pipe.txt", "-o", tmp_path / "out")
    assert proc.returncode == 3
    assert "not a regular file (a named pipe)" in proc.stderr


def test_outputs_that_cannot_be_written_fail_alone(messy, tmp_path):
    dest = tmp_path / "out"
    (dest / "good.txt").mkdir(parents=True)  # a folder where the output file goes
    (dest / "folder.txt").write_text("a file where a folder goes\n", encoding="utf-8")
    proc = cli("clean", messy, "-o", dest, "--glob", "*.txt")
    assert proc.returncode == 3
    assert f"cannot write {dest / 'good.txt'}" in proc.stderr
    assert f"cannot write {dest / 'folder.txt' / 'inner.txt'}" in proc.stderr
    assert (dest / "linked.txt").exists()  # the others were written
    assert not temp_files(dest)


# ------------------------------------------------------------------------ permissions
NOBODY = 65534


def _as_nobody(fn) -> dict:
    """Run ``fn`` in a forked child that dropped root (root reads any file whatever its
    mode, so only another user can meet a real permission error)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            out = json.dumps(fn())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            out, code = json.dumps({"crash": repr(exc)}), 1
        os.write(write_end, out.encode())
        os._exit(code)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def _shared_dir(tmp_path: Path) -> Path:
    """A folder another user can enter (pytest's own tmp folders are private to root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="speechclean-perm-"))
    path.chmod(0o777)
    return path


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_permission_errors_are_reported_per_file(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to another user (as a user, chmod 000 is enough: "
                    "the same code path)")  # fmt: skip
    # The child cannot read the Python install under /root: import what the run needs now.
    import speechclean.cli.clean  # noqa: F401
    import speechclean.io  # noqa: F401
    import speechclean.runner  # noqa: F401

    base = _shared_dir(tmp_path)
    try:
        src = base / "scrape"
        (src / "locked").mkdir(parents=True)
        shutil.copyfile(SEEDS / SEED_NAMES[0], src / "readable.txt")
        shutil.copyfile(SEEDS / SEED_NAMES[1], src / "secret.txt")
        shutil.copyfile(SEEDS / SEED_NAMES[2], src / "locked" / "hidden.txt")
        src.chmod(0o755)  # base stays writable by all: the first run's DST goes there
        (src / "readable.txt").chmod(0o644)
        (src / "secret.txt").chmod(0o000)
        (src / "locked").chmod(0o000)  # its files cannot even be listed
        readonly = base / "readonly"
        readonly.mkdir(mode=0o755)  # owned by root: nobody cannot write into it

        def clean(dest: Path) -> dict:
            result = CliRunner().invoke(main, ["clean", str(src), "-o", str(dest), "-j", "1"])
            return {"code": result.exit_code, "stderr": result.stderr,
                    "crash": None if isinstance(result.exception, (SystemExit, type(None)))
                    else repr(result.exception)}  # fmt: skip

        got = _as_nobody(lambda: clean(base / "out"))
        assert got.get("crash") is None, got
        assert got["code"] == 3
        assert f"error: {src / 'secret.txt'}: cannot read: Permission denied" in got["stderr"]
        assert f"error: {src / 'locked'}: cannot read: Permission denied" in got["stderr"]
        assert (base / "out" / "readable.txt").exists()
        assert not (base / "out" / "secret.txt").exists()

        got = _as_nobody(lambda: clean(readonly / "out"))
        assert got.get("crash") is None, got
        assert got["code"] == 3
        assert "cannot write" in got["stderr"] and "Permission denied" in got["stderr"]
        assert "Traceback" not in got["stderr"]
    finally:
        for path in base.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base)


# ------------------------------------------------------------------------ rules
CATASTROPHIC = """\
set: slow
rules:
  - id: slow/catastrophic
    category: spam
    action: drop-match
    pattern: '(a|a)+$'
    description: exponential backtracking on a run of a's that does not end the line
    examples:
      drop: ['aaa']
      keep: ['bbb']
"""


def test_catastrophic_pattern_fails_its_file_and_the_run_goes_on(pipeline, tmp_path):
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    (rules / "common" / "slow.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    src = tmp_path / "scrape"
    src.mkdir()
    for name in SEED_NAMES[:2]:
        shutil.copyfile(SEEDS / name, src / name)
    (src / "trap.txt").write_text("同志们：\n" + "a" * 64 + "!\n今天开会。\n", encoding="utf-8")
    dest, report = tmp_path / "out", tmp_path / "run.jsonl"
    proc = cli("clean", src, "-o", dest, "--rules", rules, "--report", report, "--jobs", "2")
    assert proc.returncode == 3, proc.stderr
    line = [s for s in proc.stderr.splitlines() if "trap.txt" in s and "error" in s]
    assert line and "slow/catastrophic" in line[0] and "timed out" in line[0]
    assert not (dest / "trap.txt").exists()
    for name in SEED_NAMES[:2]:
        assert (dest / name).exists()
    r = read_report(report)
    assert r["trap.txt"]["status"] == "error"
    assert "slow/catastrophic" in r["trap.txt"]["error"]
    assert {r[n]["status"] for n in SEED_NAMES[:2]} == {"ok"}
    assert not temp_files(dest)


def _guard_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    (rules / "common").mkdir(parents=True)
    (rules / "common" / "greedy.yaml").write_text(
        """\
set: greedy
rules:
  - id: greedy/cut-at-marker
    category: truncation
    action: truncate-after
    pattern: '^以下为节选$'
    examples:
      drop: ['以下为节选']
      keep: ['以下为节选的原因']
  - id: greedy/long-notice
    category: watermark
    action: drop-line
    max_length: 400
    pattern: '特别提示：.{40,300}'
    examples:
      drop: ['特别提示：一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十']
      keep: ['特别提示：短']
""",
        encoding="utf-8",
    )
    return rules


def test_over_cleaning_is_flagged_in_summary_and_report(tmp_path):
    rules = _guard_rules(tmp_path)
    src = tmp_path / "scrape"
    src.mkdir()
    body = [f"第{n}段正文，讲的是全面推进各项工作落实的具体要求和方法步骤。" * 2 for n in range(12)]
    (src / "cut.txt").write_text(
        "\n".join(body[:2] + ["以下为节选"] + body[2:]) + "\n", encoding="utf-8"
    )
    notice = "特别提示：" + "这是一句很长的话，" * 14
    (src / "long.txt").write_text(
        "\n".join(body[:5] + [notice] + body[5:]) + "\n", encoding="utf-8"
    )
    dest, report = tmp_path / "out", tmp_path / "run.jsonl"
    proc = cli("clean", src, "-o", dest, "--rules", rules, "--report", report)
    assert proc.returncode == 0, proc.stderr  # warnings do not fail a run
    assert "warnings: long-line-dropped 1, over-cleaning 1" in proc.stderr
    assert f"{src / 'cut.txt'}: over-cleaning:" in proc.stderr
    assert f"{src / 'long.txt'}: long-line-dropped: rule greedy/long-notice" in proc.stderr
    r = read_report(report)
    assert [w["code"] for w in r["cut.txt"]["warnings"]] == ["over-cleaning"]
    assert [w["code"] for w in r["long.txt"]["warnings"]] == ["long-line-dropped"]


def test_summary_caps_the_warning_lines(tmp_path):
    src = tmp_path / "scrape"
    src.mkdir()
    for n in range(30):
        (src / f"e{n:02}.txt").write_bytes(b"")
    proc = cli("clean", src, "-o", tmp_path / "out")
    assert proc.returncode == 0
    assert "warnings: empty 30" in proc.stderr
    assert "... 10 more (--report FILE lists all)" in proc.stderr
    assert len(proc.stderr.splitlines()) < 30


def test_an_unexpected_failure_on_one_file_does_not_end_the_run(pipeline, tmp_path, monkeypatch):
    from speechclean.io import plan
    from speechclean.runner import run

    src = tmp_path / "scrape"
    src.mkdir()
    for name in SEED_NAMES[:3]:
        shutil.copyfile(SEEDS / name, src / name)
    real_clean = type(pipeline).clean

    def clean(self, data, name="<input>"):
        if name.endswith(SEED_NAMES[1]):
            raise RecursionError("maximum recursion depth exceeded")
        return real_clean(self, data, name)

    monkeypatch.setattr(type(pipeline), "clean", clean)
    summary = run(plan([src], tmp_path / "out"), pipeline, dest=tmp_path / "out")
    statuses = {Path(r.path).name: (r.status, r.error) for r in summary.reports}
    assert statuses[SEED_NAMES[1]][0] == "error"
    assert "internal error, please report: RecursionError" in statuses[SEED_NAMES[1]][1]
    assert statuses[SEED_NAMES[0]][0] == statuses[SEED_NAMES[2]][0] == "ok"


def test_temp_files_of_stopped_workers_are_removed(tmp_path):
    from speechclean.io import atomic_write, remove_temp_files

    (tmp_path / ".speechclean-4242-0a1b2c.tmp").write_bytes(b"half a file")  # worker 4242
    (tmp_path / ".speechclean-77-0a1b2c.tmp").write_bytes(b"another run's")  # not ours
    assert atomic_write(tmp_path / "a.txt", "正文\n".encode())
    assert not atomic_write(tmp_path / "a.txt", "正文\n".encode())  # same bytes: untouched
    remove_temp_files([tmp_path], {4242})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".speechclean-77-0a1b2c.tmp", "a.txt"]
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
