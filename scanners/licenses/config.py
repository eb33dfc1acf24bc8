"""The ``[licenses]`` section of the config."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from review.core.config import ExistingPath, ProjectPath, Section


class Waiver(Section):
    """A reviewed exception for one package."""

    package: str = Field(min_length=1, description="Package name.")
    justification: str = Field(min_length=1, description="Why this is acceptable.")
    expires: dt.date = Field(description="ISO date after which the waiver stops waiving.")


class LicensesConfig(Section):
    """License conflict detection over dependencies."""

    enabled: bool = True
    python: ProjectPath | None = Field(
        default=None, description="Interpreter of the environment to inspect."
    )
    lockfiles: list[ExistingPath] = Field(
        default_factory=list, description="requirements*.txt, poetry.lock, uv.lock, package-lock."
    )
    sboms: list[ExistingPath] = Field(
        default_factory=list, description="CycloneDX or SPDX JSON SBOMs."
    )
    include_dev: bool = Field(default=False, description="Also judge development dependencies.")
    allow: list[str] = Field(default_factory=list, description="SPDX ids or categories allowed.")
    deny: list[str] = Field(default_factory=list, description="SPDX ids or categories denied.")
    review: list[str] = Field(
        default_factory=list, description="SPDX ids or categories a person must review."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    fail_on_review: bool = Field(default=False, description="Fail the gate on 'review' too.")
