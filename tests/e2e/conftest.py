"""Real-browser tests: Debian's chromium driven by Python playwright against a real Streamlit
server on loopback. Skipped (with the reason) when chromium or playwright is missing; ``.ci/run``
installs chromium. Screenshots are kept in ``test-artifacts/e2e/``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
PASSWORD = "workshop-lösenord-1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.e2e


def _port_in_log(log_path: Path, start: int) -> int | None:
    """The port a server started with ``--server.port 0`` names in its log (after byte ``start``)."""
    with open(log_path, "rb") as f:
        f.seek(start)
        found = re.search(rb"URL: http://127\.0\.0\.1:(\d+)", f.read())
    return int(found[1]) if found else None


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class AppServer:
    """A real ``streamlit run app.py`` on loopback, on its own database; can be killed and started
    again on the same port (a server restart in the middle of a workshop).

    Without a ``port`` the first start lets the operating system choose a free one (``--server.port
    0``; the server names it in its log): several test processes (pytest-xdist workers, other
    checkouts) start servers at the same time, and a port probed free and then handed over could be
    taken in between, and then the health check would answer for another test's server."""

    def __init__(self, db_url: str, log_path: Path, *, port: int | None = None, **env: str):
        self.db_url, self.log_path = db_url, log_path
        self.port = port
        self.env = {**os.environ, "PRIORITIZATION_DB_URL": db_url, **env}
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, "the server has not been started"
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "a")  # noqa: SIM115 - the server writes to it until it stops
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port or 0),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            if self.proc.poll() is not None:  # e.g. the port asked for is taken
                break
            if self.port is None:
                self.port = _port_in_log(self.log_path, log_start)
            try:
                if self.port and urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"streamlit did not start: {self.log_path.read_text()}")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is None:
            return
        if kill:
            self.proc.kill()
        else:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def new_database(tmp: Path):
    """An e2e database: example round loaded, facilitator password set."""
    from prioritization.storage import auth, example
    from prioritization.storage.database import Database
    from prioritization.ui.shell.state import EXAMPLE_PROJECT

    url = f"sqlite:///{tmp / 'e2e.db'}"
    db = Database.open(url)
    example.seed(db, Path(EXAMPLE_PROJECT), anchoring=False)  # before any anchoring, as the tests expect
    auth.set_facilitator_password(db, PASSWORD)
    return url, db


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A Streamlit server with its own database: example round loaded, facilitator password set."""
    tmp = tmp_path_factory.mktemp("e2e")
    url, db = new_database(tmp)
    app = AppServer(url, tmp / "streamlit.log").start()
    yield {"url": app.url, "db": db, "password": PASSWORD}
    app.stop()
    db.dispose()


def until(condition, seconds: float = 30) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass; its last value."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_app(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=30_000)
    page.wait_for_timeout(300)


def open_link(browser, base: str, token: str, *, height: int = 2400, heading: str = "Rangordnad lista"):
    """A new browser context that opens an invitation link and waits for the role's first page."""
    ctx = browser.new_context(viewport={"width": 1280, "height": height}, locale="sv-SE", accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{base}/?token={token}")
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    wait_app(page)
    wait_cookie(page)
    return ctx, page


def wait_cookie(page) -> None:
    """Until the page's script has stored the session cookie: a test that next loads an address
    (a reload, another page) must not outrun it on a loaded machine."""
    from prioritization.ui.shell.session import COOKIE

    page.wait_for_function(f"document.cookie.includes({COOKIE!r} + '=')", timeout=60_000)


def login_facilitator(context, server):
    page = context.new_page()
    page.goto(server["url"])
    page.get_by_label("Facilitatorns lösenord").fill(server["password"])
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Rangordnad lista").wait_for(timeout=30_000)
    return page
