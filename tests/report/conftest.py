"""Fixtures for the report tests: the sample review rendered once per session."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from tests.report.sample import Sample, build_sample


def pdf_text(pdf: Path) -> str:
    """What poppler extracts from the PDF (what a reader could copy out)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="session", autouse=True)
def _poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed (scripts/setup --test installs it)")


@dataclass(frozen=True)
class Rendered:
    """A sample review.json and its signed report."""

    sample: Sample
    review_json: Path
    pdf: Path
    html: Path


@pytest.fixture(scope="session")
def sample() -> Sample:
    return build_sample(signoffs=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, sample: Sample) -> Rendered:
    """The sample rendered bilingual and signed with a self-signed demo key (once)."""
    folder = tmp_path_factory.mktemp("rendered")
    review_json = folder / "review.json"
    review_json.write_text(sample.review.to_json(), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", "render", str(review_json), "--sign", "self-signed"]
    )
    assert result.exit_code == 0, result.output
    return Rendered(sample, review_json, folder / "report.pdf", folder / "report.html")


@pytest.fixture
def signed_copy(rendered: Rendered, tmp_path: Path) -> Path:
    """A private copy of the signed report, for tests that change it."""
    target = tmp_path / "report.pdf"
    shutil.copyfile(rendered.pdf, target)
    return target
