"""Command line interface: ``prioritization validate|weights|rank|sensitivity|portfolio|export|timeline PROJECT``,
and ``prioritization reset-password`` for whoever runs the server.

Output is a readable table by default and a stable JSON contract with ``--format json`` (keys as
documented in ``docs/cli.md``). Exit codes: 0 success, 2 invalid input (message on stderr),
1 unexpected error.

Layout: :mod:`~prioritization.cli.main` builds the parser and dispatches (the console script and
``python -m prioritization`` call its ``main``); one module per command group
(:mod:`~prioritization.cli.project`: validate, weights, rank; :mod:`~prioritization.cli.analysis`:
sensitivity, portfolio; :mod:`~prioritization.cli.export`: export, timeline;
:mod:`~prioritization.cli.admin`: reset-password); :mod:`~prioritization.cli.common` below them all
(exit codes, output, shared arguments). No command module imports ``main``; ``common`` imports no
command module (tests/cli/test_cli_layout.py).
"""
