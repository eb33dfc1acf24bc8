"""The GitHub Action's shell steps, run for real with hostile inputs.

Each composite `run:` block of action.yml is executed the way the runner does (bash
--noprofile --norc -eo pipefail), with its `env:` filled in from the inputs. Inputs
carry command substitutions; none may run. `gh` is a stand-in recording its arguments
and keeping the pull request's comments, so the marked-comment logic is tested too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
BIN = Path(sys.executable).parent
HOSTILE_DIR = "$(touch pwned-project)"

FAKE_GH = """#!{python}
import json, sys
from pathlib import Path
state = Path({state!r})
comments = json.loads(state.read_text()) if state.exists() else []
with open({log!r}, "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
if "--paginate" in args:
    # Two pages, as gh prints them: the marker may sit on the second.
    print(json.dumps(comments[:1]))
    print(json.dumps(comments[1:]))
elif "--method" in args:
    body = json.load(open(args[args.index("--input") + 1]))["body"]
    if args[args.index("--method") + 1] == "POST":
        comments.append({{"id": 100 + len(comments), "body": body}})
    else:
        wanted = int(args[-3].rsplit("/", 1)[1])
        for comment in comments:
            if comment["id"] == wanted:
                comment["body"] = body
    state.write_text(json.dumps(comments))
"""


def _step(name: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("name", "").startswith(name))


def test_no_input_is_interpolated_into_a_script() -> None:
    for step in STEPS:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
            assert step["shell"] == "bash"
    uses = [s["uses"] for s in STEPS if "uses" in s]
    for used in uses:
        # Third-party actions pinned by commit (the comment says which release).
        assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", used), used
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    upload = next(s for s in STEPS if s.get("uses", "").startswith("github/codeql-action/"))
    assert upload["continue-on-error"] is True
    assert _step("Comment")["continue-on-error"] is True


class Runner:
    """Runs the action's shell steps in a scratch workspace."""

    def __init__(self, workspace: Path, inputs: dict[str, str]) -> None:
        self.workspace = workspace
        self.inputs = inputs
        self.outputs: dict[str, str] = {}
        self.github = {
            "github.action_path": str(REPO),
            "github.token": "token-not-used",
            "github.repository": "acme/$(touch pwned-repo)",
            "github.event.pull_request.number": "7",
        }
        tools = workspace.parent / "tools"
        tools.mkdir(exist_ok=True)
        self.gh_log = tools / "gh.log"
        self.gh_state = tools / "comments.json"
        gh = tools / "gh"
        gh.write_text(
            FAKE_GH.format(python=sys.executable, state=str(self.gh_state), log=str(self.gh_log)),
            encoding="utf-8",
        )
        gh.chmod(0o755)
        self.path = os.pathsep.join([str(tools), str(BIN), os.environ.get("PATH", "")])

    def context(self) -> dict[str, str]:
        values = {f"inputs.{k}": v for k, v in self.inputs.items()}
        values.update(self.github)
        values.update({f"steps.review.outputs.{k}": v for k, v in self.outputs.items()})
        return values

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        step = _step(name)
        context = self.context()
        env = {
            "PATH": self.path,
            "HOME": str(self.workspace.parent),
            "RUNNER_TEMP": str(self.workspace.parent),
            "GITHUB_OUTPUT": str(self.workspace.parent / "github_output"),
            "GITHUB_STEP_SUMMARY": str(self.workspace.parent / "step_summary"),
            "PIP_NO_INDEX": "1",
            "PIP_DRY_RUN": "1",
            "REVIEW_REPORT__ENABLED": "false",
        }
        for key, value in step.get("env", {}).items():
            env[key] = EXPRESSION.sub(lambda m: context[m.group(1)], str(value))
        Path(env["GITHUB_OUTPUT"]).write_text("", encoding="utf-8")
        script = self.workspace.parent / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        for line in Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            self.outputs[key] = value
        return done


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed")
    root = tmp_path / "workspace"
    project = root / HOSTILE_DIR
    project.mkdir(parents=True)
    (project / "review.toml").write_text(
        '[project]\nname = "hostile"\nlicense = "MIT"\n[checklist]\nchecklists = ["pipl"]\n',
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    return root


def _pwned(root: Path) -> list[Path]:
    return [p for p in root.parent.rglob("pwned*")]


def test_hostile_inputs_are_data_never_commands(workspace: Path) -> None:
    inputs = {
        "project-dir": HOSTILE_DIR,
        "out": "out `touch pwned-out`;touch pwned-out2",
        "fail-on": "",
        "baseline": "",
        "source-root": "",
        "package": "$(touch pwned-package)",
        "python-version": "3.11",
        "upload-sarif": "true",
        "comment": "true",
    }
    runner = Runner(workspace, inputs)
    install = runner.run("Install review")
    assert install.returncode != 0  # pip was asked for a package literally named so
    assert "pwned-package" in install.stderr + install.stdout
    review = runner.run("Run the review")
    assert review.returncode == 0, review.stderr
    assert runner.outputs["code"] == "1" and runner.outputs["verdict"] == "fail"
    out = workspace / inputs["out"]
    sarif = json.loads((out / "review.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for run in sarif["runs"]
        for r in run["results"]
    }
    assert uris == {"%24%28touch%20pwned-project%29/review.toml"}
    assert runner.outputs["sarif"] == f"{inputs['out']}/review.sarif"
    summary = (workspace.parent / "step_summary").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ Review gate: FAIL")

    # The comment is created once, then edited in place, found by its marker.
    assert runner.run("Comment").returncode == 0
    assert runner.run("Comment").returncode == 0
    calls = [json.loads(line) for line in runner.gh_log.read_text().splitlines()]
    methods = [c[c.index("--method") + 1] for c in calls if "--method" in c]
    assert methods == ["POST", "PATCH"]
    assert calls[0][-1] == "repos/acme/$(touch pwned-repo)/issues/7/comments"
    (comment,) = json.loads(runner.gh_state.read_text())
    assert comment["body"].startswith("<!-- review-pipeline summary ")
    assert "Review gate: FAIL" in comment["body"]
    # Another bot's comment last in the thread is left alone.
    comments = json.loads(runner.gh_state.read_text())
    comments.append({"id": 900, "body": "another bot"})
    runner.gh_state.write_text(json.dumps(comments))
    assert runner.run("Comment").returncode == 0
    after = {c["id"]: c["body"] for c in json.loads(runner.gh_state.read_text())}
    assert after[900] == "another bot" and len(after) == 2

    runner.github["github.event.pull_request.number"] = "7$(touch pwned-pr)"
    assert runner.run("Comment").returncode == 0
    gate = runner.run("Gate")
    assert gate.returncode == 1

    runner.inputs["fail-on"] = "high$(touch pwned-failon)"
    rejected = runner.run("Run the review")
    assert rejected.returncode == 2
    assert "fail-on must be one of" in rejected.stdout
    runner.inputs["fail-on"] = ""
    runner.inputs["baseline"] = "`touch pwned-baseline`"
    missing = runner.run("Run the review")
    assert missing.returncode == 0 and runner.outputs["code"] == "2"
    assert "no such baseline file" in missing.stderr
    runner.outputs["code"] = "1; touch pwned-code"
    assert runner.run("Gate").returncode == 3
    assert _pwned(workspace) == []
