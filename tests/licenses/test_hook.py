"""The pre-commit hook definition and one real subprocess run of the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "review-licenses"]
    # The hook judges the files the commit changes (pre-commit passes them).
    assert hook.get("pass_filenames", True) is True
    assert hook["entry"] == "review licenses scan"
    files = re.compile(hook["files"])
    for name in (
        "requirements.txt",
        "requirements-dev.txt",
        "sub/pyproject.toml",
        "poetry.lock",
        "uv.lock",
        "web/package-lock.json",
        "sbom.cdx.json",
        "bom.spdx.json",
    ):
        assert files.search(name), name
    for name in ("README.md", "src/app.py", "package.json", "data/users.csv"):
        assert not files.search(name), name


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["GPL-2.0-only", "Apache-2.0", "--distribution", "embedded"], 1),
        (["Apache-2.0", "MIT", "BSD-3-Clause OR GPL-2.0-only"], 0),
        (["MIT", "definitely not spdx"], 2),
    ],
)
def test_compat_as_a_real_process(args: list[str], code: int) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "review", "licenses", "compat", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    if code != 2:
        doc = json.loads(done.stdout)
        assert doc["schema"] == "review.licenses.compat/1"
    else:
        assert done.stdout == ""
        assert done.stderr.startswith("review: error: INBOUND[0]")
