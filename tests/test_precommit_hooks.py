"""The hooks in .pre-commit-hooks.yaml, run for real by `pre-commit try-repo`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import DEMO, REPO

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small git repository using our hooks: a SaaS front end with an npm lock file."""
    if shutil.which("git") is None or not (BIN / "pre-commit").exists():
        pytest.skip("git or pre-commit is not available")
    if not (REPO / ".git").exists():
        pytest.skip("pre-commit try-repo needs this checkout to be a git repository")
    root = tmp_path / "project"
    root.mkdir()
    (root / "review.toml").write_text(
        '[project]\nname = "hooked"\nlicense = "Apache-2.0"\ndistribution = "saas"\n'
        '[licenses]\nlockfiles = ["package-lock.json"]\n',
        encoding="utf-8",
    )
    shutil.copy(DEMO / "frontend" / "package-lock.json", root / "package-lock.json")
    shutil.copy(DEMO / "answers.yaml", root / "answers.yaml")
    shutil.copytree(DEMO / "evidence", root / "evidence")
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "hooks@example.invalid")
    _git(root, "config", "user.name", "hooks test")
    _git(root, "add", "-A")
    return root


def _try_repo(project: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(REPO), hook, "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _drop_conflicting_package(lock: Path) -> None:
    data = json.loads(lock.read_text(encoding="utf-8"))
    del data["packages"]["node_modules/@acme-ai/voice-engine"]
    del data["packages"]["node_modules/@demo-ui/chat-widget"]["dependencies"]
    lock.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_license_hook_fails_on_conflict_and_passes_once_removed(project: Path) -> None:
    failed = _try_repo(project, "review-licenses")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "@acme-ai/voice-engine" in failed.stdout
    assert "conflict" in failed.stdout
    _drop_conflicting_package(project / "package-lock.json")
    _git(project, "add", "-A")
    passed = _try_repo(project, "review-licenses")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_checklist_hook_validates_answers_files(project: Path) -> None:
    # The demo's answers leave gdpr.dpia 'n/a' without a justification.
    bad = _try_repo(project, "review-checklist")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "answers.gdpr.dpia: 'n/a' needs a justification" in bad.stdout
    answers = project / "answers.yaml"
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    data["answers"]["gdpr.dpia"]["justification"] = "No special-category data is processed."
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _git(project, "add", "-A")
    good = _try_repo(project, "review-checklist")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_pii_hook_fails_on_staged_personal_data(project: Path) -> None:
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(7)
    data = project / "samples"
    data.mkdir()
    ids = [fake.ssn() for _ in range(3)]
    rows = "".join(f"{i},{value}\n" for i, value in enumerate(ids))
    (data / "users.csv").write_text("id,身份证号\n" + rows, encoding="utf-8")
    _git(project, "add", "-A")
    found = _try_repo(project, "review-pii")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "CN_RESIDENT_ID" in found.stdout
    assert not any(value in found.stdout + found.stderr for value in ids)
    (data / "users.csv").write_text("id,note\n1,nothing personal here\n", encoding="utf-8")
    _git(project, "add", "-A")
    clean = _try_repo(project, "review-pii")
    assert clean.returncode == 0, clean.stdout + clean.stderr
