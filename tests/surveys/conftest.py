import pytest

from tests.conftest import reload_reference_data


@pytest.fixture
def reference_data_reloaded(transactional_db):
    """A transactional test empties the database after it: the geography comes back first."""
    reload_reference_data()
