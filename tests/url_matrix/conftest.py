"""One world per module of the matrix, built once inside a transaction that is rolled back
when the module ends; each test runs in a savepoint of it (pytest-django's ``db``)."""

import pytest
from django.db import transaction
from django.test import override_settings

from .world import build_world


@pytest.fixture(scope="session")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, matrix_media):
    """The world's files stay where the module's world wrote them."""
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media):
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
