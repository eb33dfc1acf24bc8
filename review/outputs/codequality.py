"""GitLab Code Quality report (the Code Climate issue format GitLab reads).

GitLab shows these in the merge request widget and the diff, by file and line from the
repository root. Made from the same located findings as SARIF: every issue has a path
and a begin line. Accepted findings are left out (Code Quality has no notion of an
accepted issue; review.json, SARIF and JUnit list them); checklist gate reasons are
issues located at the answers file.
"""

from __future__ import annotations

import json
from typing import Any

from review.core.models import Location, Severity, Text
from review.outputs.common import ranked_findings, shown_at
from review.outputs.interface import OutputFormat
from review.record import Review

_SEVERITY = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


class CodeQualityFormat(OutputFormat):
    name = "codequality"
    filename = "gl-code-quality-report.json"
    description = "GitLab Code Quality report (merge request widget and diff)"

    def render(self, review: Review) -> str:
        issues: list[dict[str, Any]] = []
        seen: set[str] = set()

        def add(rule: str, text: Text, severity: Severity, loc: Location | None, key: str) -> None:
            anchor = shown_at(loc)
            fingerprint, n = key, 1
            while fingerprint in seen:  # GitLab drops issues whose fingerprints repeat
                n += 1
                fingerprint = f"{key}-{n}"
            seen.add(fingerprint)
            issues.append(
                {
                    "type": "issue",
                    "check_name": rule,
                    "description": f"{text.en} / {text.zh}",
                    "categories": ["Security"],
                    "severity": _SEVERITY[severity],
                    "fingerprint": fingerprint,
                    "location": {
                        "path": self.root.relative(anchor.path),
                        "lines": {"begin": anchor.line},
                    },
                }
            )

        for finding in ranked_findings(review):
            if not finding.accepted:
                text = Text(
                    en=f"{finding.title.en}: {finding.message.en}",
                    zh=f"{finding.title.zh}：{finding.message.zh}",
                )
                add(finding.rule_id, text, finding.severity, finding.location, finding.fingerprint)
        for stage in review.stages:
            for reason in stage.gate_reasons:
                if not reason.accepted:
                    add(
                        reason.rule,
                        reason.message,
                        Severity.HIGH,
                        reason.location,
                        reason.fingerprint,
                    )
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
