"""The CI templates: valid against SchemaStore, pinned, and their scripts safe to run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from review.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
GITLAB = yaml.safe_load((REPO / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", "action.yml"),
        ("vendor.gitlab-ci", "ci/gitlab-ci.yml"),
    ],
)
def test_templates_pass_their_schemastore_schemas(schema: str, path: str) -> None:
    checker = BIN / "check-jsonschema"
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed")
    done = subprocess.run(
        [str(checker), "--builtin-schema", schema, str(REPO / path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_calls_options_that_exist(runner: CliRunner) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    script = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    help_text = runner.invoke(cli, ["run", "--help"]).output
    for option in ("--out", "--format", "--fail-on", "--baseline", "--source-root"):
        assert option in script and option in help_text
    for fmt in ("sarif", "junit", "markdown"):
        assert f"--format {fmt}" in script
    apt = next(s["run"] for s in action["runs"]["steps"] if "apt-get install" in s.get("run", ""))
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-wqy-microhei"):
        assert package in apt
    setup = next(s for s in action["runs"]["steps"] if "setup-python" in s.get("uses", ""))
    assert setup["with"]["cache"] == "pip"


def test_gitlab_template_for_merge_requests_with_code_quality() -> None:
    job = GITLAB["review"]
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in job["rules"]
    reports = job["artifacts"]["reports"]
    assert reports == {
        "junit": "review-out/junit.xml",
        "codequality": "review-out/gl-code-quality-report.json",
    }
    assert ".cache/pip" in job["cache"]["paths"]
    setup = " ".join(job["before_script"])
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-wqy-microhei"):
        assert package in setup
    # Installed from the repository at the release tag this checkout is.
    spec = job["variables"]["REVIEW_PIP_SPEC"]
    assert spec.endswith(f"@v{VERSION}") and "git+" in spec
    assert re.fullmatch(r"python:\d+\.\d+-slim-\w+", job["image"])


def test_readme_uses_the_release_tag() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    revs = re.findall(r"rev: (v[\w.]+)", readme)
    assert revs and set(revs) == {f"v{VERSION}"}
    assert f"review-pipeline@v{VERSION}" in readme


FAKE_CURL = """#!{python}
import json, sys
from pathlib import Path
state = Path({state!r})
notes = json.loads(state.read_text()) if state.exists() else []
with open({log!r}, "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
url = args[-1]
if "--request" not in args:
    page = int(url.rsplit("page=", 1)[1])
    print(json.dumps(notes[(page - 1) * 1 : page * 1]))  # one note a page
else:
    body = json.loads(Path(args[args.index("--data") + 1][1:]).read_text())["body"]
    if args[args.index("--request") + 1] == "POST":
        notes.append({{"id": 500 + len(notes), "body": body}})
    else:
        wanted = int(url.rsplit("/", 1)[1])
        for note in notes:
            if note["id"] == wanted:
                note["body"] = body
    state.write_text(json.dumps(notes))
"""


def _gitlab_script(step: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = cwd.parent / "job.sh"
    script.write_text(step, encoding="utf-8")
    return subprocess.run(
        ["sh", "-e", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_gitlab_script_treats_variables_as_data(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("sh") is None:
        pytest.skip("git and sh are needed")
    work = tmp_path / "build"
    project = work / "$(touch pwned-project)"
    project.mkdir(parents=True)
    (project / "review.toml").write_text('[project]\nlicense = "MIT"\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(work)], check=True, capture_output=True)
    tools = tmp_path / "tools"
    tools.mkdir()
    state, log = tools / "notes.json", tools / "curl.log"
    state.write_text(json.dumps([{"id": 1, "body": "another bot"}]))
    curl = tools / "curl"
    curl.write_text(FAKE_CURL.format(python=sys.executable, state=str(state), log=str(log)))
    curl.chmod(0o755)
    env: dict[str, Any] = {
        "PATH": f"{tools}:{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "REVIEW_REPORT__ENABLED": "false",
        **{k: str(v) for k, v in GITLAB["review"]["variables"].items()},
    }
    env["REVIEW_PROJECT_DIR"] = "$(touch pwned-project)"
    env.update(
        {
            "REVIEW_GITLAB_TOKEN": "token;touch pwned-token",
            "CI_MERGE_REQUEST_IID": "3",
            "CI_API_V4_URL": "https://gitlab.invalid/api/v4",
            "CI_PROJECT_ID": "9$(touch pwned-id)",
        }
    )
    run, note, gate = GITLAB["review"]["script"]
    done = _gitlab_script(run, work, env)
    assert done.returncode == 0, done.stderr
    assert (work / "review-out" / "gl-code-quality-report.json").is_file()
    for _ in range(2):
        posted = _gitlab_script(note, work, env)
        assert posted.returncode == 0, posted.stderr
    notes = json.loads(state.read_text())
    assert [n["id"] for n in notes] == [1, 501]
    assert notes[0]["body"] == "another bot"
    assert notes[1]["body"].startswith("<!-- review-pipeline summary ")
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert any("PRIVATE-TOKEN: token;touch pwned-token" in c for c in calls)
    assert _gitlab_script(gate, work, env).returncode == 1
    env["REVIEW_FAIL_ON"] = "high;touch pwned-failon"
    assert _gitlab_script(run, work, env).returncode == 2
    assert list(tmp_path.rglob("pwned*")) == []
