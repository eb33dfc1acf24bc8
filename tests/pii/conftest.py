"""Fixtures of the PII tests."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from review.scanners.pii.engine import build_presidio_analyzer


@pytest.fixture(scope="session")
def presidio() -> AnalyzerEngine:
    """Presidio's own AnalyzerEngine over our recognizers: the reference the fast engine
    must agree with (built once: it takes a second)."""
    return build_presidio_analyzer()
