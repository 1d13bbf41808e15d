"""The ``export`` and ``timeline`` commands: the priority-list files and the timeline without the app.

``export`` builds the same Excel, CSV and PDF files as the dashboard's downloads (weighted sum,
tiers, optional comparison weight profile, sensitivity with the sensitivity page's defaults) from
a project file. ``timeline`` prints the milestones as of a day and can write the .ics calendar.

Version stamp (see ``docs/cli.md``): the file is treated as a frozen version named after the file
(or ``--version-name``), frozen at the file's last modification time, with the SHA-256 of the
*canonical* project text (:func:`prioritization.projectfile.sha256`), the fingerprint the app
stamps on a version with the same content. When the file is not byte-for-byte canonical its own
SHA-256 differs; both are then reported on stderr. ``--draft`` stamps the file as not frozen.

Output files are never half-written: the bytes are built in memory, written to a temporary file
in the target directory and renamed into place; an existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import os
import re
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from datetime import time as dt_time
from pathlib import Path

from prioritization import analysis, i18n, projectfile
from prioritization.cli.common import EXIT_ERROR, EXIT_OK, add_format, print_error, print_json, table
from prioritization.errors import InputError, ProjectFileError
from prioritization.exports import VersionStamp, file_name
from prioritization.model import Project
from prioritization.timeline import EXTERNAL, schedule
from prioritization.timeline.labels import countdown_text, kind_label, status_label, warning_text, when_text
from prioritization.timeline.milestones import Milestone

FORMATS = ("xlsx", "csv", "pdf")
# what the sensitivity page and the dashboard's downloads show (one home: analysis.DECISION_SENSITIVITY)
SENSITIVITY_SAMPLES = analysis.DECISION_SENSITIVITY.samples
SENSITIVITY_SEED = analysis.DECISION_SENSITIVITY.seed
SENSITIVITY_WEIGHT_MODELS = analysis.DECISION_WEIGHT_MODELS  # the first is the default
NEXT_UP = 5  # as on the timeline page


# --- argument types (argparse turns ArgumentTypeError into "argument --x: ...", exit 2) ---------------


def _samples(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = None
    if n is None or not 1 <= n <= analysis.MAX_SAMPLES:
        limit = f"{analysis.MAX_SAMPLES:,}".replace(",", " ")
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {limit}, got {text!r}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0, got {text!r}")
    return n


def _day(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


# --- reading the project and the version stamp ---------------------------------------------------


def read_project(path: str, *, require_complete: bool = True) -> tuple[Project, bytes]:
    """The project and the exact bytes it was parsed from (one read, so the hashes describe them)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > projectfile.MAX_FILE_BYTES:
            raise ProjectFileError([InputError(f"the file is too large ({size // 1_048_576} MiB; the limit is "
                                               f"{projectfile.MAX_FILE_BYTES // 1_048_576} MiB)")])
        raw = p.read_bytes()
    except OSError as e:
        raise ProjectFileError([InputError(f"cannot read {p}: {e.strerror}")]) from None
    return projectfile.loads(raw, require_complete=require_complete), raw


def _local_time(timestamp: float) -> datetime:
    """A POSIX time as Swedish wall-clock time (the committee's, i18n.TIME_ZONE)."""
    return i18n.local(datetime.fromtimestamp(timestamp, tz=UTC))


def version_stamp(project: Project, path: str, raw: bytes, *, name: str | None = None,
                  draft: bool = False) -> tuple[VersionStamp, str]:
    """``(stamp, SHA-256 of the file's own bytes)``. The stamp's fingerprint is the SHA-256 of the
    canonical project text, as the app stamps a version with this content; it equals the file's own
    hash exactly when the file is canonical. The stamp is frozen at the file's modification time,
    or not frozen with ``draft``."""
    if name is not None:
        name = name.strip()
        if not name:
            raise InputError("--version-name: a version needs a name (got an empty text)")
    name = name or Path(path).stem or Path(path).name
    frozen_at = None if draft else _local_time(Path(path).stat().st_mtime)
    return VersionStamp(name, projectfile.sha256(project), frozen_at), hashlib.sha256(raw).hexdigest()


# --- writing files --------------------------------------------------------------------------------


