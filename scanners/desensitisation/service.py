"""File-level entry points shared by the stage and the CLI: verify, apply, suggest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from review.core.errors import InputError
from review.core.fsio import atomic_write
from review.core.limits import DEFAULT_LIMITS, Limits
from review.core.progress import Progress
from review.core.stage import Span, TextScanner
from review.scanners.datafiles import NameGuard
from review.scanners.desensitisation.anonymise import Solution
from review.scanners.desensitisation.apply import (
    Applier,
    Pseudonymiser,
    needs_key,
    refuse_overwrite,
    render,
)
from review.scanners.desensitisation.checks import ResidualHit
from review.scanners.desensitisation.config import ColumnPolicy, DatasetConfig, Thresholds
from review.scanners.desensitisation.details import AnonymisationRecord
from review.scanners.desensitisation.explain import chosen
from review.scanners.desensitisation.names import name_findings
from review.scanners.desensitisation.risk import Population
from review.scanners.desensitisation.table import Table, load_table
from review.scanners.desensitisation.verify import Verification, verify

# How many values per raw column the PII scan samples to decide what a column holds.
ENTITY_SAMPLE = 200
ENTITY_MIN_SHARE = 0.5


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset to verify or produce: files, row key, policy, thresholds."""

    masked: Path
    raw: Path | None = None
    key: str | None = None
    policy: Mapping[str, ColumnPolicy] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    population: int | None = None
    sampling_fraction: float | None = None
    attack_seconds: float = 10.0

    @classmethod
    def from_config(cls, dataset: DatasetConfig, attack_seconds: float = 10.0) -> DatasetSpec:
        return cls(
            dataset.masked,
            dataset.raw,
            dataset.key,
            dataset.columns,
            dataset.thresholds,
            dataset.population,
            dataset.sampling_fraction,
            attack_seconds,
        )

    def population_for(self, records: int) -> Population | None:
        if self.population is not None:
            return Population(self.population)
        if self.sampling_fraction is not None:
            return Population.from_fraction(records, self.sampling_fraction)
        return None


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def find_dataset(
    datasets: Sequence[DatasetConfig],
    *,
    masked: Path | None = None,
    raw: Path | None = None,
    source: str | None = None,
) -> DatasetConfig | None:
    """The configured dataset whose masked (or raw) file, or masked Spark source, is given."""
    for dataset in datasets:
        if source is not None and dataset.masked_source == source:
            return dataset
        if masked is not None and _same(dataset.masked, masked):
            return dataset
        if raw is not None and dataset.raw is not None and _same(dataset.raw, raw):
            return dataset
    return None


# Tables repeat their values (categories, codes, bands): each distinct cell is analysed
# once per run. Values stay in memory only.
_MEMO_CELLS = 100_000


def memoised(scanner: TextScanner) -> TextScanner:
    """``scanner`` remembering its answer for each distinct text (up to a bound)."""
    seen: dict[str, list[Span]] = {}

    def scan(text: str) -> list[Span]:
        found = seen.get(text)
        if found is None:
            found = scanner(text)
            if len(seen) < _MEMO_CELLS:
                seen[text] = found
        return found

    return scan


def column_entities(raw: Table, scanner: TextScanner) -> dict[str, str]:
    """What each raw column holds: the entity most sampled values are wholly made of."""
    found: dict[str, str] = {}
    for name in raw.columns:
        values = [v for v in raw.column(name) if v.strip()][:ENTITY_SAMPLE]
        if not values:
            continue
        votes: Counter[str] = Counter()
        for value in values:
            text = value.strip()
            covering = {e for s, end, e in scanner(text) if (end - s) * 5 >= len(text) * 4}
            votes.update(covering)
        if votes:
            entity, count = min(votes.items(), key=lambda item: (-item[1], item[0]))
            if count >= ENTITY_MIN_SHARE * len(values):
                found[name] = entity
    return found


