"""The Ray engine gives what the local engine gives: the same output bytes, the same
reports and the same state file, on the seeds and on a generated corpus of 500 files in
mixed encodings with a few bad files; a bad file never fails the job.

One local Ray (2 CPUs) serves the whole module; the CLI test in a subprocess starts its
own, the way a user's ``speechclean clean --engine ray`` does.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import random
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("ray.data", reason="the ray extra is not installed (pip install '.[ray]')")

from conftest import ROOT, SEEDS  # noqa: E402
from speechclean import UsageError  # noqa: E402
from speechclean.cli import main  # noqa: E402
from speechclean.engine_ray import plan_files, require_ray, run_ray  # noqa: E402
from speechclean.io import plan  # noqa: E402
from speechclean.runner import STATE_FILE, run  # noqa: E402

BINARY = bytes(range(256)) * 4  # NUL and control bytes: skipped, "not text"


@pytest.fixture(scope="module", autouse=True)
def ray_session():
    import ray
    import ray.data

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)  # fmt: skip
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield
    ray.shutdown()


# ---------------------------------------------------------------- corpora
def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


def encodable(text: str, encoding: str) -> str:
    """The lines of ``text`` that ``encoding`` can spell (Big5 lacks some characters)."""
    keep = []
    for line in text.split("\n"):
        try:
            line.encode(encoding)
        except UnicodeEncodeError:
            continue
        keep.append(line)
    return "\n".join(keep)


def make_corpus(root: Path, n: int = 500, seed: int = 8) -> dict[str, str]:
    """``n`` files under ``root`` (in site folders): slices of the seeds in UTF-8, GBK,
    Big5 (Traditional), UTF-16 and CRLF, plus bad files. Returns rel -> kind."""
    rng = random.Random(seed)
    texts = seed_texts()
    kinds: dict[str, str] = {}
    bad = {
        "bad/binary.txt": BINARY,
        "bad/nul-in-text.txt": "同志们：\n今天开会。\n".encode() + b"\x00\x00\x00" * 50,
        "bad/empty.txt": b"",
        "bad/png.txt": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(600)),
    }
    for rel, data in bad.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        kinds[rel] = "bad"
    (root / "bad" / "gone.txt").symlink_to(root / "bad" / "no-such-file")  # cannot be read
    kinds["bad/gone.txt"] = "bad"
    encodings = ["utf-8", "gbk", "big5", "utf-16", "crlf"]
    for i in range(n - len(kinds)):
        text = rng.choice(texts)
        lines = text.split("\n")
        start = rng.randrange(0, max(1, len(lines) // 3))
        body = "\n".join(lines[start:start + rng.randrange(5, 60)]) + "\n"
        kind = encodings[i % len(encodings)]
        if kind == "utf-8":
            data = body.encode("utf-8")
        elif kind == "gbk":
            data = encodable(body, "gbk").encode("gbk")
        elif kind == "big5":
            data = encodable(traditional(body), "big5").encode("big5")
        elif kind == "utf-16":
            data = body.encode("utf-16")
        else:
            data = body.replace("\n", "\r\n").encode("utf-8")
        rel = f"site{i % 7}/{kind}-{i:03d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        kinds[rel] = kind
    return kinds


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "scrape"
    kinds = make_corpus(root)
    assert len(kinds) == 500
    return root


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """The seeds, one in GBK and one in UTF-16, and a binary file."""
    root = tmp_path_factory.mktemp("small") / "scrape"
    shutil.copytree(SEEDS, root / "utf8")
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    (root / "other").mkdir()
    (root / "other" / "gbk.txt").write_bytes(first.read_text().encode("gbk", "replace"))
    (root / "other" / "utf16.txt").write_bytes(second.read_text().encode("utf-16"))
    (root / "other" / "binary.txt").write_bytes(BINARY)
    return root


# ---------------------------------------------------------------- comparing runs
def tree(dest: Path) -> dict[str, bytes]:
    """Every file under DST; the state file without the outputs' modification times
    (facts of the two output folders, not of what was cleaned)."""
    files = {p.relative_to(dest).as_posix(): p.read_bytes()
             for p in sorted(dest.rglob("*")) if p.is_file()}  # fmt: skip
    if STATE_FILE in files:
        state = json.loads(files[STATE_FILE])
        for entry in state.values():
            assert len(entry.pop("output_stat")) == 2
        files[STATE_FILE] = json.dumps(state, sort_keys=True).encode()
    return files


def comparable(summary, dest) -> list[dict]:
    """Each report as a dict, its output made relative to DST (the runs write to two)."""
    rows = []
    for r in summary.reports:
        d = dict(r.__dict__)
        d.pop("output_stat")  # the output's own time: differs between the two folders
        if d["output"]:
            d["output"] = os.path.relpath(d["output"].removeprefix("file://"), str(dest))
        rows.append(d)
    return rows


def both_engines(pipeline, src: Path, tmp_path: Path, mode: str = "write"):
    local_dest, ray_dest = tmp_path / "local", tmp_path / "ray"
    dests = (local_dest, ray_dest) if mode == "write" else (None, None)
    local = run(plan([src], dests[0]), pipeline, mode=mode, workers=2, dest=dests[0])
    ray_ = run_ray(plan_files([str(src)], str(dests[1]) if dests[1] else None), pipeline,
                   mode=mode, dest=dests[1], num_cpus=2)  # fmt: skip
    return local, ray_, local_dest, ray_dest


# ---------------------------------------------------------------- tests
def test_pipeline_pickles_and_cleans_the_same_after(pipeline):
    clone = pickle.loads(pickle.dumps(pipeline))
    data = (SEEDS / sorted(os.listdir(SEEDS))[0]).read_bytes()
    assert clone.clean(data).text == pipeline.clean(data).text
    assert clone.fingerprint == pipeline.fingerprint


def test_seeds_same_bytes_reports_and_state(pipeline, tmp_path):
    local, ray_, local_dest, ray_dest = both_engines(pipeline, SEEDS, tmp_path)
    assert [r.status for r in ray_.reports] == ["ok"] * 5
    assert tree(ray_dest) == tree(local_dest)  # the outputs and the state file, byte for byte
    assert comparable(ray_, ray_dest) == comparable(local, local_dest)
    assert ray_.provenance == local.provenance
    # and a second run finds everything up to date, in either engine's folder
    again = run_ray(plan_files([str(SEEDS)], str(local_dest)), pipeline, dest=local_dest)
    assert [r.status for r in again.reports] == ["unchanged"] * 5


def test_mixed_corpus_same_outputs_and_per_file_errors(pipeline, corpus, tmp_path):
    local, ray_, local_dest, ray_dest = both_engines(pipeline, corpus, tmp_path)
    assert len(ray_.reports) == 500
    assert comparable(ray_, ray_dest) == comparable(local, local_dest)
    assert tree(ray_dest) == tree(local_dest)
    failed = {Path(r.path).relative_to(corpus).as_posix(): r for r in ray_.failed}
    assert set(failed) == {"bad/binary.txt", "bad/nul-in-text.txt", "bad/png.txt",
                           "bad/gone.txt"}  # fmt: skip
    assert failed["bad/binary.txt"].status == "skipped" and failed["bad/binary.txt"].error
    assert failed["bad/gone.txt"].status == "error"
    assert "cannot read" in failed["bad/gone.txt"].error
    # every other file was cleaned and written, whatever its encoding
    assert len(tree(ray_dest)) == 500 - len(failed) + 1  # + the state file
    encodings = {r.encoding for r in ray_.reports if r.status == "ok"}
    assert {"utf-8", "gb18030"} <= encodings
    assert any("big5" in e for e in encodings) and any("utf-16" in e for e in encodings)
    assert any(r.converted for r in ray_.reports)
    empty = next(r for r in ray_.reports if r.path.endswith("empty.txt"))
    assert empty.status == "ok" and [w["code"] for w in empty.warnings] == ["empty"]


def test_diff_and_check_modes_match_the_local_engine(pipeline, small_corpus, tmp_path):
    local, ray_, _, _ = both_engines(pipeline, small_corpus, tmp_path, mode="diff")
    assert [r.diff for r in ray_.reports] == [r.diff for r in local.reports]
    assert sum(bool(r.diff) for r in ray_.reports) == 7
    assert not list(tmp_path.iterdir())  # nothing written


def test_uri_sources_and_destination(pipeline, tmp_path):
    """Sources and DST as pyarrow filesystem URIs (file:// here, s3:// on a cluster)."""
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src / "sub")
    (src / "sub" / "binary.txt").write_bytes(BINARY)
    local = run(plan([src], tmp_path / "local"), pipeline, dest=tmp_path / "local")
    uri_dest = f"file://{tmp_path}/remote"
    jobs = plan_files([f"file://{src}"], uri_dest)
    assert sorted(j.rel for j in jobs) == sorted(j.rel for j in plan([src], None))
    ray_ = run_ray(jobs, pipeline, dest=uri_dest)
    assert [r.path for r in ray_.reports] == [f"file://{r.path}" for r in local.reports]
    assert [r.status for r in ray_.reports] == [r.status for r in local.reports]
    assert tree(tmp_path / "remote") == tree(tmp_path / "local")
    again = run_ray(plan_files([f"file://{src}"], uri_dest), pipeline, dest=uri_dest)
    assert sorted(r.status for r in again.reports) == ["skipped"] + ["unchanged"] * 5


