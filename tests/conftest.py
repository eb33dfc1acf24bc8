"""Shared fixtures: the demo project copied per test, the shared reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _report_step_only_where_asked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`review run` renders and signs a PDF (seconds each); tests opt in with a marker."""
    if request.node.get_closest_marker("report_step") is None:
        monkeypatch.setenv("REVIEW_REPORT__ENABLED", "false")


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
    shutil.copytree(
        DEMO, target, ignore=shutil.ignore_patterns("review-out", "__pycache__", ".review-keys")
    )
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