def output_path(option: str, given: str, *, force: bool, project_path: str | None = None,
                default_name: str | None = None, suffix: str | None = None) -> Path:
    """Check an output file before any work is done; InputError names ``option`` and the problem.
    An existing directory takes ``default_name`` (the app's file name) when one is offered."""
    target = Path(given)
    if target.is_dir():
        if default_name is None:
            raise InputError(f"{option}: {given} is a directory; give a file name")
        target = target / default_name
    if suffix is not None and target.suffix and target.suffix.lower() != "." + suffix:
        raise InputError(f"{option}: {target} does not end in .{suffix} (the chosen format)")
    parent = target.parent
    if not parent.is_dir():
        raise InputError(f"{option}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(f"{option}: the directory {parent} is not writable")
    if target.is_dir():
        raise InputError(f"{option}: {target} is a directory")
    if project_path is not None and target.exists() and _same_file(target, Path(project_path)):
        raise InputError(f"{option}: {target} is the project file itself; choose another file")
    if target.exists() and not force:
        raise InputError(f"{option}: {target} exists already; use --force to replace it")
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(target: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same directory and a rename, so
    ``target`` is either absent/unchanged or complete. Without ``force`` an existing file is never
    replaced (a hard link places the new file only if the name is still free). Permissions follow
    the umask, as for any new file."""
    directory = target.parent
    for _ in range(100):
        tmp = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 random names taken
        raise OSError(errno.EEXIST, "no free temporary file name", str(directory))
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if force:
            os.replace(tmp, target)
        else:
            _place_new(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_directory(directory)


def _place_new(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)  # fails if target exists: no race with another writer
    except FileExistsError:
        raise InputError(f"{target} exists already; use --force to replace it") from None
    except OSError:  # no hard links on this file system (e.g. FAT, some network shares)
        if target.exists():
            raise InputError(f"{target} exists already; use --force to replace it") from None
        os.replace(tmp, target)
        return
    with contextlib.suppress(OSError):
        tmp.unlink()


def _sync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(option: str, target: Path, data: bytes, force: bool) -> int | None:
    """write_atomic with the CLI's messages; returns an exit code on failure."""
    try:
        write_atomic(target, data, force=force)
    except InputError as e:  # the name was taken meanwhile
        raise InputError(f"{option}: {e}") from None
    except OSError as e:
        print_error(f"cannot write {target}: {e.strerror or e}; nothing was written")
        return EXIT_ERROR
    return None


# --- export ----------------------------------------------------------------------------------------


def _key_findings(report, ranking, project: Project, tiers, lang: str) -> tuple[list[str], str]:
    """The sensitivity page's summary sentences for the PDF (:mod:`prioritization.report.sensitivity`,
    pure: tests/test_layers.py keeps Streamlit out of it)."""
    from prioritization.report import sensitivity as sensitivity_report  # pandas/Altair: only when used

    lines = sensitivity_report.key_findings(report, ranking, project.tiers or None, tiers, lang)
    return lines, f"{len(lines)} sentences, as on the sensitivity page"


def cmd_export(args: argparse.Namespace) -> int:
    fmt, lang = args.format, args.lang
    sensitivity_options = [o for o, v in (("--samples", args.samples), ("--seed", args.seed),
                                          ("--weight-model", args.weight_model)) if v is not None]
    project, raw = read_project(args.project)
    stamp, file_sha = version_stamp(project, args.project, raw, name=args.version_name, draft=args.draft)
    if args.profile is not None and args.profile not in {x.id for x in project.weight_profiles}:
        known = ", ".join(x.id for x in project.weight_profiles) or "none"
        raise InputError(f"--profile: the project has no weight profile {args.profile!r} (known: {known})")
    weights = analysis.project_weights(project, args.profile).weights
    weights_label = None if args.profile is None else project.profile(args.profile).name
    stem = ("beslutsunderlag" if lang == "sv" else "decision-document") if fmt == "pdf" else (
        "prioriteringslista" if lang == "sv" else "priority-list")
    target = output_path("--output", args.output, force=args.force, project_path=args.project,
                         default_name=file_name(stem, stamp, fmt, weights_label=weights_label, lang=lang), suffix=fmt)
    ranking = analysis.rank(project, "wsm", weights)
    tiers = project.tiers.assign((r.object.id, r.rank) for r in ranking.ranked) if project.tiers else None

    report = None
    findings, findings_note = None, None
    if fmt == "csv":
        if sensitivity_options:
            print(f"note: {', '.join(sensitivity_options)} ignored: the CSV has no sensitivity figures",
                  file=sys.stderr)
    else:
        samples = args.samples or SENSITIVITY_SAMPLES
        seed = SENSITIVITY_SEED if args.seed is None else args.seed
        report = analysis.sensitivity(project, weights=ranking.weights, samples=samples, seed=seed,
                                      weight_model=args.weight_model or SENSITIVITY_WEIGHT_MODELS[0])
    if fmt == "xlsx":
        from prioritization.exports.excel import priority_list_xlsx

        # --today: noon of that day in Swedish time (the date the workbook says it was exported)
        exported_at = None if args.today is None else _local_time(
            datetime.combine(args.today, dt_time(12), tzinfo=UTC).timestamp())
        data = priority_list_xlsx(project, ranking, version=stamp, sensitivity=report, tiers=tiers, lang=lang,
                                  weights_label=weights_label, exported_at=exported_at)
    elif fmt == "csv":
        from prioritization.exports.csv_export import priority_list_csv

        data = priority_list_csv(project, ranking, version=stamp, tiers=tiers, lang=lang, weights_label=weights_label)
    else:
        from prioritization.exports.pdf import ChartRenderingUnavailable, decision_document_pdf

        findings, findings_note = _key_findings(report, ranking, project, tiers, lang)
        try:
            data = decision_document_pdf(project, ranking, version=stamp, sensitivity=report, tiers=tiers,
                                         timeline=list(project.milestones) or None, lang=lang,
                                         weights_label=weights_label, key_findings=findings, today=args.today)
        except ChartRenderingUnavailable as e:
            print_error(f"cannot build the PDF: {e}")
            return EXIT_ERROR
    failed = _write("--output", target, data, args.force)
    if failed is not None:
        return failed

    if file_sha != stamp.sha256:
        print(f"note: {args.project} is not in canonical form: its own SHA-256 is {file_sha}; the export's "
              f"fingerprint {stamp.sha256} is the SHA-256 of its canonical text (the app's kind of fingerprint). "
              "To let sha256sum confirm the fingerprint, archive the canonical text.", file=sys.stderr)
    print(f"Wrote {target} ({fmt}, {len(data)} bytes)")
    state = "not frozen (--draft)" if stamp.frozen_at is None else \
        f"frozen: file modified {stamp.frozen_at:%Y-%m-%d %H:%M}"
    print(f"  version: {stamp.name!r} ({state}), SHA-256 {stamp.sha256}")
    print("  weights: " + ("the weights in use" if weights_label is None
                           else f"weight profile {weights_label!r} ({args.profile}; a comparison)"))
    if tiers is not None:
        counts = [f"{label} {sum(1 for v in tiers.values() if v == label)}" for label in project.tiers.labels]
        print(f"  tiers: {', '.join(counts)}")
    if report is not None:
        print(f"  sensitivity: {report.smaa.samples} samples, seed {report.smaa.seed}, weights {report.weight_model}, "
              f"scores {report.score_model}")
    if findings_note:
        print(f"  key findings: {findings_note}")
    return EXIT_OK


# --- timeline --------------------------------------------------------------------------------------


def warning_sentence(w: schedule.TimelineWarning, milestones: Sequence[Milestone], lang: str) -> str:
    """A warning as the timeline page words it (a late external event is "not confirmed")."""
    m = next((x for x in milestones if x.id == w.milestone), None)
    if w.code == schedule.LATE_MILESTONE and m is not None and m.kind == EXTERNAL:
        return i18n.t("timeline.page.unconfirmed", lang, milestone=m.title(lang), when=when_text(m, lang),
                      days=w.params["days"])
    return warning_text(w, milestones, lang)


def timeline_json(project: Project, today: date, lang: str) -> dict:
    ms = list(project.milestones)
    status = schedule.effective_statuses(ms, today)
    cd = schedule.countdown(ms, today)
    return {
        "today": today.isoformat(),
        "milestones": [{
            "id": m.id, "title": m.title(lang), "start": m.start.isoformat(), "end": m.end.isoformat(),
            "precision": m.precision, "when": when_text(m, lang), "type": m.kind, "owner": m.owner,
            "status": m.status, "effective_status": status[m.id], "decision": m.decision,
            "depends_on": list(m.depends_on)} for m in ms],
        "countdown": None if cd is None else {
            "milestone": cd.milestone.id, "days_to_start": cd.days_to_start, "days_to_end": cd.days_to_end,
            "status": cd.status},
        "countdown_text": countdown_text(ms, today, lang),
        "warnings": [{"code": w.code, "milestone": w.milestone, "params": dict(w.params),
                      "text": warning_sentence(w, ms, lang)} for w in schedule.warnings(ms, today)],
        "next_up": [m.id for m in schedule.next_up(ms, today, NEXT_UP)],
    }


def _print_timeline(project: Project, today: date, lang: str) -> None:
    ms = list(project.milestones)

    def tr(key: str, **kw) -> str:
        return i18n.t(key, lang, **kw)

    if project.data_label:
        print(f"[{project.data_label}]")
    print(tr("timeline.page.round_caption", name=project.name, today=i18n.day(today, lang)))
    if not ms:
        print(tr("timeline.page.no_milestones"))
        return
    print(countdown_text(ms, today, lang))
    for w in schedule.warnings(ms, today):
        print(f"! {warning_sentence(w, ms, lang)}")
    status = schedule.effective_statuses(ms, today)
    rows = [[m.id, ("* " if m.decision else "") + m.title(lang), when_text(m, lang),
             status_label(status[m.id], lang), kind_label(m.kind, lang), m.owner or "",
             ", ".join(m.depends_on)] for m in ms]
    print()
    print(table([tr(f"timeline.col.{c}") for c in ("id", "title", "when", "status", "kind", "owner", "depends_on")],
                rows))
    print(f"(* {tr('timeline.chart.decision')})")
    print(f"\n{tr('timeline.page.next_heading')}:")
    upcoming = schedule.next_up(ms, today, NEXT_UP)
    if not upcoming:
        print(f"  {tr('timeline.page.next_none')}")
    for m in upcoming:
        what = tr("timeline.page.ongoing") if m.start <= today else status_label(m.status, lang).lower()
        owner = f" – {m.owner}" if m.owner else ""
        print(f"  {when_text(m, lang)}: {m.title(lang)}{owner} ({what})")


def cmd_timeline(args: argparse.Namespace) -> int:
    from prioritization.timeline import ical

    today = args.today or date.today()
    target = None
    if args.ics is not None:
        target = output_path("--ics", args.ics, force=args.force, project_path=args.project, suffix="ics")
    project, _ = read_project(args.project, require_complete=False)
    if target is not None:
        if not project.milestones:
            raise InputError("--ics: the project has no milestones; there is nothing to put in a calendar")
        data = ical.to_ics(project.milestones, lang=args.lang, scope=f"project-{project.name}",
                           calendar_name=i18n.t("timeline.page.calendar_name", args.lang, name=project.name))
        failed = _write("--ics", target, data, args.force)
        if failed is not None:
            return failed
    if args.format == "json":
        print_json(timeline_json(project, today, args.lang))
    else:
        _print_timeline(project, today, args.lang)
    if target is not None:
        print(f"Wrote {target} ({len(project.milestones)} events)",
              file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_OK


# --- parsers ---------------------------------------------------------------------------------------


def add_commands(sub) -> None:
    s = sub.add_parser("export", help="write the priority list as Excel, CSV or the PDF decision document")
    s.add_argument("project")
    s.add_argument("--format", choices=FORMATS, required=True)
    s.add_argument("--output", required=True, metavar="FILE",
                   help="the file to write (an existing directory: the app's file name in it)")
    s.add_argument("--force", action="store_true", help="replace an existing output file")
    s.add_argument("--profile", help="rank by this weight profile (marked as a comparison in the file)")
    s.add_argument("--lang", choices=list(i18n.LANGUAGES), default="sv")
    s.add_argument("--samples", type=_samples, default=None,
                   help=f"sensitivity samples for xlsx/pdf (default {SENSITIVITY_SAMPLES})")
    s.add_argument("--seed", type=_seed, default=None, help=f"sensitivity seed (default {SENSITIVITY_SEED})")
    s.add_argument("--weight-model", choices=list(SENSITIVITY_WEIGHT_MODELS), default=None,
                   help="how the sensitivity scenarios draw weights (default: order)")
    s.add_argument("--version-name", metavar="NAME", help="the version's name (default: the file name)")
    s.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD",
                   help="the document's date, and the day the timeline is read from (default: today)")
    s.add_argument("--draft", action="store_true",
                   help="stamp the file as a draft (not a frozen version)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("timeline", help="the milestones as of a day (status, warnings, countdown, next up)")
    s.add_argument("project")
    s.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD", help="the day to look from (default: today)")
    s.add_argument("--lang", choices=list(i18n.LANGUAGES), default="sv")
    add_format(s, "json")
    s.add_argument("--ics", metavar="FILE", help="also write the milestones as an iCalendar file (.ics)")
    s.add_argument("--force", action="store_true", help="replace an existing .ics file")
    s.set_defaults(func=cmd_timeline)


__all__ = ["add_commands", "countdown_text", "output_path", "read_project", "timeline_json", "version_stamp",
           "write_atomic"]
