"""JUnit XML: one test case per gate rule, per checklist item and per stage."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from review.checklists.details import ChecklistResult
from review.core.models import Severity
from review.gate import GATE_RULES
from review.outputs.common import where
from review.outputs.interface import OutputFormat
from review.record import Review

_FAILING_STATUSES = {"no", "unanswered", "partial"}


def _case(suite: ET.Element, classname: str, name: str, failure: str | None = None) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": classname, "name": name, "time": "0"})
    if failure is not None:
        first = failure.splitlines()[0] if failure else name
        node = ET.SubElement(case, "failure", {"message": first[:200], "type": "review"})
        node.text = failure


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", {"name": name})


def _close(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", "0")


class JUnitFormat(OutputFormat):
    name = "junit"
    filename = "junit.xml"
    description = "JUnit XML, for CI test dashboards"

    def render(self, review: Review) -> str:
        root = ET.Element("testsuites", {"name": f"review: {review.metadata.project}"})
        gate = _suite(root, "gate")
        fired = {reason.rule: reason for reason in review.gate.reasons}
        for rule in sorted(set(GATE_RULES) | set(fired)):
            reason = fired.get(rule)
            text = None if reason is None else f"{reason.message.en}\n{reason.message.zh}"
            _case(gate, "gate", rule, text)
        _close(gate)

        checklist = review.result(ChecklistResult)
        items = checklist.details.items if checklist else ()
        if items:
            suite = _suite(root, "checklist items")
            for item in items:
                status = item.status.value
                failing = item.applicable and status in _FAILING_STATUSES
                text = f"status: {status}" if failing else None
                _case(suite, item.checklist, f"{item.id} {item.question.en}", text)
            _close(suite)

        threshold = review.gate.fail_on
        for stage in review.stages:
            suite = _suite(root, f"stage {stage.stage}")
            severe = [f for f in stage.findings if f.severity.at_least(threshold)]
            text = "\n".join(
                f"[{f.severity}] {f.rule_id} {where(f)}: {f.message.en}" for f in severe
            )
            _case(suite, stage.stage, f"no findings at or above {threshold}", text or None)
            for severity in (Severity.MEDIUM, Severity.LOW) if threshold.rank > 2 else ():
                count = sum(1 for f in stage.findings if f.severity == severity)
                if count:
                    _case(suite, stage.stage, f"{count} {severity} finding(s) (informational)")
            _close(suite)

        root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
        root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
