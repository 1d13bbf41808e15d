"""Commands for whoever runs the server (they act on the app's database, not on a project file):
``prioritization reset-password``.

Storage (SQLAlchemy, Alembic) is imported when the command runs, not when the parser is built: every
other command, and ``--help``, starts without it."""

from __future__ import annotations

import argparse
import getpass
import sys

from prioritization.cli.common import EXIT_INVALID, EXIT_OK, print_error


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New facilitator password: ")
    if getpass.getpass("Repeat it: ") != first:
        print_error("the two passwords differ; nothing was changed")
        return None
    return first


def cmd_reset_password(args: argparse.Namespace) -> int:
    from prioritization.storage import auth
    from prioritization.storage.database import Database

    password = _read_password(args)
    if password is None:
        return EXIT_INVALID
    db = Database.open(args.db)
    try:
        ended = auth.reset_facilitator_password(db, password)
    finally:
        db.dispose()
    print(f"The facilitator password is set; wrong-password counts are cleared and {ended} facilitator "
          f"sign-in{'s' if ended != 1 else ''} ended.")
    return EXIT_OK


def add_commands(sub) -> None:
    s = sub.add_parser("reset-password", help="set a new facilitator password on the server (ends every "
                       "facilitator sign-in and any pause after wrong passwords)")
    s.add_argument("--db", default=None, metavar="URL",
                   help="the app's database (default: PRIORITIZATION_DB_URL, else the embedded SQLite "
                   "database var/prioritization.db)")
    s.add_argument("--password-stdin", action="store_true",
                   help="read the new password from the first line of standard input (scripts)")
    s.set_defaults(func=cmd_reset_password)
