"""Golden tests: the seeds clean to byte-exact reviewed outputs, and pass the acceptance
checks in ../shared/acceptance (all hard checks)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ACCEPTANCE, GOLD, ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def test_there_are_five_seeds():
    assert len(SEED_NAMES) == 5


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_golden_output(pipeline, name):
    result = pipeline.clean((SEEDS / name).read_bytes(), name=name)
    assert result.data == (GOLDEN / name).read_bytes()


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_sites_are_detected(pipeline, name):
    result = pipeline.clean((SEEDS / name).read_bytes(), name=name)
    assert len(result.sites) == 1, result.sites


def _load_scorer():
    spec = importlib.util.spec_from_file_location("acceptance_score", ACCEPTANCE / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (ACCEPTANCE / "score.py").exists(), reason="../shared not present")
def test_acceptance_hard_checks_pass(pipeline, tmp_path):
    import yaml

    for name in SEED_NAMES:
        (tmp_path / name).write_bytes(pipeline.clean((SEEDS / name).read_bytes()).data)
    scorer = _load_scorer()
    checks = yaml.safe_load((ACCEPTANCE / "checks.yaml").read_text(encoding="utf-8"))
    failures = []
    for name, spec in checks.items():
        text = (tmp_path / name).read_text(encoding="utf-8")
        gold = (GOLD / name).read_text(encoding="utf-8") if (GOLD / name).exists() else None
        results, _sim = scorer.check_file(text, spec, gold)
        failures += [f"{name}: {label}" for hard, ok, label in results if hard and not ok]
    assert not failures, "\n".join(failures)


def test_scorer_runs_as_a_program(pipeline, tmp_path):
    """The documented acceptance command exits 0 on our outputs."""
    import subprocess

    if not (ACCEPTANCE / "score.py").exists():
        pytest.skip("../shared not present")
    for name in SEED_NAMES:
        (tmp_path / name).write_bytes(pipeline.clean((SEEDS / name).read_bytes()).data)
    proc = subprocess.run(
        [sys.executable, str(ACCEPTANCE / "score.py"), str(tmp_path)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
