"""Orchestration: config -> stages -> Review -> gate. No CLI, no rendering."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from review import __version__
from review.baseline import Baseline, match_baseline
from review.checklists.stage import ChecklistStage
from review.clock import now
from review.config import Language, LoadedConfig
from review.fsio import sha256_file
from review.gate import decide
from review.models import InputFile, Metadata, Review, StageResult
from review.progress import Progress
from review.scanners.desensitisation.stage import DesensitisationStage
from review.scanners.licenses.stage import LicensesStage
from review.scanners.pii.stage import PiiStage
from review.stage import Stage, StageContext, display_path

# The closed registry of stages, in run order. The checklist stage runs last because
# it answers items from the other stages' results. A stage is listed here only once
# it really exists.
STAGES: dict[str, type[Stage]] = {
    "pii": PiiStage,
    "desensitisation": DesensitisationStage,
    "licenses": LicensesStage,
    "checklist": ChecklistStage,
}


def git_commit(project_dir: Path) -> str | None:
    """HEAD commit of the repository holding ``project_dir``, if any."""
    try:
        out = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def build_manifest(loaded: LoadedConfig, results: Sequence[StageResult]) -> tuple[InputFile, ...]:
    """Hash every input file: the config and everything the stages read."""
    paths: dict[str, Path] = {}
    if loaded.source is not None:
        paths[display_path(loaded.source, loaded.project_dir)] = loaded.source
    for result in results:
        for name in result.inputs:
            path = Path(name)
            if not path.is_absolute():
                path = loaded.project_dir / path
            paths[display_path(path, loaded.project_dir)] = path
    entries = []
    for shown in sorted(paths):
        digest, size = sha256_file(paths[shown])
        entries.append(InputFile(path=shown, sha256=digest, size=size))
    return tuple(entries)


def run_review(
    loaded: LoadedConfig,
    *,
    progress: Progress | None = None,
    stages: Sequence[str] | None = None,
    baseline: tuple[Baseline, str] | None = None,
) -> Review:
    """Run the enabled stages over the project and decide the gate."""
    config = loaded.config
    language: Language = config.report.lang
    started = now()
    results: dict[str, StageResult] = {}
    for name, stage_cls in STAGES.items():
        if stages is not None and name not in stages:
            continue
        stage = stage_cls()
        if not stage.applies(config):
            continue
        context = StageContext(
            loaded=loaded,
            lang=language,
            progress=progress or Progress(),
            previous=dict(results),
        )
        results[name] = stage.run(context)
    ordered = tuple(results.values())
    metadata = Metadata(
        project=loaded.project_name,
        project_version=config.project.version,
        commit=git_commit(loaded.project_dir),
        tool_version=__version__,
        started=started,
        finished=now(),
        language=language,
    )
    gate = decide(ordered, config.gate)
    if baseline is not None:
        status = match_baseline(baseline[0], ordered, gate.reasons, baseline[1])
        gate = decide(ordered, config.gate, status)
    return Review(
        metadata=metadata,
        manifest=build_manifest(loaded, ordered),
        stages=ordered,
        gate=gate,
        reviewers=tuple(config.reviewers),
    )