def test_uri_destination_inside_source_is_refused(tmp_path):
    with pytest.raises(UsageError, match="inside the input"):
        plan_files([f"file://{tmp_path}"], f"file://{tmp_path}/out")
    with pytest.raises(UsageError, match="no such file"):
        plan_files([f"file://{tmp_path}/missing"], str(tmp_path / "out"))
    with pytest.raises(UsageError):
        plan_files(["nosuchscheme://bucket/dir"], str(tmp_path / "out"))


def test_cli_engine_ray_reports_like_the_local_engine(small_corpus, tmp_path):
    runner = CliRunner()
    args = ["clean", str(small_corpus), "--report"]
    local = runner.invoke(main, [*args, str(tmp_path / "local.jsonl"), "-o", str(tmp_path / "l")])
    ray_ = runner.invoke(main, [*args, str(tmp_path / "ray.jsonl"), "-o", str(tmp_path / "r"),
                                "--engine", "ray", "--jobs", "2"])  # fmt: skip
    assert (local.exit_code, ray_.exit_code) == (3, 3)  # some inputs failed, others written
    assert "speechclean: skipped:" in ray_.stderr and "binary.txt" in ray_.stderr
    assert "Traceback" not in ray_.stderr
    assert tree(tmp_path / "r") == tree(tmp_path / "l")

    def report(name, dest):
        rows = [json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
        for row in rows:
            row["output"] = row["output"] and os.path.relpath(row["output"], tmp_path / dest)
        return rows

    assert report("ray.jsonl", "r") == report("local.jsonl", "l")


def test_cli_starts_its_own_local_ray(tmp_path):
    """What a user runs: no Ray running yet, ``--engine ray`` starts and stops one."""
    cmd = [sys.executable, "-m", "speechclean", "clean", str(SEEDS), "-o", str(tmp_path / "o"),
           "--engine", "ray", "--jobs", "2"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert "cleaned 5 files" in done.stderr and "5 written" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert tree(tmp_path / "o").keys() == {*(p.name for p in SEEDS.glob("*.txt")), STATE_FILE}


def test_unreachable_address_fails_fast_with_one_line(tmp_path, monkeypatch):
    import ray

    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # as if no session yet
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    result = CliRunner().invoke(main, ["clean", str(SEEDS), "-o", str(tmp_path / "o"),
                                       "--engine", "ray", "--address", f"127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot start or reach Ray" in result.stderr
    assert not (tmp_path / "o").exists()


def test_without_the_extra_engine_ray_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as without the extra
    with pytest.raises(UsageError, match=r"pip install 'speechclean\[ray\]'"):
        require_ray()
    result = CliRunner().invoke(main, ["clean", str(SEEDS), "-o", str(tmp_path / "o"),
                                       "--engine", "ray"])
    assert result.exit_code == 2
    assert result.stderr == "speechclean: error: --engine ray needs Ray: pip install 'speechclean[ray]'\n"
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- the README's examples
def readme_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Scaling out with Ray", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_ray_data_example_runs(tmp_path, monkeypatch, pipeline):
    ray_block = readme_blocks()[0]
    assert "map_batches" in ray_block
    shutil.copytree(SEEDS, tmp_path / "scrape")
    (tmp_path / "scrape" / "binary.txt").write_bytes(BINARY)
    monkeypatch.chdir(tmp_path)
    exec(compile(ray_block, "README.md", "exec"), {})

    import pyarrow.parquet as pq

    rows = pq.read_table(tmp_path / "clean-parquet").to_pylist()
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name.keys() == {*(p.name for p in SEEDS.glob("*.txt")), "binary.txt"}
    for seed in SEEDS.glob("*.txt"):
        row = by_name[seed.name]
        assert (row["status"], row["text"]) == ("ok", pipeline.clean(seed.read_bytes()).text)
        assert json.loads(row["report"])["removed"]["lines_by_category"]
    assert by_name["binary.txt"]["status"] == "skipped" and by_name["binary.txt"]["text"] is None


def test_readme_spark_partition_function(pipeline):
    from collections import namedtuple

    namespace: dict = {}
    exec(compile(readme_blocks()[1], "README.md", "exec"), namespace)
    Row = namedtuple("Row", "path content")  # what spark.read.format("binaryFile") gives
    seed = sorted(SEEDS.glob("*.txt"))[0]
    rows = [Row(str(seed), bytearray(seed.read_bytes())), Row("x/binary.txt", BINARY)]
    out = list(namespace["clean_partition"](iter(rows), pickle.loads(pickle.dumps(pipeline))))
    assert out[0] == (str(seed), "ok", pipeline.clean(seed.read_bytes()).text, None)
    assert out[1][:3] == ("x/binary.txt", "skipped", None) and out[1][3]

