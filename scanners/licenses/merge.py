"""One row per package when several inputs list it (a lock file and its environment,
a lock file and an SBOM of the same project)."""

from __future__ import annotations

from review.scanners.licenses.models import Dependency
from review.scanners.licenses.sources.pyenv import canonical


def merge(deps: list[Dependency]) -> list[Dependency]:
    """Merge dependencies naming the same package and version.

    A lock entry that looked its license up in an environment stands for that
    environment's row too (it names the environment among its sources), so the
    environment's row of the same name is dropped. Otherwise rows with the same
    ecosystem, name and version are merged: every source is recorded, the first row
    with license data gives the license, and a package is development-only only when
    every input says so.
    """
    looked_up = {
        (d.ecosystem, canonical(d.name))
        for d in deps
        if len(d.sources) > 1 and d.sources[0] == d.source
    }
    out: dict[tuple[str, str, str], Dependency] = {}
    for dep in deps:
        name = canonical(dep.name)
        if dep.source.startswith("python:") and (dep.ecosystem, name) in looked_up:
            continue
        key = (dep.ecosystem, name, dep.version or "")
        if dep.bundled_in:
            key = (dep.ecosystem, f"{canonical(dep.bundled_in)}/{name}", dep.version or "")
        seen = out.get(key)
        if seen is None:
            out[key] = dep
            continue
        sources = tuple(
            dict.fromkeys([*(seen.sources or (seen.source,)), *(dep.sources or (dep.source,))])
        )
        update: dict[str, object] = {"sources": sources, "dev": seen.dev and dep.dev}
        if seen.license is None and dep.license is not None:
            update.update(license=dep.license, unresolved=None)
        out[key] = seen.model_copy(update=update)
    return list(out.values())
