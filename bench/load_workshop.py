"""On-demand load test of a live scoring workshop in real headless Chromium (not part of ``make test``
and deliberately not named ``bench_*.py``, so ``python -m bench`` does not pick it up).

    .venv/bin/python -m bench.load_workshop --participants 16 --db sqlite --minutes 3 [--restart]

The app is copied (app.py, prioritization/, data/, .streamlit/ as they are in the working tree) and
one ``streamlit run`` of that copy serves 127.0.0.1, so edits made during a run do not change the app
under test; the JSON names the commit and the uncommitted files. Its database is a SQLite file under
``test-artifacts/load/`` or the PostgreSQL database ``prioritization_load`` (created, schema emptied).
The round is the example project (13 candidate objects x 12 criteria) without its scores, so every
stored score comes from this run; participants beyond the example's eight are added as ``p-extra-N``.
One Chromium, one browser context per participant plus the facilitator's projector page, all driven
from one asyncio loop (Playwright's async API, one task per participant).

Every participant works at human pace: a click every 3-8 s (seeded), the criteria of the object on
screen in random order with random values 1-5, "Nästa →" when the object is done, ~10 % of the clicks
change an already scored cell; a click that did not get through (server down, refused) is repeated
later. Each click is logged with the object meant, the object heading and the widget (its key names
the object) under the pointer, the page's rerun message carrying the value (websocket), and is
followed (bounded) until the cell's state line confirms it (``✓ Sparat: <value>``), refuses it
(``Inte sparat``) or says the server did not answer. ``--restart`` SIGKILLs the server halfway and
starts it again on the same port; the pages reconnect by themselves and the participants keep going.
``--processes 2`` (PostgreSQL only) serves the same copy from two ``streamlit run`` processes on one
database; participants alternate between them and the projector uses the last, as sticky sessions
behind a reverse proxy would place them, so a participant's scores reach the projector only through
the database.

At the end (pages and database settled, bounded) the intended state is compared with the database
and with the pages:

* ``lost``: the last click on a cell made while the server was up is not what is stored, was never
  confirmed, and the page said nothing (no "Inte sparat", no "no answer"); a click whose press and
  release landed on different elements because the page moved is reported as such;
* ``misdirected``: a stored cell, or a stored value, that the participant never clicked for that cell
  (or clicked only while the server was down: re-sent after reconnecting);
* ``silently_dropped``: a click confirmed in place but not kept, or a page whose selection or state
  line differs from the database: on the object shown at the end (for more than 3 s) and on every
  object the participant worked on, opened with the page's own buttons (for more than 30 s).

Also reported: clicks not yet confirmed when the server was killed (their save may be gone; the page
must then show what is stored), saves the server never made although the page sent them ("no answer"
shown), click->confirmation times, the server's CPU per save and per minute (from /proc; the browser's
and other processes' CPU alongside, as the machine is shared), score widgets drawn twice, and server
log errors. Exit code 0 when lost = misdirected = silently_dropped = 0, else 1. The summary is printed
and written to ``bench/results/load-<db>-<n>[-restart].json``; the click log, the server log, the app
copy and screenshots go to ``test-artifacts/load/<db>-<n>[-restart]/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select

from prioritization import projectfile
from prioritization.storage import auth, rounds, scores
from prioritization.storage.access import FACILITATOR, PARTICIPANT, Actor
from prioritization.storage.database import Database
from prioritization.storage.schema import AuditEntry
from prioritization.ui.shell.state import EXAMPLE_PROJECT
from prioritization.ui.workshop import scoring_logic
from tests.e2e.conftest import ARGS, CHROMIUM, PASSWORD, AppServer

SNAPSHOT = ("app.py", "prioritization", "data", ".streamlit")  # what the server runs, copied at start

FAC = Actor(FACILITATOR, "Facilitator")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/prioritization_load"
RESULTS = ROOT / "bench" / "results"
ARTIFACTS = ROOT / "test-artifacts" / "load"
LABEL = "Din poäng för {}"
NEXT = "Nästa →"
PREV = "← Föregående"
CLICK_TIMEOUT_MS = 10_000  # a CPU-starved browser can take seconds; a timeout need not mean "not clicked"
NAV_TIMEOUT_S = 30.0
LOGIN_TIMEOUT_MS = 180_000
POLL_S = 0.2
SETTLE_S = 20.0
FINAL_CHECK_S = 120.0
MAX_ATTEMPTS = 4  # per cell: a click that did not get through (server down, refused) is retried

# One round trip to the page: the heading on screen and one criterion's widget, selection, caption
# and in-place error. The widget's key (st-key-score_value-<object>-<criterion>-...) tells which
# object's widget was really there.
# A score widget's accessible name should be "Din poäng för <criterion>"; a name still carrying
# Markdown escapes ("\\(") is matched too (and counted: a screen reader reads the backslashes).
UNESCAPE_JS = """const unescapeMd = (s) => (s || '').replace(/\\\\(.)/g, '$1');"""
STATE_LINE_JS = UNESCAPE_JS + """
const stateLine = (block) => Array.from(
    block.querySelectorAll('.score-state, [data-testid=stCaptionContainer]')).find(
    e => /^(✓ Sparat|Inte bedömd|Från första)/.test(e.textContent.trim())) || null;"""
CELL_JS = """(label) => {
""" + STATE_LINE_JS + """
  const h = document.querySelector('[data-testid=stMain] h2');
  const out = {heading: h ? h.innerText.trim() : null, n: 0, key: null, checked: null, caption: null,
               error: null, disabled: null, stale: null, pending: null, failed: false};
  const groups = Array.from(document.querySelectorAll('[role=radiogroup]'))
    .filter(g => unescapeMd(g.getAttribute('aria-label')) === label);
  out.n = groups.length;
  out.nv = groups.filter(x => x.offsetParent !== null).length;
  const g = groups.find(x => x.offsetParent !== null) || groups[0];
  if (!g) return out;
  const wc = g.closest('[data-testid=stElementContainer]');
  if (wc) {
    out.key = Array.from(wc.classList).find(c => c.startsWith('st-key-')) || null;
    out.stale = wc.getAttribute('data-stale');
  }
  out.disabled = g.getAttribute('aria-disabled');
  const c = g.querySelector('[role=radio][aria-checked=true]');
  out.checked = c ? c.innerText.trim() : null;
  const block = g.closest('[data-testid=stVerticalBlock]');
  if (block) {
    const line = stateLine(block);
    out.caption = line ? line.textContent.trim() : null;
    out.pending = line ? line.getAttribute('data-pending') : null;
    out.failed = line ? line.hasAttribute('data-failed') : false;
    const alerts = Array.from(block.querySelectorAll('[data-testid=stAlert]')).map(e => e.innerText.trim());
    out.error = alerts.find(t => t.includes('Inte sparat')) || null;
  }
  return out;
}"""

# Where the browser's pointer events really went (read back for clicks that were not confirmed).
EVENTS_JS = """(() => {
  window.__loadEvents = [];
  let pressed = null;  // the radio group under the last pointerdown: where it is at release
  const main = () => document.querySelector('[data-testid=stMain]');
  const rec = (kind, e) => {
    const t = e.target, at = (sel) => (t && t.closest) ? t.closest(sel) : null;
    const radio = at('[role=radio]'), group = at('[role=radiogroup]'), wc = at('[data-testid=stElementContainer]');
    if (kind === 'pointerdown') pressed = group;
    const m = main();
    window.__loadEvents.push({kind: kind, at: Date.now(), x: Math.round(e.clientX), y: Math.round(e.clientY),
      tag: t ? t.tagName : null, radio: radio ? radio.innerText.trim() : null,
      label: group ? group.getAttribute('aria-label') : null, disabled: radio ? radio.disabled : null,
      key: wc ? (Array.from(wc.classList).find(c => c.startsWith('st-key-')) || null) : null,
      scroll: m ? Math.round(m.scrollTop) : null,
      pressed_y: pressed ? Math.round(pressed.getBoundingClientRect().y) : null,
      pressed_connected: pressed ? pressed.isConnected : null});
    if (window.__loadEvents.length > 300) window.__loadEvents.shift();
  };
  for (const kind of ['pointerdown', 'pointerup', 'click']) document.addEventListener(kind, e => rec(kind, e), true);
})();"""

# Every criterion of the object on screen (the final check).
ALL_JS = """() => {
""" + STATE_LINE_JS + """
  const h = document.querySelector('[data-testid=stMain] h2');
  const cells = {};
  for (const g of document.querySelectorAll('[role=radiogroup]')) {
    const raw = g.getAttribute('aria-label') || '', label = unescapeMd(raw);
    if (!label.startsWith('Din poäng för ')) continue;
    const c = g.querySelector('[role=radio][aria-checked=true]');
    const wc = g.closest('[data-testid=stElementContainer]');
    const block = g.closest('[data-testid=stVerticalBlock]');
    const line = block ? stateLine(block) : null;
    const alerts = block ? Array.from(block.querySelectorAll('[data-testid=stAlert]')).map(e => e.innerText.trim()) : [];
    const r = g.getBoundingClientRect();
    const one = {checked: c ? c.innerText.trim() : null,
                 caption: line ? line.textContent.trim() : null,
                 pending: line ? line.getAttribute('data-pending') : null,
                 error: alerts.find(t => t.includes('Inte sparat')) || null,
                 disabled: g.getAttribute('aria-disabled'),
                 key: wc ? (Array.from(wc.classList).find(k => k.startsWith('st-key-')) || null) : null,
                 stale: wc ? wc.getAttribute('data-stale') : null,
                 visible: g.offsetParent !== null && r.height > 0, y: Math.round(r.y + window.scrollY),
                 escaped_name: raw !== label};
    (cells[label] = cells[label] || []).push(one);
  }
  return {heading: h ? h.innerText.trim() : null, cells: cells,
          stale: document.querySelectorAll('[data-stale=true]').length};
}"""


# --- the record --------------------------------------------------------------------------------------

@dataclass
class Click:
    participant: str
    seq: int
    t: float  # seconds since the scoring started (click sent)
    wall: str  # local clock time of the click (compare with the server log and the audit log)
    obj: str  # the object the participant meant (the one on screen when deciding)
    crit: str
    value: int
    recheck: bool  # a change of an already scored cell
    heading: str | None  # object heading visible just before the click
    heading_obj: str | None
    widget_obj: str | None  # object of the widget under the click, from its key
    checked_before: str | None
    caption_before: str | None
    # "up"; "down" (sent after the server was killed, before it was back); "boundary" (begun
    # before the kill, done after); "disconnected" (the page showed its widgets disabled: no server)
    phase: str = "up"
    delivered: bool = True  # Playwright could click
    error: str | None = None
    confirmed_after: float | None = None  # seconds from click until "✓ Sparat: <value>" in place
    refused: str | None = None  # the "Inte sparat" text shown in place
    at_kill_unconfirmed: bool = False
    t_done: float = 0.0
    # what the page did with it: the clicked value shown selected at some poll, the cell's state at
    # the last poll, and the first message to the server carrying the value for this cell
    seen_selected: bool = False
    epoch: float = 0.0  # time.time() when the click began (the page's Date.now() is the same clock)
    browser_events: list | None = None  # pointer events the page saw after an unconfirmed click
    no_answer: str | None = None  # the page said it got no answer from the server (not known saved)
    widgets_before: int = 1  # score widgets with this criterion's label on the page (1 expected)
    visible_widgets_before: int = 1  # of which visible
    last_selected: str | None = None
    last_caption: str | None = None
    sent_after: float | None = None
    sent_fragment: str | None = None
    sent_auto_rerun: bool | None = None

    @property
    def server_up(self) -> bool:
        return self.phase in ("up", "boundary")


@dataclass
class Participant:
    key: str
    name: str
    token: str
    server: object = None  # the app process this participant's browser talks to (sticky)
    context: object = None
    page: object = None
    clicks: list[Click] = field(default_factory=list)
    anomalies: list[dict] = field(default_factory=list)
    done: bool = False
    navs: list[float] = field(default_factory=list)  # seconds from "Nästa →" to the next heading
    page_errors: list[str] = field(default_factory=list)
    # rerun requests the page sent: (run seconds, fragment id, auto rerun, {(object, criterion): value})
    sent: list[tuple[float, str, bool, dict]] = field(default_factory=list)
    escaped_names: set = field(default_factory=set)  # score widgets whose accessible name shows "\\("
    duplicates: list[dict] = field(default_factory=list)  # one criterion's score widget twice on the page
    nav_mismatch: list[dict] = field(default_factory=list)  # differences after opening an object, gone later


@dataclass
class Run:
    args: argparse.Namespace
    server: SnapshotServer  # the first process: the one --restart kills
    db: Database
    rid: int
    objects: list  # scoring_logic.ObjectItem in page order
    criteria: list  # (key, name) in page order
    t0: float = 0.0
    deadline: float = 0.0
    down: list[list[float]] = field(default_factory=list)  # [kill, ready] intervals (run seconds)
    cpu: dict[int, list[float]] = field(default_factory=dict)  # pid -> [first, last] CPU seconds
    cpu_base: dict[int, float] = field(default_factory=dict)
    server_up: bool = True
    version: dict = field(default_factory=dict)
    browser_cpu: float = 0.0  # CPU seconds of Chromium, Playwright and this harness while scoring
    servers: list = field(default_factory=list)  # every app process (--processes); [0] is server

    def now(self) -> float:
        return time.monotonic() - self.t0

    def phase(self, a: float, b: float) -> str:
        """Where the click [a, b] lies relative to the server kills."""
        for start, end in self.down:
            end = 1e18 if end is None else end
            if start <= a < end:
                return "down"
            if a < start <= b:
                return "boundary"
        return "up"

    @property
    def name_to_obj(self) -> dict[str, str]:
        return {_norm(o.name): o.key for o in self.objects}


def _name_re(label: str) -> re.Pattern:
    """The accessible name, also when its punctuation still carries Markdown's backslashes."""
    return re.compile("^" + "".join(r"\\?" + re.escape(ch) if not ch.isalnum() and not ch.isspace() else re.escape(ch)
                                    for ch in label) + "$")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _widget_obj(key_class: str | None, objects: list, crit: str) -> str | None:
    if not key_class or not key_class.startswith("st-key-score_value-"):
        return None
    rest = key_class[len("st-key-score_value-"):]
    for o in objects:
        if rest.startswith(re.sub(r"[^A-Za-z0-9_-]", "-", o.key) + "-" + crit + "-"):
            return o.key
    return "?" + rest


