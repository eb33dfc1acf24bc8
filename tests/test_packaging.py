"""The wheel installs one import root, and the CLI works beside same-named user packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: a build writes build/ and *.egg-info beside the sources.
    source = tmp_path_factory.mktemp("source") / "review-pipeline"
    shutil.copytree(
        REPO,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(".*", "out", "build", "*.egg-info", "__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("review_pipeline-*.whl")
    return built


def test_wheel_has_one_top_level_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    roots = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert roots == {"review"}
    # The folders at the top of the repository arrive under the one root, data included.
    for member in (
        "review/checklists/data/pipl.yaml",
        "review/scanners/licenses/data/spdx_grams.json.gz",
        "review/scanners/pii/data/cn_divisions.txt",
        "review/scanners/pii/data/zh_name_chars.txt",
        "review/reports/templates/report.html.j2",
    ):
        assert member in names
    # The test-data generator is not shipped.
    assert not any("synthetic" in name for name in names)


@pytest.mark.slow
def test_installed_cli_ignores_user_packages_of_the_same_names(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Dependencies come from the test environment's site-packages (offline); the wheel is
    # the only copy of our code the fresh interpreter can see (the editable install's
    # finder is a .pth hook of the test environment, which a plain path entry does not run).
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "user-project"
    for name in ("reports", "scanners", "checklists"):
        package = work / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("raise ImportError('user package imported')\n")
    (work / "templates").mkdir()
    located = subprocess.run(
        [str(python), "-c", "import review; print(review.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(located).is_relative_to(site)
    result = subprocess.run(
        [str(python), "-m", "review", "checklist", "list", "--format", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    run = subprocess.run(
        [
            str(python),
            "-m",
            "review",
            "run",
            str(REPO / "examples" / "demo"),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "REVIEW_REPORT__SIGNING__SELF_SIGNED": "true",
            # the demo key is kept outside the checkout, which the test must not change
            "REVIEW_REPORT__SIGNING__DEMO_KEY_STORE": f'"{tmp_path / "keys" / "demo.p12"}"',
        },
    )
    assert run.returncode in (0, 1), run.stderr
    assert (tmp_path / "out" / "report.pdf").is_file()
