"""Orchestration: config -> stages -> Review -> gate. No CLI, no rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from review import __version__
from review.baseline import Baseline, apply_baseline
from review.checklists.stage import ChecklistStage
from review.config import LoadedConfig, ReviewConfig
from review.core.clock import now
from review.core.config import Language, Section
from review.core.errors import InputError
from review.core.fsio import display_path, sha256_file
from review.core.gitrepo import git_output
from review.core.models import InputFile, Metadata, SkippedStage, StageResult
from review.core.progress import Progress
from review.core.stage import Stage, StageContext
from review.gate import decide
from review.locate import Sources, locate
from review.record import AnyStageResult, Review
from review.scanners.desensitisation.stage import DesensitisationStage
from review.scanners.licenses.stage import LicensesStage
from review.scanners.pii.detect import find_spans
from review.scanners.pii.stage import PiiStage

# The closed registry of stages, in run order; each name is also its config section. The
# checklist stage runs last because it answers items from the other stages' statements.
STAGES: dict[str, Stage[Any, Any]] = {
    "pii": PiiStage(),
    "desensitisation": DesensitisationStage(),
    "licenses": LicensesStage(),
    "checklist": ChecklistStage(),
}


def stage_section(config: ReviewConfig, name: str) -> Section:
    """The config section a stage owns (a test checks every stage has one)."""
    section = getattr(config, name)
    assert isinstance(section, Section)
    return section


def stage_context(
    loaded: LoadedConfig,
    *,
    progress: Progress | None = None,
    previous: Mapping[str, StageResult] | None = None,
    shown_paths: dict[str, Path] | None = None,
) -> StageContext:
    """What a stage sees of the loaded config and the results before it."""
    config = loaded.config
    return StageContext(
        project_dir=loaded.project_dir,
        config_source=loaded.source,
        project=config.project,
        gate=config.gate,
        reviewers=config.reviewer_records(),
        lang=config.report.lang,
        progress=progress or Progress(),
        previous=dict(previous or {}),
        find_pii=find_spans,
        spark=config.spark,
        limits=config.limits,
        shown_paths={} if shown_paths is None else shown_paths,
    )


def sources_of(loaded: LoadedConfig) -> Sources:
    """The files a review's findings are located in (for lines and SARIF)."""
    return Sources(
        base=loaded.project_dir,
        config=loaded.source,
        answers=loaded.config.checklist.answers,
    )


def git_commit(project_dir: Path) -> str | None:
    """HEAD commit of the repository holding ``project_dir``, if any."""
    commit = git_output(project_dir, "rev-parse", "HEAD")
    return commit if commit is not None and len(commit) == 40 else None


def build_manifest(
    loaded: LoadedConfig,
    results: Sequence[StageResult],
    shown_paths: Mapping[str, Path] | None = None,
) -> tuple[InputFile, ...]:
    """Hash every input file: the config and everything the stages read.

    ``shown_paths``: the real files behind inputs whose shown names are masked."""
    paths: dict[str, Path] = {}
    if loaded.source is not None:
        paths[display_path(loaded.source, loaded.project_dir)] = loaded.source
    for result in results:
        for name in result.inputs:
            real = (shown_paths or {}).get(name)
            if real is not None:
                paths[name] = real
                continue
            path = Path(name)
            if not path.is_absolute():
                path = loaded.project_dir / path
            paths[display_path(path, loaded.project_dir)] = path
    entries = []
    for shown in sorted(paths):
        try:
            digest, size = sha256_file(paths[shown])
        except InputError:
            # A stage reports an input it could not read (StageResult.reads), and the
            # gate fails on it; the manifest lists what could be hashed.
            if paths[shown] == loaded.source:
                raise
            continue
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
    results: dict[str, AnyStageResult] = {}
    skipped: list[SkippedStage] = []
    shown_paths: dict[str, Path] = {}
    for name, stage in STAGES.items():
        if stages is not None and name not in stages:
            continue
        section = stage_section(config, name)
        reason = stage.skip_reason(section)
        if reason is not None:
            skipped.append(SkippedStage(stage=name, reason=reason))
            continue
        context = stage_context(
            loaded, progress=progress, previous=results, shown_paths=shown_paths
        )
        results[name] = stage.run(section, context)
    ordered = locate(list(results.values()), sources_of(loaded))
    status = None
    if baseline is not None:
        ordered, status = apply_baseline(baseline[0], ordered, baseline[1])
    metadata = Metadata(
        project=loaded.project_name,
        project_version=config.project.version,
        commit=git_commit(loaded.project_dir),
        tool_version=__version__,
        started=started,
        finished=now(),
        language=language,
    )
    return Review(
        metadata=metadata,
        manifest=build_manifest(loaded, ordered, shown_paths),
        stages=tuple(ordered),
        skipped=tuple(skipped),
        gate=decide(ordered, config.gate, status),
        reviewers=config.reviewer_records(),
    )
