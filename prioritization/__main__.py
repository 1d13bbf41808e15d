"""``python -m prioritization`` runs the command line interface."""

import sys

from prioritization.cli import main

sys.exit(main())
