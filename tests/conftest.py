"""Shared test set-up: every test starts without a student id (crmlib.exercises.set_student),
so that a test that sets one cannot change the variants another test sees."""

import pytest

from crmlib.exercises import registry


@pytest.fixture(autouse=True)
def _no_student_id():
    registry._student = None
    yield
    registry._student = None
