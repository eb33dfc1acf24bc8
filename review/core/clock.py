"""The review's notion of "now": SOURCE_DATE_EPOCH when set, for reproducible output."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from review.core.errors import InputError


def now() -> datetime:
    """Current UTC time, or SOURCE_DATE_EPOCH when that is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError("SOURCE_DATE_EPOCH", "must be a whole number of seconds") from None
