"""The ``--engine`` options the scan commands share, and the ``[spark]`` settings they make."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from review.config import LoadedConfig
from review.core.config import SparkConfig
from review.core.errors import ConfigError
from review.core.validation import field_path, first_problem

F = TypeVar("F", bound=Callable[..., Any])

ENGINE_OPTIONS = (
    click.option(
        "--engine",
        type=click.Choice(["local", "spark"]),
        default="local",
        show_default=True,
        help="Run in this process, or on Apache Spark ([spark] in the config).",
    ),
    click.option("--spark-master", help="Spark master URL (overrides [spark] master)."),
    click.option(
        "--spark-conf",
        multiple=True,
        metavar="KEY=VALUE",
        help="Extra Spark setting (repeatable; added to [spark] conf).",
    ),
    click.option(
        "--sample-fraction",
        type=click.FloatRange(0, 1, min_open=True),
        help="Spark: scan a random share of the rows.",
    ),
    click.option(
        "--sample-rows", type=click.IntRange(min=1), help="Spark: scan N rows of each partition."
    ),
)


def engine_options(command: F) -> F:
    """Add the engine options to a command."""
    for option in reversed(ENGINE_OPTIONS):
        command = option(command)
    return command


def _conf_pairs(values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                f"expected KEY=VALUE, got {value!r}", param_hint="--spark-conf"
            )
        pairs[key.strip()] = setting
    return pairs


def spark_settings(
    loaded: LoadedConfig,
    master: str | None,
    conf: tuple[str, ...],
    fraction: float | None,
    rows: int | None,
) -> SparkConfig:
    """``[spark]`` from the config with the command line's settings on top."""
    if fraction is not None and rows is not None:
        raise click.UsageError("give --sample-fraction or --sample-rows, not both")
    data = loaded.config.spark.model_dump()
    if master is not None:
        data["master"] = master
    data["conf"] = {**data["conf"], **_conf_pairs(conf)}
    if fraction is not None or rows is not None:
        seed = data["sample"]["seed"] if data["sample"] else 0
        data["sample"] = {"fraction": fraction, "rows_per_partition": rows, "seed": seed}
    try:
        return SparkConfig.model_validate(data)
    except ValidationError as exc:
        loc, message = first_problem(exc)
        source = loaded.source or Path("command line")
        raise ConfigError(source, f"{field_path(('spark', *loc))}: {message}") from None
