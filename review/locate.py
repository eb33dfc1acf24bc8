"""Physical lines for findings: where code scanning and editors show them.

Stages report what they found in their own terms (a data row, a column, a package, a
checklist item). This step, run once the stages are done, reads the files again to add
the physical line each finding starts on: the record's first line (rows are not lines:
a quoted CSV field may span several), the header line for a whole column, the line that
declares a package in its manifest or lock file. Findings with no line of their own (a
dataset's re-identification risk, a package of an installed environment, a checklist
item) get the config or answers file line that declares what they are about. A finding
about one value in a cell also gets the keyed hash of that value (``value_key``), which
baselines use instead of the row. Nothing here changes what was found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

import yaml

from review.core.errors import InputError
from review.core.fingerprint import fingerprint_key, value_key
from review.core.fsio import display_path
from review.core.models import Finding, GateReason, SourceLine, StageResult
from review.scanners.datafiles import open_dataset

R = TypeVar("R", bound=StageResult)

_LOCKS_TOML = ("poetry.lock", "uv.lock", "Cargo.lock")
_NPM_LOCKS = ("package-lock.json", "npm-shrinkwrap.json")
_BINARY = (".parquet", ".xlsx")

_LineTest = Callable[[str], bool]


@dataclass(frozen=True)
class Sources:
    """The files findings are located in: where relative paths start, the config, answers."""

    base: Path
    config: Path | None = None
    answers: Path | None = None


def locate(results: Sequence[R], sources: Sources) -> list[R]:
    """The stage results with lines (and cell value keys) added to their locations."""
    finder = _Finder(sources)
    out = []
    for result in results:
        findings = tuple(finder.finding(f) for f in result.findings)
        reasons = tuple(finder.reason(r) for r in result.gate_reasons)
        out.append(result.model_copy(update={"findings": findings, "gate_reasons": reasons}))
    return out


def canonical(name: str) -> str:
    """A package name as registries compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


