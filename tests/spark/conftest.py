"""One local Spark session (``local[2]``) for the whole test run, on loopback only.

The Spark tests are part of the suite: ``scripts/setup --test`` installs the ``spark``
extra and CI machines have Java 17, so a missing pyspark or Java fails them rather than
skipping them. The session uses Spark's in-memory catalog with its warehouse in a
temporary directory (a Hive metastore would need Derby files and seconds of start-up for
nothing these tests check: tables are stored Hive-style either way).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from review.core.config import SparkConfig
from review.scanners.datafiles.spark import spark_session

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MASTER = "local[2]"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All Spark tests on one xdist worker: one JVM, not one per worker on 2 cores."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("spark"))


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    config = SparkConfig(
        master=MASTER,
        app_name="review-pipeline-tests",
        conf={
            "spark.sql.warehouse.dir": str(warehouse),
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            # Tests read small files: let Spark split them into several partitions,
            # so row numbers are checked across partition boundaries.
            "spark.sql.files.maxPartitionBytes": "16k",
            "spark.sql.files.openCostInBytes": "1k",
            # The split sizes above decide the partitions, not eight per core (tiny
            # files in many partitions would only add tasks).
            "spark.sql.files.minPartitionNum": "2",
        },
    )
    session = spark_session(config)
    yield session
    session.stop()


@pytest.fixture
def spark_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory as the working directory (CLI paths are relative)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
