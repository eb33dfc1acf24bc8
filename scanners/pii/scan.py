"""Scanning data files: per-cell / per-line hits, per-column classification, categories.

Tables are classified per column from the values (hit ratio and scores) and the header
(passed to the recognizers as context words, and mapped to sensitive categories).
Each column keeps a bounded cache of values already analysed. Once a sample shows a
column holds one entity per whole value, later values are first checked against that
entity and the more specific ones only. Once a value's shape (its characters replaced by
their classes) has been seen in the column (amounts, order numbers, timestamps, codes),
it runs only what can match that shape (``FastAnalyzer.shape_analyzer``). All shortcuts
give exactly the hits the full analysis would (see ``ColumnScanner``).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from review.core.clock import now
from review.core.errors import InputError
from review.core.fsio import display_path
from review.core.limits import DEFAULT_LIMITS, Limits
from review.core.masking import mask
from review.core.progress import Progress
from review.core.stage import Span
from review.scanners.datafiles import FORMATS, Dataset, NameGuard, open_dataset
from review.scanners.pii.categories import is_age_header, is_birth_header
from review.scanners.pii.engine import NER_ENTITIES, FastAnalyzer, PiiHit, build_fast_analyzer
from review.scanners.pii.recognizers import ENTITY_TYPES
from review.scanners.pii.results import CellHit, FileResult, NameResult, ScanReport
from review.scanners.pii.tally import (
    FIRST_LOCATIONS,
    ColumnTally,
    EntityTally,
    TableTally,
    TextTally,
    table_result,
    text_result,
)

SAMPLE_CELLS = 50
"""Non-empty values per column analysed in full before the column shortcut may start."""

SHORTCUT_SHARE = 0.9
"""Share of sampled values that must be exactly one whole-value hit of one entity."""

CACHE_LIMIT = 4096
"""Distinct values remembered per column (the cache is cleared when full: bounded memory)."""

T = TypeVar("T")

_INDEX = re.compile(r"\[\d+\]")
_RANK = {entity: i for i, entity in enumerate(ENTITY_TYPES)}


def normalise_column(column: str) -> str:
    """Column key for classification: list indices collapse (``items[*].phone``)."""
    return _INDEX.sub("[*]", column)


class ColumnScanner:
    """Analyses one column's values with a bounded value cache and the column shortcut.

    The shortcut is exact: when a value is one whole-value hit of the column's entity E
    on the entities ranked at or above E, every other hit the full analysis could add
    would overlap that hit and lose to it (overlaps go to the higher-ranked entity), so
    the full analysis would return the same single hit.
    """

    def __init__(self, analyzer: FastAnalyzer, column: str, entities: frozenset[str] | None):
        self.analyzer = analyzer
        self.context = (column.lower(),)
        self.entities = entities
        self.cache: dict[str, list[PiiHit]] = {}
        self.sampled = 0
        self.whole: Counter[str] = Counter()
        self.shortcut: str | None = None
        self.shortcut_entities: frozenset[str] = frozenset()
        self._primary: Callable[[str], list[PiiHit]] | None = None
        self.shapes: set[str] = set()
        self._shaped = analyzer.shape_analyzer(entities, self.context)

    def analyze(self, value: str) -> list[PiiHit]:
        cached = self.cache.get(value)
        if cached is not None:
            return cached
        hits = self._shortcut(value) if self.shortcut else None
        if hits is None:
            # A shape seen before in this column is planned once and then cheap; a shape
            # seen once (free text) gets the full analysis and costs no plan.
            shape = self.analyzer.shape(value)
            if shape in self.shapes:
                hits = self._shaped(value, shape)
            else:
                hits = self.analyzer.analyze(value, self.entities, self.context)
                if len(self.shapes) >= CACHE_LIMIT:
                    self.shapes.clear()
                self.shapes.add(shape)
            if self.sampled < SAMPLE_CELLS:
                self._learn(value, hits)
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[value] = hits
        return hits

    def _whole(self, value: str, hits: list[PiiHit]) -> str | None:
        if len(hits) != 1:
            return None
        hit = hits[0]
        stripped = value.strip()
        lead = len(value) - len(value.lstrip())
        return hit.entity_type if (hit.start, hit.end) == (lead, lead + len(stripped)) else None

    def _learn(self, value: str, hits: list[PiiHit]) -> None:
        self.sampled += 1
        entity = self._whole(value, hits)
        if entity:
            self.whole[entity] += 1
        if self.sampled == SAMPLE_CELLS and self.whole:
            best, count = self.whole.most_common(1)[0]
            if count >= SHORTCUT_SHARE * SAMPLE_CELLS:
                self.shortcut = best
                allowed = {e for e in ENTITY_TYPES if _RANK[e] <= _RANK[best]}
                if self.entities is not None:
                    allowed &= set(self.entities)
                self.shortcut_entities = frozenset(allowed)
                self._primary = self.analyzer.primary_analyzer(
                    self.shortcut_entities, self.context, best
                )

    def _shortcut(self, value: str) -> list[PiiHit] | None:
        assert self._primary is not None
        hits = self._primary(value)
        return hits if self._whole(value, hits) == self.shortcut else None


def _matches(rel: str, globs: Collection[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


class _Stopped:
    """Where reading a file stopped early: the error, kept for the file's result."""

    def __init__(self) -> None:
        self.error: InputError | None = None

    def until_error(self, items: Iterable[T]) -> Iterator[T]:
        try:
            yield from items
        except InputError as exc:
            self.error = exc

    def attempt(self, read: Callable[[], T], default: T, strict: bool) -> T:
        """``read()``; unless ``strict``, an InputError is kept and ``default`` returned."""
        if strict:
            return read()
        try:
            return read()
        except InputError as exc:
            self.error = exc
            return default

    def items(self, read: Callable[[], Iterable[T]], strict: bool) -> Iterable[T]:
        """``read()``'s items; unless ``strict``, up to the first InputError (kept)."""
        if strict:
            return read()
        if self.error is not None:
            return ()
        return self.until_error(read())