# --- server, database, round -------------------------------------------------------------------------

class SnapshotServer(AppServer):
    """tests.e2e's AppServer, run from a copy of the app taken when the load test starts: other
    people's edits in the working tree during a run do not change the app under test."""

    def __init__(self, root: Path, *a, **kw):
        super().__init__(*a, **kw)
        self.root = root
        self.env["PYTHONPATH"] = str(root) + os.pathsep + self.env.get("PYTHONPATH", "")

    def start(self) -> SnapshotServer:
        log = open(self.log_path, "a")  # noqa: SIM115 - the server writes to it while it runs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.root / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop(kill=True)
        raise RuntimeError(f"streamlit did not start: {self.log_path.read_text()[-3000:]}")


def _snapshot(dest: Path) -> dict:
    """Copy the app as it is now (working tree, edits included) and say which version it is."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    digest = hashlib.sha1()
    for name in SNAPSHOT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".lock"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    for f in sorted(x for x in dest.rglob("*") if x.is_file()):
        digest.update(str(f.relative_to(dest)).encode() + b"\0" + f.read_bytes())

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"head": git("rev-parse", "--short", "HEAD").strip(), "snapshot_sha1": digest.hexdigest()[:12],
            "uncommitted": git("status", "--porcelain", "--", *SNAPSHOT).splitlines()}


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return sum(parts) - idle, sum(parts)


def _tree_cpu(exclude: set[int]) -> float:
    """CPU seconds of this process and all its descendants (the browser, Playwright's driver)
    except the given pids (the app server, measured on its own)."""
    parent, cpu = {}, {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d.name)] = int(fields[1])
        cpu[int(d.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    mine, todo = set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        mine.add(pid)
        todo.extend(c for c, pp in parent.items() if pp == pid and c not in mine)
    return sum(cpu.get(pid, 0.0) for pid in mine - exclude)


async def _wait_quiet(limit_s: float) -> float:
    """Wait (bounded) until the machine is nearly idle (others' test runs skew every number)."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        a = _machine_busy()
        await asyncio.sleep(5)
        b = _machine_busy()
        if (b[0] - a[0]) / max(1, b[1] - a[1]) < 0.25:
            break
        print(f"machine busy ({(b[0] - a[0]) / max(1, b[1] - a[1]):.0%}): waiting before the run", flush=True)
    return round(time.monotonic() - start, 1)


def _postgres_database(url: str) -> None:
    """Create the load-test database if missing and empty its public schema (never the test one)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if name in ("prioritization_test", "postgres", "template0", "template1") or "127.0.0.1" not in url:
        raise SystemExit(f"refusing to use {url}: the load test needs its own database on 127.0.0.1")
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    admin = conninfo.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            c.execute(f'create database "{name}"')
    with psycopg.connect(conninfo, autocommit=True) as c:
        c.execute("drop schema if exists public cascade")
        c.execute("create schema public")


def _make_round(db: Database, n: int) -> tuple[int, list[dict]]:
    data = json.loads(Path(EXAMPLE_PROJECT).read_text(encoding="utf-8"))
    data["scores"] = []
    people = list(data["participants"])
    for i in range(len(people), n):
        people.append({"id": f"p-extra-{i - len(data['participants']) + 1}",
                       "name": f"Extra {i - len(data['participants']) + 1}"})
    data["participants"] = people
    rid = rounds.import_project(db, FAC, projectfile.parse(data, require_complete=False))
    auth.set_facilitator_password(db, PASSWORD)
    rounds.set_status(db, FAC, rid, "scoring")
    return rid, people[:n]


def _stored(db: Database, rid: int, key: str) -> dict[tuple[str, str], float | None]:
    mine = scores.my_scores(db, Actor(PARTICIPANT, key, round_id=rid, participant_key=key), rid)
    return {cell: value for cell, (value, _comment) in mine.items()}


def _audit(db: Database, rid: int) -> list[AuditEntry]:
    with db.reader() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.round_id == rid, AuditEntry.action == "score.set")
                              .order_by(AuditEntry.id)))


# --- the participants --------------------------------------------------------------------------------

async def _cell(page, label: str) -> dict | None:
    try:
        return await page.evaluate(CELL_JS, label)
    except Exception:  # noqa: BLE001 - the page is between runs or reconnecting
        return None


async def _heading(page) -> str | None:
    try:
        return await page.evaluate("() => { const h = document.querySelector('[data-testid=stMain] h2');"
                                   " return h ? h.innerText.trim() : null; }")
    except Exception:  # noqa: BLE001
        return None


async def _wait_heading(run: Run, page, want: str | None, seconds: float) -> str | None:
    """Poll the object heading until it is ``want`` (or any object when ``want`` is None)."""
    end = time.monotonic() + seconds
    while True:
        obj = run.name_to_obj.get(_norm(await _heading(page)))
        if obj is not None and (want is None or obj == want):
            return obj
        if time.monotonic() >= end:
            return obj
        await asyncio.sleep(POLL_S)


def _sent(run: Run, p: Participant, payload) -> None:
    """Keep the score widgets' values of every rerun request the page sends (BackMsg protobuf)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    try:
        msg = BackMsg()
        msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
        if msg.WhichOneof("type") != "rerun_script":
            return
        rerun = msg.rerun_script
        values = {}
        for w in rerun.widget_states.widgets:
            if "score_value|" in w.id and w.WhichOneof("value") == "string_array_value":
                parts = w.id.split("score_value|", 1)[1].split("|")
                values[(parts[0], parts[1])] = ",".join(w.string_array_value.data)
        p.sent.append((run.now() if run.t0 else -1.0, rerun.fragment_id, rerun.is_auto_rerun, values))
    except Exception:  # noqa: BLE001 - a diagnostic only
        return


async def _login(run: Run, p: Participant, browser, delay: float) -> None:
    await asyncio.sleep(delay)
    p.context = await browser.new_context(viewport={"width": 1200, "height": 1400}, locale="sv-SE")
    await p.context.add_init_script(EVENTS_JS)
    p.page = await p.context.new_page()
    p.page.on("pageerror", lambda e: p.page_errors.append(str(e)[:300]))
    p.page.on("websocket", lambda ws: ws.on("framesent", lambda payload: _sent(run, p, payload)))
    await p.page.goto(f"{p.server.url}/?token={p.token}", timeout=LOGIN_TIMEOUT_MS, wait_until="domcontentloaded")
    await p.page.get_by_text("bedömningar klara", exact=False).first.wait_for(timeout=LOGIN_TIMEOUT_MS)
    if await _wait_heading(run, p.page, None, 60) is None:
        raise RuntimeError(f"{p.key}: no object heading after signing in")


async def _projector(run: Run, browser):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    context.set_default_timeout(LOGIN_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(run.servers[-1].url, timeout=LOGIN_TIMEOUT_MS, wait_until="domcontentloaded")
    await page.get_by_label("Facilitatorns lösenord").fill(PASSWORD)
    await page.get_by_role("button", name="Logga in").click()
    await page.get_by_role("link", name="Workshop (projektor)").click()
    await page.get_by_text("Hur långt har deltagarna kommit?", exact=False).wait_for(timeout=LOGIN_TIMEOUT_MS)
    return context, page


async def _follow(run: Run, p: Participant, click: Click, label: str, pre: dict) -> None:
    """Poll the cell until its caption confirms the value or it shows a refusal (bounded)."""
    want = f"✓ Sparat: {click.value} ("
    end = time.monotonic() + run.args.confirm_timeout
    sent = time.monotonic()
    while time.monotonic() < end:
        await asyncio.sleep(POLL_S)
        st = await _cell(p.page, label)
        if not st:
            continue
        click.last_selected, click.last_caption = st["checked"], st["caption"]
        click.seen_selected = click.seen_selected or st["checked"] == str(click.value)
        if st.get("failed") and not click.no_answer:
            click.no_answer = (st.get("pending") or "no answer")[:200]
        if st["error"] and st["error"] != pre.get("error"):
            click.refused = st["error"][:300]
            return
        caption = st["caption"] or ""
        if caption.startswith(want) and (caption != (pre.get("caption") or "") or st["key"] != pre.get("key")):
            click.confirmed_after = round(time.monotonic() - sent, 3)
            return


async def _next_object(run: Run, p: Participant, cur: str) -> None:
    keys = [o.key for o in run.objects]
    target = keys[keys.index(cur) + 1]
    start = time.monotonic()
    try:
        await p.page.get_by_role("button", name=NEXT).first.click(timeout=CLICK_TIMEOUT_MS)
    except Exception as e:  # noqa: BLE001 - server down: try again at the next step
        p.anomalies.append({"t": round(run.now(), 2), "what": "next_click_failed", "from": cur,
                            "server_up": run.server_up, "error": str(e).splitlines()[0][:200]})
    got = await _wait_heading(run, p.page, target, NAV_TIMEOUT_S)
    if got == target:
        p.navs.append(round(time.monotonic() - start, 3))
    else:
        p.anomalies.append({"t": round(run.now(), 2), "what": "next_did_not_arrive", "from": cur, "to": target,
                            "shown": got, "server_up": run.server_up})


async def _participant(run: Run, p: Participant, rng: random.Random) -> None:
    crits = dict(run.criteria)
    keys = [o.key for o in run.objects]
    todo = {o: rng.sample(list(crits), len(crits)) for o in keys}
    attempts: dict[tuple[str, str], int] = {}
    pending: dict[tuple[str, str], int] = {}  # value to retry after a click that did not get through
    intended: dict[tuple[str, str], int] = {}  # the last delivered click per cell (while up)
    believed = keys[0]
    lo, hi = run.args.pace
    next_at = time.monotonic() + rng.uniform(lo, hi)
    cap = 4 * len(keys) * len(crits)
    for _step in range(cap):
        if all(not v for v in todo.values()):
            p.done = True
            return
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        if time.monotonic() >= run.deadline:
            return
        obj = await _wait_heading(run, p.page, None, 10)
        if obj is None:
            p.anomalies.append({"t": round(run.now(), 2), "what": "no_heading", "server_up": run.server_up})
            next_at = time.monotonic() + 1
            continue
        if obj != believed:
            p.anomalies.append({"t": round(run.now(), 2), "what": "page_shows_other_object", "believed": believed,
                                "shown": obj, "server_up": run.server_up})
            believed = obj
        if not todo[obj]:
            if obj == keys[-1]:  # the rest (if any) lies behind: nothing sensible left to do
                p.done = True
                return
            await _next_object(run, p, obj)
            believed = run.name_to_obj.get(_norm(await _heading(p.page)), believed)
            next_at = time.monotonic() + rng.uniform(lo, hi)
            continue
        scored = [c for (o, c) in intended if o == obj]
        recheck = bool(scored) and rng.random() < run.args.recheck
        crit = rng.choice(scored) if recheck else todo[obj][-1]
        label = LABEL.format(crits[crit])
        pre = await _cell(p.page, label) or {}
        disabled = pre.get("disabled") == "true"
        choices = [v for v in range(1, 6) if v != intended.get((obj, crit)) and str(v) != pre.get("checked")]
        value = pending.get((obj, crit)) if (obj, crit) in pending and str(pending[(obj, crit)]) != pre.get("checked") \
            else rng.choice(choices)
        heading_obj = run.name_to_obj.get(_norm(pre.get("heading")))
        t = run.now()
        click = Click(p.key, len(p.clicks), round(t, 3), datetime.now().strftime("%H:%M:%S.%f")[:-3], obj, crit, value,
                      recheck, pre.get("heading"), heading_obj, _widget_obj(pre.get("key"), run.objects, crit),
                      pre.get("checked"), pre.get("caption"))
        click.widgets_before = pre.get("n", 1)
        click.visible_widgets_before = pre.get("nv", 1)
        click.epoch = time.time()
        p.clicks.append(click)
        if click.visible_widgets_before > 1 and sum(c.visible_widgets_before > 1 for c in p.clicks) <= 3:
            await _shot(run, p, f"twice-{click.seq}-{obj}-{crit}", label)
        try:  # a person clicks a greyed-out (disconnected) widget too: forced, it must do nothing
            await (p.page.get_by_role("radiogroup", name=_name_re(label))
                   .get_by_role("radio", name=str(value), exact=True)
                   .click(timeout=CLICK_TIMEOUT_MS, force=disabled))
        except Exception as e:  # noqa: BLE001 - the page moved or reconnects
            click.delivered = False
            click.error = str(e).splitlines()[0][:200]
        click.t_done = round(run.now(), 3)
        click.phase = "disconnected" if disabled else run.phase(t, click.t_done)
        if not click.delivered:  # Playwright gave up, but the click may have landed: look for its message
            await asyncio.sleep(1.0)
            click.delivered = _was_sent(p, click)
        if click.delivered:
            await _follow(run, p, click, label, pre)
        if click.confirmed_after is None and not click.refused:
            with contextlib.suppress(Exception):
                events = await p.page.evaluate("() => window.__loadEvents || []")
                click.browser_events = [e for e in events if click.epoch * 1000 - 100 <= e["at"]][:6]
        if click.delivered and click.server_up:
            intended[(obj, crit)] = value
        attempts[(obj, crit)] = attempts.get((obj, crit), 0) + 1
        retry = (not click.delivered or not click.server_up or click.refused) and attempts[(obj, crit)] < MAX_ATTEMPTS
        if retry:
            pending[(obj, crit)] = value
            if not recheck and crit in todo[obj]:
                todo[obj].insert(0, todo[obj].pop())  # again later, after the others
        else:
            pending.pop((obj, crit), None)
            if not recheck and crit in todo[obj]:
                todo[obj].remove(crit)
        next_at = max(time.monotonic(), run.t0 + t + rng.uniform(lo, hi))


async def _cpu_sampler(run: Run, stop: asyncio.Event) -> None:
    while not stop.is_set():
        for server in run.servers:
            proc = server.proc
            if proc is not None and (cpu := _cpu_seconds(proc.pid)) is not None:
                run.cpu.setdefault(proc.pid, [cpu, cpu])[1] = cpu
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def _restarter(run: Run) -> None:
    await asyncio.sleep(max(0.0, run.t0 + run.args.minutes * 30 - time.monotonic()))
    if time.monotonic() >= run.deadline:
        return
    pid = run.server.proc.pid
    if (cpu := _cpu_seconds(pid)) is not None:
        run.cpu.setdefault(pid, [cpu, cpu])[1] = cpu
    run.down.append([run.now(), None])
    run.server_up = False
    run.server.stop(kill=True)
    print(f"[{run.now():6.1f}s] server SIGKILLed (pid {pid})", flush=True)
    await asyncio.sleep(2)
    await asyncio.to_thread(run.server.start)
    run.cpu.setdefault(run.server.proc.pid, [0.0, 0.0])  # the new server's start-up counts too
    run.down[-1][1] = run.now()
    run.server_up = True
    print(f"[{run.now():6.1f}s] server up again (pid {run.server.proc.pid})", flush=True)


# --- the end: settle, compare, check the pages --------------------------------------------------------

async def _settle(run: Run, people: list[Participant]) -> float:
    """Wait (bounded) until no page has stale elements and the audit log stopped growing for 3 s."""
    start = time.monotonic()
    last, stable_since = -1, time.monotonic()
    while time.monotonic() - start < SETTLE_S:
        n = len(_audit(run.db, run.rid))
        if n != last:
            last, stable_since = n, time.monotonic()
        stale = 0
        for p in people:
            try:
                stale += await p.page.evaluate("() => document.querySelectorAll('[data-stale=true]').length")
            except Exception:  # noqa: BLE001
                stale += 1
        if stale == 0 and time.monotonic() - stable_since >= 3:
            break
        await asyncio.sleep(0.5)
    return round(time.monotonic() - start, 1)


def _shot_name(run: Run, p: Participant, what: str) -> Path:
    out = run.args.artifacts / f"{p.key}-{what}.png"
    return out


async def _check_page(run: Run, p: Participant, stored: dict, objs_to_check: list[str]) -> list[dict]:
    """The object on screen at the end, then every object the participant worked on (opened with
    the page's own buttons): the selection and the caption of every criterion equal what is stored.

    On the object shown at the end a difference still there 3 s later is a silently dropped click.
    After opening another object the page is given up to 30 s: differences that go away are reported
    (with how long they lasted) as ``nav_mismatch``; those that stay count as silently dropped."""
    crits = dict(run.criteria)
    keys = [o.key for o in run.objects]
    problems: list[dict] = []
    cur = await _wait_heading(run, p.page, None, 10)
    if cur is None:
        return [{"participant": p.key, "what": "no_heading_at_end"}]
    # backwards from where the page is (the participants worked forwards), then any later ones
    order = [cur] + sorted((o for o in objs_to_check if keys.index(o) < keys.index(cur)), key=keys.index, reverse=True) \
        + sorted((o for o in objs_to_check if keys.index(o) > keys.index(cur)), key=keys.index)
    for i, target in enumerate(order):
        opened = time.monotonic()
        for _ in range(len(keys)):
            cur = run.name_to_obj.get(_norm(await _heading(p.page)))
            if cur == target or cur is None:
                break
            button = NEXT if keys.index(target) > keys.index(cur) else PREV
            opened = time.monotonic()
            with contextlib.suppress(Exception):  # it may have been clicked all the same
                await p.page.get_by_role("button", name=button).first.click(timeout=CLICK_TIMEOUT_MS)
            step = keys[keys.index(cur) + (1 if button == NEXT else -1)]
            await _wait_heading(run, p.page, step, NAV_TIMEOUT_S)
        if run.name_to_obj.get(_norm(await _heading(p.page))) != target:
            problems.append({"participant": p.key, "what": "could_not_open_object", "object": target})
            continue
        dups = len(p.duplicates)
        found = _compare(p, target, stored, crits, await _stable_state(p.page, len(crits)))
        if len(p.duplicates) > dups and p.duplicates[-1]["visible"]:
            label = next(k for k, v in p.duplicates[-1]["widgets"].items() if sum(w["visible"] for w in v) > 1)
            p.duplicates[-1]["screenshot"] = await _shot(run, p, f"twice-{target}", label)
        if not found:
            continue
        first_seen = round(time.monotonic() - opened, 1)
        path = await _shot(run, p, f"{'end' if i == 0 else 'nav'}-{target}", LABEL.format(crits[found[0]["criterion"]]))
        for x in found:
            x.update(screenshot=path, seen_after_open_s=first_seen if i else None)
        wait = 3.0 if i == 0 else 30.0
        end, left = time.monotonic() + wait, found
        while time.monotonic() < end:
            await asyncio.sleep(1.0)
            left = _compare(p, target, stored, crits, await _stable_state(p.page, len(crits), 5.0))
            if not left and i:
                break
        still = {x["criterion"] for x in left}
        for x in found:
            if x["criterion"] not in still:
                x["resolved_after_open_s"] = round(time.monotonic() - opened, 1)
                p.nav_mismatch.append(x)
        for x in left:
            x["lasted_s"] = round(time.monotonic() - opened, 1)
            x["screenshot_later"] = await _shot(run, p, f"{'end' if i == 0 else 'nav'}-{target}-later",
                                                LABEL.format(crits[x["criterion"]]))
            problems.append(x)
            break  # one later screenshot is enough
        problems.extend(x for x in left[1:])
    return problems


async def _shot(run: Run, p: Participant, name: str, label: str) -> str | None:
    """A screenshot with the given criterion scrolled into view (the page scrolls inside the app)."""
    path = run.args.artifacts / f"{p.key}-{name}.png"
    try:
        await p.page.get_by_role("radiogroup", name=_name_re(label)).first.scroll_into_view_if_needed(timeout=5_000)
        await p.page.screenshot(path=str(path))
    except Exception:  # noqa: BLE001 - a diagnostic only
        return None
    return str(path.relative_to(ROOT))


async def _stable_state(page, n_criteria: int, seconds: float = 15.0) -> dict:
    """The object on screen once drawn: no stale elements, every criterion there, and the same on
    two reads a second apart (bounded)."""
    end, last = time.monotonic() + seconds, None
    while True:
        try:
            state = await page.evaluate(ALL_JS)
        except Exception:  # noqa: BLE001 - between runs
            state = {"heading": None, "cells": {}, "stale": 1}
        settled = state["stale"] == 0 and len(state["cells"]) == n_criteria
        if (settled and last is not None and state["cells"] == last["cells"]) or time.monotonic() >= end:
            return state
        last = state if settled else None
        await asyncio.sleep(1.0 if settled else POLL_S)


def _compare(p: Participant, target: str, stored: dict, crits: dict, state: dict) -> list[dict]:
    problems = []
    for crit, name in crits.items():
        all_shown = state["cells"].get(LABEL.format(name)) or []
        shown = next((x for x in all_shown if x["visible"]), all_shown[0] if all_shown else None)
        value = stored.get((target, crit), "none")
        want_checked = None if value == "none" else ("Vet ej" if value is None else str(int(value)))
        want_caption = "Inte bedömd än." if value == "none" else f"✓ Sparat: {want_checked} ("
        if shown is None:
            problems.append({"participant": p.key, "what": "cell_not_on_page", "object": target, "criterion": crit})
        elif shown["checked"] != want_checked or not (shown["caption"] or "").startswith(want_caption):
            told = bool(shown.get("pending")) and shown["checked"] == want_checked
            problems.append({"participant": p.key, "object": target,
                             "what": "page_says_no_answer_but_stored" if told else "page_differs_from_database",
                             "criterion": crit, "page_selected": shown["checked"], "page_caption": shown["caption"],
                             "page_error": shown["error"], "stored": want_checked, "at": datetime.now().strftime("%H:%M:%S"),
                             "widgets": all_shown})
    p.escaped_names.update(k for k, v in state["cells"].items() if any(w.get("escaped_name") for w in v))
    twice = {k: v for k, v in state["cells"].items() if len(v) > 1}
    if twice:
        p.duplicates.append({"object": target, "at": datetime.now().strftime("%H:%M:%S"), "widgets": twice,
                             "visible": any(sum(w["visible"] for w in v) > 1 for v in twice.values())})
    return problems


def _was_sent(p: Participant, c: Click) -> bool:
    return any(t >= c.t - 0.05 and values.get((c.obj, c.crit)) == str(c.value) for t, _f, _a, values in p.sent)


def _match_sent(p: Participant) -> None:
    """For each click, the first rerun request after it that carries the clicked value for the cell."""
    for c in p.clicks:
        for t, fragment, auto, values in p.sent:
            if t >= c.t - 0.05 and values.get((c.obj, c.crit)) == str(c.value):
                c.sent_after, c.sent_fragment, c.sent_auto_rerun = round(t - c.t, 3), fragment, auto
                break


def _classify(run: Run, p: Participant, stored: dict, kill_times: list[float],
              confirm_timeout: float = 15.0) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"lost": [], "misdirected": [], "silently_dropped": [], "unconfirmed_at_kill": [],
                                  "unclear": [], "lost_told": []}
    by_cell: dict[tuple[str, str], list[Click]] = {}
    attempted: dict[tuple[str, str], set[float]] = {}
    for c in p.clicks:
        attempted.setdefault((c.obj, c.crit), set()).add(float(c.value))
        if c.delivered:
            by_cell.setdefault((c.obj, c.crit), []).append(c)
    for c in p.clicks:  # an up click still awaiting its confirmation when the server was killed
        if c.delivered and c.server_up and any(
                c.t <= k <= c.t_done + confirm_timeout and (c.confirmed_after is None or c.t_done + c.confirmed_after > k)
                for k in kill_times):
            c.at_kill_unconfirmed = True
    _match_sent(p)
    for cell in sorted(set(stored) | set(by_cell)):
        clicks = by_cell.get(cell, [])
        value = stored.get(cell, "none")
        info = {"participant": p.key, "object": cell[0], "criterion": cell[1], "stored": value,
                "clicks": [(c.seq, c.wall, c.value, c.phase, c.confirmed_after, bool(c.refused)) for c in clicks],
                "last_click": None if not clicks else {
                    k: getattr(clicks[-1], k) for k in ("seq", "wall", "t", "t_done", "heading_obj", "widget_obj",
                                                        "seen_selected", "last_selected", "last_caption", "sent_after",
                                                        "sent_fragment", "sent_auto_rerun", "no_answer",
                                                        "browser_events")}}
        up = [c for c in clicks if c.server_up]
        if value != "none" and value not in attempted.get(cell, set()):
            out["misdirected"].append({**info, "why": "stored a value this participant never clicked for this cell"})
            continue
        if value != "none" and value not in {float(c.value) for c in clicks}:
            out["unclear"].append({**info, "why": "stored a value of a click the harness saw fail"})
            continue
        if value != "none" and value not in {float(c.value) for c in up}:
            out["misdirected"].append({**info, "why": "stored a value clicked only while the server was down "
                                                      "or the page disconnected (re-sent after reconnecting)"})
            continue
        if not up:
            continue
        last = up[-1]
        if value != "none" and float(value) == last.value:
            continue
        if last.refused:
            continue  # refused in place: the person was told
        if last.no_answer:  # the page said "no answer from the server": told, but with the server up it is a loss
            out["lost_told"].append({**info, "why": "not stored; the page showed 'no answer from the server'"
                                                    + (f"; it had sent the click {last.sent_after} s after it"
                                                       if last.sent_after is not None else "")})
            continue
        if last.at_kill_unconfirmed:
            out["unconfirmed_at_kill"].append({**info, "why": "the server was killed before the save was confirmed"})
            continue
        why = "nothing stored" if value == "none" else "an earlier value of the participant is stored"
        if last.sent_after is None and not last.seen_selected:
            why += "; the page never showed it selected nor sent it (the click did not take)"
            events = last.browser_events or []
            down = next((e for e in events if e["kind"] == "pointerdown"), None)
            up = next((e for e in events if e["kind"] == "pointerup"), None)
            hit = [e for e in events if e["kind"] == "click"]
            if down and up and down["radio"] == str(last.value) and up["key"] != down["key"]:
                info["cause"] = "layout_shift"
                why += (f"; the page moved between press and release ({up['at'] - down['at']} ms): pressed "
                        f"'{down['radio']}' of {down['key']} at ({down['x']},{down['y']}), released on {up['key']}"
                        f"; the pressed row went from y={down.get('pressed_y')} to y={up.get('pressed_y')}"
                        f" (still in the page: {up.get('pressed_connected')}), scroll {down.get('scroll')} -> "
                        f"{up.get('scroll')}")
            elif hit:
                e = hit[0]
                why += (f"; the browser's click landed on {e['tag']} {e['label'] or ''} {e['radio'] or ''}"
                        f" {e['key'] or ''} at ({e['x']},{e['y']})")
            elif last.browser_events is not None:
                why += "; the page saw no click event"
        elif last.sent_after is not None:
            why += f"; the page sent it to the server {last.sent_after} s after the click"
        if last.confirmed_after is not None:
            out["silently_dropped"].append({**info, "why": f"confirmed in place but not kept: {why}"})
        else:
            out["lost"].append({**info, "why": why})
    return out


# --- main ----------------------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, round(q * (len(values) - 1)))], 2)


async def _main(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    if args.processes > 1 and args.db != "postgresql":
        raise SystemExit("--processes above 1 needs --db postgresql (SQLite is one process's database)")
    tag = (f"{args.db}-{args.participants}" + (f"-{args.processes}proc" if args.processes > 1 else "")
           + ("-restart" if args.restart else ""))
    args.waited_s = await _wait_quiet(args.wait_quiet)
    args.artifacts = ARTIFACTS / tag
    args.artifacts.mkdir(parents=True, exist_ok=True)
    for old in args.artifacts.glob("*"):
        if old.is_file():
            old.unlink()
    if args.db == "sqlite":
        url = f"sqlite:///{args.artifacts / 'load.db'}"
    else:
        url = args.pg_url
        _postgres_database(url)
    db = Database.open(url)
    rid, people_doc = _make_round(db, args.participants)
    doc = rounds.setup_document(db, FAC, rid)
    objects = scoring_logic.candidate_objects(doc, "sv")
    criteria = [(c["id"], c["name"]) for c in doc["criteria"]]
    people = [Participant(x["id"], x["name"], auth.invite(db, FAC, rid, PARTICIPANT, x["id"])) for x in people_doc]
    env = {"PRIORITIZATION_SLOW_RUN_MS": str(args.slow_ms)} if args.slow_ms else {}
    version = _snapshot(args.artifacts / "app")
    servers = [SnapshotServer(args.artifacts / "app", url, args.artifacts / f"streamlit{'-' + str(i) if i else ''}.log",
                              **env).start() for i in range(args.processes)]
    server = servers[0]
    for i, p in enumerate(people):  # sticky: one participant, one process, as a proxy's affinity would
        p.server = servers[i % len(servers)]
    run = Run(args, server, db, rid, objects, criteria, servers=servers)
    run.version = version
    print(f"load test: {args.participants} participants, {args.db}, {args.minutes} min, "
          f"{len(objects)} objects x {len(criteria)} criteria, restart={args.restart}, "
          f"server {', '.join(s.url for s in servers)} (projector on the last)", flush=True)
    code = 2
    stop = asyncio.Event()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            t_login = time.monotonic()
            fac_ctx, projector = await _projector(run, browser)
            await asyncio.gather(*(_login(run, p, browser, 0.7 * i) for i, p in enumerate(people)))
            print(f"signed in: {len(people)} participants + projector in {time.monotonic() - t_login:.0f} s", flush=True)
            run.t0 = time.monotonic()
            run.deadline = run.t0 + args.minutes * 60
            busy0 = _machine_busy()
            pid0 = server.proc.pid
            pids0 = {s.proc.pid for s in servers}
            tree0 = _tree_cpu(pids0)
            for pid in pids0:
                run.cpu_base[pid] = _cpu_seconds(pid) or 0.0
            sampler = asyncio.create_task(_cpu_sampler(run, stop))
            tasks = [asyncio.create_task(_participant(run, p, random.Random(f"{args.seed}-{p.key}"))) for p in people]
            restarter = asyncio.create_task(_restarter(run)) if args.restart else None
            results = await asyncio.gather(*tasks, return_exceptions=True)
            for p, r in zip(people, results, strict=True):
                if isinstance(r, BaseException):
                    p.anomalies.append({"what": "harness_error", "error": repr(r)[:300]})
            if restarter is not None:
                await restarter
            scoring_s = run.now()
            busy1 = _machine_busy()
            run.browser_cpu = _tree_cpu(set(run.cpu) | pids0) - tree0
            stop.set()
            await sampler
            settle_s = await _settle(run, people)
            audit_before_check = len(_audit(db, rid))
            stored = {p.key: _stored(db, rid, p.key) for p in people}
            kills = [start for start, _ in run.down]
            found = {p.key: _classify(run, p, stored[p.key], kills, args.confirm_timeout) for p in people}
            for p in people:  # the state at the end, before the final check moves the pages
                if any(found[p.key][k] for k in ("lost", "misdirected", "silently_dropped")):
                    await p.page.screenshot(path=str(_shot_name(run, p, "end")), full_page=True)
            checks = await asyncio.gather(*(asyncio.wait_for(
                _check_page(run, p, stored[p.key], sorted({c.obj for c in p.clicks}, key=[o.key for o in objects].index)),
                FINAL_CHECK_S) for p in people), return_exceptions=True)
            page_problems = []
            for p, r in zip(people, checks, strict=True):
                if isinstance(r, BaseException):
                    p.anomalies.append({"what": "final_check_error", "error": repr(r)[:300]})
                else:
                    page_problems += r
            projector_signed_in = await projector.get_by_label("Facilitatorns lösenord").count() == 0
            await projector.screenshot(path=str(args.artifacts / "projector-end.png"))
            audit_after_check = len(_audit(db, rid))
            await fac_ctx.close()
            for p in people:
                await p.context.close()
            await browser.close()
    finally:
        stop.set()
        for s in servers:
            s.stop()
    code = _report(run, people, found, page_problems, stored, scoring_s, settle_s, busy0, busy1, pid0,
                   audit_before_check, audit_after_check, projector_signed_in, tag)
    db.dispose()
    return code


def _server_log(path: Path) -> dict:
    text = path.read_text(errors="replace") if path.exists() else ""
    lines = text.splitlines()
    interesting = [ln for ln in lines if re.search(r"Traceback|ERROR|Error|WARNING|Exception", ln)
                   and not re.search(r'"(GET|POST) /static/', ln)]
    return {"lines": len(lines), "tracebacks": text.count("Traceback"), "flagged": len(interesting),
            "first_flagged": interesting[:15]}


def _report(run, people, found, page_problems, stored, scoring_s, settle_s, busy0, busy1, pid0,
            audit_before_check, audit_after_check, projector_signed_in, tag) -> int:
    args = run.args
    clicks = [c for p in people for c in p.clicks]
    delivered = [c for c in clicks if c.delivered]
    up = [c for c in delivered if c.server_up]
    confirmed = [c.confirmed_after for c in up if c.confirmed_after is not None]
    refused = [c for c in clicks if c.refused]
    down_clicks = [c for c in clicks if not c.server_up]
    lost = [x for p in people for x in found[p.key]["lost"]]
    misdirected = [x for p in people for x in found[p.key]["misdirected"]]
    stale_told = [x for x in page_problems if x["what"] == "page_says_no_answer_but_stored"]
    dropped = [x for p in people for x in found[p.key]["silently_dropped"]] + [x for x in page_problems if x not in stale_told]
    at_kill = [x for p in people for x in found[p.key]["unconfirmed_at_kill"]]
    unconfirmed_up = [asdict(c) for c in up if c.confirmed_after is None and not c.refused and not c.at_kill_unconfirmed]
    heading_mismatch = [asdict(c) for c in delivered if c.heading_obj != c.obj or (c.widget_obj and c.widget_obj != c.obj)]
    saves = audit_before_check
    cpu = sum(last - run.cpu_base.get(pid, 0.0) for pid, (first, last) in run.cpu.items())
    minutes = scoring_s / 60
    busy = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    machine_cpu_s = (busy1[0] - busy0[0]) / os.sysconf("SC_CLK_TCK")
    others_cpu_s = max(0.0, machine_cpu_s - cpu - run.browser_cpu)
    log = _server_log(args.artifacts / "streamlit.log")
    for extra in sorted(args.artifacts.glob("streamlit-*.log")):
        for k, v in _server_log(extra).items():
            log[k] = (log[k] + v)[:15] if isinstance(v, list) else log[k] + v
    summary = {
        "app": run.version,
        "participants": args.participants, "processes": args.processes, "db": args.db, "minutes": args.minutes, "seed": args.seed,
        "pace_s": list(args.pace), "slow_ms": args.slow_ms, "restart": bool(args.restart),
        "scoring_seconds": round(scoring_s, 1), "settle_seconds": settle_s,
        "finished_all": sum(p.done for p in people),
        "clicks": len(clicks), "clicks_delivered": len(delivered), "clicks_not_delivered": len(clicks) - len(delivered),
        "clicks_while_down": len(down_clicks), "rechecks": sum(c.recheck for c in clicks),
        "stored_saves": saves, "stored_cells": sum(len(v) for v in stored.values()),
        "lost": len(lost), "misdirected": len(misdirected), "silently_dropped": len(dropped),
        "lost_told": sum(len(found[p.key]["lost_told"]) for p in people),
        "accessible_names_with_markdown_escapes": sorted({n for p in people for n in p.escaped_names}),
        "lost_layout_shift": sum(x.get("cause") == "layout_shift" for x in lost),
        "stored_but_page_says_no_answer": len(stale_told),
        "refused": len(refused), "no_answer_shown": sum(bool(c.no_answer) for c in clicks), "unconfirmed_at_kill": len(at_kill), "unconfirmed_while_up": len(unconfirmed_up),
        "confirmed_share": round(len(confirmed) / len(up), 4) if up else None,
        "confirm_p50_s": _pct(confirmed, 0.5), "confirm_p95_s": _pct(confirmed, 0.95),
        "confirm_max_s": max(confirmed) if confirmed else None,
        "next_p50_s": _pct([x for p in people for x in p.navs], 0.5),
        "next_p95_s": _pct([x for p in people for x in p.navs], 0.95),
        "server_cpu_s": round(cpu, 2), "server_cpu_s_per_save": round(cpu / saves, 4) if saves else None,
        "server_cpu_s_per_minute": round(cpu / minutes, 2) if minutes else None,
        "machine_busy_share": round(busy, 3), "cpus": os.cpu_count(),
        "browser_and_harness_cpu_s": round(run.browser_cpu, 1), "other_processes_cpu_s": round(others_cpu_s, 1),
        "waited_for_quiet_machine_s": args.waited_s,
        "writes_during_final_check": audit_after_check - audit_before_check,
        "projector_signed_in_at_end": projector_signed_in,
        "down_intervals_s": [[round(a, 1), None if b is None else round(b, 1)] for a, b in run.down],
        "heading_or_widget_mismatch_at_click": len(heading_mismatch),
        "nav_mismatch": sum(len(p.nav_mismatch) for p in people),
        "nav_mismatch_objects": len({(x["participant"], x["object"]) for p in people for x in p.nav_mismatch}),
        "unclear": sum(len(found[p.key]["unclear"]) for p in people),
        "widget_shown_twice_sightings": sum(d["visible"] for p in people for d in p.duplicates)
        + sum(c.visible_widgets_before > 1 for c in clicks),
        "hidden_leftover_widget_sightings": sum(not d["visible"] for p in people for d in p.duplicates)
        + sum(c.widgets_before > c.visible_widgets_before for c in clicks),
        "up_clicks_never_sent": sum(c.sent_after is None for c in up),
        "send_p95_s": _pct([c.sent_after for c in up if c.sent_after is not None], 0.95),
        "anomalies": sum(len(p.anomalies) for p in people),
        "page_errors": sum(len(p.page_errors) for p in people),
        "server_log": log,
        "details": {"lost": lost, "misdirected": misdirected, "silently_dropped": dropped,
                    "unconfirmed_at_kill": at_kill, "unconfirmed_while_up": unconfirmed_up[:50],
                    "heading_or_widget_mismatch": heading_mismatch[:50],
                    "nav_mismatch": [x for p in people for x in p.nav_mismatch][:60],
                    "unclear": [x for p in people for x in found[p.key]["unclear"]],
                    "lost_told": [x for p in people for x in found[p.key]["lost_told"]],
                    "stored_but_page_says_no_answer": stale_told,
                    "duplicate_widgets": {p.key: p.duplicates[:3] for p in people if p.duplicates},
                    "anomalies": {p.key: p.anomalies for p in people if p.anomalies},
                    "page_errors": {p.key: p.page_errors[:5] for p in people if p.page_errors}},
        "artifacts": str(args.artifacts.relative_to(ROOT)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{tag}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    (args.artifacts / "clicks.json").write_text(json.dumps(
        {p.key: {"clicks": [asdict(c) for c in p.clicks], "anomalies": p.anomalies, "navs": p.navs,
                 "sent": [(round(t, 3), f[:8], a) for t, f, a, _v in p.sent],
                 "stored": {f"{o}/{c}": v for (o, c), v in stored[p.key].items()}} for p in people},
        indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    rows = [("participants", args.participants), ("db", args.db), ("minutes (scoring s)", f"{args.minutes} ({scoring_s:.0f} s)"),
            ("restart", "yes" if args.restart else "no"), ("app processes", args.processes), ("clicks", len(clicks)),
            ("  not delivered", len(clicks) - len(delivered)), ("  while server down", len(down_clicks)),
            ("stored saves (audit)", saves), ("LOST (not told)", len(lost)),
            ("  of which the page moved under the click", summary["lost_layout_shift"]),
            ("MISDIRECTED", len(misdirected)),
            ("SILENTLY DROPPED", len(dropped)), ("refused (Inte sparat)", len(refused)),
            ("'no answer from the server' shown", summary["no_answer_shown"]),
            ("  of which not stored (server up)", summary["lost_told"]),
            ("stored, but the page still says 'no answer'", len(stale_told)),
            ("unconfirmed at kill", len(at_kill)), ("unconfirmed while up", len(unconfirmed_up)),
            ("confirmed share", summary["confirmed_share"]),
            ("click->confirm p50 / p95 / max s",
             f"{summary['confirm_p50_s']} / {summary['confirm_p95_s']} / {summary['confirm_max_s']}"),
            ("next->heading p50 / p95 s", f"{summary['next_p50_s']} / {summary['next_p95_s']}"),
            ("server CPU s (per save, per min)", (f"{cpu:.1f} ({summary['server_cpu_s_per_save']}, "
                                                  f"{summary['server_cpu_s_per_minute']})")),
            ("machine busy (all cpus)", f"{busy:.0%} of {os.cpu_count()}"),
            ("  CPU s: server / browser+harness / others", f"{cpu:.0f} / {run.browser_cpu:.0f} / {others_cpu_s:.0f}"),
            ("up clicks never sent by the page", summary["up_clicks_never_sent"]),
            ("heading/widget mismatch at click", len(heading_mismatch)),
            ("cells wrong for a while after opening an object (objects)",
             f"{summary['nav_mismatch']} ({summary['nav_mismatch_objects']})"),
            ("unclear (stored from a click seen failing)", summary["unclear"]),
            ("score widget shown twice (sightings)", summary["widget_shown_twice_sightings"]),
            ("hidden leftover score widgets (sightings)", summary["hidden_leftover_widget_sightings"]),
            ("score names read with backslashes (criteria)", len(summary["accessible_names_with_markdown_escapes"])),
            ("anomalies", summary["anomalies"]),
            ("writes during final check", summary["writes_during_final_check"]),
            ("server log tracebacks / flagged", f"{log['tracebacks']} / {log['flagged']}"),
            ("finished all objects", summary["finished_all"])]
    width = max(len(k) for k, _ in rows)
    print("-" * (width + 20))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print("-" * (width + 20))
    told = [x for p in people for x in found[p.key]["lost_told"]]
    for name, items in (("lost", lost), ("misdirected", misdirected), ("silently dropped", dropped),
                        ("lost, 'no answer' shown", told), ("stored, page says 'no answer'", stale_told)):
        for x in items[:10]:
            print(f"{name}: {json.dumps(x, ensure_ascii=False, default=str)}")
    print(f"written: {out.relative_to(ROOT)}; click log {(args.artifacts / 'clicks.json').relative_to(ROOT)}")
    return 0 if not (lost or misdirected or dropped) else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load_workshop", description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=8)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--processes", type=int, default=1,
                    help="app processes on one PostgreSQL; participants alternate between them, the projector "
                         "uses the last (as sticky sessions behind a proxy would)")
    ap.add_argument("--restart", action="store_true", help="SIGKILL the server halfway and start it again")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pace", type=float, nargs=2, default=(3.0, 8.0), metavar=("MIN_S", "MAX_S"))
    ap.add_argument("--recheck", type=float, default=0.10, help="share of clicks that change a scored cell")
    ap.add_argument("--confirm-timeout", type=float, default=15.0)
    ap.add_argument("--slow-ms", type=int, default=0, help="PRIORITIZATION_SLOW_RUN_MS for the server")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--wait-quiet", type=float, default=120.0,
                    help="wait up to this many seconds for an idle machine before starting (0: do not wait)")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    if not 1 <= args.participants <= 64 or not 0 < args.minutes <= 30:
        ap.error("1-64 participants and up to 30 minutes")
    return asyncio.run(_main(args))


if __name__ == "__main__":
    sys.exit(main())
