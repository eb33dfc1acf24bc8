"""Fixtures for the report tests: the sample review rendered once per session."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.core.certificates import load_certificate
from review.record import Review
from review.reports.signing import SigningKey, load_key, make_demo_key, save_key_store
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


PASSWORD = "s3cret-for-tests"
PASSWORD_ENV = {"REVIEW_SIGNING_PASSWORD": PASSWORD}


@dataclass(frozen=True)
class Keys:
    """Key stores (PKCS#12, encrypted with PASSWORD) and certificates (PEM) for the tests:
    the organisation that signs reports, and each reviewer."""

    folder: Path

    def p12(self, who: str) -> Path:
        return self.folder / f"{who}.p12"

    def pem(self, who: str) -> Path:
        return self.folder / f"{who}.pem"

    def key(self, who: str) -> SigningKey:
        return load_key(self.p12(who), PASSWORD.encode())


# Who holds a key: the organisation, the sample's reviewers, and an attacker.
HOLDERS = {
    "org": "Example Org review signing",
    "wang": "王芳",
    "alex": "Alex Morgan",
    "li": "李雷",
}


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("keys")
    for who, name in HOLDERS.items():
        save_key_store(make_demo_key(name, password=PASSWORD.encode()), folder / f"{who}.p12")
    return Keys(folder)


@dataclass(frozen=True)
class Rendered:
    """A sample review.json and its signed report."""

    sample: Sample
    review_json: Path
    pdf: Path
    html: Path


def with_reviewer_certificates(review: Review, keys: Keys) -> Review:
    """The review with each reviewer bound to their certificate, as the config does."""
    by_name = {name: who for who, name in HOLDERS.items()}
    reviewers = tuple(
        r.model_copy(
            update={"certificate_sha256": load_certificate(keys.pem(by_name[r.name])).sha256}
        )
        for r in review.reviewers
    )
    return review.model_copy(update={"reviewers": reviewers})


@pytest.fixture(scope="session")
def sample(keys: Keys) -> Sample:
    built = build_sample(signoffs=False)
    return Sample(with_reviewer_certificates(built.review, keys), built.raw_values)


def render_signed(folder: Path, review: Review, keys: Keys, *args: str) -> Path:
    """review.json in ``folder`` rendered and signed by the organisation; the PDF's path."""
    review_json = folder / "review.json"
    review_json.write_text(review.to_json(), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", "render", str(review_json), "--sign", str(keys.p12("org")), *args],
        env=PASSWORD_ENV,
    )
    assert result.exit_code == 0, result.output
    return folder / "report.pdf"


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, sample: Sample, keys: Keys) -> Rendered:
    """The sample rendered bilingual and signed by the organisation's key (once)."""
    folder = tmp_path_factory.mktemp("rendered")
    pdf = render_signed(folder, sample.review, keys)
    return Rendered(sample, folder / "review.json", pdf, folder / "report.html")


@pytest.fixture
def signed_copy(rendered: Rendered, tmp_path: Path) -> Path:
    """A private copy of the signed report, for tests that change it."""
    target = tmp_path / "report.pdf"
    shutil.copyfile(rendered.pdf, target)
    return target
