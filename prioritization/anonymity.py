"""Anonymous ratings: a project document whose individual scores say nothing about who gave them.

Who may see *named* individual ratings is one rule (``storage.access.may_see_named_ratings``): the
facilitator always, participants and viewers once the round is locked. Anyone else who is shown a
round's ratings (a frozen version before the round is locked, the dashboard's object detail built
from it) gets :func:`anonymised`:

* participants become "Anonym deltagare 1..n" (ids ``anonym-1..n``, no organisation), in no
  particular order;
* in every object × criterion cell the individual scores are sorted (value, then comment) and
  handed to the pseudonyms in that order, so one pseudonym is not one person across cells;
* participants' own weights are kept as a set (sorted), detached from names and from scores;
* agreed scores (the group's, participant null) and everything else stay as they are.

The result is deterministic: the same version always gives the same anonymous file (and hash).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

PSEUDONYM_ID = "anonym-{n}"
PSEUDONYM_NAME = "Anonym deltagare {n}"


def _value_order(score: dict[str, Any]) -> tuple:
    value = score.get("value")
    return (value is None, value if value is not None else 0, score.get("comment") or "")


def anonymised(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of a format-v1 project document without the link between ratings and people."""
    out = dict(doc)
    people = list(doc.get("participants") or [])
    ids = [PSEUDONYM_ID.format(n=k + 1) for k in range(len(people))]
    weights = sorted((p["weights"] for p in people if p.get("weights") is not None),
                     key=lambda w: json.dumps(w, sort_keys=True))
    out["participants"] = [{"id": ids[k], "name": PSEUDONYM_NAME.format(n=k + 1),
                            **({"weights": weights[k]} if k < len(weights) else {})} for k in range(len(people))]
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    agreed, order = [], []
    for s in doc.get("scores") or []:
        if s.get("participant") is None:
            agreed.append(dict(s))
            continue
        cell = (s.get("object"), s.get("criterion"))
        if cell not in cells:
            order.append(cell)
        cells[cell].append(s)
    scores = []
    for cell in order:
        for k, s in enumerate(sorted(cells[cell], key=_value_order)):
            scores.append({**s, "participant": ids[k]})
    out["scores"] = scores + agreed
    return out
