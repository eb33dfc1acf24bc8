"""The ``[licenses]`` section of the config."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from review.core.config import ExistingPath, Section
from review.core.models import Severity


class Waiver(Section):
    """A reviewed exception for one package."""

    package: str = Field(min_length=1, description="Package name.")
    justification: str = Field(min_length=1, description="Why this is acceptable.")
    expires: dt.date = Field(description="ISO date after which the waiver stops waiving.")


class LicensesConfig(Section):
    """License conflict detection over dependencies."""

    enabled: bool = True
    lockfiles: list[ExistingPath] = Field(
        default_factory=list, description="requirements*.txt, poetry.lock, uv.lock, package-lock."
    )
    sboms: list[ExistingPath] = Field(
        default_factory=list,
        description="CycloneDX (JSON, XML) or SPDX 2.x (JSON, YAML, tag-value, RDF) SBOMs.",
    )
    policy: Literal["legal", "asf"] = Field(
        default="legal",
        description="'legal': what the licenses allow; 'asf': the Apache Software "
        "Foundation's Category A/B/X policy on top.",
    )
    dev_unresolved_severity: Severity = Field(
        default=Severity.LOW,
        description="Severity of the finding for a development dependency whose license "
        "could not be determined.",
    )
    include_dev: bool = Field(default=False, description="Also judge development dependencies.")
    allow: list[str] = Field(default_factory=list, description="SPDX ids or categories allowed.")
    deny: list[str] = Field(default_factory=list, description="SPDX ids or categories denied.")
    review: list[str] = Field(
        default_factory=list, description="SPDX ids or categories a person must review."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    fail_on_review: bool = Field(default=False, description="Fail the gate on 'review' too.")

    @model_validator(mode="before")
    @classmethod
    def _no_interpreter(cls, data: Any) -> Any:
        # A CI gate reviews pull requests, forks included: a file of the project under
        # review must never choose a program for the tool to run.
        if isinstance(data, dict) and "python" in data:
            raise PydanticCustomError(
                "interpreter_in_config",
                "python: not allowed in a config file (a reviewed project must not choose a "
                "program to run); pass --python or set REVIEW_LICENSES_PYTHON",
            )
        return data
