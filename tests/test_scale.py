"""Size: a 5 MB single-line file, a 20 MB file, a folder of 2,000 small files, and Ctrl-C in
the middle of a run (no temp file, no half-written output, a re-run finishes the job)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def command(*args) -> list[str]:
    return [sys.executable, "-m", "speechclean", *map(str, args)]


def test_big_files_are_cleaned_whole(tmp_path):
    """Clean text stays exactly as it is, however large: a 5 MB paragraph on one line and
    20 MB of clean speeches (two files, cleaned side by side)."""
    golden = [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.txt"))]
    paragraph = max((line for text in golden for line in text.splitlines()), key=len)
    src = tmp_path / "big"
    src.mkdir()
    one_line = paragraph * (5_000_000 // len(paragraph.encode()) + 1) + "\n"
    (src / "one-line.txt").write_text(one_line, encoding="utf-8")
    speeches = "".join(golden)
    twenty = speeches * (20_000_000 // len(speeches.encode()) + 1)
    (src / "twenty.txt").write_text(twenty, encoding="utf-8")
    assert (src / "one-line.txt").stat().st_size >= 5_000_000
    assert (src / "twenty.txt").stat().st_size >= 20_000_000

    proc = subprocess.run(command("clean", src, "-o", tmp_path / "out", "--jobs", "2"),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "one-line.txt").read_bytes() == one_line.encode()
    assert (tmp_path / "out" / "twenty.txt").read_bytes() == twenty.encode()
    assert "warnings" not in proc.stderr


# ------------------------------------------------------------------------ many files
N_FILES = 2000
N_DISTINCT = 40


def _contents() -> list[bytes]:
    """Distinct small scraped pages: each seed cut after a different number of lines."""
    out = []
    for k in range(N_DISTINCT):
        lines = (SEEDS / SEED_NAMES[k % 5]).read_bytes().splitlines(keepends=True)
        out.append(b"".join(lines[: 8 + 3 * (k // 5)]))
    return out


@pytest.fixture(scope="module")
def many(tmp_path_factory, pipeline) -> tuple[Path, dict[str, bytes]]:
    src = tmp_path_factory.mktemp("many") / "scrape"
    contents = _contents()
    expected_by_content = [pipeline.clean(c).data for c in contents]
    expected = {}
    for i in range(N_FILES):
        rel = f"part{i // 500}/page{i:04}.txt"
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(contents[i % N_DISTINCT])
        expected[rel] = expected_by_content[i % N_DISTINCT]
    return src, expected


def _outputs(dest: Path) -> dict[str, bytes]:
    return {p.relative_to(dest).as_posix(): p.read_bytes() for p in dest.rglob("*.txt")}


def _temp_files(dest: Path) -> list[Path]:
    return list(dest.rglob(".speechclean-*.tmp"))


@pytest.mark.parametrize(("jobs", "how"), [("1", "ctrl-c"), ("2", "ctrl-c"), ("2", "kill")])
def test_ctrl_c_mid_run_leaves_only_whole_outputs_and_a_rerun_finishes(many, tmp_path, jobs,
                                                                        how):
    src, expected = many
    dest = tmp_path / "out"
    # A terminal's Ctrl-C reaches the whole process group (the parent and its workers);
    # `kill PID` sends SIGTERM to the parent alone.
    proc = subprocess.Popen(command("clean", src, "-o", dest, "--jobs", jobs),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if dest.is_dir() and any(dest.rglob("*.txt")):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    stderr = err.decode("utf-8", errors="replace")
    assert proc.returncode == (130 if how == "ctrl-c" else 143), stderr
    assert "interrupted; run the same command again" in stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert not _temp_files(dest)
    partial = _outputs(dest)
    assert 0 < len(partial) < N_FILES
    for rel, data in partial.items():
        assert data == expected[rel], f"{rel} is not a whole output"

    # Started again, the run finishes: what was done is not redone.
    again = subprocess.run(command("clean", src, "-o", dest, "--jobs", "2"),
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    up_to_date = int(again.stderr.split(" written, ")[1].split(" up to date")[0])
    assert up_to_date >= len(partial) - 2 * 64  # at most the chunks in flight were lost
    assert _outputs(dest) == expected
    assert not _temp_files(dest)


def test_a_folder_of_2000_files(many, tmp_path):
    src, expected = many
    dest = tmp_path / "out"
    proc = subprocess.run(command("clean", src, "-o", dest, "--jobs", "2"),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert f"cleaned {N_FILES} files into {dest}: {N_FILES} written" in proc.stderr
    assert _outputs(dest) == expected
    again = subprocess.run(command("clean", src, "-o", dest, "--jobs", "2", "--quiet"),
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and again.stderr == ""


def test_workers_get_byte_balanced_batches_largest_first(tmp_path):
    from speechclean.io import plan
    from speechclean.runner import BATCHES_PER_WORKER, batches

    sizes = [3_000_000] + [20_000] * 300 + [500] * 50
    for i, size in enumerate(sizes):
        (tmp_path / f"{i:04d}.txt").write_bytes(b"x" * size)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing")  # unreadable: still batched
    jobs = plan([tmp_path], None)
    got = batches(jobs, 2)
    flat = [j for b in got for j in b]
    assert sorted(j.rel for j in flat) == sorted(j.rel for j in jobs)  # each job once
    assert [j.rel for j in got[0]] == ["0000.txt"]  # the big file first, on its own
    assert len(got) <= 2 * BATCHES_PER_WORKER + 1
    assert all(len(b) <= 64 for b in got)
