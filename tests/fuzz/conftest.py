"""The fuzzing runs apart from the suite (`make fuzz`, or `pytest -m fuzz tests/fuzz`): skipped
unless the run selects the `fuzz` marker, so `pytest -m "not browser"` stays quick."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="schemathesis runs apart: make fuzz")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)
