"""``python -m prioritization`` runs the command line interface."""

import sys

from prioritization.cli.main import main

sys.exit(main())
