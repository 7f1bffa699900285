import pytest

from tests.conventions.filled import fill


@pytest.fixture
def convention(world):
    return fill(world)
