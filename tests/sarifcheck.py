"""Checks a SARIF file must pass to be accepted and tracked by GitHub code scanning.

Three layers: the SARIF 2.1.0 JSON schema (the copy Microsoft ships with the SARIF
Multitool, which tracks the OASIS schema), the Multitool itself with its GitHub rules
(``validate --rule-kind "Sarif;Gh"``), both installed by ``scripts/setup --test`` into
.venv/sarif-multitool, and GitHub's documented requirements written out here
(``github_problems``), which run everywhere.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
MULTITOOL_DIR = REPO / ".venv" / "sarif-multitool" / "node_modules" / "@microsoft"
MULTITOOL = MULTITOOL_DIR / "sarif-multitool-linux" / "Sarif.Multitool"
SCHEMA = MULTITOOL_DIR / "sarif-multitool-linux" / "sarif-2.1.0.json"

# GitHub's limits for one upload (docs: "SARIF support for code scanning").
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20


def github_problems(doc: dict[str, Any]) -> list[str]:
    """What GitHub code scanning would reject or fail to track, one line each.

    The Multitool's GitHub rules (GH1001-GH1018, GH2012) plus what GitHub documents for
    tracking and severity: relative locations with a start line, partial fingerprints,
    a numeric security-severity on rules, distinct categories per run.
    """
    problems: list[str] = []
    if doc.get("version") != "2.1.0":
        problems.append("GH1013: version must be 2.1.0")
    runs = doc.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*problems, "GH1014: no runs"]
    if len(runs) > MAX_RUNS:
        problems.append(f"GH1004: {len(runs)} runs (at most {MAX_RUNS})")
    categories = []
    for r, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append(f"runs[{r}]: GH1018: tool.driver.name missing")
        category = run.get("automationDetails", {}).get("id")
        categories.append((driver.get("name"), category))
        rules = driver.get("rules", [])
        if len(rules) > MAX_RULES:
            problems.append(f"runs[{r}]: GH1004: too many rules")
        for i, rule in enumerate(rules):
            where = f"runs[{r}].rules[{i}] {rule.get('id')}"
            for key in ("shortDescription", "fullDescription"):
                if not rule.get(key, {}).get("text"):
                    problems.append(f"{where}: GH2012: {key} missing")
            if not rule.get("help", {}).get("text"):
                problems.append(f"{where}: GH2012: help missing")
            props = rule.get("properties", {})
            severity = props.get("security-severity")
            if not isinstance(severity, str) or not re.fullmatch(r"\d+(\.\d+)?", severity):
                problems.append(f"{where}: security-severity missing or not a number")
            elif not 0.0 <= float(severity) <= 10.0:
                problems.append(f"{where}: security-severity outside 0-10")
            if len(props.get("tags", [])) > MAX_TAGS:
                problems.append(f"{where}: GH1004: too many tags")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"runs[{r}]: GH1014: results missing")
            continue
        if len(results) > MAX_RESULTS:
            problems.append(f"runs[{r}]: GH1004: too many results")
        rule_ids = [rule.get("id") for rule in rules]
        for n, result in enumerate(results):
            where = f"runs[{r}].results[{n}] {result.get('ruleId')}"
            if not result.get("message", {}).get("text"):
                problems.append(f"{where}: GH1015: message.text missing")
            if re.search(r"\{\d+\}", result.get("message", {}).get("text", "")):
                problems.append(f"{where}: GH1007: message has unformatted placeholders")
            index = result.get("ruleIndex")
            if index is not None and rule_ids[index] != result.get("ruleId"):
                problems.append(f"{where}: ruleIndex points at another rule")
            if not result.get("partialFingerprints"):
                problems.append(f"{where}: no partialFingerprints")
            locations = result.get("locations")
            if not locations:
                problems.append(f"{where}: GH1001: no locations")
                continue
            if len(locations) > MAX_LOCATIONS:
                problems.append(f"{where}: GH1004: too many locations")
            for location in locations:
                physical = location.get("physicalLocation")
                if physical is None:
                    problems.append(f"{where}: GH1016: no physicalLocation")
                    continue
                uri = physical.get("artifactLocation", {}).get("uri")
                if not uri:
                    problems.append(f"{where}: GH1017: artifactLocation.uri missing")
                elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri) or uri.startswith("/"):
                    problems.append(f"{where}: GH1005: {uri} is not relative")
                elif ".." in uri.split("/"):
                    problems.append(f"{where}: {uri} leaves the repository root")
                region = physical.get("region")
                if not isinstance(region, dict) or not isinstance(region.get("startLine"), int):
                    problems.append(f"{where}: GH1003: region.startLine missing")
                elif region["startLine"] < 1:
                    problems.append(f"{where}: GH1003: startLine below 1")
    if len(set(categories)) != len(categories):
        problems.append("runs of one tool share an automationDetails.id category")
    return problems


def schema_errors(doc: dict[str, Any]) -> list[str]:
    """Errors against the SARIF 2.1.0 schema; skips the test when it is not installed."""
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip("SARIF schema not installed (scripts/setup --test installs it with npm)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def multitool_problems(path: Path, scratch: Path) -> list[str]:
    """Errors and warnings of ``Sarif.Multitool validate --rule-kind "Sarif;Gh"``."""
    if not MULTITOOL.is_file():
        pytest.skip("SARIF Multitool not installed (scripts/setup --test installs it with npm)")
    out = scratch / "multitool.sarif"
    run = subprocess.run(
        [str(MULTITOOL), "validate", "--rule-kind", "Sarif;Gh", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"DOTNET_CLI_TELEMETRY_OPTOUT": "1", "HOME": str(scratch)},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = []
    for result in report["runs"][0].get("results", []):
        level = result.get("level", "warning")
        rule = result.get("ruleId", "")
        if level == "error" or rule.startswith("GH") or rule in _WANTED_WARNINGS:
            problems.append(f"{rule} {level}: {result['message'].get('text', '')[:300]}")
    return problems


# SARIF warnings we also treat as failures (the rest are advice we chose not to follow:
# SARIF2005 asks for an informationUri, which an offline tool with no public page lacks).
_WANTED_WARNINGS = {"SARIF1001", "SARIF1002", "SARIF1004", "SARIF1007", "SARIF2017"}
