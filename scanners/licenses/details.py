"""The ``licenses`` stage's result in review.json."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from review.core.config import Distribution
from review.core.models import Frozen, StageResult
from review.scanners.licenses.models import PackageReport


class VerdictCounts(Frozen):
    """Packages per verdict."""

    ok: int = Field(default=0, description="Packages whose license is fine to use.")
    review: int = Field(default=0, description="Packages a person must decide on.")
    conflict: int = Field(
        default=0, description="Packages whose license conflicts with the project's."
    )


class SpdxCoverage(Frozen):
    """How many packages have a valid SPDX expression."""

    packages: int = Field(default=0, description="All packages.")
    valid_spdx: int = Field(default=0, description="Packages with a valid SPDX expression.")


class DependencyCycle(Frozen):
    """One cycle in an input's dependency graph (reported once)."""

    input: str = Field(description="The lock file or SBOM whose graph has the cycle.")
    packages: tuple[str, ...] = Field(description="The packages in the cycle, sorted.")


class LicensesDetails(Frozen):
    """Every package judged, with the totals the report and the checklist show."""

    outbound: str = Field(description="The project's own license (SPDX).")
    outbound_origin: str = Field(
        default="", description="Where the project's license was read (--license, a file)."
    )
    policy: Literal["legal", "asf"] = Field(
        default="legal", description="legal | asf (the ASF's Category A/B/X policy on top)."
    )
    distribution: Distribution = Field(description="internal | saas | distributed | embedded.")
    counts: VerdictCounts = Field(default_factory=VerdictCounts, description="Per verdict.")
    categories: dict[str, int] = Field(
        default_factory=dict, description="Packages per license category."
    )
    spdx_coverage: SpdxCoverage = Field(
        default_factory=SpdxCoverage, description="Packages with a valid SPDX expression."
    )
    cycles: tuple[DependencyCycle, ...] = Field(
        default=(), description="Dependency cycles found in the inputs, each once."
    )
    packages: tuple[PackageReport, ...] = Field(default=(), description="One row per package.")


class LicensesResult(StageResult):
    """The licenses stage's result."""

    stage: Literal["licenses"] = "licenses"
    details: LicensesDetails = Field(description="Packages and verdicts.")
