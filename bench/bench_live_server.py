"""Server CPU per score click and per projector refresh, measured on a real ``streamlit run app.py``
driven by headless Chromium (issue 9: "one click re-runs the whole scoring page").

* per click: one participant scores the example round's first object at one click a second; the
  server's CPU time (utime + stime of the process, from /proc) over the clicks, divided by the
  clicks that were stored;
* per refresh: the facilitator's projector page left open (refresh every 3 s) with nobody scoring;
  the server's CPU time over 30 s divided by the refreshes in that time.

``BENCH_APP_ROOT`` runs another checkout's app.py (and seeds its database with that checkout's
code), so that before/after figures come from the same machine and the same bench.
Needs Debian's chromium and playwright (as the browser tests); run with ``python -m bench live``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_APP_ROOT") or Path(__file__).resolve().parents[1])
PASSWORD = "bench-lösenord-1"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CLICKS = 12
IDLE_SECONDS = 30
REFRESH_SECONDS = 3

SEED = r"""
import sys
from prioritization import projectfile
from prioritization.storage import auth, rounds
from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
from prioritization.storage.database import Database
from prioritization.ui.shell.state import seed_example
db = Database.open(sys.argv[1])
seed_example(db)
auth.set_facilitator_password(db, sys.argv[2])
fac = Actor(FACILITATOR, "bench")
rid = rounds.list_rounds(db, fac)[0].id
rounds.set_status(db, fac, rid, "scoring")
doc = rounds.setup_document(db, fac, rid)
first = next(o for o in doc["objects"] if o.get("status", "candidate") == "candidate")
print(auth.invite(db, fac, rid, PARTICIPANT, doc["participants"][0]["id"]))
print("|".join(c["name"] for c in doc["criteria"]))
print(first["name"])
"""

COUNT = r"""
import sys
from sqlalchemy import func, select
from prioritization.storage.database import Database
from prioritization.storage.schema import AuditEntry
db = Database.open(sys.argv[1], upgrade=False)
with db.reader() as s:
    print(s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "score.set")))
"""


def _py(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=60_000)


def run() -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        token, criteria, first = _py(SEED, url, PASSWORD).strip().split("\n")
        criteria = criteria.split("|")
        port = 8700 + os.getpid() % 200
        env = {**os.environ, "PRIORITIZATION_DB_URL": url, "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=open(f"{tmp}/server.log", "w"),  # noqa: SIM115 - open while the server runs
            stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_context(viewport={"width": 1200, "height": 1400}).new_page()
                page.goto(f"{base}/?token={token}")
                page.get_by_role("heading", name=first).wait_for(timeout=60_000)
                _wait_idle(page)
                time.sleep(2)
                before, cpu0 = int(_py(COUNT, url)), _cpu(server.pid)
                for k in range(CLICKS):
                    name = criteria[k % len(criteria)]
                    group = page.get_by_role("radiogroup", name=f"Din poäng för {name}")
                    group.get_by_role("radio", name=str(1 + k % 5), exact=True).click()
                    time.sleep(1.0)
                _wait_idle(page)
                time.sleep(2)
                cpu1, saved = _cpu(server.pid), int(_py(COUNT, url)) - before
                rows.append({"name": "server CPU per score click (one participant, 1 click/s)",
                             "seconds": round((cpu1 - cpu0) / max(saved, 1), 4), "peak_mib": 0.0,
                             "clicks": CLICKS, "stored": saved, "root": ROOT.name})
                page.context.close()

                fac = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                fac.goto(base)
                fac.get_by_label("Facilitatorns lösenord").fill(PASSWORD)
                fac.get_by_role("button", name="Logga in").click()
                fac.get_by_role("link", name="Workshop (projektor)").click()
                fac.get_by_text("Hur långt har deltagarna kommit?", exact=False).wait_for(timeout=60_000)
                time.sleep(5)
                cpu0 = _cpu(server.pid)
                time.sleep(IDLE_SECONDS)
                cpu1 = _cpu(server.pid)
                rows.append({"name": f"server CPU per projector refresh (every {REFRESH_SECONDS} s, idle)",
                             "seconds": round((cpu1 - cpu0) / (IDLE_SECONDS / REFRESH_SECONDS), 4),
                             "peak_mib": 0.0, "root": ROOT.name})
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
