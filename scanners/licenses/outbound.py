"""The project's own (outbound) license and where it was read."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import read_utf8
from review.scanners.licenses import spdx
from review.scanners.licenses.aliases import from_alias
from review.scanners.licenses.textmatch import scan_text

_LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "COPYING", "COPYING.txt")


@dataclass(frozen=True)
class Outbound:
    """The project's license as an SPDX expression, and where it came from."""

    expression: str
    origin: str


def outbound_license(
    given: str | None, configured: str | None, configured_at: str, project_dir: Path
) -> Outbound:
    """``--license``, else the config's ``[project] license``, else the project's own files:
    pyproject.toml ``[project] license``, package.json ``license``, then its LICENSE file."""
    if given:
        return Outbound(spdx.require(given, "--license"), "--license")
    if configured:
        return Outbound(
            spdx.require(configured, f"{configured_at}: project.license"),
            f"{configured_at} [project] license",
        )
    for read in (_pyproject, _package_json, _license_file):
        found = read(project_dir)
        if found is not None:
            return found
    raise InputError(
        project_dir,
        "no outbound license: pass --license EXPR, set [project] license in the review "
        "config, or give the project a pyproject.toml / package.json license or a LICENSE file",
    )


def _pyproject(project_dir: Path) -> Outbound | None:
    path = project_dir / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(read_utf8(path, "TOML file"))
    except tomllib.TOMLDecodeError:
        raise InputError(path, "invalid TOML") from None
    project = data.get("project")
    value = project.get("license") if isinstance(project, dict) else None
    origin = f"{path.name} [project] license"
    if isinstance(value, str) and value.strip():
        return Outbound(spdx.require(value, f"{path}: project.license"), origin)
    if isinstance(value, dict):
        text = value.get("text")
        if isinstance(text, str) and text.strip():
            found = spdx.normalise(text) or from_alias(text)
            if found is None:
                raise InputError(path, "project.license.text: not an SPDX expression")
            return Outbound(found, f"{origin}.text")
        file = value.get("file")
        if isinstance(file, str):
            return _license_file(project_dir, project_dir / file)
    return None


def _package_json(project_dir: Path) -> Outbound | None:
    path = project_dir / "package.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(read_utf8(path, "JSON file"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    value = data.get("license") if isinstance(data, dict) else None
    if isinstance(value, str) and value.strip() and not value.upper().startswith("SEE LICENSE"):
        return Outbound(spdx.require(value, f"{path}: license"), f"{path.name} license")
    return None


def _license_file(project_dir: Path, path: Path | None = None) -> Outbound | None:
    candidates = [path] if path is not None else [project_dir / n for n in _LICENSE_FILES]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        found = scan_text(read_utf8(candidate, "license file"))
        keys = [k for k, _, _ in found.licenses]
        if keys:
            operator = " OR " if found.choice else " AND "
            expression = operator.join(keys)
            share = min(s for _, s, _ in found.licenses)
            return Outbound(
                spdx.require(expression, str(candidate)),
                f"{candidate.name} (SPDX text match {share:.2f})",
            )
    return None
