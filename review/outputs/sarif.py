"""SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from review.core.models import Finding, Severity
from review.outputs.common import ranked_findings
from review.outputs.interface import OutputFormat
from review.record import Review

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# Files where a data row maps to a physical line: CSV rows follow a header line.
_LINE_OFFSET = {".csv": 1, ".tsv": 1, ".jsonl": 0, ".ndjson": 0, ".txt": 0, ".log": 0, ".md": 0}


def _rule(finding: Finding) -> dict[str, Any]:
    help_en = finding.remediation.en if finding.remediation else finding.message.en
    help_zh = finding.remediation.zh if finding.remediation else finding.message.zh
    refs = ", ".join(str(r) for r in finding.references)
    text = f"{help_en}\n\n{help_zh}" + (f"\n\nReferences / 依据: {refs}" if refs else "")
    return {
        "id": finding.rule_id,
        "name": finding.rule_id.replace(".", "/"),
        "shortDescription": {"text": f"{finding.title.en} / {finding.title.zh}"},
        "fullDescription": {"text": f"{finding.title.en}\n{finding.title.zh}"},
        "help": {"text": text, "markdown": text.replace("\n", "  \n")},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": [finding.stage, *sorted({r.framework for r in finding.references})],
            "references": [str(r) for r in finding.references],
        },
    }


def _location(finding: Finding) -> dict[str, Any] | None:
    loc = finding.location
    if loc is None or loc.path is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"}}
    offset = _LINE_OFFSET.get(PurePosixPath(loc.path).suffix.lower())
    if loc.row is not None and offset is not None:
        region: dict[str, Any] = {"startLine": loc.row + offset}
        if loc.start is not None and offset == 0:
            region["startColumn"] = loc.start + 1
            if loc.end is not None and loc.end > loc.start:
                region["endColumn"] = loc.end + 1
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = []
    if loc.column:
        logical.append({"name": loc.column, "kind": "member"})
    if loc.package:
        name = f"{loc.package}@{loc.version}" if loc.version else loc.package
        logical.append({"name": name, "kind": "module"})
    if loc.item:
        logical.append({"name": loc.item, "kind": "object"})
    if logical:
        location["logicalLocations"] = logical
    return location


class SarifFormat(OutputFormat):
    name = "sarif"
    filename = "review.sarif"
    description = "SARIF 2.1.0 for code-scanning dashboards"

    def render(self, review: Review) -> str:
        findings = ranked_findings(review)
        rules: dict[str, dict[str, Any]] = {}
        for finding in findings:
            rules.setdefault(finding.rule_id, _rule(finding))
        rule_ids = sorted(rules)
        index = {rule: i for i, rule in enumerate(rule_ids)}
        results = []
        for finding in findings:
            result: dict[str, Any] = {
                "ruleId": finding.rule_id,
                "ruleIndex": index[finding.rule_id],
                "level": _LEVEL[finding.severity],
                "message": {"text": f"{finding.message.en}\n{finding.message.zh}"},
                "partialFingerprints": {"reviewFingerprint/v1": finding.fingerprint},
                "properties": {"severity": finding.severity.value, "stage": finding.stage},
            }
            if finding.evidence:
                result["properties"]["maskedEvidence"] = finding.evidence
            location = _location(finding)
            if location is not None:
                result["locations"] = [location]
            results.append(result)
        document = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "review",
                            "version": review.metadata.tool_version,
                            "rules": [rules[r] for r in rule_ids],
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "project"}}},
                    "results": results,
                    "properties": {"verdict": review.gate.verdict.value},
                }
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
