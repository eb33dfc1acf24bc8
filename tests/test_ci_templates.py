"""The CI templates are valid YAML and call the CLI with options that exist."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from review.cli.main import cli

REPO = Path(__file__).resolve().parent.parent


def test_action_is_a_composite_action_using_real_options(runner: CliRunner) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    script = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    help_text = runner.invoke(cli, ["run", "--help"]).output
    for option in ("--out", "--format", "--fail-on", "--baseline"):
        assert option in script and option in help_text
    for fmt in ("sarif", "junit", "markdown"):
        assert f"--format {fmt}" in script
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    assert any(u.startswith("actions/upload-artifact") for u in uses)


def test_gitlab_snippet_reports_junit() -> None:
    snippet = yaml.safe_load((REPO / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = snippet["review"]
    assert job["artifacts"]["reports"]["junit"] == "review-out/junit.xml"
    assert any("review run" in line for line in job["script"])
