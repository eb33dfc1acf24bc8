"""Fixed descriptions of finding and gate rules, for formats that list rules (SARIF).

Code scanning keeps one description and one severity per rule id: a rule text built from
one run's data ("0.8% of records ...") would change on every run. Everything here depends
on the rule id alone; the figures of a finding go into its message.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.core.i18n import LABELS, label
from review.core.models import Severity, Text
from review.scanners.pii.categories import entity_severity

# The most severe level each rule reports, where a rule's severity varies with the data
# (a mask is HIGH on a direct identifier, MEDIUM elsewhere): code scanning sorts by it.
_SEVERITY: dict[str, Severity] = {
    "pii.unreadable_file": Severity.MEDIUM,
    "desensitisation.unreadable_file": Severity.HIGH,
    "desensitisation.residual_identifier": Severity.HIGH,
    "desensitisation.unmasked": Severity.HIGH,
    "desensitisation.mask_shape": Severity.HIGH,
    "desensitisation.over_revealing_mask": Severity.HIGH,
    "desensitisation.not_generalised": Severity.MEDIUM,
    "desensitisation.raw_leak": Severity.HIGH,
    "desensitisation.pseudonym_inconsistent": Severity.MEDIUM,
    "desensitisation.pseudonym_collision": Severity.MEDIUM,
    "desensitisation.pseudonym_inconsistent_across_files": Severity.MEDIUM,
    "desensitisation.reversible_hash": Severity.HIGH,
    "desensitisation.enumerable_hash": Severity.MEDIUM,
    "desensitisation.reversible_token": Severity.HIGH,
    "desensitisation.risk_not_assessed": Severity.INFO,
    "desensitisation.k_anonymity": Severity.HIGH,
    "desensitisation.reidentification_risk": Severity.MEDIUM,
    "desensitisation.l_diversity": Severity.MEDIUM,
    "desensitisation.t_closeness": Severity.MEDIUM,
    "desensitisation.linkage": Severity.HIGH,
    "desensitisation.verdict": Severity.HIGH,
    "licenses.conflict": Severity.HIGH,
    "licenses.review": Severity.HIGH,
    "licenses.unresolved": Severity.HIGH,
    "licenses.waived": Severity.INFO,
    "licenses.cycle": Severity.INFO,
}

# GitHub code scanning's scale: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9.
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


@dataclass(frozen=True)
class RuleInfo:
    """What a rule checks and how severe its findings can be."""

    id: str
    description: Text
    severity: Severity
    known: bool


def rule_info(rule_id: str, seen: Severity = Severity.MEDIUM) -> RuleInfo:
    """The fixed description of ``rule_id``; ``seen`` is used only for rules unknown here."""
    if rule_id in _SEVERITY:
        return RuleInfo(rule_id, LABELS[f"rule.{rule_id}"], _SEVERITY[rule_id], True)
    if rule_id.startswith("gate.") and rule_id in LABELS:
        return RuleInfo(rule_id, LABELS[rule_id], Severity.HIGH, True)
    if rule_id.startswith("pii.sensitive."):
        category = rule_id.removeprefix("pii.sensitive.")
        if f"category.{category}" in LABELS:
            named = label(f"category.{category}")
            text = label("rule.pii.sensitive", category=named.en)
            zh = label("rule.pii.sensitive", category=named.zh).zh
            return RuleInfo(rule_id, Text(en=text.en, zh=zh), Severity.HIGH, True)
    if rule_id.startswith("pii.") and rule_id.count(".") == 1:
        entity = rule_id.removeprefix("pii.").upper()
        names = LABELS.get(f"entity.{entity}")
        if names is not None:
            severity = entity_severity(entity)
            text = Text(
                en=label("rule.pii.entity", entity=names.en).en,
                zh=label("rule.pii.entity", entity=names.zh).zh,
            )
            return RuleInfo(rule_id, text, severity, True)
    return RuleInfo(rule_id, label("rule.generic", rule=rule_id), seen, False)
