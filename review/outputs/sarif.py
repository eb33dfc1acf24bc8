"""SARIF 2.1.0 that GitHub code scanning accepts and tracks across runs.

One run per stage (``automationDetails.id`` ``review/<stage>/``), so a stage's alerts
close when its findings go away and stages never overwrite each other's analyses. Every
result has a location relative to the repository root (``%SRCROOT%``) with a start line:
the record's physical line in a data file, the declaring line of a package, or, for what
has no line of its own (a dataset's risk, a checklist item), the config or answers file
line that declares it. Rules carry fixed texts and a ``security-severity``; a finding's
figures are in its result message. Accepted findings carry ``suppressions``; with a
baseline, results say whether they are new, and stale or expired entries are reported
as tool notifications.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from review.core.models import (
    Acceptance,
    BaselineNote,
    Finding,
    GateReason,
    Location,
    Severity,
    StageResult,
    Text,
)
from review.outputs.common import ranked_findings_of, shown_at
from review.outputs.interface import OutputFormat
from review.outputs.rules import SECURITY_SEVERITY, RuleInfo, rule_info
from review.record import Review

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "reviewFingerprint/v2"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# Plain-text files, where a finding's character offsets are offsets in its line.
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".log"})
_HELP = Text(
    en="The result message says where and what was found; review.json and the review "
    "report give the details and what to do.",
    zh="结果消息说明发现的位置与内容；review.json 与审查报告给出详情及处理建议。",
)


def _text(title: Text, message: Text) -> str:
    return f"{title.en}: {message.en}\n{title.zh}：{message.zh}"


def _rule(info: RuleInfo, stage: str) -> dict[str, Any]:
    described = info.description
    help_text = f"{described.en}\n{described.zh}\n\n{_HELP.en}\n{_HELP.zh}"
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in re.split(r"[._-]", info.id)),
        "shortDescription": {"text": described.en},
        "fullDescription": {"text": f"{described.en} / {described.zh}"},
        "help": {"text": help_text, "markdown": help_text.replace("\n", "  \n")},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[info.severity],
            "tags": ["security", "privacy" if stage != "licenses" else "licensing", stage],
        },
    }


class SarifFormat(OutputFormat):
    name = "sarif"
    filename = "review.sarif"
    description = "SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps)"

    def render(self, review: Review) -> str:
        notes = review.gate.baseline.notes if review.gate.baseline else ()
        baselined = review.gate.baseline is not None
        runs = [
            self._run(review, stage, _notes_for(stage.stage, notes, review), baselined)
            for stage in review.stages
        ]
        document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": runs}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def _run(
        self,
        review: Review,
        stage: StageResult,
        notes: Sequence[BaselineNote],
        baselined: bool,
    ) -> dict[str, Any]:
        findings = ranked_findings_of(stage.findings)
        reasons = sorted(stage.gate_reasons, key=lambda r: (r.rule, r.fingerprint))
        infos: dict[str, RuleInfo] = {}
        for finding in findings:
            infos.setdefault(finding.rule_id, rule_info(finding.rule_id, finding.severity))
        for reason in reasons:
            infos.setdefault(reason.rule, rule_info(reason.rule, Severity.HIGH))
        rule_ids = sorted(infos)
        index = {rule: i for i, rule in enumerate(rule_ids)}
        results = [self._finding(f, index, baselined) for f in findings]
        results += [self._reason(r, index, baselined) for r in reasons]
        driver: dict[str, Any] = {
            "name": "review",
            "fullName": "review-pipeline compliance and ethics review",
            "version": review.metadata.tool_version,
            "semanticVersion": review.metadata.tool_version,
            "rules": [_rule(infos[r], stage.stage) for r in rule_ids],
        }
        return {
            "tool": {"driver": driver},
            "automationDetails": {"id": f"review/{stage.stage}/"},
            "originalUriBaseIds": {
                SRCROOT: {"description": {"text": "The root of the repository under review."}}
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [
                {
                    "executionSuccessful": True,
                    "toolExecutionNotifications": [_notification(n) for n in notes],
                }
            ],
            "results": results,
            "properties": {"stage": stage.stage, "verdict": review.gate.verdict.value},
        }

    # --- results ------------------------------------------------------------------------

    def _finding(self, finding: Finding, index: dict[str, int], baselined: bool) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": index[finding.rule_id],
            "level": _LEVEL[finding.severity],
            "message": {"text": _text(finding.title, finding.message)},
            "locations": [self._location(finding.location, finding.rule_id)],
            "partialFingerprints": {FINGERPRINT: finding.fingerprint},
            "properties": {"severity": finding.severity.value, "stage": finding.stage},
        }
        related = self._related(finding.location)
        if related:
            result["relatedLocations"] = related
        if finding.evidence:
            result["properties"]["maskedEvidence"] = finding.evidence
        _accept(result, finding.acceptance, baselined)
        return result

    def _reason(self, reason: GateReason, index: dict[str, int], baselined: bool) -> dict[str, Any]:
        info = rule_info(reason.rule)
        result: dict[str, Any] = {
            "ruleId": reason.rule,
            "ruleIndex": index[reason.rule],
            "level": "error",
            "message": {"text": _text(info.description, reason.message)},
            "locations": [self._location(reason.location, reason.rule)],
            "partialFingerprints": {FINGERPRINT: reason.fingerprint},
            "properties": {"gateReason": True},
        }
        _accept(result, reason.acceptance, baselined)
        return result

    # --- locations ----------------------------------------------------------------------

    def _physical(self, shown: str, line: int) -> dict[str, Any]:
        return {
            "artifactLocation": {"uri": self.root.uri(shown), "uriBaseId": SRCROOT},
            "region": {"startLine": line},
        }

    def _location(self, loc: Location | None, rule: str) -> dict[str, Any]:
        anchor = shown_at(loc)
        physical = self._physical(anchor.path, anchor.line)
        if loc is not None and loc.path is not None and loc.line is not None:
            suffix = PurePosixPath(loc.path).suffix.lower()
            start, end = loc.start, loc.end
            if suffix in _TEXT_SUFFIXES and start is not None and end is not None and end > start:
                physical["region"]["startColumn"] = start + 1
                physical["region"]["endColumn"] = end + 1
        location: dict[str, Any] = {"physicalLocation": physical}
        logical = _logical(loc)
        if logical:
            location["logicalLocations"] = logical
        return location

    def _related(self, loc: Location | None) -> list[dict[str, Any]]:
        """The data file itself, for findings shown at the config line declaring it."""
        if loc is None or loc.line is not None or loc.declared_at is None or loc.path is None:
            return []
        if loc.path == loc.declared_at.path:
            return []
        related = {"id": 1, "physicalLocation": self._physical(loc.path, 1)}
        related["message"] = {"text": loc.describe()}
        return [related]


def _logical(loc: Location | None) -> list[dict[str, str]]:
    if loc is None:
        return []
    logical = []
    if loc.column:
        logical.append({"name": loc.column, "kind": "member"})
    if loc.package:
        name = f"{loc.package}@{loc.version}" if loc.version else loc.package
        logical.append({"name": name, "kind": "module"})
    if loc.item:
        logical.append({"name": loc.item, "kind": "object"})
    return logical


def _accept(result: dict[str, Any], acceptance: Acceptance | None, baselined: bool) -> None:
    """Suppression and baseline state of an accepted (or once accepted) result."""
    if baselined:
        from_baseline = acceptance is not None and acceptance.source == "baseline"
        result["baselineState"] = "unchanged" if from_baseline else "new"
    if acceptance is None:
        return
    result["properties"]["acceptance"] = acceptance.model_dump(mode="json", exclude_none=True)
    if acceptance.active:
        justification = (
            acceptance.shown_justification("bilingual") or f"accepted by {acceptance.source}"
        )
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": justification}
        ]


def _notes_for(stage: str, notes: Sequence[BaselineNote], review: Review) -> list[BaselineNote]:
    """The baseline notes shown in one stage's run: its own; gate and orphans in the last."""
    names = {s.stage for s in review.stages}
    last = review.stages[-1].stage if review.stages else ""
    return [n for n in notes if n.stage == stage or (stage == last and n.stage not in names)]


def _notification(note: BaselineNote) -> dict[str, Any]:
    where = f" ({note.where})" if note.where else ""
    if note.state == "stale":
        text = (
            f"Baseline entry {note.fingerprint} for {note.rule_id}{where} matches no finding "
            "any more: remove it. / 基线条目不再匹配任何发现，请删除。"
        )
    else:
        text = (
            f"Baseline entry {note.fingerprint} for {note.rule_id}{where} expired on "
            f"{note.expires}: the finding fails the gate again. "
            "/ 基线条目已过期，该发现重新计入门禁。"
        )
    return {
        "level": "warning",
        "message": {"text": text},
        "descriptor": {"id": f"baseline.{note.state}"},
        "properties": {"fingerprint": note.fingerprint},
    }
