"""How much of any input the tool reads before it calls the input hostile.

Every reader of user files checks these (``review.core.fsio``, ``review.core.documents``,
``review.scanners.datafiles``); going past one is an input error naming the file, the
place and the limit. They are set in ``[limits]`` of the config (or ``REVIEW_LIMITS__*``
environment variables) and documented in the README's "Limits and hostile input".
"""

from __future__ import annotations

from pydantic import Field

from review.core.config import Section

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30


class Limits(Section):
    """Bounds on what one input may hold; the defaults fit real sample data many times over."""

    file_bytes: int = Field(
        default=2 * GiB, ge=1, description="Largest data file read (streamed), in bytes."
    )
    document_bytes: int = Field(
        default=64 * MiB,
        ge=1,
        description="Largest file read whole (config, answers, baseline, review.json, "
        "key files, certificates, report PDF), in bytes.",
    )
    unpacked_bytes: int = Field(
        default=1 * GiB,
        ge=1,
        description="Largest uncompressed size of a zip-based (.xlsx) or Parquet file "
        "(for Parquet: per row group), in bytes.",
    )
    unpack_ratio: int = Field(
        default=100,
        ge=1,
        description="Largest uncompressed/compressed ratio of an .xlsx member or a Parquet "
        "row group (zip-bomb guard; Apache POI uses the same bound).",
    )
    line_chars: int = Field(
        default=4 * MiB,
        ge=1,
        description="Longest line of a text or JSON Lines file, in characters.",
    )
    cell_chars: int = Field(
        default=1 * MiB,
        ge=1,
        description="Longest single cell, field or JSON string, in characters.",
    )
    columns: int = Field(
        default=10_000,
        ge=1,
        description="Most columns in a table (CSV header, sheet) or fields in one record.",
    )
    depth: int = Field(
        default=100,
        ge=1,
        le=500,
        description="Deepest nesting of JSON, YAML or TOML (arrays and objects).",
    )
    int_digits: int = Field(
        default=4300,
        ge=1,
        le=4300,
        description="Most digits in one integer of JSON, YAML or TOML "
        "(Python's own bound on integer conversion is 4300).",
    )


DEFAULT_LIMITS = Limits()
