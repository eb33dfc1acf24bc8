"""Shared fixtures: the demo project copied per test, the shared reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; tests using it skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (only on the team's machines)")
    return SHARED_DATA


@pytest.fixture
def demo_project(tmp_path: Path) -> Path:
    """A private copy of the demo project, so tests can change it freely."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("review-out", "__pycache__"))
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
