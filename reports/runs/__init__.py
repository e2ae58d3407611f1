"""Runs of the reports: request, retry, the reads of earlier runs, and the one code path
that turns a run's inputs into its PDF, DOCX and XLSX.

A run (``Report``) is made of three ``danvan.GeneratedFile`` jobs, one per format, each
made by the shared task ``danvan.generate_file`` through the generators registered in
``reports.jobs``. Every way of making a report goes through ``report_render`` (one
format) or ``report_files`` (all three from one document): the page's request, the
December schedule (``reports.schedule``) and ``manage.py build_report``. So identical
inputs (``ReportSpec``, whose ``fingerprint`` the run stores) give identical bytes.

Faults: the jobs are sent to the broker after the transaction commits; a broker that
cannot be reached leaves them waiting, recorded, and the run says so (``broker_down``:
the page shows ``BROKER_DOWN``); ``danvan.sweep_generated_files`` sends them later. A job
that fails marks the run failed with its message; ``report_retry`` makes the failed
files again.
"""

from danvan.generation import BROKER_DOWN

from .selectors import report_of, reports_for
from .services import (
    report_file_finished,
    report_request,
    report_retry,
    report_started,
)
from .spec import (
    FORMAT_LABELS,
    RENDERERS,
    ReportSpec,
    report_document,
    report_files,
    report_render,
    report_spec,
)

__all__ = [
    "BROKER_DOWN",
    "FORMAT_LABELS",
    "RENDERERS",
    "ReportSpec",
    "report_document",
    "report_file_finished",
    "report_files",
    "report_of",
    "report_render",
    "report_request",
    "report_retry",
    "report_spec",
    "report_started",
    "reports_for",
]
