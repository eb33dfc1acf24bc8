"""Which files ``review licenses scan FILES`` judges, and what it says about them.

The pre-commit hook passes the manifests, lock files and SBOMs a commit changes. Python
manifests carry no license data: each named package is looked up in the environment
that --python or $REVIEW_LICENSES_PYTHON names (never one found in the reviewed
project's files, whose interpreter would run), and never in the environment the command
runs from (under pre-commit, the hook's private virtualenv, which would be judged as if
it were the project's). With neither, the command says how to name one.
"""

from __future__ import annotations

import re
from pathlib import Path

from review.config import LoadedConfig
from review.core.errors import InputError

PYTHON_MANIFESTS = (".txt", ".in", "pyproject.toml", "poetry.lock", "uv.lock")
LOCK_NAMES = frozenset(
    {"pyproject.toml", "poetry.lock", "uv.lock", "package-lock.json", "npm-shrinkwrap.json"}
)
NO_ENVIRONMENT = (
    "no Python environment to look the licenses of its packages up in: pass --python "
    "PATH (the project's virtualenv or its interpreter; in .pre-commit-config.yaml: "
    'args: ["--python", ".venv"]) or set REVIEW_LICENSES_PYTHON'
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
