"""One run's outputs are a set (locked, swapped in whole), crash files hold no input,
unread input never passes, and names holding personal data are masked in every output."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli
from review.core.errors import InputError
from review.core.outset import LOCK_NAME, STAGING_PREFIX, OutputSet
from tests.hostile.corpus import SEED_EMAIL, SEED_ID, SEED_NAME, SEED_PHONE
from tests.report.conftest import pdf_text

MASKED_EMAIL = "s***@" + SEED_EMAIL.rpartition("@")[2]
"""How the seeded address is shown: first letter and domain kept."""

MANAGED = {"review.json", "report.pdf", "summary.md"}


def _project(root: Path, data: Mapping[str, str | bytes], extra: str = "") -> Path:
    project = root / "p"
    for name, content in data.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    (project / "review.toml").write_text(
        '[checklist]\nenabled = false\n[pii]\npaths = ["data"]\n' + extra, encoding="utf-8"
    )
    return project


def test_a_second_run_on_a_locked_out_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    project = _project(tmp_path, {"data/a.csv": "a\n1\n"})
    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK_NAME).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(cli, ["run", str(project), "--out", str(out)])
    assert result.exit_code == 2
    assert "another review run is writing its outputs here" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (out / "review.json").exists()
    released = runner.invoke(cli, ["run", str(project), "--out", str(out)])
    assert released.exit_code == 0 and (out / "review.json").exists()


def test_a_run_replaces_the_previous_set_whole(runner: CliRunner, tmp_path: Path) -> None:
    project = _project(tmp_path, {"data/a.csv": "a\n1\n"})
    out = tmp_path / "out"
    first = runner.invoke(cli, ["run", str(project), "--out", str(out), "--format", "markdown"])
    assert first.exit_code == 0 and (out / "summary.md").exists()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    second = runner.invoke(cli, ["run", str(project), "--out", str(out)])
    assert second.exit_code == 0
    # The first run's summary.md must not sit beside the second run's review.json.
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME, "notes.txt", "review.json"]


def test_a_commit_cut_short_never_leaves_review_json_beside_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in MANAGED:
        (out / name).write_text("old", encoding="utf-8")
    moved: list[str] = []
    real_replace = Path.replace

    def dying_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if moved:  # killed after the first file moved in
            raise KeyboardInterrupt
        moved.append(self.name)
        return real_replace(self, target)

    with pytest.raises(KeyboardInterrupt), OutputSet(out, MANAGED, last="review.json") as outputs:
        for name in MANAGED:
            (outputs.staging / name).write_text("new", encoding="utf-8")
        monkeypatch.setattr(Path, "replace", dying_replace)
        outputs.commit()
    monkeypatch.undo()
    left = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.name in MANAGED}
    assert "review.json" not in left  # the old one went first; the new one comes last
    assert not list(out.glob(f"{STAGING_PREFIX}*"))
    with OutputSet(out, MANAGED, last="review.json") as outputs:
        (outputs.staging / "review.json").write_text("newer", encoding="utf-8")
        outputs.commit()
    assert {p.name for p in out.iterdir() if p.name in MANAGED} == {"review.json"}


def test_a_killed_runs_staging_folder_is_cleared(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / f"{STAGING_PREFIX}dead"
    stale.mkdir(parents=True)
    (stale / "review.json").write_text("half", encoding="utf-8")
    with OutputSet(out, MANAGED, last="review.json"):
        assert not stale.exists()


def test_out_naming_a_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"), OutputSet(tmp_path / "out", MANAGED, "x"):
        pass


def test_crash_file_holds_no_input(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError(f"cannot convert {SEED_PHONE!r} in {SEED_EMAIL}")

    monkeypatch.setattr("review.cli.pii.scan_paths", explode)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    data = tmp_path / f"{SEED_ID}.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    result = runner.invoke(cli, ["pii", "scan", str(data)])
    assert result.exit_code == 3
    crashes = list(tmp_path.glob("review-crash-*.txt"))
    assert len(crashes) == 1
    text = crashes[0].read_text(encoding="utf-8")
    assert "builtins.ValueError" in text and "explode" in text
    for seed in (SEED_PHONE, SEED_EMAIL, SEED_ID):
        assert seed not in text and seed not in result.output


def test_review_run_never_passes_unread_input(runner: CliRunner, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    project = _project(tmp_path, {"data/ok.csv": "a\n1\n", "data/customers.dat": "x"})
    config = project / "review.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'paths = ["data"]', f'paths = ["data", "{tmp_path / "pipe.csv"}", "/dev/zero"]'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["run", str(project), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "PASS" not in result.stdout
    assert result.stdout.count("NOT READ IN FULL") == 3
    assert "3 个输入未能完整读取" in result.stdout
    assert "data/ok.csv  1 rows" in result.stdout  # every input listed with rows read


@pytest.mark.report_step
def test_names_holding_personal_data_are_masked_in_every_output(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = {
        f"data/{SEED_NAME}_{SEED_PHONE}.csv": f"{SEED_NAME} {SEED_PHONE},id\n1,{SEED_ID}\n",
        "data/keys.json": f'{{"{SEED_EMAIL}": {{"note": "x"}}}}',
        # E-mail evidence must stop at the address: the phone after it never rides along.
        "data/contacts.csv": f"contact\n{SEED_EMAIL} {SEED_PHONE}\n",
    }
    project = _project(tmp_path, data)
    out = tmp_path / "out"
    args = ["run", str(project), "--out", str(out), "--lang", "bilingual"]
    result = runner.invoke(
        cli, [*args, "--format", "sarif", "--format", "junit", "--format", "markdown"]
    )
    assert result.exit_code == 1, result.output
    written = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"review.json", "report.html", "report.pdf", "review.sarif", "summary.md"} <= set(
        written
    )
    extracted = b""  # the PDF's streams are compressed: grep the text poppler extracts
    if shutil.which("pdftotext") is not None:
        extracted = pdf_text(out / "report.pdf").encode()
        assert MASKED_EMAIL in extracted.decode()
    outputs = [*written.items(), ("report.pdf text", extracted), ("stdout", result.output.encode())]
    for name, content in outputs:
        for seed in (SEED_NAME, SEED_PHONE, SEED_EMAIL, SEED_ID):
            assert seed.encode() not in content, f"{seed} in {name}"
    review = written["review.json"].decode()
    assert "col[*** 139****5678]" in review and "pii.name.cn_mobile_phone" in review
    assert "***_139****5678.csv" in review
    assert f'"{MASKED_EMAIL}"' in review and '"139****5678"' in review


def test_summary_md_escapes_project_and_lock_file_fields(runner: CliRunner, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {hostile: "1"}},
            f"node_modules/{hostile}": {
                "version": "1.0.0<script>alert(2)</script>",
                "license": "<script>alert(3)</script>",
            },
        },
    }
    project = tmp_path / "p"
    project.mkdir()
    (project / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    (project / "review.toml").write_text(
        '[project]\nname = "<script>alert(0)</script> [x](http://evil.example)"\n'
        'license = "MIT"\n[checklist]\nenabled = false\n'
        '[licenses]\nlockfiles = ["package-lock.json"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(project), "--out", str(out), "--format", "markdown"])
    assert result.exit_code in (0, 1), result.output
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in summary  # the package is listed, inert
    assert "&lt;script&gt;alert(0)&lt;/script&gt; \\[x\\](http://evil.example)" in summary
    assert "<img" not in summary and "<script" not in summary
    assert not re.search(r"(?<!\\)\]\(", summary), "an active Markdown link"


def _run_process(project: Path, out: Path, *extra: str, report: bool) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVIEW_")}
    env |= {"SOURCE_DATE_EPOCH": "1767225600", "NO_COLOR": "1"}
    env["REVIEW_REPORT__ENABLED"] = "true" if report else "false"
    return subprocess.Popen(
        [sys.executable, "-m", "review", "run", str(project), "--out", str(out), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    """Freeze ``process`` (SIGSTOP) as soon as ``ready()``; fail if it ends first."""
    deadline = time.monotonic() + 300
    while not ready():
        assert process.poll() is None, f"ended first: {process.communicate()[1][-800:]}"
        assert time.monotonic() < deadline, "never got there"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGSTOP)


def test_two_real_runs_on_one_out_never_mix(tmp_path: Path) -> None:
    project = _project(tmp_path, {"data/a.csv": "a\n1\n"})
    out = tmp_path / "out"
    first = _run_process(project, out, "--format", "markdown", report=False)
    _stop_when(first, lambda: any(out.glob(f"{STAGING_PREFIX}*")))  # holding the lock
    try:
        second = _run_process(project, out, report=False)
        _, err = second.communicate(timeout=300)
        assert second.returncode == 2, err
        assert err.splitlines() == [
            f"review: error: {out}: another review run is writing its outputs here (locked); "
            "wait for it to finish or give another --out"
        ]
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert {p.name for p in out.iterdir()} == {LOCK_NAME, "review.json", "summary.md"}


def test_a_run_killed_after_writing_review_json_leaves_the_previous_set(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, {"data/a.csv": "a\n1\n"})
    out = tmp_path / "out"
    previous = _run_process(project, out, report=True)
    assert previous.wait(timeout=600) == 0, previous.communicate()[1]
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"review.json", "report.pdf"} <= set(before)
    (project / "data" / "b.csv").write_text(f"phone\n{SEED_PHONE}\n", encoding="utf-8")
    killed = _run_process(project, out, "--format", "markdown", report=True)
    # Its review.json is written; the report is being rendered: kill -9 now.
    _stop_when(killed, lambda: any(out.glob(f"{STAGING_PREFIX}*/review.json")))
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # the previous run's set, whole: no new review.json beside it
