"""Which files and which environment ``review licenses scan FILES`` judges.

The pre-commit hook passes the manifests, lock files and SBOMs a commit changes. Python
manifests carry no license data: each named package is looked up in the project's own
environment, found here, and never in the environment the command runs from (under
pre-commit that is the hook's private virtualenv, which would be judged as if it were
the project's).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from review.config import LoadedConfig
from review.core.errors import InputError

PYTHON_MANIFESTS = (".txt", ".in", "pyproject.toml", "poetry.lock", "uv.lock")
LOCK_NAMES = frozenset(
    {"pyproject.toml", "poetry.lock", "uv.lock", "package-lock.json", "npm-shrinkwrap.json"}
)
_REQUIREMENTS = re.compile(r"requirements.*\.(txt|in)$", re.IGNORECASE)
_SBOM = re.compile(r"(\.cdx|\.spdx|^bom|[._-]sbom)\.json$", re.IGNORECASE)


def split_inputs(files: tuple[Path, ...]) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """``(lock files and manifests, SBOMs)`` by file name; anything else is an error."""
    locks: list[Path] = []
    sboms: list[Path] = []
    for path in files:
        if _REQUIREMENTS.search(path.name) or path.name in LOCK_NAMES:
            locks.append(path)
        elif _SBOM.search(path.name):
            sboms.append(path)
        else:
            raise InputError(
                path,
                "not a manifest, lock file or SBOM (requirements*.txt, pyproject.toml, "
                "poetry.lock, uv.lock, package-lock.json, *.cdx.json, *.spdx.json)",
            )
    return tuple(locks), tuple(sboms)


def _interpreter(env: Path) -> Path | None:
    for candidate in (env / "bin" / "python", env / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def project_python(project_dir: Path, environ: dict[str, str] | None = None) -> Path | None:
    """The interpreter of the project's own environment: ``.venv`` or ``venv`` in the
    project, else an activated ``$VIRTUAL_ENV`` that is not the one running us."""
    for name in (".venv", "venv"):
        found = _interpreter(project_dir / name)
        if found is not None:
            return found
    env = os.environ if environ is None else environ
    active = env.get("VIRTUAL_ENV")
    if active and Path(active).resolve() != Path(sys.prefix).resolve():
        return _interpreter(Path(active))
    return None


def distribution_line(loaded: LoadedConfig) -> str:
    """The distribution mode the verdicts assume, and where it came from."""
    mode = loaded.config.project.distribution
    origin = loaded.origin_of(("project", "distribution"))
    if origin == "default":
        return (
            f"distribution: {mode} (the default; set [project] distribution in review.toml "
            "or [tool.review.project] — saas, distributed and embedded judge copyleft "
            "licenses such as AGPL and GPL as conflicts)"
        )
    return f"distribution: {mode} (from {origin})"
