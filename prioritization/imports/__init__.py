"""Importing data from spreadsheets (CSV, XLSX) into a project. Pure functions, no UI.

* :func:`parse_objects` reads objects (objekt) and reports every problem by row and column.
* :func:`template_csv` and :func:`template_xlsx` produce the downloadable templates.
"""

from prioritization.imports.messages import ImportIssue
from prioritization.imports.objects import ImportResult, parse_objects
from prioritization.imports.template import template_csv, template_xlsx

__all__ = ["ImportIssue", "ImportResult", "parse_objects", "template_csv", "template_xlsx"]
