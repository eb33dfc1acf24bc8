"""The repository root that CI formats write file locations from.

Code scanning resolves a SARIF location against the root of the repository it was
uploaded to, whatever folder the review ran in: a project in ``services/api`` must write
``services/api/data/users.csv``, not ``data/users.csv``. The root is, in order: the
``--source-root`` option, ``$REVIEW_SOURCE_ROOT``, the top of the git work tree holding
the project, else the project folder itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from review.core.errors import InputError
from review.core.gitrepo import git_output

ROOT_VARIABLE = "REVIEW_SOURCE_ROOT"


@dataclass(frozen=True)
class SourceRoot:
    """Where the review's relative paths start (``base``) and the repository root."""

    base: Path
    root: Path

    def relative(self, shown: str) -> str:
        """A review path as a POSIX path from the root ('..' first when outside it)."""
        path = Path(shown)
        full = path if path.is_absolute() else self.base / path
        return PurePosixPath(Path(os.path.relpath(full.resolve(), self.root.resolve()))).as_posix()

    def inside(self, shown: str) -> bool:
        return not self.relative(shown).startswith("../")

    def uri(self, shown: str) -> str:
        """The percent-encoded relative URI of a review path, for ``%SRCROOT%``."""
        return quote(self.relative(shown), safe="/")


def git_toplevel(folder: Path) -> Path | None:
    """Top of the git work tree holding ``folder``, if any."""
    top = git_output(folder, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def find_source_root(
    base: Path, option: Path | None = None, environ: Mapping[str, str] | None = None
) -> SourceRoot:
    """The source root for a review whose relative paths start at ``base``."""
    env = os.environ if environ is None else environ
    given = option or (Path(env[ROOT_VARIABLE]) if env.get(ROOT_VARIABLE) else None)
    if given is not None:
        if not given.is_dir():
            what = "--source-root" if option is not None else ROOT_VARIABLE
            raise InputError(given, f"{what}: no such directory")
        return SourceRoot(base=base, root=given)
    return SourceRoot(base=base, root=git_toplevel(base) or base)
