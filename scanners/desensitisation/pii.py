"""The PII detector as the desensitisation checks use it: text -> (start, end, entity)."""

from __future__ import annotations

from scanners.desensitisation.apply import FreeTextScanner


def free_text_scanner(nlp_model: str | None) -> FreeTextScanner | None:
    """The shared PII detector (scanners.pii), or None while it is not available."""
    del nlp_model
    return None
