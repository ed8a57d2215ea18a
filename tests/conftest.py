"""Shared fixtures: the repository's seeds and the acceptance material beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ACCEPTANCE = ROOT.parent / "shared" / "acceptance"
GOLD = ACCEPTANCE / "gold"


@pytest.fixture(scope="session")
def pipeline():
    from speechclean import Pipeline

    return Pipeline.from_rules()


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))