def scan_residual(
    masked: Table,
    policy: Mapping[str, ColumnPolicy],
    scanner: TextScanner,
    progress: Progress,
) -> list[ResidualHit]:
    """PII hits left in the masked file (the detector reports no masked value)."""
    columns = [
        c
        for c in masked.columns
        if (p := policy.get(c)) is None or p.role not in ("quasi", "sensitive")
    ]
    hits: list[ResidualHit] = []
    if not columns:
        return hits  # every column is a declared quasi-identifier or sensitive attribute
    for i in progress.track(range(len(masked)), "desensitisation: PII scan", len(masked)):
        for name in columns:
            value = masked.column(name)[i]
            if not value.strip():
                continue
            for start, end, entity in scanner(value):
                hits.append(ResidualHit(i, name, entity, start, end, value[start:end]))
    return hits


def verify_spec(
    spec: DatasetSpec,
    *,
    display: Callable[[Path], str],
    scanner: TextScanner | None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Verification:
    """Load the dataset's files and run every check (names holding personal data are
    masked from the reader on, and those of the masked file are findings)."""
    scanner = memoised(scanner) if scanner is not None else None
    if not spec.masked.exists():
        raise InputError(display(spec.masked), "no such file")
    names = NameGuard(scanner) if scanner is not None else None
    masked = load_table(spec.masked, display(spec.masked), names, limits)
    in_names = dict(names.hits) if names is not None else {}
    raw_names = NameGuard(scanner) if scanner is not None else None
    raw = (
        load_table(spec.raw, display(spec.raw), raw_names, limits) if spec.raw is not None else None
    )
    entities = column_entities(raw, scanner) if raw is not None and scanner else {}
    residual = (
        scan_residual(masked, spec.policy, scanner, progress or Progress()) if scanner else []
    )
    hints = [spec.masked.stem, *masked.columns]
    if spec.raw is not None:
        hints.append(spec.raw.stem)
    result = verify(
        masked,
        spec.policy,
        spec.thresholds,
        raw=raw,
        key=spec.key,
        entities=entities,
        residual=residual,
        population=spec.population_for(len(masked)),
        analyzer=scanner,
        attack_seconds=spec.attack_seconds,
        hints=hints,
    )
    if not in_names:
        return result
    return replace(result, findings=(*result.findings, *name_findings(masked.source, in_names)))


def anonymisation_details(solution: Solution, rows: int) -> AnonymisationRecord:
    """What the lattice search chose and what it cost, for the details and the output."""
    suppressed = int(solution.suppressed.sum())
    return AnonymisationRecord(
        levels=dict(solution.levels),
        suppressed=suppressed,
        suppression_rate=round(suppressed / rows, 6) if rows else 0.0,
        ncp=round(solution.ncp, 6),
        discernibility=solution.discernibility,
        nodes=solution.nodes,
        feasible=solution.feasible,
    )


def apply_spec(
    spec: DatasetSpec,
    out: Path,
    *,
    key: bytes | None,
    display: Callable[[Path], str],
    scanner: TextScanner | None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Verification:
    """Desensitise ``spec.raw`` into ``out`` under the policy, then verify ``out``."""
    scanner = memoised(scanner) if scanner is not None else None
    if spec.raw is None:
        raise InputError(None, "apply needs the raw file")
    refuse_overwrite(spec.raw, out)
    if needs_key(spec.policy) and key is None:
        raise InputError(None, "the policy hashes or pseudonymises columns: a key is needed")
    raw = load_table(spec.raw, display(spec.raw), NameGuard(scanner) if scanner else None, limits)
    applier = Applier(spec.policy, Pseudonymiser(key) if key else None, scanner)
    columns, data, solution = applier.apply(raw, spec.thresholds)
    atomic_write(out, render(out, columns, data))
    # Rows keep their order, so the check matches them by position (the key may be dropped).
    produced = replace(spec, masked=out, key=None)
    result = verify_spec(
        produced, display=display, scanner=scanner, progress=progress, limits=limits
    )
    if solution is None:
        return result
    return result.with_anonymisation(
        anonymisation_details(solution, len(raw)), chosen(solution, len(raw))
    )
