"""The Celery app of the worker that tests/faults/test_worker_killed.py starts and kills:
the project's app, with every generator made slow once the worker is ready — it marks its
progress, then sleeps ``FAULTS_SLOW_S`` seconds (default 0) before making the file, so
that the test can kill the worker while a file is being made. Nothing in the project reads
the variable: the slowness lives in this test module only.

    celery -A tests.faults.slow_worker worker --pool=solo
"""

import dataclasses
import os
import time

from celery.signals import worker_ready

from danvan.celery import app

__all__ = ["app"]


@worker_ready.connect
def _slow_generators(**kwargs) -> None:
    seconds = float(os.environ.get("FAULTS_SLOW_S", "0"))
    if seconds <= 0:
        return
    from danvan import generation

    for kind, generator in list(generation._generators.items()):

        def run(job, progress, _run=generator.run):
            progress(0, 1)
            time.sleep(seconds)
            return _run(job, progress)

        generation.register_generator(kind, dataclasses.replace(generator, run=run))
