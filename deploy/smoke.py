"""The HTTP smoke test of ``make prod-check`` (deploy/prod_check.py): the demo site served by
gunicorn with the production settings, a Celery worker and beat, checked through real HTTP
as nginx would pass it on.

Every request but two carries ``X-Forwarded-Proto: https`` (nginx's
``proxy_set_header X-Forwarded-Proto $scheme``) and posts with an ``https://`` Origin, as
a browser on the HTTPS site does; the two without it check that plain HTTP is redirected
to HTTPS and that ``/healthz`` is exempt. The accounts and roles come from
docs/demo-accounts.md (password ``DanVan@2026``).

    python deploy/smoke.py 127.0.0.1:8000     # against a server already running

Prints one line per check and a table at the end; ``run`` returns the failures.
"""

import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadclient import Answer, Session, find_form, form_posting_to  # noqa: E402

PASSWORD = "DanVan@2026"
ACCOUNTS_DOC = ROOT / "docs" / "demo-accounts.md"
# The page of each role's work opened after its home page (role as docs/demo-accounts.md
# names it).
ROLE_PAGES = {
    "Administrator": "/quan-tri/",
    "Secretariat": "/mo-hinh/tiep-nhan/",
    "Committee member": "/cham-diem/phieu-cham/",
    "Leader": "/bao-cao/tong-quan/",
    "Unit officer": "/mo-hinh/",
}
# The secretariat requests the report; a commune's officer uploads evidence.
REPORT_USER = "thuongtruc"
UPLOAD_USER = "xa.canloc"
REPORT_TIMEOUT_S = 300
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
ONE_YEAR = 365 * 24 * 3600


class CheckFailed(Exception):
    pass


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    detail: str


class ProxiedSession(Session):
    """A browser on the HTTPS site, as gunicorn sees it behind nginx."""

    def request(self, method, path, data=None, headers=None) -> Answer:
        sent = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}
        if method == "POST":
            sent["Origin"] = f"https://{self.host}:{self.port}"
        return super().request(method, path, data, {**sent, **(headers or {})})


def demo_accounts() -> list[tuple[str, str]]:
    """(username, role) of every row of the accounts table in docs/demo-accounts.md."""
    rows = re.findall(r"^\| `([^`]+)` \| `[^`]+` \| ([^|]+?) \|", ACCOUNTS_DOC.read_text(), re.M)
    if not rows:
        raise CheckFailed(f"no account found in {ACCOUNTS_DOC}")
    return [(user, role.split("(")[0].strip()) for user, role in rows]


