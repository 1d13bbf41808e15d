"""Tiers (A/B/C): boundaries by rank, hand assignments, validation and the project file."""

import pytest

from prioritization import projectfile, tiers
from prioritization.errors import ProjectFileError

ABC = {"levels": [{"label": "A", "through_rank": 2}, {"label": "B", "through_rank": 4}, {"label": "C"}]}


def test_boundaries_put_ranks_in_levels_and_the_open_last_level_takes_the_rest():
    t = tiers.from_dict(ABC)
    got = t.assign([("x", 1), ("y", 2), ("z", 3), ("w", 5), ("v", 40)])
    assert got == {"x": "A", "y": "A", "z": "B", "w": "C", "v": "C"}


def test_shared_rank_at_a_boundary_keeps_tied_objects_together():
    # competition ranks 1, 2, 2: both rank-2 objects are inside "through rank 2"
    assert tiers.from_dict(ABC).assign([("a", 1), ("b", 2), ("c", 2), ("d", 4)]) == \
        {"a": "A", "b": "A", "c": "A", "d": "B"}


def test_without_an_open_last_level_objects_after_the_last_boundary_have_no_tier():
    t = tiers.from_dict({"levels": [{"label": "A", "through_rank": 1}]})
    assert t.assign([("a", 1), ("b", 2)]) == {"a": "A"}


def test_hand_assignment_wins_over_the_boundaries():
    t = tiers.from_dict({**ABC, "assigned": {"z": "A", "x": "C"}})
    assert t.assign([("x", 1), ("z", 3)]) == {"x": "C", "z": "A"}


@pytest.mark.parametrize("data, path, message", [
    ({"levels": []}, "tiers.levels", "non-empty"),
    ({"levels": [{"label": ""}]}, "tiers.levels[0].label", "non-empty text"),
    ({"levels": [{"label": "A"}, {"label": "A"}]}, "tiers.levels[1].label", "earlier level"),
    ({"levels": [{"label": "A", "through_rank": 5}, {"label": "B", "through_rank": 5}]},
     "tiers.levels[1].through_rank", "greater than the previous boundary 5"),
    ({"levels": [{"label": "A"}, {"label": "B", "through_rank": 3}]}, "tiers.levels[0].through_rank",
     "only the last"),
    ({"levels": [{"label": "A", "through_rank": 0}]}, "tiers.levels[0].through_rank", "whole number from 1"),
    ({"levels": [{"label": "A", "through_rank": 2.5}]}, "tiers.levels[0].through_rank", "whole number"),
    ({"levels": [{"label": "A"}], "assigned": {"nope": "A"}}, "tiers.assigned.nope", "unknown object"),
    ({"levels": [{"label": "A"}], "assigned": {"O1": "Z"}}, "tiers.assigned.O1", "not one of the levels (A)"),
    ({"levels": [{"label": "A"}], "extra": 1}, "tiers.extra", "not a known key"),
])
def test_every_problem_is_reported_with_its_place(data, path, message):
    found = tiers.problems(data, ["O1", "O2"])
    assert any(p.path == path and message in p.message for p in found), found


def test_valid_tiers_have_no_problems_and_round_trip():
    data = {**ABC, "assigned": {"O2": "B"}}
    assert tiers.problems(data, ["O1", "O2"]) == []
    assert tiers.to_dict(tiers.from_dict(data)) == data


def test_project_file_carries_tiers_and_reports_bad_ones(small_round):
    doc = {**small_round, "tiers": {"levels": [{"label": "A", "through_rank": 1}, {"label": "B"}],
                                    "assigned": {"O3": "A"}}}
    p = projectfile.parse(doc)
    assert p.tiers.tier_for("O3", 3) == "A" and p.tiers.tier_for("O2", 2) == "B"
    again = projectfile.loads(projectfile.dumps(p))
    assert again.tiers == p.tiers and projectfile.sha256(again) == projectfile.sha256(p)
    assert "tiers" not in projectfile.to_dict(projectfile.parse(small_round))  # absent stays absent
    bad = {**small_round, "tiers": {"levels": [{"label": "A"}], "assigned": {"O9": "A"}}}
    with pytest.raises(ProjectFileError, match=r"tiers.assigned.O9: unknown object 'O9'"):
        projectfile.parse(bad)



def test_tiers_validate_against_the_json_schema(small_round):
    import jsonschema

    from tests.test_example_data import SCHEMA_PATH

    schema = projectfile.decode(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate({**small_round, "tiers": {**ABC, "assigned": {"O1": "B"}}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**small_round, "tiers": {"levels": [{"label": "A", "through_rank": 0}]}}, schema)
