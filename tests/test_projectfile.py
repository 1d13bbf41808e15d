"""Project file format v1: every class of bad input gets its own precise message; round trips are lossless."""

import json

import pytest

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from tests.conftest import EXAMPLE, FIXTURES


def problems(data, **kw) -> list[str]:
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(data, **kw)
    return [str(p) for p in e.value.problems]


def test_small_round_loads(small_round):
    p = projectfile.parse(small_round)
    assert [c.id for c in p.criteria] == ["K1", "K2", "K3"]
    assert [o.id for o in p.candidates] == ["O1", "O2", "O3"]
    assert [o.id for o in p.committed] == ["O4"]
    assert p.objects[0].attributes == {"municipalities": ["Haninge"]}
    assert p.criterion("K1").guidance["3"] == "Märkbar"
    assert p.weights.method == "ahp" and p.weights.matrix[0] == (1.0, 2.0, 4.0)


def test_scale_error_names_exact_place(small_round):
    small_round["scores"][4]["value"] = 7
    crit = small_round["scores"][4]["criterion"]
    assert problems(small_round) == [f"scores[4].value: 7 is outside the scale 1–5 of criterion {crit}"]


def test_value_within_band_is_clipped(small_round):
    small_round["scores"][0]["value"] = 5 + 1e-12
    assert projectfile.parse(small_round).scores[0].value == 5.0


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["scores"][0].update(object="NOPE"), "scores[0].object: unknown object 'NOPE'"),
    (lambda d: d["scores"][0].update(criterion="K9"), "scores[0].criterion: unknown criterion 'K9'"),
    (lambda d: d["scores"][0].update(participant="p9"), "scores[0].participant: unknown participant 'p9'"),
    (lambda d: d["criteria"][1].update(id="K1"), 'criteria[1].id: duplicate id "K1" (also criteria[0])'),
    (lambda d: d["objects"][2].update(id="O1"), 'objects[2].id: duplicate id "O1" (also objects[0])'),
    (lambda d: d["participants"][1].update(id="p1"), 'participants[1].id: duplicate id "p1"'),
    (lambda d: d["scores"].append(dict(d["scores"][0])), "duplicate score for object 'O1', criterion 'K1', participant 'p1'"),
    (lambda d: d["scores"][0].update(value="fem"), 'scores[0].value: expected a number, got text "fem"'),
    (lambda d: d["scores"][0].update(value=True), "scores[0].value: expected a number, got true"),
    (lambda d: d["scores"][-1].update(value=None), "scores[27].value: an agreed score (participant null) needs a number"),
    (lambda d: d["criteria"][0].update(direction="up"), 'criteria[0].direction: expected "benefit" or "cost"'),
    (lambda d: d["criteria"][0].update(scale=[5, 1]), "criteria[0].scale: the lower end 5 must be less than the upper end 1"),
    (lambda d: d["criteria"][0].update(normalization="zscore"), "criteria[0].normalization: expected"),
    (lambda d: d["criteria"][2].update(normalization="none"), 'criteria[2].normalization: "none" is only allowed for benefit'),
    (lambda d: d["criteria"][0].update(wieght_bounds=[0, 1]), 'criteria[0].wieght_bounds: unknown key "wieght_bounds"'),
    (lambda d: d["criteria"][0].update(weight_bounds=[0.5, 0.2]), "criteria[0].weight_bounds: need 0 ≤ lo ≤ hi ≤ 1"),
    (lambda d: [c.update(weight_bounds=[0.4, 1]) for c in d["criteria"]], "criteria: the lower weight bounds sum to 1.2 > 1"),
    (lambda d: d["criteria"][0].update(uncertainty=-1), "criteria[0].uncertainty: -1 must not be less than 0"),
    (lambda d: d["criteria"][0]["guidance"].update({"9": "x"}), 'criteria[0].guidance: level "9" is outside the scale 1–5'),
    (lambda d: d["objects"][0].update(cost=-5), "objects[0].cost: -5 must not be less than 0"),
    (lambda d: d["objects"][0].update(status="maybe"), "objects[0].status: expected one of candidate, committed"),
    (lambda d: d["objects"][0].update(lat=123), "objects[0].lat: 123 is outside"),
    (lambda d: d.update(format="excel"), 'format: expected "prioritization-project", got text "excel"'),
    (lambda d: d.update(version=2), "version: unsupported format version 2 (this tool reads version 1)"),
    (lambda d: d.update(extra=1), 'extra: unknown key "extra"'),
    (lambda d: d.pop("name"), "name: is missing"),
    (lambda d: d.update(name="  "), "name: must not be empty"),
    (lambda d: d.update(aggregation="mode"), "aggregation: expected one of mean, median, geometric"),
    (lambda d: d.update(criteria=[]), "criteria: there must be at least one criterion"),
    (lambda d: d.update(objects=[]), "objects: there must be at least one object"),
    (lambda d: d.pop("weights"), "weights: is missing"),
    (lambda d: d.update(weights={"method": "magic"}), "weights.method: expected one of direct, swing, roc, rank_sum, ahp"),
    (lambda d: d.update(weights={"method": "direct", "points": {"K1": 1, "K2": 1}}), "weights.points: missing for criteria K3"),
    (lambda d: d.update(weights={"method": "direct", "points": {"K1": 1, "K2": 1, "K3": 1, "K4": 1}}), 'weights.points.K4: unknown criterion "K4"'),
    (lambda d: d.update(weights={"method": "direct", "points": {"K1": 0, "K2": 0, "K3": 0}}), "weights.points: the points must not all be zero"),
    (lambda d: d.update(weights={"method": "direct", "points": {"K1": -1, "K2": 1, "K3": 1}}), "weights.points.K1: -1 must not be less than 0"),
    (lambda d: d.update(weights={"method": "swing", "points": {"K1": 80, "K2": 50, "K3": 10}}), "the most important swing must be rated 100"),
    (lambda d: d.update(weights={"method": "roc", "ranks": {"K1": 1, "K2": 1.5, "K3": 3}}), "weights.ranks.K2: a rank must be a whole number"),
    (lambda d: d["weights"].update(matrix=[[1, 2], [0.5, 1]]), "weights.matrix: expected a 3×3 matrix"),
    (lambda d: d["weights"]["matrix"][1].__setitem__(0, 0.6), "weights.matrix: the AHP matrix is not reciprocal"),
    (lambda d: d["weights"]["matrix"][0].__setitem__(0, 2), "weights.matrix: the AHP matrix must have 1 on the diagonal"),
    (lambda d: d["weights"]["matrix"][0].__setitem__(2, -4), "weights.matrix: the AHP matrix must be positive"),
    (lambda d: d["weights"].update(ri_table="foo"), "weights.ri_table: expected one of saaty1980"),
    (lambda d: d["weight_profiles"][0]["weights"].update(method="x"), "weight_profiles[0].weights.method"),
    (lambda d: d["weights"].update(method=["ahp"]), "weights.method: expected one of direct"),
    (lambda d: d["weights"].update(ri_table=["saaty1980"]), "weights.ri_table: expected one of saaty1980"),
    (lambda d: d["weights"].update(variant={"x": 1}), "weights.variant: expected"),
    (lambda d: d["objects"][0].update(status=["committed"]), "objects[0].status: expected one of"),
    (lambda d: d["criteria"][0].update(direction=["cost"]), 'criteria[0].direction: expected "benefit" or "cost"'),
    (lambda d: d.update(aggregation={"mean": 1}), "aggregation: expected one of"),
])
def test_each_problem_has_its_own_message(small_round, mutate, expected):
    mutate(small_round)
    got = problems(small_round)
    assert any(expected in g for g in got), got


