"""Site-wide Celery tasks."""

import logging

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="danvan.ping")
def ping(token: str) -> dict:
    """Answer with the token, the worker's host and whether the database answers.

    Used by the health check and by the test that proves a real worker runs our tasks.
    """
    import socket

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        db_ok = cursor.fetchone()[0] == 1
    logger.info("ping %s", token)
    return {"token": token, "host": socket.gethostname(), "db": db_ok}
