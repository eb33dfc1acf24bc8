"""Data the license scan passes around: dependencies, their license data and verdicts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field

from review.core.models import Acceptance, Frozen

Ecosystem = Literal["pypi", "npm", "generic"]


class LicenseData(Frozen):
    """Everything a source says about a dependency's license, unnormalised."""

    expression: str | None = Field(
        default=None,
        description="An SPDX expression as declared (PEP 639 License-Expression, npm license, "
        "CycloneDX expression, SPDX licenseConcluded/licenseDeclared).",
    )
    expression_label: str = Field(
        default="License-Expression", description="Where the expression was declared."
    )
    ids: tuple[str, ...] = Field(default=(), description="Declared SPDX ids (all apply).")
    names: tuple[str, ...] = Field(default=(), description="Declared license names (free text).")
    classifiers: tuple[str, ...] = Field(default=(), description="'License ::' classifiers.")
    field: str | None = Field(default=None, description="The free-text License metadata field.")
    files: tuple[Path, ...] = Field(default=(), description="License files to identify by text.")


class Dependency(Frozen):
    """One resolved dependency as a source reports it."""

    name: str = Field(description="Package name as the ecosystem spells it.")
    version: str | None = Field(default=None, description="Resolved version.")
    ecosystem: Ecosystem = Field(description="pypi | npm | generic.")
    source: str = Field(description="Where it was found (file, or 'python:<interpreter>').")
    sources: tuple[str, ...] = Field(
        default=(), description="Every input that lists it, when several do (merged)."
    )
    dev: bool = Field(default=False, description="Only needed for development.")
    path: tuple[str, ...] = Field(
        default=(), description="Dependency path from the project to this package."
    )
    license: LicenseData | None = Field(
        default=None, description="License data; None when the source carries none."
    )
    unresolved: str | None = Field(
        default=None, description="Why the license could not be looked up, if so."
    )
    bundled_in: str | None = Field(
        default=None, description="The package whose wheel vendors this native library."
    )


class Resolution(Frozen):
    """A dependency's license as an SPDX expression, and where that answer came from."""

    spdx: str | None = Field(description="Valid SPDX expression, or None when unresolved.")
    evidence: str = Field(description="Where the answer came from, e.g. 'classifier'.")
    confidence: float = Field(ge=0, le=1, description="1.0 for declarations, less for text.")
    problem: str | None = Field(default=None, description="Why it is unresolved, if it is.")


class Verdict(StrEnum):
    """Outcome for one dependency, ordered from best to worst."""

    OK = "ok"
    REVIEW = "review"
    CONFLICT = "conflict"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


class Obligation(StrEnum):
    """What using the dependency obliges the project to do."""

    NOTICE = "notice"
    SOURCE_OFFER = "source-offer"
    NETWORK_SOURCE_OFFER = "network-source-offer"


class Decision(Frozen):
    """The engine's answer for one inbound license expression."""

    verdict: Verdict = Field(description="ok | review | conflict.")
    rule: str = Field(description="The rule that decided it.")
    reason: str = Field(description="Why, in one English sentence.")
    obligations: tuple[Obligation, ...] = Field(default=(), description="Obligations left.")
    category: str = Field(description="Category of the license that decided it.")
    choices: tuple[str, ...] = Field(
        default=(), description="Choices made among OR options / later versions, recorded."
    )


class PackageReport(Frozen):
    """One row of the scan: the contract of ``details.packages[]`` (docs/stage-details.md)."""

    name: str = Field(description="Package name.")
    version: str | None = Field(description="Resolved version, if known.")
    ecosystem: Ecosystem = Field(description="pypi | npm | generic.")
    source: str = Field(description="Input it came from (file, or 'python:<interpreter>').")
    sources: tuple[str, ...] = Field(
        default=(), description="Every input that lists it (a lock file and the environment)."
    )
    bundled_in: str | None = Field(
        default=None, description="The package whose wheel vendors this native library."
    )
    dev: bool = Field(description="Only needed for development.")
    spdx: str | None = Field(description="Valid SPDX expression, or None when unresolved.")
    evidence: str = Field(description="Where the SPDX answer came from.")
    confidence: float = Field(description="1.0 for declarations, less for text matches.")
    category: str = Field(description="License category of the deciding license.")
    verdict: Verdict = Field(description="ok | review | conflict.")
    rule: str = Field(description="The rule that decided the verdict.")
    reason: str = Field(description="Why, in one English sentence.")
    obligations: tuple[Obligation, ...] = Field(description="Obligations left.")
    choices: tuple[str, ...] = Field(description="OR options / later versions picked.")
    path: tuple[str, ...] = Field(description="Dependency path from the project.")
    waiver: Acceptance | None = Field(
        default=None,
        description="The waiver covering a verdict that is not ok (source 'waiver'); "
        "an expired one is kept, marked expired, and no longer waives.",
    )
