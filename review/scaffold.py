"""``review init``: look at a project and write a commented review.toml and answers file.

Detection is deliberately plain: lock files and SBOMs by name, sample data by folder
name and file type, desensitised copies by a 'masked'/'脱敏' name beside a raw original,
the project's license from LICENSE (text match) or its package metadata. What cannot be
detected (how the product is distributed, who reviews it, the product facts) is written
as commented choices for a person to make.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from review.checklists.loader import BUILTIN, load_builtin, read_yaml
from review.checklists.render import answers_template
from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.scanners.desensitisation.service import column_entities
from review.scanners.desensitisation.suggest import suggest_policy, to_toml
from review.scanners.desensitisation.table import load_table
from review.scanners.licenses.textmatch import scan_text
from review.scanners.pii.detect import find_spans

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "review-out",
     "out", "dist", "build", ".review-keys", ".mypy_cache", ".ruff_cache", ".pytest_cache",
     ".tox"}
)  # fmt: skip
MAX_DEPTH = 4
LOCK_NAMES = re.compile(
    r"^(requirements[\w.-]*\.txt|poetry\.lock|uv\.lock|package-lock\.json)$", re.IGNORECASE
)
SBOM_NAMES = re.compile(r"(\.cdx\.json|\.cdx\.xml|\.spdx\.json|^bom\.json|^sbom[\w.-]*\.json)$")
DATA_DIRS = re.compile(
    r"^(data|datasets?|samples?|sample[-_]?data|fixtures|testdata|样本|数据)$", re.IGNORECASE
)
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".json", ".jsonl", ".xlsx", ".parquet"})
MASKED = re.compile(r"[-_.]?(masked|desensiti[sz]ed|de-?identified|anonymi[sz]ed|脱敏)", re.I)
RAW_WORDS = ("raw", "original", "原始")
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING", "LICENCE")
DEFAULT_CHECKLISTS = ("ai-ethics", "pipl")
CONFIG_NAME = "review.toml"
ANSWERS_NAME = "answers.yaml"


@dataclass
class Detected:
    """What ``review init`` found in a project."""

    root: Path
    name: str
    license: str | None = None
    license_source: str = ""
    lockfiles: list[Path] = field(default_factory=list)
    sboms: list[Path] = field(default_factory=list)
    data_dirs: list[Path] = field(default_factory=list)
    datasets: list[tuple[Path, Path]] = field(default_factory=list)


def _walk(root: Path, depth: int = 0) -> Iterator[Path]:
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir():
            if entry.name not in SKIP_DIRS and depth < MAX_DEPTH:
                yield entry
                yield from _walk(entry, depth + 1)
        elif entry.is_file():
            yield entry


def _package_metadata(root: Path) -> tuple[str | None, str | None, str]:
    """Name and license declared by pyproject.toml or package.json at the top."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            project = {}
        lic = project.get("license")
        lic = lic if isinstance(lic, str) else None
        if project.get("name") or lic:
            return project.get("name"), lic, "pyproject.toml"
    package = root / "package.json"
    if package.is_file():
        try:
            data = json.loads(package.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError):
            data = {}
        if isinstance(data, dict):
            lic = data.get("license")
            return data.get("name"), lic if isinstance(lic, str) else None, "package.json"
    return None, None, ""