@dataclass(frozen=True)
class DataFiles:
    """The files a scan reads, and those met in folders that it cannot read."""

    files: tuple[Path, ...]
    unknown: tuple[Path, ...] = ()
    """Files in a folder whose format is unknown (not excluded): reported, never skipped
    silently."""
    empty: tuple[Path, ...] = ()
    """Folders holding nothing to read."""


def collect_data_files(
    paths: Iterable[Path], include: Collection[str] = (), exclude: Collection[str] = ()
) -> DataFiles:
    """Files to scan: given files, and files under given directories (recursive, sorted),
    filtered by include/exclude globs matched against the path relative to the directory.

    In a folder, anything but a folder (special files included: the reader refuses them
    by name) is read when its suffix is a known format or it matches ``include``;
    files of other formats are listed as ``unknown`` unless ``exclude`` names them."""
    files: list[Path] = []
    unknown: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputError(path, "no such file or directory")
        if not path.is_dir():
            if not any(fnmatch.fnmatch(path.name, g) for g in exclude):
                files.append(path)
            continue
        before = len(files) + len(unknown)
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path).as_posix()
            if child.is_dir() or any(part.startswith(".") for part in Path(rel).parts):
                continue
            if _matches(rel, exclude):
                continue
            if include:
                if _matches(rel, include):
                    files.append(child)
            elif child.suffix.lower() in FORMATS:
                files.append(child)
            else:
                unknown.append(child)
        if len(files) + len(unknown) == before:
            empty.append(path)
    return DataFiles(tuple(files), tuple(unknown), tuple(empty))


def iter_data_files(
    paths: Iterable[Path], include: Collection[str] = (), exclude: Collection[str] = ()
) -> Iterator[Path]:
    """The files ``collect_data_files`` would read."""
    yield from collect_data_files(paths, include, exclude).files


UNKNOWN_FORMAT = "unknown format, not read (exclude it, or include it to read it as text)"
EMPTY_FOLDER = "folder holds no file to read"


def _age_from_id(value: str, today: dt.date) -> int | None:
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _age_value(value: str, today: dt.date, birth: bool) -> int | None:
    text = value.strip()
    if not birth:
        return int(text) if text.isdigit() and len(text) <= 3 else None
    match = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
    if not match:
        return None
    try:
        born = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def not_covered(nlp_model: str | None, entities: Collection[str] | None) -> tuple[str, ...]:
    """Entities looked for that only a NER model finds, when there is none."""
    missing = () if nlp_model else tuple(e for e in NER_ENTITIES if e != "PERSON")
    return tuple(e for e in missing if entities is None or e in entities)


def name_results(shown: str, hits: Mapping[str, tuple[str, ...]]) -> tuple[NameResult, ...]:
    """Personal data in a file's name and in the names read from it (``NameGuard.hits``)."""
    by_kind: dict[tuple[str, str], list[str]] = {}
    for name, entities in hits.items():
        kind = "file" if name == shown else "column"
        for entity in entities:
            by_kind.setdefault((kind, entity), []).append(name)
    return tuple(
        NameResult(shown, kind, entity, tuple(names))
        for (kind, entity), names in sorted(by_kind.items())
    )


