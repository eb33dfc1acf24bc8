"""Rendering a large review (300 dependencies, 150 checklist items, 50 PII columns).

Target: the whole report step (HTML, PDF/A-3b with review.json attached, signature)
takes at most 10 s. Baseline, measured in the same run: the same pipeline on a
demo-sized review (16 dependencies, 12 checklist items, 6 PII columns).

    .venv/bin/python benchmarks/report_render.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyhanko.pdf_utils.reader import PdfFileReader

from review.reports.produce import write_report
from review.reports.signing import make_demo_key
from tests.report.sample import build_sample

TARGET_SECONDS = 10.0


def measure(packages: int, items: int, columns: int, folder: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one signed render, and the PDF's page count."""
    review = build_sample(
        packages=packages, checklist_items=items, pii_columns=columns, signoffs=True
    ).review
    raw = review.to_json().encode("utf-8")
    key = make_demo_key("benchmark")
    wall, cpu = time.perf_counter(), time.process_time()
    written = write_report(review, raw, folder / f"r{packages}.pdf", lang="bilingual", key=key)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    reader = PdfFileReader(io.BytesIO(written.pdf.read_bytes()), strict=False)
    return wall, cpu, int(reader.root["/Pages"]["/Count"])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(16, 12, 6, folder)  # warm-up: fontconfig and Pango caches
        base_wall, base_cpu, base_pages = measure(16, 12, 6, folder)
        wall, cpu, pages = measure(300, 150, 50, folder)
    print(f"baseline  demo-sized review : {base_wall:6.2f} s wall, {base_cpu:6.2f} s CPU")
    print(f"large     300/150/50 review : {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    print(f"ratio large / baseline      : {wall / base_wall:6.2f}x wall, {cpu / base_cpu:.2f}x CPU")
    print(f"ratio large / 10 s target   : {wall / TARGET_SECONDS:6.2f} (<= 1.00 meets it)")
    print(f"pages                       : baseline {base_pages}, large {pages}")


if __name__ == "__main__":
    main()
