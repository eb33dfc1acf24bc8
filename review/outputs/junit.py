"""JUnit XML for CI test widgets: the gate's reasons, the checklist items, each stage.

Test names are short ids (``gate.checklist.blocking ai-ethics.launch-review``,
``pipl.pia``, ``pii.cn_mobile_phone data/users.csv, column 手机号``); the full texts go
into the failure body. Every gate reason is its own case, so a gate failing for eleven
reasons shows eleven failures. What an acceptance covers (a baseline entry, a waiver, a
reviewer's risk acceptance) is ``skipped`` with its justification, not failed; stale
and expired baseline entries have a suite of their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from review.checklists.details import ChecklistResult, ItemResult
from review.core.models import Acceptance, BaselineNote, Finding, GateReason, Severity
from review.gate import GATE_RULES
from review.outputs.common import ranked_findings_of, where
from review.outputs.interface import OutputFormat
from review.record import Review


def _case(
    suite: ET.Element,
    classname: str,
    name: str,
    *,
    failure: str | None = None,
    skipped: str | None = None,
    output: str | None = None,
) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": classname, "name": name, "time": "0"})
    if failure is not None:
        first = failure.splitlines()[0] if failure else name
        node = ET.SubElement(case, "failure", {"message": first[:200], "type": "review"})
        node.text = failure
    elif skipped is not None:
        ET.SubElement(case, "skipped", {"message": skipped[:500]})
    if output:
        ET.SubElement(case, "system-out").text = output


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", {"name": name})


def _close(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))


def _accepted(acceptance: Acceptance) -> str:
    """The skip message of an accepted finding or reason: who accepted it and why."""
    text = f"accepted ({acceptance.source})"
    if acceptance.owner:
        text += f" by {acceptance.owner}"
    if acceptance.expires:
        text += f" until {acceptance.expires}"
    shown = acceptance.shown_justification("bilingual")
    return text + (f": {shown}" if shown else "")


def _reason_name(reason: GateReason) -> str:
    item = reason.location.item if reason.location and reason.location.item else None
    parts = [reason.rule, *(p for p in (item, reason.key) if p)]
    return " ".join(parts)


def _finding_name(finding: Finding) -> str:
    shown = where(finding)
    return f"{finding.rule_id} {shown}" if shown else finding.rule_id


def _reason_cases(suite: ET.Element, reasons: Iterable[GateReason]) -> None:
    for reason in reasons:
        text = f"{reason.message.en}\n{reason.message.zh}"
        name = _reason_name(reason)
        if reason.accepted and reason.acceptance is not None:
            _case(suite, "gate", name, skipped=_accepted(reason.acceptance), output=text)
        else:
            expired = reason.acceptance is not None and reason.acceptance.expired
            prefix = "(acceptance expired) " if expired else ""
            _case(suite, "gate", name, failure=prefix + text)


def _item_case(suite: ET.Element, item: ItemResult, reasons: list[GateReason]) -> None:
    """An item fails when it holds the gate (an open reason), as the gate does; accepted
    reasons make it skipped with their justification; otherwise it passes."""
    status = f"status: {item.status.value}\n{item.question.en}\n{item.question.zh}"
    open_reasons = [r for r in reasons if not r.accepted]
    if not item.applicable:
        _case(suite, item.checklist, item.id, skipped="not applicable", output=status)
    elif open_reasons:
        text = "\n".join(f"{r.message.en}\n{r.message.zh}" for r in open_reasons)
        _case(suite, item.checklist, item.id, failure=f"{text}\n{status}")
    elif reasons:
        accepted = "; ".join(_accepted(r.acceptance) for r in reasons if r.acceptance)
        _case(suite, item.checklist, item.id, skipped=accepted, output=status)
    else:
        _case(suite, item.checklist, item.id, output=status)


def _baseline_cases(suite: ET.Element, notes: Iterable[BaselineNote]) -> None:
    for note in notes:
        name = f"baseline {note.state} {note.rule_id} {note.fingerprint}"
        where_ = f" ({note.where})" if note.where else ""
        if note.state == "stale":
            text = f"matches no finding any more{where_}: remove it from the baseline"
            _case(suite, "baseline", name, skipped=text)
        else:
            text = f"expired on {note.expires}{where_}: the finding fails the gate again" + (
                f" (justification was: {note.justification})" if note.justification else ""
            )
            _case(suite, "baseline", name, failure=text)


class JUnitFormat(OutputFormat):
    name = "junit"
    filename = "junit.xml"
    description = "JUnit XML, for CI test dashboards"

    def render(self, review: Review) -> str:
        root = ET.Element("testsuites", {"name": f"review: {review.metadata.project}"})
        gate = _suite(root, "gate")
        reasons = [*review.gate.reasons, *review.gate.accepted_reasons]
        _reason_cases(gate, reasons)
        fired = {reason.rule for reason in reasons}
        for rule in sorted(set(GATE_RULES) - fired):
            _case(gate, "gate", rule, output=GATE_RULES[rule].en)
        _close(gate)

        checklist = review.result(ChecklistResult)
        items = checklist.details.items if checklist else ()
        if items:
            by_item: dict[str, list[GateReason]] = {}
            for reason in checklist.gate_reasons if checklist else ():
                if reason.location is not None and reason.location.item:
                    by_item.setdefault(reason.location.item, []).append(reason)
            suite = _suite(root, "checklist items")
            for item in items:
                _item_case(suite, item, by_item.get(item.id, []))
            _close(suite)

        threshold = review.gate.fail_on
        for stage in review.stages:
            suite = _suite(root, f"stage {stage.stage}")
            severe = [
                f for f in ranked_findings_of(stage.findings) if f.severity.at_least(threshold)
            ]
            for finding in severe:
                text = f"[{finding.severity}] {finding.message.en}\n{finding.message.zh}"
                if finding.accepted and finding.acceptance is not None:
                    message = _accepted(finding.acceptance)
                    _case(suite, stage.stage, _finding_name(finding), skipped=message, output=text)
                else:
                    _case(suite, stage.stage, _finding_name(finding), failure=text)
            if not severe:
                _case(suite, stage.stage, f"no findings at or above {threshold}")
            for severity in (Severity.MEDIUM, Severity.LOW) if threshold.rank > 2 else ():
                count = sum(1 for f in stage.findings if f.severity == severity)
                if count:
                    _case(suite, stage.stage, f"{count} {severity} finding(s) (informational)")
            _close(suite)

        baseline = review.gate.baseline
        if baseline is not None and baseline.notes:
            suite = _suite(root, "baseline")
            _baseline_cases(suite, baseline.notes)
            _close(suite)

        root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
        root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
        root.set("errors", "0")
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