def test_unscored_cell_is_named(small_round):
    small_round["scores"] = [s for s in small_round["scores"] if not (s["object"] == "O3" and s["criterion"] == "K2")]
    got = problems(small_round)
    assert got == ["scores: object 'O3' (Cykelstråk), criterion 'K2' (Klimat): nobody scored this cell and there is no agreed score"]
    # a round still being scored loads when completeness is not required
    assert projectfile.parse(small_round, require_complete=False).name


def test_cell_with_only_unknown_ratings_is_unscored(small_round):
    for s in small_round["scores"]:
        if s["object"] == "O1" and s["criterion"] == "K3":
            s["value"] = None
    assert any("'O1'" in g and "'K3'" in g for g in problems(small_round))


def test_committed_object_may_be_unscored(small_round):
    assert not any(s["object"] == "O4" for s in small_round["scores"])
    projectfile.parse(small_round)


def test_no_candidates(small_round):
    for o in small_round["objects"]:
        o["status"] = "committed"
    assert 'objects: no object has status "candidate"; there is nothing to rank' in problems(small_round)


def test_geometric_aggregation_needs_positive(small_round):
    small_round["aggregation"] = "geometric"
    small_round["criteria"][0]["scale"] = [0, 5]
    small_round["scores"][0]["value"] = 0
    assert any("scores[0].value: 0: the geometric aggregation needs scores greater than 0" in g for g in problems(small_round))


def test_all_problems_reported_at_once(small_round):
    small_round["scores"][0]["value"] = 9
    small_round["objects"][1]["cost"] = "dyr"
    small_round["criteria"][1]["direction"] = "more"
    got = problems(small_round)
    assert len(got) >= 3


