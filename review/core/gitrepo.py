"""Read-only questions to git about the folder a review runs in."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_output(folder: Path, *args: str) -> str | None:
    """Stripped stdout of ``git -C folder ARGS``; None when git is missing or fails."""
    try:
        # The reviewed repository's own config must never pick a program to run.
        out = subprocess.run(
            ["git", "-C", str(folder), "-c", "core.fsmonitor=false", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return text if out.returncode == 0 and text else None