def _license_file(root: Path) -> tuple[str | None, str]:
    for name in LICENSE_FILES:
        path = root / name
        if path.is_file():
            try:
                found = scan_text(path.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if found.licenses:
                return found.licenses[0][0], name
    return None, ""


def _raw_partner(masked: Path) -> Path | None:
    stem = MASKED.sub("", masked.stem)
    for word in RAW_WORDS:
        for candidate in (f"{stem}_{word}", f"{stem}-{word}", f"{word}_{stem}"):
            path = masked.with_name(candidate + masked.suffix)
            if path.is_file():
                return path
    plain = masked.with_name(stem + masked.suffix)
    return plain if plain.is_file() and plain != masked else None


def detect(root: Path) -> Detected:
    """Everything ``init`` can tell about the project in ``root``."""
    name, lic, source = _package_metadata(root)
    found = Detected(root=root, name=name or root.resolve().name, license=lic)
    found.license_source = source if lic else ""
    if found.license is None:
        found.license, found.license_source = _license_file(root)
    for path in _walk(root):
        if path.is_dir():
            data_files = [p for p in path.iterdir() if p.suffix.lower() in DATA_SUFFIXES]
            if DATA_DIRS.match(path.name) and data_files:
                found.data_dirs.append(path)
            continue
        if LOCK_NAMES.match(path.name):
            found.lockfiles.append(path)
        elif SBOM_NAMES.search(path.name):
            found.sboms.append(path)
        elif path.suffix.lower() in DATA_SUFFIXES and MASKED.search(path.stem):
            raw = _raw_partner(path)
            if raw is not None:
                found.datasets.append((path, raw))
    if found.license is None:
        found.license, found.license_source = _lockfile_root_license(found.lockfiles, root)
    return found


def _lockfile_root_license(lockfiles: Sequence[Path], root: Path) -> tuple[str | None, str]:
    """The license an npm lock file's root package declares (the project's own part)."""
    for lock in lockfiles:
        if lock.name != "package-lock.json":
            continue
        try:
            data = json.loads(lock.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError):
            continue
        top = data.get("packages", {}).get("", {}) if isinstance(data, dict) else {}
        lic = top.get("license") if isinstance(top, dict) else None
        if isinstance(lic, str) and lic:
            return lic, _rel(lock, root)
    return None, ""


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _toml_list(paths: Sequence[Path], root: Path) -> str:
    return "[" + ", ".join(_toml_str(_rel(p, root)) for p in paths) + "]"


def _dataset_block(masked: Path, raw: Path, root: Path) -> list[str]:
    shown_raw, shown_masked = _rel(raw, root), _rel(masked, root)
    try:
        table = load_table(raw, shown_raw)
        policy = suggest_policy(table, column_entities(table, find_spans))
    except InputError:
        return [
            "",
            "# (the raw file could not be read to suggest a column policy)",
            "[[desensitisation.datasets]]",
            f"masked = {_toml_str(shown_masked)}",
            f"raw = {_toml_str(shown_raw)}",
        ]
    return [
        "",
        "# A desensitised copy and its raw original. The column policy is suggested from a",
        "# PII scan of the raw file and its column names: check each. Rows are matched by",
        '# order; set key = "id" to match them by a column.',
        *to_toml(policy, shown_raw, shown_masked).splitlines(),
    ]


def config_text(found: Detected, checklists: Sequence[str], answers: str) -> str:
    """The commented review.toml for what was found."""
    root = found.root
    lic = _toml_str(found.license) if found.license else None
    out = [
        "# Review config written by `review init`. Paths are relative to this file.",
        "# `review config show` prints the effective values; `review run` runs the review.",
        "",
        "[project]",
        f"name = {_toml_str(found.name)}",
        f"license = {lic}  # from {found.license_source}"
        if lic
        else '# license = "Apache-2.0"  # the project\'s own license (SPDX): not detected',
        "# How the product reaches people; it decides which licenses conflict:",
        "# internal | saas (offered over a network) | distributed | embedded",
        'distribution = "internal"',
        "",
        "[gate]",
        'fail_on = "high"  # findings at or above this severity fail the gate',
        "",
        "[pii]",
    ]
    if found.data_dirs:
        out.append(f"paths = {_toml_list(found.data_dirs, root)}  # sample data found")
    else:
        out += [
            "# No sample-data folder found (data/, samples/, fixtures/ ...): the PII",
            "# scan is skipped until you list files or folders here:",
            '# paths = ["data"]',
        ]
    out += ["", "[licenses]"]
    if found.lockfiles:
        out.append(f"lockfiles = {_toml_list(found.lockfiles, root)}")
        if any(not p.name.endswith("package-lock.json") for p in found.lockfiles):
            out.append(
                "# Python lock files carry no license data: run with `review licenses scan"
                " --python VENV` or REVIEW_LICENSES_PYTHON=VENV."
            )
    else:
        out.append("# No lock file found: the license check is skipped until you add one.")
        out.append('# lockfiles = ["requirements.txt", "frontend/package-lock.json"]')
    if found.sboms:
        out.append(f"sboms = {_toml_list(found.sboms, root)}")
    out += [
        "",
        "[checklist]",
        f"checklists = [{', '.join(_toml_str(c) for c in checklists)}]",
        f"answers = {_toml_str(answers)}  # fill it in; `review checklist validate` checks it",
        "",
        "# Facts about the product that decide which checklist items (and regulations)",
        "# apply. Unset = unknown: the items stay applicable. sensitive_pi and",
        '# special_category default to "auto" (the PII scan decides).',
        "[checklist.context]",
        "# generative_ai = true",
        "# eu_data_subjects = false  # people in the EU: GDPR and the EU AI Act apply",
        "# transfer_out_of_cn = false",
        "# automated_decisions = false",
        "# minors = false",
        "# entrusted_processing = false",
    ]
    for masked, raw in found.datasets:
        out += _dataset_block(masked, raw, root)
    out += [
        "",
        "# Who signs the review off; each signs with `review signoff` and their own key.",
        "# [[reviewers]]",
        '# name = "王芳"',
        '# role = "数据保护官 DPO"',
        '# certificate = "certs/wangfang.pem"  # their sign-off must be made with it',
        "",
        "[report]",
        'lang = "bilingual"  # en | zh | bilingual',
        "",
        "# Sign report.pdf. For trying out: a self-signed key made once in .review-keys/",
        "# (verify with --trust .review-keys/report-signing.pem). An organisation sets",
        '# pkcs12 = "path/to/key.p12" instead (password in $REVIEW_SIGNING_PASSWORD).',
        "[report.signing]",
        "self_signed = true",
        "",
        "# Certificates review verify trusts (files or folders of PEM/DER/PKCS#12).",
        "# [report.trust]",
        '# certificates = [".review-keys/report-signing.pem"]',
    ]
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Initialised:
    """What ``init`` wrote or kept."""

    found: Detected
    config: Path
    answers: Path
    answers_written: bool
    checklists: tuple[str, ...]


def _answered_checklists(answers: Path) -> list[str]:
    """The built-in checklists an existing answers file answers items of."""
    try:
        data = read_yaml(answers)
    except InputError:
        return []
    given = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(given, dict):
        return []
    prefixes = {str(key).split(".")[0] for key in given}
    return [c for c in BUILTIN if c in prefixes]


def init_project(root: Path, checklists: Sequence[str] = (), *, force: bool = False) -> Initialised:
    """Write ROOT/review.toml and ROOT/answers.yaml (an existing answers file is kept
    unless ``force``; an existing review.toml is an error unless ``force``). Without
    ``checklists``: those a kept answers file answers, else the defaults."""
    if not root.is_dir():
        raise InputError(root, "no such project directory")
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise InputError(config, "already exists (use --force to replace it)")
    answers = root / ANSWERS_NAME
    write_answers = force or not answers.exists()
    if not checklists:
        checklists = (None if write_answers else _answered_checklists(answers)) or list(
            DEFAULT_CHECKLISTS
        )
    chosen = [load_builtin(c) for c in dict.fromkeys(checklists)]
    found = detect(root)
    text = config_text(found, [c.id for c in chosen], ANSWERS_NAME)
    if write_answers:
        atomic_write(answers, answers_template(chosen))
    atomic_write(config, text)
    return Initialised(found, config, answers, write_answers, tuple(c.id for c in chosen))