def expect(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def expect_page(answer: Answer, path: str) -> None:
    expect(answer.status == 200, f"GET {path} answered {answer.status} {answer.location}")
    expect('lang="vi"' in answer.text, f"GET {path}: the page is not in Vietnamese")
    expect(VIETNAMESE.search(answer.text), f"GET {path}: no Vietnamese text")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def max_age(answer: Answer) -> int:
    found = re.search(r"max-age=(\d+)", answer.headers.get("Cache-Control", ""))
    return int(found.group(1)) if found else 0


class Smoke:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.outcomes: list[Outcome] = []
        self.sessions: dict[str, ProxiedSession] = {}
        self.uploaded = b""  # the evidence file's bytes once uploaded
        self.login_html = ""

    def check(self, name: str, function) -> None:
        started = time.perf_counter()
        try:
            detail = function() or ""
            ok = True
        except Exception as error:  # noqa: BLE001 -- any error fails the check, reported below
            detail, ok = f"{type(error).__name__}: {error}", False
        seconds = time.perf_counter() - started
        self.outcomes.append(Outcome(name, ok, seconds, detail))
        print(f"{'ok ' if ok else 'FAIL'} {name} ({seconds:.2f} s) {detail}", flush=True)

    # --- plain HTTP ----------------------------------------------------------------------

    def health(self):
        answer = Session(self.host, self.port).request("GET", "/healthz")
        expect(answer.status == 200, f"/healthz answered {answer.status} {answer.location}")
        expect('"ok"' in answer.text, f"/healthz said {answer.text[:80]}")
        return "200 over plain HTTP (exempt from the HTTPS redirect)"

    def http_redirect(self):
        answer = Session(self.host, self.port).request("GET", "/dang-nhap/")
        wanted = f"https://{self.host}:{self.port}/dang-nhap/"
        expect(
            answer.status == 301 and answer.location == wanted,
            f"plain HTTP answered {answer.status} {answer.location!r}, not 301 {wanted}",
        )
        return f"301 → {wanted}"

    # --- HTTPS (behind the proxy) ----------------------------------------------------------

    def login_page(self):
        answer = ProxiedSession(self.host, self.port).request("GET", "/dang-nhap/")
        expect_page(answer, "/dang-nhap/")
        hsts = answer.headers.get("Strict-Transport-Security", "")
        expect(f"max-age={ONE_YEAR}" in hsts, f"Strict-Transport-Security: {hsts!r}")
        cookies = answer.headers.get_all("Set-Cookie") or []
        expect(cookies and all("Secure" in c for c in cookies), f"cookies not Secure: {cookies}")
        self.login_html = answer.text
        return f"HSTS {hsts}; cookies Secure"

    def static_file(self):
        found = re.search(r'(/static/[^"\']+\.[0-9a-f]{12}\.css)', self.login_html)
        expect(found, "no hashed stylesheet URL on the login page")
        answer = ProxiedSession(self.host, self.port).request(
            "GET", found.group(1), headers={"Accept-Encoding": "gzip"}
        )
        expect(answer.status == 200, f"GET {found.group(1)} answered {answer.status}")
        expect(
            max_age(answer) >= ONE_YEAR, f"Cache-Control: {answer.headers.get('Cache-Control')!r}"
        )
        encoding = answer.headers.get("Content-Encoding", "none")
        return f"{answer.headers.get('Cache-Control')}, {encoding}"

    def role(self, username: str, role: str):
        page = ROLE_PAGES.get(role)
        expect(page, f"no page to check for the role {role!r} (deploy/smoke.py ROLE_PAGES)")
        session = ProxiedSession(self.host, self.port)
        session.login("/dang-nhap/", username, PASSWORD)
        self.sessions[username] = session
        for path in ("/", page):
            expect_page(session.request("GET", path), path)
        return f"login, / and {page}"

    def report(self):
        session = self.sessions[REPORT_USER]
        home = session.request("GET", "/bao-cao/")
        expect_page(home, "/bao-cao/")
        previews = re.findall(r'href="(/bao-cao/nam/\d+/xem-truoc/)"', home.text)
        expect(previews, "no annual report to preview on /bao-cao/")
        preview = session.request("GET", previews[0])
        expect_page(preview, previews[0])
        form = find_form(preview.text, lambda f: re.search(r"/yeu-cau/$", f.action))
        expect(form, f"no request form on {previews[0]}")
        data = form.data()
        asked = session.request("POST", form.action, data, {"Referer": previews[0]})
        run = re.fullmatch(r"/bao-cao/lan-lap/(\d+)/", urlsplit(asked.location).path)
        expect(asked.status == 302 and run, f"the request answered {asked.status} {asked.location}")
        run_path = run.group(0)
        pdf_path = f"{run_path}tai-ve/pdf/"
        deadline = time.monotonic() + REPORT_TIMEOUT_S
        while True:
            block = session.request("GET", run_path, headers={"HX-Request": "true"})
            expect(block.status == 200, f"GET {run_path} answered {block.status}")
            state = re.search(r'data-status="(\w+)"', block.text)
            state = state.group(1) if state else "?"
            if state == "done":
                break
            expect(state != "failed", f"the run failed: {text_of(block.text)[:300]}")
            expect(time.monotonic() < deadline, f"the run was not done in {REPORT_TIMEOUT_S} s")
            time.sleep(1)
        waited = REPORT_TIMEOUT_S - (deadline - time.monotonic())
        pdf = session.request("GET", pdf_path)
        expect(
            pdf.status == 200 and pdf.body.startswith(b"%PDF-"),
            f"GET {pdf_path} answered {pdf.status} {pdf.headers.get_content_type()}",
        )
        return f"{run_path} done by the worker in {waited:.0f} s; PDF {len(pdf.body):,} bytes"

    def upload(self):
        session = self.sessions[UPLOAD_USER]
        # A new draft through the registration form (only its name filled in) ...
        create = "/mo-hinh/dang-ky/"
        page = session.request("GET", create)
        expect_page(page, create)
        form = find_form(page.text, lambda f: "name" in f.names() and "password" not in f.names())
        expect(form, f"no registration form on {create}")
        name = f"Mô hình kiểm tra triển khai {uuid.uuid4().hex[:8]}"
        made = session.request("POST", form.action or create, form.data(name=name))
        found = re.fullmatch(r"/mo-hinh/\d+/", urlsplit(made.location).path)
        expect(made.status == 302 and found, f"the draft answered {made.status} {made.location}")
        path = found.group(0)
        # ... and a PDF added to it through the upload box of its page.
        detail = session.request("GET", path)
        expect_page(detail, path)
        form = form_posting_to(detail.text, f"{path}tep/")
        expect(form, f"no upload box on the draft {path}")
        before = set(re.findall(r"/mo-hinh/tep/(\d+)/", detail.text))
        content = b"%PDF-1.4\n% prod-check " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
        fields = form.data(description="Minh chứng kiểm tra triển khai")
        body, content_type = multipart(fields, ("file", "minh-chung.pdf", content))
        posted = session.request(
            "POST", f"{path}tep/", body, {"Content-Type": content_type, "Referer": path}
        )
        expect(
            posted.status == 302,
            f"the upload answered {posted.status}: "
            f"{re.findall(r'invalid-feedback[^>]*>([^<]+)', posted.text)}",
        )
        after = session.request("GET", path)
        added = set(re.findall(r"/mo-hinh/tep/(\d+)/", after.text)) - before
        expect(len(added) == 1, f"{len(added)} new files on {path}")
        file_path = f"/mo-hinh/tep/{added.pop()}/"
        download = session.request("GET", file_path)
        expect(
            download.status == 200 and download.body == content,
            f"GET {file_path} answered {download.status}, {len(download.body)} bytes",
        )
        self.uploaded = content
        return f"{path}tep/ → {file_path}: the same {len(content)} bytes back"

    def run(self) -> list[Outcome]:
        self.check("/healthz (HTTP)", self.health)
        self.check("HTTP → HTTPS redirect", self.http_redirect)
        self.check("login page, HSTS, secure cookies", self.login_page)
        self.check("static file (WhiteNoise)", self.static_file)
        for username, role in demo_accounts():
            self.check(f"{role}: {username}", lambda u=username, r=role: self.role(u, r))
        for user, name, function in (
            (REPORT_USER, "report run → PDF (worker)", self.report),
            (UPLOAD_USER, "evidence upload → download", self.upload),
        ):
            if user in self.sessions:
                self.check(name, function)
            else:
                self.outcomes.append(Outcome(name, False, 0, f"{user} did not log in"))
        return [o for o in self.outcomes if not o.ok]


def multipart(fields, file) -> tuple[bytes, str]:
    """A multipart/form-data body of the ``(name, value)`` fields and one file."""
    boundary = f"----danvan{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    name, filename, content = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def table(outcomes: list[Outcome]) -> str:
    """The checks, their result, time and what was seen (shortened)."""
    width = max([len("check")] + [len(o.name) for o in outcomes])
    lines = [f"{'check':<{width}}  result  seconds  detail", "-" * (width + 80)]
    for o in outcomes:
        detail = o.detail if len(o.detail) <= 70 else o.detail[:69] + "…"
        lines.append(
            f"{o.name:<{width}}  {'ok' if o.ok else 'FAIL':<6}  {o.seconds:7.2f}  {detail}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    host, _, port = (argv[1] if len(argv) > 1 else "127.0.0.1:8000").rpartition(":")
    smoke = Smoke(host, int(port))
    failed = smoke.run()
    print("\n" + table(smoke.outcomes))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