class Scanner:
    """Scans files with one analyzer; cell/line hits go to ``on_hit`` as they are found."""

    def __init__(
        self,
        *,
        entities: Collection[str] | None = None,
        nlp_model: str | None = None,
        on_hit: Callable[[CellHit], None] | None = None,
        progress: Progress | None = None,
        base: Path | None = None,
        analyzer: FastAnalyzer | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.entities = frozenset(entities) if entities else None
        self.nlp_model = nlp_model
        self.analyzer = analyzer or build_fast_analyzer(nlp_model)
        self.on_hit = on_hit
        self.progress = progress or Progress()
        self.base = base or Path.cwd()
        self.today = now().date()
        self.limits = limits
        self.names = NameGuard(self._name_spans)

    def _name_spans(self, text: str) -> list[Span]:
        return [(h.start, h.end, h.entity_type) for h in self.analyzer.analyze(text)]

    def shown(self, path: Path) -> str:
        """How a file is named in results: relative to the base, personal data masked."""
        return self.names.path(display_path(path, self.base))

    def scan(self, paths: Iterable[Path], strict: bool) -> ScanReport:
        """Scan every file; ``strict``: a bad file raises InputError, else it is recorded
        with what was read of it before the error."""
        files = []
        totals: Counter[str] = Counter()
        for path in paths:
            # Reset first: the file's own name is one of the names it may show.
            self.names.hits = {}
            shown = self.shown(path)
            try:
                result = self.scan_file(path, shown, totals, strict)
            except InputError as exc:
                if strict:
                    raise
                result = FileResult(shown, "unknown", 0, None, error=exc.problem)
            files.append(replace(result, names=name_results(shown, self.names.hits)))
        return ScanReport(
            tuple(files),
            dict(sorted(totals.items())),
            self.nlp_model,
            not_covered(self.nlp_model, self.entities),
        )

    def scan_file(
        self, path: Path, shown: str, totals: Counter[str], strict: bool = True
    ) -> FileResult:
        dataset = open_dataset(path, self.limits, self.names)
        stopped = _Stopped()
        if dataset.kind == "text":
            result = self._scan_text(dataset, shown, totals, stopped, strict)
        else:
            result = self._scan_table(dataset, shown, totals, stopped, strict)
        if stopped.error is not None:
            return replace(result, error=stopped.error.problem)
        return result

    def _scan_text(
        self, dataset: Dataset, shown: str, totals: Counter[str], stopped: _Stopped, strict: bool
    ) -> FileResult:
        tallier = TextTallier(self.analyzer, self.entities, shown, self.on_hit)
        items = stopped.items(dataset.iter_lines, strict)
        tallier.add_lines(self.progress.track(items, f"pii {shown}"))
        totals.update(tallier.tally.totals)
        return text_result(shown, tallier.tally, dataset.encoding)

    def _scan_table(
        self, dataset: Dataset, shown: str, totals: Counter[str], stopped: _Stopped, strict: bool
    ) -> FileResult:
        no_names: list[str] = []
        names = stopped.attempt(lambda: dataset.columns, no_names, strict)
        tallier = TableTallier(self.analyzer, self.entities, self.today, shown, self.on_hit, names)
        items = stopped.items(dataset.iter_rows, strict)
        tallier.add_rows(self.progress.track(items, f"pii {shown}"))
        totals.update(tallier.tally.totals)
        return table_result(shown, tallier.tally, dataset.encoding)


class TextTallier:
    """The scan core for text: lines in, a ``TextTally`` out (cell hits to ``on_hit``)."""

    def __init__(
        self,
        analyzer: FastAnalyzer,
        entities: frozenset[str] | None,
        shown: str = "",
        on_hit: Callable[[CellHit], None] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.entities = entities
        self.shown = shown
        self.on_hit = on_hit
        self.tally = TextTally()

    def add_lines(self, lines: Iterable[tuple[int, str]]) -> None:
        """Scan ``(line_number, line)`` pairs, numbered from 1 within this run."""
        found = self.tally.entities
        totals = self.tally.totals
        for number, line in lines:
            self.tally.lines = number
            for hit in self.analyzer.analyze(line, self.entities):
                entry = found.get(hit.entity_type)
                if entry is None:
                    entry = found[hit.entity_type] = EntityTally()
                entry.count += 1
                if len(entry.first) < FIRST_LOCATIONS and number not in entry.first:
                    entry.first.append(number)
                if not entry.evidence:
                    entry.evidence = mask(line[hit.start : hit.end], hit.entity_type)
                totals[hit.entity_type] += 1
                if self.on_hit is not None:
                    masked = mask(line[hit.start : hit.end], hit.entity_type)
                    self.on_hit(
                        CellHit(
                            self.shown,
                            number,
                            None,
                            hit.entity_type,
                            hit.start,
                            hit.end,
                            hit.score,
                            masked,
                        )
                    )


class TableTallier:
    """The scan core for tables: rows in, a ``TableTally`` out (cell hits to ``on_hit``).

    Both engines run it: the single-process scan over a whole file, Spark executors over
    each partition's record batches (``review.scanners.pii.spark``).
    """

    def __init__(
        self,
        analyzer: FastAnalyzer,
        entities: frozenset[str] | None,
        today: dt.date,
        shown: str = "",
        on_hit: Callable[[CellHit], None] | None = None,
        columns: Iterable[str] = (),
    ) -> None:
        self.analyzer = analyzer
        self.entities = entities
        self.today = today
        self.shown = shown
        self.on_hit = on_hit
        self.tally = TableTally(order=dict.fromkeys(normalise_column(c) for c in columns))
        self.scanners: dict[str, ColumnScanner] = {}
        self.age_columns: dict[str, bool | None] = {}
        self.keys: dict[str, str] = {}
        # A resident ID born before this year belongs to someone at least 14 years old.
        self.adult_year = str(today.year - 15)

    def add_rows(self, rows: Iterable[tuple[int, Mapping[str, str]]]) -> None:
        """Scan ``(row, {column: value})`` pairs, numbered from 1 within this run."""
        tally = self.tally
        scanners, stats, order = self.scanners, tally.columns, tally.order
        totals = tally.totals
        age_columns, keys = self.age_columns, self.keys
        shown, on_hit, today, adult_year = self.shown, self.on_hit, self.today, self.adult_year
        for row, record in rows:
            tally.rows = row
            for column, value in record.items():
                if not value or value.isspace():
                    continue
                key = keys.get(column)
                if key is None:
                    key = keys[column] = normalise_column(column)
                scanner = scanners.get(key)
                if scanner is None:
                    scanner = scanners[key] = ColumnScanner(self.analyzer, key, self.entities)
                    order.setdefault(key, None)
                    stats.setdefault(key, ColumnTally())
                    age_columns[key] = (
                        False if is_age_header(key) else True if is_birth_header(key) else None
                    )
                column_stats = stats[key]
                column_stats.filled += 1
                hits = scanner.analyze(value)
                if hits:
                    found = column_stats.entities
                    seen: set[str] = set()
                    for hit in hits:
                        entity = hit.entity_type
                        totals[entity] += 1
                        if on_hit is not None:
                            start, end, _, score = hit
                            masked = mask(value[start:end], entity)
                            on_hit(CellHit(shown, row, column, entity, start, end, score, masked))
                        if entity in seen:
                            continue
                        seen.add(entity)
                        entry = found.get(entity)
                        if entry is None:
                            entry = found[entity] = EntityTally()
                        entry.count += 1
                        entry.scores[hit.score] += 1
                        if len(entry.first) < FIRST_LOCATIONS:
                            entry.first.append(row)
                        if not entry.evidence:
                            entry.evidence = mask(value[hit.start : hit.end], entity)
                        if entity == "CN_RESIDENT_ID":
                            resident_id = value[hit.start : hit.end]
                            if resident_id[6:10] < adult_year:
                                continue
                            age = _age_from_id(resident_id, today)
                            if age is not None and age < 14:
                                column_stats.minors += 1
                birth = age_columns[key]
                if birth is not None:
                    age = _age_value(value, today, birth)
                    if age is not None and 0 <= age < 14:
                        column_stats.minors += 1


def scan_paths(
    paths: Iterable[Path],
    *,
    entities: Collection[str] | None = None,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    nlp_model: str | None = None,
    on_hit: Callable[[CellHit], None] | None = None,
    progress: Progress | None = None,
    base: Path | None = None,
    strict: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> ScanReport:
    """Scan files and directories for PII; see ``Scanner``. ``strict``: a file that
    cannot be read in full, of unknown format or an empty folder is an InputError."""
    found = collect_data_files(paths, include, exclude)
    if strict and found.unknown:
        raise InputError(found.unknown[0], UNKNOWN_FORMAT)
    if strict and found.empty:
        raise InputError(found.empty[0], EMPTY_FOLDER)
    scanner = Scanner(
        entities=entities,
        nlp_model=nlp_model,
        on_hit=on_hit,
        progress=progress,
        base=base,
        limits=limits,
    )
    return scanner.scan(found.files, strict=strict)
