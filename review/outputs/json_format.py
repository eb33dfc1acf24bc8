"""review.json: the contract other tools read."""

from __future__ import annotations

from review.outputs.interface import OutputFormat
from review.record import Review


class JsonFormat(OutputFormat):
    name = "json"
    filename = "review.json"
    description = "the review record (schema review/1)"

    def render(self, review: Review) -> str:
        return review.to_json()
