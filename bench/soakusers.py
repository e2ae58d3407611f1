"""The people of the soak (``bench/soak.py``): one thread each, one browser session each
(``bench.loadclient.Session``: cookies, the real login form), who work the way the
product's users do, with a pause to read or type between two requests.

- **Unit officers** register a model (the registration form, a draft created, the form
  saved by the page's autosave and then by its button, an evidence file uploaded — a small
  PDF or JPEG, as the page's upload box sends it — and the model submitted), or look at
  their unit's models.
- **Reviewers** open their queue and one of their unfinished score sheets, score its
  criteria one by one (the page's htmx saves) and, every other time, submit it.
- **The secretariat** works the intake (opens submitted models, accepts some), looks at
  the open round (detail, results, one tier, assignments, coverage, awards), and now and
  then exports the results to Excel: a background job (Celery, through Redis) whose page
  it polls as htmx does, then downloads the file.
- **Leaders** browse their home, the overview (one year, then another), the showcase and
  one of its entries, the round's results and the awards register.

Everyone also opens the floor page now and then (the reference of the page budgets,
``bench/urls.py``). Every answer is checked (status, and the redirect's target where there
is one); an unexpected one is an error, recorded with the page, and ends that task (the
person goes on with the next). Standard library only, like the rest of the client.
"""

import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field

from bench.loadclient import Session, find_form, forms_of
from bench.soakdata import fields, jpeg, multipart, pdf, registration_content

HTMX = {"HX-Request": "true"}
OK = ((200, ""),)
FLOOR = "floor (50 rows, one join)"


class Stop(Exception):
    """The run's time is up: the person leaves."""


class Refused(Exception):
    """An answer that was not the expected one (already recorded): the task ends."""


@dataclass
class Plan:
    """What the people work on, found in the database before the run (``soak.prepare``)."""

    port: int
    password: str
    paths: dict  # name -> path, or a template with "{}" for an id (``soak.paths``)
    fields: list  # field ids a registration may choose
    think: tuple = (1.0, 3.0)  # seconds between two requests of one person
    ramp: float = 30.0  # people start over this many seconds
    stop_at: float = 0.0  # time.monotonic() after which nobody sends a request
    host: str = "127.0.0.1"


