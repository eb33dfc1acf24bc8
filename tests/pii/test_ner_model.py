"""The NER path with a real spaCy pipeline, built here so nothing is downloaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli.main import cli

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def ner_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved English pipeline whose NER is an entity ruler with known names."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ORG", "pattern": "Acme Robotics"},
            {"label": "GPE", "pattern": "Springfield"},
            {"label": "PERSON", "pattern": "Jordan Vale"},
        ]
    )
    target = tmp_path_factory.mktemp("model") / "en_test_ner"
    nlp.to_disk(target)
    return target


def test_named_model_finds_ner_entities(runner: CliRunner, ner_model: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Jordan Vale of Acme Robotics moved to Springfield.\n", encoding="utf-8")
    without = runner.invoke(cli, ["pii", "scan", str(notes), "--format", "json"])
    found_without = {f["entity_type"] for f in json.loads(without.stdout)["findings"]}
    assert "ORGANIZATION" not in found_without and "LOCATION" not in found_without
    with_model = runner.invoke(
        cli, ["pii", "scan", str(notes), "--format", "json", "--nlp-model", str(ner_model)]
    )
    assert with_model.exit_code == 1, with_model.output
    hits = json.loads(with_model.stdout)["findings"]
    found = {f["entity_type"] for f in hits}
    assert {"ORGANIZATION", "LOCATION", "PERSON"} <= found
    assert "Acme Robotics" not in with_model.stdout and "Jordan Vale" not in with_model.stdout


def test_stage_reports_full_ner_coverage_with_a_model(
    runner: CliRunner, demo_project: Path, ner_model: Path, tmp_path: Path
) -> None:
    config = demo_project / "review.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[pii]\n", f"[pii]\nnlp_model = '{ner_model}'\n"), "utf-8")
    result = runner.invoke(cli, ["run", str(demo_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    review = json.loads((tmp_path / "o" / "review.json").read_text(encoding="utf-8"))
    (pii,) = [s for s in review["stages"] if s["stage"] == "pii"]
    assert pii["details"]["ner"] == {"model": str(ner_model), "not_covered": []}
