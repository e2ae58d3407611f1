"""The HTTP side of the load benchmark (``bench/load.py``): a browser-like session over
``http.client`` (cookies, keep-alive, the real login form), a reader of HTML forms, and the
runner that sends a page's requests from N threads and summarises their times.

Standard library only: the bench measures the server, and a client this small adds well
under a millisecond per request.
"""

import http.client
import math
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

USER_AGENT = "Mozilla/5.0 (danvan-bench)"
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class LoginFailed(Exception):
    """The login form did not log the user in (wrong password, locked out, …)."""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One browser: its own connection (kept alive when the server allows it; gunicorn's
    sync workers close every connection, so then each request opens a new one, as a
    browser does) and its own cookies. Not shared between threads."""

    def __init__(self, host: str, port: int, timeout: float = 300):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, data=None, headers=None) -> Answer:
        """Send one request and read the whole answer; ``ms`` is the time from sending
        (connecting included) to the last byte. Redirects are not followed."""
        body = None
        sent = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT_HTML,
            "Accept-Language": "vi",
            "Connection": "keep-alive",
        }
        if data is not None:
            body = urlencode(data).encode() if not isinstance(data, bytes) else data
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://{self.host}:{self.port}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        started = time.perf_counter()
        try:
            response = self._send(method, path, body, sent)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A kept-alive connection the server closed meanwhile: a browser retries.
            self.close()
            response = self._send(method, path, body, sent)
        payload = response.read()
        ms = (time.perf_counter() - started) * 1000
        if response.will_close:
            self.close()
        self._keep_cookies(response.headers)
        return Answer(response.status, response.headers, payload, ms)

    def _send(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.request(method, path, body=body, headers=headers)
        return self.conn.getresponse()

    def _keep_cookies(self, headers) -> None:
        for raw in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    @property
    def csrf_token(self) -> str:
        """The CSRF cookie's secret: Django accepts it as the form field or X-CSRFToken."""
        return self.cookies.get("csrftoken", "")

    def login(self, login_path: str, username: str, password: str) -> None:
        """Log in through the login form, as a person does: GET the form (CSRF cookie and
        field), POST it with the username and password, expect the redirect and a session
        cookie. Raises ``LoginFailed`` otherwise."""
        page = self.request("GET", login_path)
        if page.status != 200:
            raise LoginFailed(f"GET {login_path} answered {page.status}")
        form = find_form(page.text, lambda f: "password" in f.names())
        if form is None:
            raise LoginFailed(f"no login form on {login_path}")
        data = form.data(username=username, password=password)
        answer = self.request("POST", form.action or login_path, data, {"Referer": login_path})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise LoginFailed(
                f"{username}: the login form answered {answer.status} "
                f"(wrong user or password, or locked out?)"
            )


# --- HTML forms --------------------------------------------------------------------------


@dataclass
class Form:
    attrs: dict
    fields: list = field(default_factory=list)  # (name, value) a browser would send
    buttons: list = field(default_factory=list)  # (name, value) of named submit buttons
    inputs: dict = field(default_factory=dict)  # name -> the input's attributes

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def names(self) -> set:
        return {name for name, _ in self.fields}

    def data(self, **values) -> list:
        """What the browser posts: the fields (``values`` replacing some), then the first
        named submit button, as if it were clicked."""
        sent = [(n, values.pop(n) if n in values else v) for n, v in self.fields]
        sent += list(values.items())
        return sent + self.buttons[:1]


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attrs=a))
            return
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.inputs[name] = a
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset", "file"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            form.inputs[name] = a
            self._textarea = [name, ""]
        elif tag == "select" and name:
            form.inputs[name] = a
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self.forms[-1].fields.append((name, chosen if chosen is not None else first or ""))
            self._select = None


def forms_of(html: str) -> list[Form]:
    """The page's forms, each with what a browser would send."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms


def find_form(html: str, match) -> Form | None:
    """The first form of the page for which ``match(form)`` is true."""
    return next((f for f in forms_of(html) if match(f)), None)


def form_posting_to(html: str, path: str) -> Form | None:
    """The form whose action is ``path`` (compared without scheme and host)."""
    return find_form(html, lambda f: urlsplit(f.action).path == path)


# --- Measuring ----------------------------------------------------------------------------


@dataclass
class Request:
    """What one request of a page sends, and what counts as a right answer."""

    method: str
    path: str
    data: list | None = None  # form fields without the CSRF token (added per session)
    headers: dict = field(default_factory=dict)
    # The right answers: (status, a regular expression the redirect's Location must match).
    accept: tuple = ((200, ""),)

    def send(self, session: Session) -> tuple[Answer | None, str]:
        """Send it in ``session``; returns the answer and an error ("" when right)."""
        data = headers = None
        if self.method == "POST":
            data = [("csrfmiddlewaretoken", session.csrf_token), *(self.data or [])]
            headers = {"X-CSRFToken": session.csrf_token, **self.headers}
        else:
            headers = self.headers
        try:
            answer = session.request(self.method, self.path, data, headers)
        except (OSError, http.client.HTTPException) as error:
            session.close()
            return None, f"{type(error).__name__}: {error}"
        for status, location in self.accept:
            if answer.status == status and re.search(location, answer.location):
                return answer, ""
        return answer, f"status {answer.status} {answer.location}".strip()


def percentile(sorted_values: list, p: float) -> float:
    """Nearest-rank percentile of an ascending list (the value below which p % lie)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def run_level(requests: list, sessions: list, count: int, seconds: float | None) -> dict:
    """Send ``count`` requests (or as many as start within ``seconds``) from
    ``len(sessions)`` threads at once, thread i in ``sessions[i]`` sending ``requests[i %
    len(requests)]``; each thread waits for its answer before sending the next (a user
    clicking). Returns n, errors (with up to 5 samples), p50/p95/p99/mean/max ms,
    requests per second over the level's wall time and the median response size."""
    lock = threading.Lock()
    issued = 0
    times: list[float] = []
    sizes: list[int] = []
    types: set[str] = set()
    errors: list[str] = []
    deadline = None if not seconds else time.perf_counter() + seconds

    def worker(i: int) -> None:
        nonlocal issued
        session, request = sessions[i], requests[i % len(requests)]
        while True:
            with lock:
                if issued >= count or (deadline and time.perf_counter() > deadline):
                    return
                issued += 1
            answer, error = request.send(session)
            with lock:
                if answer is not None:
                    times.append(answer.ms)
                    sizes.append(len(answer.body))
                    types.add(answer.headers.get_content_type())
                if error:
                    errors.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    times.sort()
    return {
        "concurrency": len(sessions),
        "n": len(times),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "mean_ms": statistics.fmean(times) if times else math.nan,
        "max_ms": times[-1] if times else math.nan,
        "req_per_s": len(times) / wall if wall else math.nan,
        "bytes": int(statistics.median(sizes)) if sizes else 0,
        "content_types": sorted(types),
        "wall_s": wall,
    }
