import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Personal files' documents go to a folder of the test's own, emptied after it."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT
