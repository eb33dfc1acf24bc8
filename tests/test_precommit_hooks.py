"""The hooks in .pre-commit-hooks.yaml, run for real by `pre-commit try-repo`, offline.

The `language: python` hooks are installed the way pre-commit installs them for a user
(a fresh virtualenv, `pip install .` of this checkout plus the pinned
additional_dependencies), with the network off: pip reads the wheelhouse that
`scripts/setup --test` builds (PIP_NO_INDEX, PIP_FIND_LINKS) instead of an index. The
scratch repositories have no `review` on PATH: the python hooks must not need one.

Installing that environment takes minutes, so it is installed once per session: every
run shares one PRE_COMMIT_HOME and names this checkout by one fixed commit, which is
pre-commit's key for reusing an installed hook environment. Each run selects its hooks
with SKIP, so one run judges several hooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from faker import Faker
from packaging.requirements import Requirement

from review.cli.main import cli
from tests.conftest import DEMO, REPO

BIN = Path(sys.executable).parent
WHEELHOUSE = REPO / ".venv" / "wheelhouse"
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _fake_venv(project: Path, packages: dict[str, str]) -> None:
    """The project's own .venv, holding packages with the given license expressions."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True
    )
    python = project / ".venv" / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    for name, license_expression in packages.items():
        info = Path(purelib) / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.4\nName: {name}\nVersion: 1.0\n"
            f"License-Expression: {license_expression}\n",
            encoding="utf-8",
        )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small distributed library's repository using our hooks."""
    if shutil.which("git") is None or not (BIN / "pre-commit").exists():
        pytest.skip("git or pre-commit is not available")
    if not (REPO / ".git").exists():
        pytest.skip("pre-commit try-repo needs this checkout to be a git repository")
    root = tmp_path / "project"
    root.mkdir()
    (root / "review.toml").write_text(
        '[project]\nname = "hooked"\nlicense = "Apache-2.0"\ndistribution = "distributed"\n',
        encoding="utf-8",
    )
    (root / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    _fake_venv(root, {"agpl-thing": "AGPL-3.0-only", "mit-thing": "MIT"})
    (root / "requirements.txt").write_text("mit-thing==1.0\n", encoding="utf-8")
    shutil.copytree(DEMO / "evidence", root / "evidence")
    answers = yaml.safe_load((DEMO / "answers.yaml").read_text(encoding="utf-8"))
    answers["answers"]["gdpr.dpia"]["justification"] = "No special-category data is processed."
    (root / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    fixtures = root / "tests" / "fixtures"
    fixtures.mkdir(parents=True)
    # Test fixtures use addresses reserved for examples (RFC 2606): no personal data.
    users = [
        {"id": 1, "email": "alice@example.com", "home": "https://example.org/alice"},
        {"id": 2, "email": "bob@staging.example.net", "backup": "bob@mail.test"},
        {"id": 3, "email": "carol@nowhere.invalid"},
    ]
    (fixtures / "users.json").write_text(json.dumps(users, indent=2), encoding="utf-8")
    (root / ".vscode").mkdir()
    (root / ".vscode" / "settings.json").write_text(
        '{\n  // keep the project venv\n  "python.defaultInterpreterPath": ".venv/bin/python",\n'
        '  /* format */ "editor.formatOnSave": true,\n}\n',
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "hooks@example.invalid")
    _git(root, "config", "user.name", "hooks test")
    _git(root, "add", "-A")
    return root


def _path_without_review() -> str:
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not (Path(d) / "review").exists())


@dataclass(frozen=True)
class HookSource:
    """This checkout as pre-commit fetches it, and where pre-commit keeps what it installs."""

    repo: Path
    ref: str
    home: Path


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """One repository and commit for the session, so the hook environment installs once.

    Given a checkout with uncommitted changes, try-repo commits them to a new shadow
    repository on every call, and each new repository installs its own environment; one
    snapshot commit of the working tree (tracked files, as try-repo takes them) is shared.
    """
    if not (WHEELHOUSE / ".stamp").is_file():
        message = "no wheelhouse for an offline hook install (scripts/setup --test builds it)"
        if os.environ.get("CI"):  # a CI run that skipped these would prove nothing
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("pre-commit-home")
    git = ["git", "-c", "core.fsmonitor=false"]
    identity = {"GIT_COMMITTER_NAME": "hooks test", "GIT_COMMITTER_EMAIL": "hooks@example.invalid"}
    env = {**os.environ, "GIT_AUTHOR_NAME": "hooks test", **identity}
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    snapshot = subprocess.run(
        [*git, "stash", "create"], cwd=REPO, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    if not snapshot:
        return HookSource(REPO, head, home)
    shadow = tmp_path_factory.mktemp("hook-repo") / "repo"
    # --shared reads REPO's objects in place: the snapshot commit is one of them.
    _git(REPO.parent, "clone", "-q", "--shared", "--no-checkout", str(REPO), str(shadow))
    _git(shadow, "update-ref", "refs/heads/snapshot", snapshot)
    return HookSource(shadow, snapshot, home)


def _try_repo(
    project: Path,
    source: HookSource,
    hooks: Iterable[str],
    path: str | None = None,
    project_env: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of the given hooks (the others skipped) over all files."""
    env = {
        **os.environ,
        "PATH": path or _path_without_review(),
        "PRE_COMMIT_HOME": str(source.home),
        "SKIP": ",".join(hook["id"] for hook in HOOKS if hook["id"] not in set(hooks)),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_COMPILE": "1",
        "NO_COLOR": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    env.pop("REVIEW_LICENSES_PYTHON", None)
    if project_env:  # as a developer would in their shell profile (or args: --python)
        env["REVIEW_LICENSES_PYTHON"] = str(project / ".venv")
    assert shutil.which("review", path=env["PATH"]) is None or path is not None
    args = [
        str(BIN / "pre-commit"),
        "try-repo",
        str(source.repo),
        "--ref",
        source.ref,
        "--all-files",
    ]
    return subprocess.run(
        args, cwd=project, env=env, capture_output=True, text=True, timeout=1200, check=False
    )


STATUS_LINE = re.compile(r"^(.+?)\.{3,}(?:\(no files to check\))?(Passed|Failed|Skipped)$")
SYSTEM_HOOKS = ("review-licenses-system", "review-pii-system", "review-checklist-system")


def _outcomes(stdout: str) -> dict[str, tuple[str, str]]:
    """Hook id -> (Passed / Failed / Skipped, what the hook printed), from pre-commit's report."""
    names = {hook["name"]: hook["id"] for hook in HOOKS}
    outcomes: dict[str, tuple[str, str]] = {}
    current: tuple[str, str, list[str]] | None = None
    for line in [*stdout.splitlines(), "end....Passed"]:
        status = STATUS_LINE.match(line)
        if status is None:
            if current is not None:
                current[2].append(line)
            continue
        if current is not None and current[0] in names:
            outcomes[names[current[0]]] = (current[1], "\n".join(current[2]))
        current = (status[1].strip(), status[2], [])
    return outcomes


def test_python_hooks_install_offline_and_judge_the_changed_files(
    project: Path, hook_source: HookSource
) -> None:
    # The one cold install of the python hooks' environment (minutes): every hook runs.
    requirements = project / "requirements.txt"
    requirements.write_text("mit-thing==1.0\nagpl-thing==1.0\n", encoding="utf-8")
    _git(project, "add", "-A")
    run = _try_repo(project, hook_source, [hook["id"] for hook in HOOKS])
    output = run.stdout + run.stderr
    outcomes = _outcomes(run.stdout)
    status, licenses = outcomes["review-licenses"]
    assert status == "Failed", output
    assert "agpl-thing" in licenses and "conflict" in licenses
    assert "distribution: distributed (from review.toml)" in licenses
    assert outcomes["review-pii"][0] == "Passed", output  # RFC 2606 addresses, JSONC settings
    assert outcomes["review-checklist"][0] == "Passed", output
    # The system variants need a `review` on PATH, which this repository does not have.
    for hook in SYSTEM_HOOKS:
        status, printed = outcomes[hook]
        assert status == "Failed", output
        assert "Executable `review` not found" in printed, output


def test_system_variants_block_and_pass_like_the_python_hooks(
    project: Path, hook_source: HookSource
) -> None:
    with_review = f"{BIN}{os.pathsep}{_path_without_review()}"

    def outcomes(
        hooks: Iterable[str] = SYSTEM_HOOKS, project_env: bool = True
    ) -> tuple[dict[str, tuple[str, str]], str]:
        run = _try_repo(project, hook_source, hooks, with_review, project_env)
        return _outcomes(run.stdout), run.stdout + run.stderr

    passed, output = outcomes()
    assert [passed[hook][0] for hook in SYSTEM_HOOKS] == ["Passed"] * 3, output
    assert all(
        passed[hook["id"]][0] == "Skipped" for hook in HOOKS if hook["id"] not in SYSTEM_HOOKS
    )
    (project / "requirements.txt").write_text("agpl-thing==1.0\n", encoding="utf-8")
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    ids = [fake.ssn() for _ in range(3)]
    rows = "".join(f"{i},{value}\n" for i, value in enumerate(ids))
    (project / "tests" / "fixtures" / "users.csv").write_text("id,身份证号\n" + rows, "utf-8")
    answers = yaml.safe_load((project / "answers.yaml").read_text(encoding="utf-8"))
    del answers["answers"]["gdpr.dpia"]["justification"]
    (project / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    _git(project, "add", "-A")
    failed, output = outcomes()
    assert [failed[hook][0] for hook in SYSTEM_HOOKS] == ["Failed"] * 3, output
    assert "agpl-thing" in failed["review-licenses-system"][1], output
    assert "CN_RESIDENT_ID" in failed["review-pii-system"][1], output
    assert not any(value in output for value in ids)
    checklist = failed["review-checklist-system"][1]
    assert "answers.gdpr.dpia: 'n/a' needs a justification" in checklist, output
    # Without a project environment, the license hook says so instead of judging its own.
    alone, output = outcomes(["review-licenses-system"], project_env=False)
    status, licenses = alone["review-licenses-system"]
    assert status == "Failed", output
    assert "requirements.txt: no Python environment to look the licenses" in licenses, output


def test_default_distribution_is_stated(tmp_path: Path) -> None:
    (tmp_path / "review.toml").write_text('[project]\nlicense = "MIT"\n', encoding="utf-8")
    lock = tmp_path / "package-lock.json"
    shutil.copy(DEMO / "frontend" / "package-lock.json", lock)
    result = CliRunner().invoke(cli, ["licenses", "scan", "--project", str(tmp_path), str(lock)])
    assert "distribution: internal (the default;" in result.output
    assert result.exit_code == 0  # AGPL passes in internal use: now it says why


def test_hook_pins_match_the_declared_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {Requirement(d).name.lower(): Requirement(d) for d in project["dependencies"]}
    python_hooks = [h for h in HOOKS if h["language"] == "python"]
    assert {h["id"] for h in python_hooks} == {"review-licenses", "review-pii", "review-checklist"}
    for hook in python_hooks:
        pinned = {Requirement(pin).name.lower() for pin in hook["additional_dependencies"]}
        assert pinned == set(declared), "pin every runtime dependency, and only those"
        for pin in hook["additional_dependencies"]:
            requirement = Requirement(pin)
            (spec,) = requirement.specifier
            assert spec.operator == "==", pin
            assert requirement.name.lower() in declared, pin
            assert declared[requirement.name.lower()].specifier.contains(spec.version), pin
    system = {h["id"].removesuffix("-system"): h for h in HOOKS if h["language"] == "system"}
    for hook in python_hooks:
        twin = system[hook["id"]]
        assert (twin["entry"], twin["files"]) == (hook["entry"], hook["files"])
