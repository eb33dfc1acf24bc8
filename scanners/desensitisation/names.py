"""Personal data left in the names of a desensitised file: its column names or keys.

A header row that is a record, or JSON keyed by phone numbers, survives any column
policy; the reader shows such names masked, and the check reports them.
"""

from __future__ import annotations

from collections.abc import Mapping

from review.core.models import Finding, Location, Reference, Severity, Text

STAGE = "desensitisation"
SHOWN = 3


def name_findings(path: str, hits: Mapping[str, tuple[str, ...]]) -> list[Finding]:
    """One finding per entity type seen in the masked file's names (masked as shown)."""
    by_entity: dict[str, list[str]] = {}
    for name, entities in hits.items():
        for entity in entities:
            by_entity.setdefault(entity, []).append(name)
    findings = []
    for entity, names in sorted(by_entity.items()):
        shown = ", ".join(names[:SHOWN]) + (", …" if len(names) > SHOWN else "")
        findings.append(
            Finding(
                rule_id=f"{STAGE}.residual_pii_in_names",
                stage=STAGE,
                severity=Severity.HIGH,
                title=Text(
                    en=f"{entity} left in {len(names)} name(s) of the desensitised file",
                    zh=f"脱敏文件的 {len(names)} 个名称中残留 {entity}",
                ),
                message=Text(
                    en=f"Column names, keys or the file name hold {entity} (shown masked: "
                    f"{shown}); no column policy reaches them.",
                    zh=f"列名、键或文件名中含 {entity}（已掩码显示：{shown}），列策略无法处理。",
                ),
                location=Location(path=path, column=names[0] if names[0] != path else None),
                evidence=names[0],
                remediation=Text(
                    en="Rename the columns or keys (a header row that is data must be removed).",
                    zh="请重命名这些列或键（实为数据的表头行须删除）。",
                ),
                references=(
                    Reference(framework="PIPL", article="73"),
                    Reference(framework="GDPR", article="Recital 26"),
                ),
            )
        )
    return findings
