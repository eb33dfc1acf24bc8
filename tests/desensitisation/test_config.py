"""The desensitisation config section: shapes and rules are checked while loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.config import load_config
from review.core.errors import ConfigError

BASE = '[[desensitisation.datasets]]\nmasked = "m.csv"\n[desensitisation.datasets.columns]\n'


@pytest.mark.parametrize(
    ("column", "problem"),
    [
        ('p = { action = "mask" }', "action 'mask' needs a shape"),
        ('p = { action = "mask", shape = "3-4" }', "invalid mask shape"),
        ('p = { action = "keep", shape = "3*4" }', "shape applies only to action 'mask'"),
        ('p = { action = "generalise" }', "action 'generalise' needs either a rule"),
        ('p = { action = "generalise", rule = "zip:3" }', "unknown generalisation rule 'zip'"),
        ('p = { action = "hash", rule = "prefix:3" }', "rule applies only to action 'generalise'"),
        ('p = { action = "blur" }', "desensitisation.datasets[0].columns.p.action"),
    ],
)
def test_bad_policy_is_a_config_error(tmp_path: Path, column: str, problem: str) -> None:
    (tmp_path / "review.toml").write_text(BASE + column + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert problem in str(err.value)
    assert str(err.value).startswith(str(tmp_path / "review.toml"))


def test_demo_policy_loads() -> None:
    demo = Path(__file__).resolve().parents[2] / "examples" / "demo"
    (dataset,) = load_config(demo).config.desensitisation.datasets
    assert dataset.columns["身份证号"].shape == "6*4"
    assert dataset.key == "customer_id"
