"""What the Spark engine needs, and what happens without it; spark-submit runs the CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from review.scanners.datafiles.spark import local_cores
from tests import people
from tests.conftest import REPO

REVIEW = Path(sys.executable).with_name("review")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PYSPARK_PYTHON")}
    env["PATH"] = ""
    return env


def test_pyspark_is_an_extra_the_base_install_does_without() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any("pyspark" in d for d in project["dependencies"])
    assert project["optional-dependencies"]["spark"] == ["pyspark[sql]>=4.0"]


def test_without_pyspark_the_spark_engine_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("phone\n13800138000\n", encoding="utf-8")
    blocked = (
        "import sys; sys.modules['pyspark'] = None; sys.argv[0] = 'review'; "
        "from review.cli.main import main; main()"
    )
    for args in (["pii", "scan", "data.csv"], ["desensitise", "check", "data.csv"]):
        result = _run(
            [sys.executable, "-c", blocked, *args, "--engine", "spark"], tmp_path, _base_env()
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "review: error: the Spark engine needs pyspark: pip install 'review-pipeline[spark]'\n"
        )
    local = _run([sys.executable, "-c", blocked, "pii", "scan", "data.csv"], tmp_path, _base_env())
    assert local.returncode == 1, local.stderr  # the local engine never needs pyspark


def test_without_java_or_with_an_old_one_exit_2(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("phone\n13800138000\n", encoding="utf-8")
    result = _run(
        [str(REVIEW), "pii", "scan", "--engine", "spark", "data.csv"], tmp_path, _base_env()
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "review: error: the Spark engine needs Java 17 or newer: none found "
        "(set JAVA_HOME or put java on PATH)\n"
    )
    old = tmp_path / "jdk" / "bin"
    old.mkdir(parents=True)
    java = old / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    env = _base_env() | {"JAVA_HOME": str(tmp_path / "jdk")}
    result = _run([str(REVIEW), "pii", "scan", "--engine", "spark", "data.csv"], tmp_path, env)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "review: error: the Spark engine needs Java 17 or newer; found Java 11\n"
    )


@pytest.mark.slow
def test_spark_submit_runs_the_cli(tmp_path: Path) -> None:
    pq.write_table(people.people(300, seed=4), tmp_path / "people.parquet")
    main = Path(
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, review; print(os.path.join(os.path.dirname(review.__file__), "
                "'__main__.py'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    env = dict(os.environ) | {
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    result = _run(
        [
            str(Path(sys.executable).with_name("spark-submit")),
            "--master",
            "local[1]",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            str(main),
            "pii",
            "scan",
            "--engine",
            "spark",
            "--format",
            "json",
            "people.parquet",
        ],
        tmp_path,
        env,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    document = json.loads(result.stdout)
    assert document["engine"] == {"name": "spark", "master": "local[1]"}
    assert document["files"][0]["rows_scanned"] == 300


@pytest.mark.parametrize(
    ("master", "cores"),
    [("local", 1), ("local[2]", 2), ("local[3, 4]", 3), ("local[*]", os.cpu_count()), ("yarn", 1)],
)
def test_a_local_master_s_cores_size_its_file_partitions(master: str, cores: int) -> None:
    assert local_cores(master) == cores