@dataclass
class Recorder:
    """Every answer's time by page, the errors, and running totals for the sampler."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict = field(default_factory=dict)  # page -> [ms]
    errors: dict = field(default_factory=dict)  # page -> count
    samples: list = field(default_factory=list)  # the first error messages
    total: int = 0
    failed: int = 0

    def add(self, page: str, ms: float | None, error: str = "") -> None:
        with self.lock:
            self.total += 1
            if ms is not None:
                self.times.setdefault(page, []).append(ms)
            if error:
                self.failed += 1
                self.errors[page] = self.errors.get(page, 0) + 1
                if len(self.samples) < 30:
                    self.samples.append(f"{page}: {error}")

    def totals(self) -> tuple[int, int]:
        with self.lock:
            return self.total, self.failed


# What each role does, and how often (relative weights of its tasks).
TASKS = {
    "officer": {"register": 3, "look_around": 1},
    "reviewer": {"score": 4, "look_around": 1},
    "secretariat": {"intake": 3, "round": 3, "export": 1},
    "leader": {"overview": 3, "showcase": 2, "round": 1},
}


class Person(threading.Thread):
    def __init__(self, name: str, role: str, username: str, plan: Plan, recorder: Recorder,
                 *, seed: int, sheets: list | None = None):  # fmt: skip
        """``sheets``: a reviewer's unfinished sheets (ids) this person scores, in order."""
        super().__init__(name=name, daemon=True)
        self.role, self.username, self.plan, self.recorder = role, username, plan, recorder
        self.rng = random.Random(f"{seed}-{name}")
        self.session = Session(plan.host, plan.port, timeout=120)
        self.sheets = list(sheets or [])

    # --- the loop -------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.pause(self.rng.uniform(0, self.plan.ramp))
            self.log_in()
            tasks = TASKS[self.role]
            while True:
                task = self.rng.choices(list(tasks), weights=list(tasks.values()))[0]
                try:
                    getattr(self, f"{self.role}_{task}")()
                    if self.rng.random() < 0.15:
                        self.get(FLOOR, self.path("floor"))
                except Refused:
                    self.think()
        except Stop:
            pass
        except Exception as error:  # noqa: BLE001 -- a client bug: recorded, never silent
            self.recorder.add("(client)", None, f"{type(error).__name__}: {error}")
        finally:
            self.session.close()

    def pause(self, seconds: float) -> None:
        left = self.plan.stop_at - time.monotonic()
        time.sleep(max(0.0, min(seconds, left)))
        if time.monotonic() >= self.plan.stop_at:
            raise Stop

    def think(self) -> None:
        self.pause(self.rng.uniform(*self.plan.think))

    def log_in(self) -> None:
        page = self.get("login form", self.path("login"), think=False)
        form = find_form(page.text, lambda f: "password" in f.names())
        data = [
            (n, v)
            for n, v in form.data(username=self.username, password=self.plan.password)
            if n != "csrfmiddlewaretoken"
        ]
        self.post("login", form.action or self.path("login"), data, accept=((302, ""),))

    # --- requests -------------------------------------------------------------------------

    def send(self, page, method, path, data=None, headers=None, accept=OK, think=True):
        """One request, checked and recorded; the pause after it unless ``think`` is off.
        Raises ``Refused`` after an unexpected answer, ``Stop`` when the time is up."""
        if time.monotonic() >= self.plan.stop_at:
            raise Stop
        sent = dict(headers or {})
        if method == "POST":
            token = self.session.csrf_token
            if isinstance(data, list):
                data = [("csrfmiddlewaretoken", token), *data]
            sent.setdefault("X-CSRFToken", token)
            sent.setdefault("Referer", f"http://{self.plan.host}:{self.plan.port}{path}")
        try:
            answer = self.session.request(method, path, data, sent)
        except (OSError, http.client.HTTPException) as error:
            self.session.close()
            self.recorder.add(page, None, f"{method} {path}: {type(error).__name__}: {error}")
            raise Refused from None
        right = any(
            answer.status == status and re.search(location, answer.location)
            for status, location in accept
        )
        error = "" if right else f"{method} {path} -> {answer.status} {answer.location}".strip()
        self.recorder.add(page, answer.ms, error)
        if not right:
            raise Refused
        if think:
            self.think()
        return answer

    def get(self, page, path, **kwargs):
        return self.send(page, "GET", path, **kwargs)

    def post(self, page, path, data, **kwargs):
        return self.send(page, "POST", path, data, **kwargs)

    def path(self, name: str, *ids) -> str:
        return self.plan.paths[name].format(*ids)

    def links(self, html: str, name: str) -> list[str]:
        """The links of a page to the page ``name`` (a path template), with their query."""
        pattern = re.escape(self.plan.paths[name]).replace(r"\{\}", r"\d+")
        return [h.replace("&amp;", "&") for h in re.findall(f'href="({pattern}[^"]*)"', html)]

    # --- unit officers ---------------------------------------------------------------------

    def officer_register(self) -> None:
        self.get("officer: my models", self.path("my_models"))
        page = self.get("officer: registration form", self.path("model_create"))
        form = find_form(page.text, lambda f: f.attrs.get("id") == "dvk-model-form")
        if form is None:
            self.recorder.add("officer: registration form", None, "no registration form")
            raise Refused
        first = {
            "name": f"Mô hình dân vận khéo thử tải {self.rng.randrange(10**6)}",
            "kind": "collective_model",
            "field": str(self.rng.choice(self.plan.fields)),
        }
        to_model = ((302, self.pattern("model")),)
        made = self.post("officer: create the draft", self.path("model_create"),
                         fields(form, first), accept=to_model)  # fmt: skip
        pk = int(re.search(r"(\d+)/?$", made.location).group(1))
        self.get("officer: model page", self.path("model", pk))
        edit = self.get("officer: edit form", self.path("model_update", pk))
        form = find_form(edit.text, lambda f: f.attrs.get("id") == "dvk-model-form")
        content = first | registration_content(self.rng)
        half = dict(list(content.items())[: len(content) // 2])
        saved = self.post("officer: autosave (htmx)", self.path("model_autosave", pk),
                          fields(form, half), headers=HTMX)  # fmt: skip
        version = re.search(r'name="version" value="(\d+)"', saved.text)
        content["version"] = version.group(1) if version else ""
        self.post("officer: save the draft", self.path("model_update", pk),
                  fields(form, content), accept=to_model)  # fmt: skip
        self.upload(pk)
        self.get("officer: model page", self.path("model", pk))
        self.post("officer: submit", self.path("model_submit", pk), [], accept=to_model)
        self.get("officer: model page", self.path("model", pk))

    def pattern(self, name: str) -> str:
        return "^" + re.escape(self.plan.paths[name]).replace(r"\{\}", r"\d+") + "$"

    def upload(self, pk: int) -> None:
        """One evidence file, as uploads.js sends it (one file a request, JSON asked for),
        or every third time as the plain form does (multipart, then the redirect back)."""
        if self.rng.random() < 0.5:
            name, body = "anh-hien-truong.jpg", jpeg(self.rng)
        else:
            name, body = "bien-ban.pdf", pdf(self.rng)
        pairs = [
            ("csrfmiddlewaretoken", self.session.csrf_token),
            ("purpose", "registration"),
            ("description", "Minh chứng thử tải"),
        ]
        encoded, content_type = multipart(pairs, ("file", name, body))
        headers = {"Content-Type": content_type}
        as_json = self.rng.random() < 2 / 3
        if as_json:
            headers["Accept"] = "application/json"
        accept = OK if as_json else ((302, self.pattern("model")),)
        page = "officer: upload a file"
        answer = self.post(page, self.path("attachment_upload", pk), encoded,
                           headers=headers, accept=accept)  # fmt: skip
        if as_json and not json.loads(answer.body).get("ok"):
            self.recorder.add(page, None, f"refused: {answer.text[:200]}")
            raise Refused

    def officer_look_around(self) -> None:
        self.get("officer: home", self.path("home"))
        page = self.get("officer: my models", self.path("my_models"))
        links = self.links(page.text, "model")
        if links:
            self.get("officer: model page", self.rng.choice(links))
        self.get("officer: results of my unit", self.path("my_results"))
        self.get("notifications", self.path("notifications"))
        self.get("showcase", self.path("showcase"))

    # --- reviewers -------------------------------------------------------------------------

    def reviewer_score(self) -> None:
        self.get("reviewer: queue", self.path("queue"))
        if not self.sheets:
            self.get("reviewer: home", self.path("home"))
            return
        url = self.path("sheet", self.sheets[0])
        page = self.get("reviewer: score sheet", url)
        for form in forms_of(page.text):
            if "/tieu-chi/" not in form.action:
                continue
            top = int(form.inputs.get("points", {}).get("data-max") or 10)
            points = str(self.rng.randint(top // 2, top))
            data = [(n, points if n == "points" else v) for n, v in form.fields
                    if n != "csrfmiddlewaretoken"]  # fmt: skip
            htmx = {**HTMX, "HX-Current-URL": url, "HX-Trigger": form.attrs.get("id", "")}
            self.post("reviewer: save a criterion (htmx)", form.action, data, headers=htmx)
        if self.rng.random() < 0.5:
            page = self.get("reviewer: score sheet", url)
            form = next((f for f in forms_of(page.text) if f.action.endswith("/nop/")), None)
            if form is None:
                return  # submitted meanwhile by another session of this account
            data = [(n, "Đạt yêu cầu." if n == "overall_comment" else v)
                    for n, v in form.fields if n != "csrfmiddlewaretoken"]  # fmt: skip
            self.post("reviewer: submit the sheet", form.action, data,
                      accept=((302, self.pattern("queue")),))  # fmt: skip
            self.sheets.pop(0)

    def reviewer_look_around(self) -> None:
        self.get("reviewer: home", self.path("home"))
        self.get("reviewer: queue, page 2", self.path("queue") + "?page=2")
        self.get("notifications", self.path("notifications"))

    # --- the secretariat -------------------------------------------------------------------

    def secretariat_intake(self) -> None:
        self.get("secretariat: home", self.path("home"))
        page = self.get("secretariat: intake list", self.path("intake") + "?status=submitted")
        links = self.links(page.text, "model")
        if not links:
            return
        model = self.get("secretariat: model page (from intake)", self.rng.choice(links[:10]))
        action = self.pattern("model_accept")[1:-1]
        accept = re.search(f'action="({action})"', model.text)
        if accept and self.rng.random() < 0.5:
            self.post("secretariat: accept a model", accept.group(1), [],
                      accept=((302, self.pattern("model")),))  # fmt: skip

    def secretariat_round(self) -> None:
        self.get("secretariat: round detail", self.path("round_detail"))
        self.get("round results", self.path("results"))
        if "results_tier" in self.plan.paths and self.rng.random() < 0.5:
            self.get("round results, one tier", self.path("results_tier"))
        self.get("secretariat: assignments", self.path("assignments"))
        self.get("secretariat: coverage", self.path("coverage"))
        self.get("secretariat: awards register", self.path("awards"))

    def secretariat_export(self) -> None:
        """The results spreadsheet of a large round: a background job whose page is
        polled every 2 s as htmx does (at most 3 minutes), then the download."""
        asked = self.get("secretariat: results to Excel", self.path("results") + "?format=xlsx",
                         accept=((302, self.pattern("file")), (200, "")), think=False)  # fmt: skip
        if asked.status == 200:
            return  # a small round: the file itself
        job = asked.location
        self.get("file page", job, think=False)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            self.pause(2)
            status = self.get("file page, htmx poll", job, headers=HTMX, think=False)
            if "job-state--done" in status.text:
                pk = int(re.search(r"(\d+)/?$", job).group(1))
                self.get("secretariat: download the file", self.path("file_download", pk))
                return
            if "job-state--failed" in status.text:
                self.recorder.add("file page, htmx poll", None, f"{job}: the job failed")
                raise Refused
        self.recorder.add("file page, htmx poll", None, f"{job}: not made within 3 minutes")
        raise Refused

    # --- leaders ---------------------------------------------------------------------------

    def leader_overview(self) -> None:
        self.get("leader: home", self.path("home"))
        page = self.get("leader: overview", self.path("dashboard"))
        form = find_form(page.text, lambda f: "year" in f.inputs)
        select = re.search(r'<select name="year".*?</select>', page.text, re.S)
        years = re.findall(r'<option value="(\d+)"', select.group(0)) if select and form else []
        if years:
            year = self.rng.choice(years)
            self.get("leader: overview, another year", f"{self.path('dashboard')}?year={year}")

    def leader_showcase(self) -> None:
        page = self.get("showcase", self.path("showcase"))
        entries = self.links(page.text, "showcase_entry")
        if entries:
            self.get("showcase entry", self.rng.choice(entries))
        self.get("leader: awards register", self.path("awards"))

    def leader_round(self) -> None:
        if "results_final" in self.plan.paths:
            self.get("leader: results of a finalised round", self.path("results_final"))
        self.get("notifications", self.path("notifications"))