def test_non_finite_numbers_named():
    text = (FIXTURES / "small-round.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data["scores"][3]["value"] = 123456789
    bad = json.dumps(data, ensure_ascii=False).replace("123456789", "NaN")
    with pytest.raises(ProjectFileError) as e:
        projectfile.loads(bad)
    assert [str(p) for p in e.value.problems] == ["scores[3].value: NaN is not a finite number"]
    bad = json.dumps(data, ensure_ascii=False).replace("123456789", "Infinity")
    with pytest.raises(ProjectFileError, match=r"scores\[3\].value: Infinity is not a finite number"):
        projectfile.loads(bad)


def test_numbers_too_large_for_a_float_are_named():
    text = (FIXTURES / "small-round.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data["objects"][0]["population"] = 424242
    data["scores"][2]["value"] = 434343
    bad = json.dumps(data, ensure_ascii=False).replace("424242", "1e999").replace("434343", "-1e999")
    with pytest.raises(ProjectFileError) as e:
        projectfile.loads(bad)
    got = [str(p) for p in e.value.problems]
    assert "scores[2].value: -1e999 is not a finite number" in got
    assert any(g.startswith("objects[0].population: 1e999") for g in got)


@pytest.mark.parametrize("content, expected", [
    (b"", "not valid JSON"),
    (b"{", "not valid JSON"),
    (b"[1, 2]", "the file must contain a JSON object, got a list"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"=cmd|' /C calc'!A0", "not valid JSON"),
])
def test_unreadable_files(content, expected):
    with pytest.raises(ProjectFileError, match=expected):
        projectfile.loads(content)


def test_missing_and_huge_files(tmp_path, monkeypatch):
    with pytest.raises(ProjectFileError, match="cannot read"):
        projectfile.load(tmp_path / "nope.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    monkeypatch.setattr(projectfile, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ProjectFileError, match="too large"):
        projectfile.load(big)


def test_utf8_bom_accepted():
    raw = (FIXTURES / "small-round.json").read_bytes()
    assert projectfile.loads(b"\xef\xbb\xbf" + raw).name.startswith("Liten")


@pytest.mark.parametrize("path", [EXAMPLE, FIXTURES / "small-round.json", FIXTURES / "aircraft.json"])
def test_round_trip_is_lossless(path):
    p1 = projectfile.load(path)
    text1 = projectfile.dumps(p1)
    p2 = projectfile.loads(text1)
    assert p2 == p1
    assert projectfile.dumps(p2) == text1
    assert projectfile.sha256(p2) == projectfile.sha256(p1)
    # names are opaque: kept byte for byte, non-ASCII written as is
    assert "\\u" not in text1


def test_sha256_changes_with_content(small_round):
    a = projectfile.parse(small_round)
    small_round["scores"][0]["value"] = 4
    b = projectfile.parse(small_round)
    assert projectfile.sha256(a) != projectfile.sha256(b)


def test_dump_is_atomic_and_readable(tmp_path, small_round):
    p = projectfile.parse(small_round)
    out = tmp_path / "round.json"
    projectfile.dump(p, out)
    assert projectfile.load(out) == p
    assert not (tmp_path / "round.json.tmp").exists()
    assert out.read_text(encoding="utf-8").endswith("}\n")


def test_participants_own_weights(small_round):
    small_round["participants"][0]["weights"] = {"method": "direct", "points": {"K1": 50, "K2": 30, "K3": 20}}
    p = projectfile.parse(small_round)
    assert p.participants[0].weights.points == {"K1": 50.0, "K2": 30.0, "K3": 20.0}
    assert p.participants[1].weights is None
    again = projectfile.loads(projectfile.dumps(p))
    assert again == p and "weights" in projectfile.to_dict(again)["participants"][0]
    small_round["participants"][1]["weights"] = {"method": "direct", "points": {"K1": 1, "K2": 1, "K9": 1}}
    got = problems(small_round)
    assert any(g.startswith('participants[1].weights.points.K9: unknown criterion "K9"') for g in got), got


def test_participant_weights_validate_against_schema(small_round):
    import jsonschema

    from tests.test_example_data import SCHEMA_PATH  # noqa: F401  (the schema the docs describe)

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    small_round["participants"][0]["weights"] = {"method": "roc", "ranks": {"K1": 1, "K2": 2, "K3": 3}}
    jsonschema.Draft202012Validator(schema).validate(small_round)
    small_round["participants"][0]["weights"] = {"method": "roc"}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(small_round))


@pytest.mark.parametrize("flag", ["true", 1, None, "ja"])
def test_a_made_up_cost_flag_must_be_true_or_false(flag):
    """Issue 11 #15 (review): "cost_illustrative": "true" would have passed for a sourced cost."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["objects"][2]["cost_illustrative"] = flag
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(doc)
    assert any("objects[2].cost_illustrative" in str(p) for p in e.value.problems)
