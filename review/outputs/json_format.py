"""review.json: the contract other tools read."""

from __future__ import annotations

from review.models import Review
from review.outputs.interface import OutputFormat


class JsonFormat(OutputFormat):
    name = "json"
    filename = "review.json"
    description = "the review record (schema review/1)"

    def render(self, review: Review) -> str:
        return review.to_json()
