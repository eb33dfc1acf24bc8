"""JSON with comments (JSONC): editor settings, tsconfig.json and the like.

Such files are named ``.json`` but hold ``//`` and ``/* */`` comments and trailing
commas, which JSON forbids. They are read by blanking those out (inside strings nothing
changes, and line breaks are kept so line numbers stay right) and parsing the rest.
"""

from __future__ import annotations


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def relax(text: str) -> str | None:
    """``text`` with comments and trailing commas blanked; None when it has neither."""
    chars = list(text)
    changed = False
    i, n = 0, len(text)
    in_string = False
    last_comma = -1  # a comma not yet followed by anything but blanks and comments
    while i < n:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            last_comma = -1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            _blank(chars, i, end)
            changed, i = True, end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            _blank(chars, i, end)
            changed, i = True, end
            continue
        elif c == ",":
            last_comma = i
        elif c in "]}":
            if last_comma >= 0:
                chars[last_comma] = " "
                changed = True
            last_comma = -1
        elif not c.isspace():
            last_comma = -1
        i += 1
    return "".join(chars) if changed else None