class _Finder:
    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.key = fingerprint_key()
        self._text: dict[Path, list[str] | None] = {}
        self._rows: dict[Path, dict[int, int]] = defaultdict(dict)
        self._answers: dict[str, int] | None = None

    # --- files ------------------------------------------------------------------------

    def path_of(self, shown: str) -> Path:
        path = Path(shown)
        return path if path.is_absolute() else self.sources.base / path

    def shown(self, path: Path) -> str:
        return display_path(path, self.sources.base)

    def lines(self, path: Path) -> list[str] | None:
        """The file's lines (text files only), cached; None when it cannot be read."""
        if path not in self._text:
            try:
                raw = path.read_bytes()
                self._text[path] = raw.decode("utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self._text[path] = None
        return self._text[path]

    def row_line(self, path: Path, row: int) -> int | None:
        known = self._rows[path]
        if row not in known and path.suffix.lower() not in _BINARY:
            try:
                for number, line in open_dataset(path).row_lines():
                    known[number] = line
                    if number >= row:
                        break
            except (InputError, TypeError, OSError):
                return None
        return known.get(row)

    def cell(self, path: Path, row: int, column: str | None) -> str | None:
        try:
            dataset = open_dataset(path)
            if dataset.kind == "text":
                return next((text for n, text in dataset.iter_lines() if n == row), None)
            for number, fields in dataset.iter_rows():
                if number == row:
                    return fields.get(column or "")
                if number > row:
                    break
        except (InputError, TypeError, OSError):
            return None
        return None

    # --- findings -----------------------------------------------------------------------

    def finding(self, finding: Finding) -> Finding:
        loc = finding.location
        if loc is None or loc.line is not None or loc.declared_at is not None:
            return finding
        update: dict[str, object] = {}
        line: int | None = None
        declared: SourceLine | None = None
        path = self.path_of(loc.path) if loc.path else None
        if loc.package and path is not None and path.is_file():
            line = self.package_line(path, loc.package)
        elif loc.package:
            declared = self.config_line(
                lambda text: bool(re.match(r"\s*python\s*=", text)), "licenses"
            )
        elif path is not None and path.is_file() and loc.row is not None:
            line = self.row_line(path, loc.row)
            if loc.start is not None and loc.end is not None and loc.end > loc.start:
                value = self.cell(path, loc.row, loc.column)
                if value is not None and len(value) >= loc.end:
                    update["value_key"] = value_key(value[loc.start : loc.end], self.key)
        elif path is not None and path.is_file() and loc.column is not None:
            line = self.row_line(path, 1)
            if line is not None and path.suffix.lower() in (".csv", ".tsv"):
                line = 1  # the header declares the column
        elif loc.path is not None and finding.stage == "desensitisation":
            declared = self.dataset_line(loc.path)
        if line is None and declared is None:
            declared = (
                SourceLine(path=loc.path or "", line=1)
                if path is not None and path.is_file()
                else self.config_anchor()
            )
        if line is not None:
            update["location"] = loc.model_copy(update={"line": line})
        elif declared is not None:
            update["location"] = loc.model_copy(update={"declared_at": declared})
        return finding.model_copy(update=update) if update else finding

    def reason(self, reason: GateReason) -> GateReason:
        loc = reason.location
        if loc is None or not loc.item or loc.declared_at is not None:
            return reason
        declared = self.answers_line(loc.item) or self.config_line(
            lambda text: bool(re.match(r"\s*answers\s*=", text)), "checklist"
        )
        declared = declared or self.config_anchor()
        return reason.model_copy(
            update={"location": loc.model_copy(update={"declared_at": declared})}
        )

    # --- declaring lines ----------------------------------------------------------------

    def package_line(self, path: Path, package: str) -> int | None:
        lines = self.lines(path)
        if lines is None:
            return None
        for pattern, in_canonical_form in _package_patterns(path.name, package):
            for number, text in enumerate(lines, start=1):
                if pattern.search(canonical(text) if in_canonical_form else text):
                    return number
        return None

    def config_line(self, match: _LineTest, section: str | None = None) -> SourceLine | None:
        """The first config line passing ``match`` (inside ``[section]`` when given)."""
        config = self.sources.config
        lines = self.lines(config) if config is not None else None
        if config is None or lines is None:
            return None
        current = ""
        header = None
        for number, text in enumerate(lines, start=1):
            table = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", text)
            if table:
                current = table.group(1).removeprefix("tool.review.")
                if section is not None and current == section and header is None:
                    header = number
                continue
            if (section is None or current == section) and match(text):
                return SourceLine(path=self.shown(config), line=number)
        if header is not None:
            return SourceLine(path=self.shown(config), line=header)
        return None

    def config_anchor(self) -> SourceLine:
        """The config file's first line: where project-wide things are declared (a run
        with no config at all points at the review.toml it would have)."""
        config = self.sources.config
        if config is None:
            return SourceLine(path="review.toml", line=1)
        return SourceLine(path=self.shown(config), line=1)

    def dataset_line(self, shown: str) -> SourceLine | None:
        """The config line naming a dataset's file (``masked = "..."``)."""
        name = PurePosixPath(shown).name
        quoted = re.compile(r"""=\s*["']([^"']+)["']""")

        def names(text: str) -> bool:
            found = quoted.search(text)
            return found is not None and PurePosixPath(found.group(1)).name == name

        return self.config_line(names)

    def answers_line(self, item: str) -> SourceLine | None:
        answers = self.sources.answers
        if answers is None:
            return None
        if self._answers is None:
            self._answers = _yaml_key_lines(self.lines(answers) or [])
        line = self._answers.get(item) or self._answers.get("") or 1
        return SourceLine(path=self.shown(answers), line=line)


def _package_patterns(filename: str, package: str) -> list[tuple[re.Pattern[str], bool]]:
    """Patterns for the line declaring ``package``, most specific first, each with whether
    it runs on the line in canonical form (Python names compare that way: PEP 503)."""
    exact = re.escape(package)
    quoted = (re.compile(rf'"{exact}"', re.IGNORECASE), False)
    lower = filename.lower()
    if lower in _NPM_LOCKS:
        return [(re.compile(rf'"(?:[^"]*/)?node_modules/{exact}"\s*:'), False), quoted]
    if lower.endswith(".json"):  # SBOMs
        return [(re.compile(rf'"name"\s*:\s*"{exact}"'), False), quoted]
    name = re.escape(canonical(package))
    if lower in _LOCKS_TOML:
        return [(re.compile(rf'^\s*name\s*=\s*"{name}"'), True)]
    if lower == "pyproject.toml":
        return [(re.compile(rf'["\']\s*{name}\s*(?:[\[<>=!~;@ ]|["\'])'), True)]
    # requirements*.txt / *.in: "name", "name==1.0", "name[extra]>=1 ; marker"
    return [(re.compile(rf"^\s*{name}\s*(?:[\[<>=!~;@ ]|$)"), True)]


def _yaml_key_lines(lines: Iterable[str]) -> dict[str, int]:
    """Line of each key under the top-level ``answers:`` mapping; "" is ``answers:`` itself."""
    text = "\n".join(lines)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "answers":
            out[""] = key.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                for item, _ in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        out[str(item.value)] = item.start_mark.line + 1
    return out


__all__ = ["Sources", "canonical", "locate"]
