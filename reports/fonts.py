"""Finding a CJK font through fontconfig, so Chinese is drawn with real glyphs.

WeasyPrint silently draws boxes ("tofu") when no installed font covers a character, and
``pdftotext`` still extracts the characters, so a missing font would go unnoticed. The
report therefore refuses to render without a Chinese-capable font.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from review.core.errors import InputError

HOW_TO_GET_ONE = (
    "no CJK (Chinese) font found by fontconfig (`fc-list :lang=zh` is empty); install one, "
    "e.g. `sudo apt-get install fonts-wqy-microhei` (Debian/Ubuntu, or run scripts/setup), "
    "`sudo dnf install wqy-microhei-fonts`, or `brew install --cask font-noto-sans-cjk-sc`, "
    "then render again"
)

# Families known to render Simplified Chinese well, most preferred first; any other
# family fontconfig reports for :lang=zh is used when none of these is installed.
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


@dataclass(frozen=True)
class CjkFont:
    """A Chinese-capable font family and the file fontconfig has for it."""

    family: str
    file: str
    index: int


def _fc_list() -> list[tuple[str, str, int]]:
    if shutil.which("fc-list") is None:
        raise InputError("fontconfig", "fc-list not found: " + HOW_TO_GET_ONE)
    out = subprocess.run(
        ["fc-list", ":lang=zh", "family", "file", "index"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    fonts = []
    for line in out.stdout.splitlines():
        # "path: Family,Alias:index=0" — the family list is comma separated.
        path, _, rest = line.partition(": ")
        families, _, index = rest.partition(":index=")
        if not path or not families:
            continue
        family = families.split(",")[0].strip()
        fonts.append((family, path.strip(), int(index or 0)))
    return sorted(fonts)


def find_cjk_font() -> CjkFont:
    """The best installed Chinese font; InputError with install advice when there is none."""
    fonts = _fc_list()
    if not fonts:
        raise InputError("fontconfig", HOW_TO_GET_ONE)
    by_family = {family: (path, index) for family, path, index in fonts}
    for family in PREFERRED:
        if family in by_family:
            path, index = by_family[family]
            return CjkFont(family, path, index)
    family, path, index = fonts[0]
    return CjkFont(family, path, index)
