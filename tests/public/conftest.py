import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public pages' cache starts empty in each test (rolled-back rows give their ids again)."""
    caches["default"].clear()
    yield
    caches["default"].clear()
