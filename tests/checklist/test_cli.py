"""``review checklist list | show | template | export`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from review.checklists.loader import BUILTIN, load_builtin
from review.checklists.render import EXPORTERS
from review.cli.main import cli


def test_list_table_and_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "list"])
    assert result.exit_code == 0
    for checklist_id in BUILTIN:
        assert checklist_id in result.output
    assert "《个人信息保护法》合规就绪检查" in result.output
    data = json.loads(runner.invoke(cli, ["checklist", "list", "--format", "json"]).output)
    rows = {row["id"]: row for row in data["checklists"]}
    assert set(rows) == set(BUILTIN)
    assert rows["pipl"]["items"] == len(load_builtin("pipl").items())
    assert "PIPL" in rows["pipl"]["frameworks"]


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "Impact assessment"), ("zh", "个人信息保护影响评估")]
)
def test_show(runner: CliRunner, lang: str, text: str) -> None:
    result = runner.invoke(cli, ["checklist", "show", "pipl", "--lang", lang])
    assert result.exit_code == 0
    assert "pipl.pia" in result.output
    assert text.lower() in result.output.lower() or text in result.output


def test_show_json_round_trips(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "show", "eu-ai-act", "--format", "json"])
    assert json.loads(result.output)["id"] == "eu-ai-act"


def test_unknown_checklist_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "show", "sox"])
    assert result.exit_code == 2
    assert "unknown checklist 'sox'" in result.output


@pytest.mark.parametrize("checklist_id", list(BUILTIN))
@pytest.mark.parametrize("lang", ["zh", "en", "bilingual"])
def test_template_is_a_valid_answers_file(
    runner: CliRunner, tmp_path: Path, checklist_id: str, lang: str
) -> None:
    out = tmp_path / "answers.yaml"
    result = runner.invoke(
        cli, ["checklist", "template", checklist_id, "--lang", lang, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    answers = yaml.safe_load(text)["answers"]
    assert list(answers) == load_builtin(checklist_id).item_ids()
    assert all(a["status"] == "unanswered" for a in answers.values())
    checked = runner.invoke(cli, ["checklist", "validate", str(out)])
    assert checked.exit_code == 0, checked.output
    if lang == "zh":
        assert "问:" in text and "Q:" not in text
    if lang == "en":
        assert "Q:" in text and "问" not in text


def test_template_to_stdout_names_the_criteria(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "template", "ai-ethics", "--lang", "en"])
    assert result.exit_code == 0
    assert "# measured: {intent-confidence-threshold: null}" in result.output
    assert "intent-confidence-threshold >= 80%" in result.output


def test_export_registry_is_exhaustive(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "export", "--help"])
    for name in EXPORTERS:
        assert name in result.output


def test_export_markdown_is_bilingual(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pipl.md"
    result = runner.invoke(
        cli, ["checklist", "export", "pipl", "--format", "markdown", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 《个人信息保护法》合规就绪检查 / PIPL readiness")
    assert (
        "### `pipl.pia` 个人信息保护影响评估 / Personal information protection impact assessment"
        in text
    )
    assert "**问题**：" in text and "**Question**:" in text
    assert "PIPL Art. 55" in text
    assert "`pia-retention-years >= 3 years`" in text
    assert text.count("### ") == len(load_builtin("pipl").items())


def test_export_needs_a_known_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["checklist", "export", "pipl", "--format", "docx"])
    assert result.exit_code == 2


def test_deon_checklist_imports_and_exports(runner: CliRunner, shared_data: Path) -> None:
    deon = shared_data / "deon" / "checklist.yml"
    result = runner.invoke(cli, ["checklist", "export", str(deon), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output.count("### ") == 21
    assert "`checklist.a-1` （未翻译）Informed consent / Informed consent" in result.output
    assert "deon Art. A.1" in result.output or "deon A.1" in result.output


def test_deon_translation_fills_the_chinese_side(
    runner: CliRunner, shared_data: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load((shared_data / "deon" / "checklist.yml").read_text(encoding="utf-8"))
    data["title"] = "数据科学伦理检查清单"
    for section in data["sections"]:
        section["title"] = f"第 {section['section_id']} 部分"
        for line in section["lines"]:
            line["line_summary"] = f"要点 {line['line_id']}"
            line["line"] = f"问题 {line['line_id']}？"
    zh = tmp_path / "checklist_zh.yml"
    zh.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    deon = shared_data / "deon" / "checklist.yml"
    args = ["checklist", "export", str(deon), "--format", "markdown", "--translation", str(zh)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "未翻译" not in result.output
    assert "**问题**：问题 A.1？" in result.output


def test_deon_file_with_an_empty_field_is_rejected(
    runner: CliRunner, shared_data: Path, tmp_path: Path
) -> None:
    # deon's own pt-BR translation ships with an empty A.4 summary; we refuse such files.
    data = yaml.safe_load((shared_data / "deon" / "checklist.yml").read_text(encoding="utf-8"))
    data["sections"][0]["lines"][3]["line_summary"] = ""
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(cli, ["checklist", "show", str(path)])
    assert result.exit_code == 2
    assert (
        "sections[0].lines[3].line_summary: string should have at least 1 character"
        in result.output
    )


def test_real_subprocess_lists_checklists() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "review", "checklist", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert [row["id"] for row in json.loads(out.stdout)["checklists"]] == list(BUILTIN)
