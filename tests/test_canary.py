"""Canary: no raw personal-data value of the demo reaches any output of `review run`."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli

IDENTIFIER_COLUMNS = ("身份证号", "手机号", "email", "bank_card", "address")


def _raw_values(project: Path) -> set[str]:
    values: set[str] = set()
    with (project / "data" / "customers_raw.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values.update(row[c] for c in IDENTIFIER_COLUMNS if row[c])
            if len(row["姓名"]) >= 3:  # two-character names also occur as ordinary words
                values.add(row["姓名"])
    return values


@pytest.mark.report_step
def test_no_raw_value_in_any_output(runner: CliRunner, demo_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    formats = ["--format", "sarif", "--format", "junit", "--format", "markdown"]
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(out), *formats])
    assert result.exit_code == 1, result.output
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".pdf"}
    assert (out / "report.pdf").is_file()
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(
            ["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, check=True
        )
        texts["report.pdf text"] = pdf_text.stdout.decode("utf-8")
    texts["stdout+stderr"] = result.output
    pii_json = runner.invoke(cli, ["pii", "scan", str(demo_project / "data"), "--format", "json"])
    texts["pii scan json"] = pii_json.stdout
    assert json.loads(pii_json.stdout)["findings"]
    raw = _raw_values(demo_project)
    assert len(raw) > 400
    leaks = sorted((name, value) for name, text in texts.items() for value in raw if value in text)
    assert not leaks, f"{len(leaks)} raw value(s) leaked, first in {leaks[0][0]}"
