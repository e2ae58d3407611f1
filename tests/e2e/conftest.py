"""What every browser test shares."""

import threading
import time

import pytest

from tests.e2e import a11y

# How long a test's end waits for the live server to finish the requests still in flight.
IN_FLIGHT_TIMEOUT = 15  # seconds


class _InFlight:
    """Counts the live server's requests in flight (WSGI middleware): a request ends when
    its response is closed, after Django has committed and released its connection."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def _done(self):
        with self.lock:
            self.count -= 1

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Closing(result, self._done)

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count > 0 and time.monotonic() < deadline:
            time.sleep(0.02)


class _Closing:
    def __init__(self, result, done):
        self.result = result
        self.done = done

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


def _in_flight(live_server) -> _InFlight:
    server = live_server.thread.httpd
    app = server.get_app()
    if not isinstance(app, _InFlight):
        app = _InFlight(app)
        server.set_app(app)
    return app


_A11Y = pytest.StashKey[a11y.A11yWatch]()


@pytest.fixture(autouse=True)
def _a11y(request, browser):
    """Every page the test opens is watched: see tests/e2e/a11y.py."""
    watch, stop = a11y.start(browser)
    request.node.stash[_A11Y] = watch
    yield watch
    stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """When a browser test's body has passed, its pages' last states are checked with axe,
    and a document it left unchecked fails it (a failure of the test, not of teardown)."""
    result = yield
    watch = item.stash.get(_A11Y, None)
    if watch is not None:
        watch.finish()
    return result


@pytest.fixture(autouse=True)
def _close_browser_contexts(request, browser):
    """Close the pages a test opened, then wait for the requests they left in flight: a
    page left open keeps running its scripts (the notification bell asks the live server
    for its count every two minutes, a field saves itself as it loses focus) while the
    test's database is flushed and later tests use it — on PostgreSQL the flush and an
    unfinished request deadlock."""
    in_flight = None
    if "live_server" in request.fixturenames:
        in_flight = _in_flight(request.getfixturevalue("live_server"))
    yield
    for context in list(browser.contexts):
        context.close()
    if in_flight is not None:
        in_flight.wait(IN_FLIGHT_TIMEOUT)
