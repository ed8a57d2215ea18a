"""`speechclean detect` and `Pipeline.detect`: encoding, confidence, script and sites."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from speechclean.cli import main
from speechclean.convert import simplified_to_traditional

SIMPLIFIED = "同志们：\n今天召开全市经济工作会议，主要任务是总结过去一年的工作，部署明年的重点任务。\n" * 5


def run(*args: str):
    return CliRunner().invoke(main, ["detect", *args])


def rows(result) -> dict[str, dict]:
    return {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, result.stdout.splitlines())}


def test_seeds_sites_and_script_agree_with_clean(pipeline, seed_paths):
    result = run(str(SEEDS), "--format", "json")
    assert result.exit_code == 0, result.output
    found = rows(result)
    assert len(found) == len(seed_paths)
    for path in seed_paths:
        row = found[path.name]
        cleaned = pipeline.clean(path.read_bytes(), name=path.name)
        assert row["sites"] == cleaned.sites and len(row["sites"]) == 1
        assert row["encoding"] == cleaned.encoding
        assert 0 <= row["confidence"] <= 1
        expected = "traditional" if cleaned.converted else "simplified"
        assert row["script"] == expected, path.name


@pytest.fixture
def folder(tmp_path):
    traditional = simplified_to_traditional(SIMPLIFIED)
    files = {
        "gbk.txt": SIMPLIFIED.encode("gbk"),
        "big5.txt": traditional.encode("big5"),
        "utf16.txt": SIMPLIFIED.encode("utf-16"),
        "ascii.txt": b"Speech of the mayor, 2023\n",
        "mixed.txt": (SIMPLIFIED + traditional.split("\n")[1] + "\n").encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_encodings_and_scripts(folder):
    result = run(str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    found = rows(result)
    assert (found["gbk.txt"]["encoding"], found["gbk.txt"]["script"]) == ("gb18030", "simplified")
    assert found["big5.txt"]["encoding"].startswith("big5")
    assert found["big5.txt"]["script"] == "traditional"
    assert found["big5.txt"]["traditional"] > 0.1 * found["big5.txt"]["han"]
    assert found["utf16.txt"]["encoding"].startswith("utf-16")
    assert found["ascii.txt"]["script"] == "none" and found["ascii.txt"]["han"] == 0
    assert found["mixed.txt"]["script"] == "mixed"
    assert all(r["sites"] == [] for r in found.values())


def test_text_table(folder):
    result = run(str(folder / "big5.txt"), str(folder / "gbk.txt"))
    assert result.exit_code == 0
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["path", "encoding", "conf", "script", "sites"]
    assert "big5" in lines[0] and "traditional" in lines[0] and lines[0].endswith("-")
    assert "gb18030" in lines[1] and "simplified" in lines[1]


def test_binary_file_is_an_error_and_exit_3(folder):
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run(str(folder), "--format", "json")
    assert result.exit_code == 3
    assert "image.txt" in result.stderr and "binary" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    found = rows(result)
    assert "error" in found["image.txt"]
    assert found["gbk.txt"]["encoding"] == "gb18030"  # the others are still reported


def test_missing_source_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.output


def test_user_site_rules_are_detected(tmp_path):
    sites = tmp_path / "rules" / "sites"
    sites.mkdir(parents=True)
    (sites / "demo.yaml").write_text(
        "site: demo\nmatch: ['demo\\.example']\nrules: []\n", encoding="utf-8"
    )
    page = tmp_path / "page.txt"
    page.write_text("demo.example 首页\n" + SIMPLIFIED, encoding="utf-8")
    result = run(str(page), "--rules", str(tmp_path / "rules"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert rows(result)["page.txt"]["sites"] == ["demo"]


def test_pipeline_detect_api(pipeline):
    detection = pipeline.detect(simplified_to_traditional(SIMPLIFIED).encode("utf-8"))
    assert detection.script == "traditional"
    assert detection.to_dict()["encoding"] == "utf-8"
    assert pipeline.detect("").script == "none"
