"""What every browser test shares."""

import pytest


@pytest.fixture(autouse=True)
def _close_browser_contexts(browser):
    """Close the pages a test opened: a page left open keeps running its scripts (the
    notification bell asks the live server for its count every two minutes) while later
    tests use the same database."""
    yield
    for context in list(browser.contexts):
        context.close()
