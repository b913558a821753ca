"""Fixtures for the browser tests: see tests/e2e/harness.py."""

from __future__ import annotations

import pytest

from tests.e2e.harness import page  # noqa: F401  (fixture re-exported; `browser` comes from tests/conftest.py)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Everything under tests/e2e drives a browser: mark it e2e so `-m "not e2e"` leaves it out.
    for item in items:
        if "/tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)
