"""The ``[checklist]`` section of the config, with the product facts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from review.core.config import ExistingPath, Section

Flag = bool | None
AutoFlag = bool | Literal["auto"]


class ProductContext(Section):
    """Facts about the product that decide which checklist items apply (unset = unknown)."""

    generative_ai: Flag = Field(default=None, description="Generates text, images, audio or video.")
    public_opinion: Flag = Field(
        default=None, description="Has public-opinion attributes or social mobilisation capacity."
    )
    transfer_out_of_cn: Flag = Field(
        default=None, description="Personal information collected in China leaves China."
    )
    transfer_out_of_eu: Flag = Field(
        default=None, description="Personal data leaves the EU/EEA to a third country."
    )
    eu_data_subjects: Flag = Field(
        default=None, description="Processes personal data of people in the EU (GDPR Art. 3)."
    )
    sensitive_pi: AutoFlag = Field(
        default="auto",
        description="Processes sensitive PI (PIPL Art. 28); 'auto' asks the pii stage.",
    )
    special_category: AutoFlag = Field(
        default="auto",
        description="Processes GDPR Art. 9 special categories; 'auto' asks the pii stage.",
    )
    automated_decisions: Flag = Field(
        default=None, description="Makes automated decisions that affect individuals."
    )
    minors: Flag = Field(default=None, description="Serves or processes data of minors.")
    high_risk_ai: Flag = Field(
        default=None, description="High-risk AI system under EU AI Act Art. 6 / Annex III."
    )
    entrusted_processing: Flag = Field(
        default=None, description="Entrusts processing to vendors (processors)."
    )
    large_scale: Flag = Field(default=None, description="Processes personal data on a large scale.")


class ChecklistConfig(Section):
    """Checklists and the team's answers."""

    enabled: bool = True
    checklists: list[str] = Field(
        default_factory=lambda: ["ai-ethics"], description="Checklist ids to run."
    )
    answers: ExistingPath | None = Field(default=None, description="Answers file (YAML).")
    context: ProductContext = Field(
        default_factory=ProductContext, description="Product facts for applicability conditions."
    )
