"""Reading a round for the results pages (issue 15): the live round from the database, and a frozen
version as a viewer reads it, at 200 objects x 15 criteria x 10 participants (30 000 scores).

* ``live round``: what a results page does after every saved score (the cache key moves): the
  project from the rows and the SHA-256 of its canonical text. "validating" is the way it was read
  before issue 15, kept here as the reference: the whole document through the project-file reader,
  and the canonical text written by ``json.dumps(indent=2)``; "trusted" is ``rounds.export_project``
  and ``projectfile.sha256`` as they are now.
* ``viewer, frozen version``: the committee's view of a version frozen during scoring (anonymous
  ratings) on every rerun: the check of the stored text, the view and the project read from it.
  "first" is the first read in the process, "again" a later one (the view is made once).

Best of 5 timings each (the machine is shared); SQLite, and PostgreSQL when
``PRIORITIZATION_BENCH_PG_URL`` names a database the benchmark may reset.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

from bench.bench_dashboard import project
from bench.timing import best_seconds, peak_mib

REPEAT = 5




def _rows(url: str, backend: str) -> list[dict]:
    from prioritization import projectfile
    from prioritization.storage import rounds, versions
    from prioritization.storage.access import FACILITATOR, VIEWER, Actor
    from prioritization.storage.database import Database

    db = Database.open(url)
    fac = Actor(FACILITATOR, "bench")
    rid = rounds.import_project(db, fac, project())

    def validating():
        with db.reader() as s:
            doc = rounds._document(s, rounds.get_round(s, rid))
        p = projectfile.parse(doc, require_complete=False, check_text=False)
        text = json.dumps(projectfile.to_dict(p), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def trusted():
        return projectfile.sha256(rounds.export_project(db, fac, rid))

    assert validating() == trusted()
    size = "200x15x10"
    out = []
    for how, f in (("validating (before)", validating), ("trusted (now)", trusted)):
        out.append({"name": f"live round, {how}, {backend}", "seconds": best_seconds(f, REPEAT), "peak_mib": peak_mib(f),
                    "size": size})
    rounds.set_status(db, fac, rid, "scoring")
    v = versions.freeze(db, fac, rid, "Bench")
    viewer = Actor(VIEWER, "committee", round_id=rid)

    def viewer_read():
        versions.load(db, viewer, v.id)

    def first():
        versions._SEEN.clear()
        versions._LOADED.clear()
        viewer_read()

    out.append({"name": f"viewer, frozen version, first read, {backend}", "seconds": best_seconds(first, REPEAT),
                "peak_mib": peak_mib(first), "size": size})
    viewer_read()
    out.append({"name": f"viewer, frozen version, again, {backend}", "seconds": best_seconds(viewer_read, REPEAT),
                "peak_mib": peak_mib(viewer_read), "size": size})
    db.dispose()
    return out


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += _rows(f"sqlite:///{tmp}/bench.db", "SQLite")
    pg = os.environ.get("PRIORITIZATION_BENCH_PG_URL")
    if pg:
        from sqlalchemy import create_engine, text

        eng = create_engine(pg)
        with eng.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
        eng.dispose()
        rows += _rows(pg, "PostgreSQL")
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
