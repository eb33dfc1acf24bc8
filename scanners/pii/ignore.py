"""``[[pii.ignore]]``: findings a rule matches are accepted with its reason, never dropped.

A finding a rule in force matches keeps its place in the results with an ``Acceptance``
(source ``ignore-rule``): the gate does not count it, review.json, the report and
``pii scan`` show it as accepted. Once a rule has expired its findings count again, and
still show which rule lapsed. A file that could not be read is never accepted.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from review.core.errors import ConfigError
from review.core.models import Acceptance, Finding
from review.scanners.pii.config import IgnoreRule

UNREADABLE_RULE = "pii.unreadable_file"


def entity_rule_id(entity: str) -> str:
    """The rule id of findings of ``entity`` (``pii.cn_mobile_phone``)."""
    return f"pii.{entity.lower()}"


def rule_entity(rule_id: str) -> str | None:
    """The entity a finding of ``rule_id`` is about; None for header and minor findings."""
    name = rule_id.removeprefix("pii.")
    if name == rule_id or "." in name or rule_id == UNREADABLE_RULE:
        return None
    return name.upper()


def _matches(pattern: str | None, value: str | None) -> bool:
    if pattern is None:
        return True
    if value is None:
        return False
    # Exact names first: headers such as items[*].phone are not meant as globs.
    return value == pattern or fnmatch.fnmatchcase(value, pattern)


@dataclass(frozen=True)
class RuleUse:
    """One rule and the findings it decided."""

    rule: IgnoreRule
    expired: bool
    findings: int


class IgnoreRules:
    """The ``[[pii.ignore]]`` rules of one config, ready to match findings and cells."""

    def __init__(
        self,
        rules: Sequence[IgnoreRule],
        *,
        base: Path,
        shown_from: Path,
        today: dt.date,
        known_entities: Iterable[str],
        source: str | Path,
    ) -> None:
        """``base``: the directory rule paths are relative to (the config file's);
        ``shown_from``: the directory the paths of findings are shown relative to;
        ``source``: what a bad rule's error names."""
        known = set(known_entities)
        for i, rule in enumerate(rules):
            if rule.entity is not None and rule.entity not in known:
                raise ConfigError(source, f"pii.ignore[{i}].entity: unknown entity {rule.entity}")
        self.rules = tuple(rules)
        self.base = base.resolve()
        self.shown_from = shown_from.resolve()
        self.today = today
        self._decided: dict[tuple[str, str | None, str | None], int | None] = {}
        self._used: Counter[int] = Counter()

    def _relative(self, shown: str) -> str:
        absolute = self.shown_from / shown  # an absolute ``shown`` stays as it is
        return PurePosixPath(os.path.relpath(absolute, self.base)).as_posix()

    def _path_matches(self, pattern: str | None, relative: str) -> bool:
        if pattern is None or _matches(pattern, relative):
            return True
        return "/" not in pattern and _matches(pattern, relative.rsplit("/", 1)[-1])

    def expired(self, rule: IgnoreRule) -> bool:
        return rule.expires is not None and self.today > rule.expires

    def _decide(self, path: str, column: str | None, entity: str | None) -> int | None:
        """Index of the rule deciding a finding: the first in force that matches, else
        the matching one that lapsed last; None when no rule matches."""
        key = (path, column, entity)
        if key in self._decided:
            return self._decided[key]
        relative = self._relative(path)
        matching = [
            i
            for i, rule in enumerate(self.rules)
            if self._path_matches(rule.path, relative)
            and _matches(rule.column, column)
            and (rule.entity is None or rule.entity == entity)
        ]
        in_force = [i for i in matching if not self.expired(self.rules[i])]
        lapsed = sorted(matching, key=lambda i: self.rules[i].expires or dt.date.max)
        decided = in_force[0] if in_force else (lapsed[-1] if lapsed else None)
        self._decided[key] = decided
        return decided

    def acceptance(self, path: str, column: str | None, entity: str | None) -> Acceptance | None:
        """The acceptance of a finding or cell at ``path`` / ``column`` of ``entity``."""
        if not self.rules:
            return None
        index = self._decide(path, column, entity)
        if index is None:
            return None
        rule = self.rules[index]
        return Acceptance(
            source="ignore-rule",
            justification=rule.reason,
            owner=rule.owner,
            expires=rule.expires,
            expired=self.expired(rule),
        )

    def accept(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` with the acceptance of the rule deciding each, counted per rule."""
        out = []
        for finding in findings:
            location = finding.location
            if not self.rules or finding.rule_id == UNREADABLE_RULE or location is None:
                out.append(finding)
                continue
            path, column = location.path or "", location.column
            index = self._decide(path, column, rule_entity(finding.rule_id))
            if index is None:
                out.append(finding)
                continue
            self._used[index] += 1
            found = self.acceptance(path, column, rule_entity(finding.rule_id))
            out.append(finding.model_copy(update={"acceptance": found}))
        return out

    def uses(self) -> list[RuleUse]:
        """Every rule with the number of findings it decided (0: it matched nothing)."""
        return [
            RuleUse(rule, self.expired(rule), self._used[i]) for i, rule in enumerate(self.rules)
        ]
