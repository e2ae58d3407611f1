"""Benchmark of the December report's renderers, without a database.

Builds a synthetic ``ReportDocument`` (``reports.renderers.sample``) with 3,000 annex rows
and renders it to PDF, DOCX and XLSX, each format in a fresh process, and prints the wall
time, the CPU time and the peak memory (RSS, from ``getrusage``: WeasyPrint's memory is
mostly in C, which ``tracemalloc`` does not see). For the PDF, the peak is the larger of
the parent process and the biggest child process that printed a part.

    .venv/bin/python bench/report_documents.py [--rows 3000] [--formats pdf,docx,xlsx]

Targets (issue 10, two cores): PDF ≤ 20 s and ≤ 600 MB, DOCX ≤ 10 s, XLSX ≤ 5 s.
Figures are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Templates and static files only: the renderers need nothing else."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            BASE_DIR=ROOT,
            INSTALLED_APPS=["django.contrib.staticfiles"],
            STATIC_URL="/static/",
            STATICFILES_DIRS=[ROOT / "static"],
            TEMPLATES=[
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "DIRS": [ROOT / "templates"],
                }
            ],
            LANGUAGE_CODE="vi",
            USE_I18N=True,
            USE_TZ=True,
        )
    django.setup()


def measure(fmt: str, rows: int, out: Path | None) -> dict:
    """Render one format in this process; the figures as a dict."""
    setup_django()
    import logging

    logging.disable(logging.INFO)
    from reports.renderers import render_docx, render_pdf, render_xlsx
    from reports.renderers.sample import sample_document

    render = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}[fmt]
    document = sample_document(rows)
    wall, cpu = time.perf_counter(), time.process_time()
    name, _content_type, content = render(document)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    return {
        "format": fmt,
        "rows": rows,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu + children.ru_utime + children.ru_stime, 2),
        "peak_mb": round(max(own.ru_maxrss, children.ru_maxrss) / 1024),
        "parent_peak_mb": round(own.ru_maxrss / 1024),
        "size_kb": round(len(content) / 1024),
        "sha256": hashlib.sha256(content).hexdigest()[:16],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--formats", default="pdf,docx,xlsx")
    parser.add_argument("--out", type=Path, help="write the files there")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one format, print JSON
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.one:
        print(json.dumps(measure(args.one, args.rows, args.out)))
        return
    print(f"{'format':6} {'rows':>5} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'size KB':>8}")
    for fmt in args.formats.split(","):
        command = [sys.executable, __file__, "--one", fmt, "--rows", str(args.rows)]
        if args.out:
            command += ["--out", str(args.out)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{fmt:6} {result['rows']:>5} {result['seconds']:>7} {result['cpu_seconds']:>7}"
            f" {result['peak_mb']:>8} {result['size_kb']:>8}  sha256 {result['sha256']}"
        )


if __name__ == "__main__":
    main()
