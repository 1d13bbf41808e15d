"""The real ``prioritization`` command on files in tests/fixtures and data/: JSON contract and exit codes."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from prioritization.cli import main as cli
from prioritization.cli import project as cli_project
from tests.conftest import EXAMPLE, FIXTURES

AIRCRAFT = str(FIXTURES / "aircraft.json")
ROUND = str(FIXTURES / "small-round.json")
SCRIPT = Path(sys.executable).parent / "prioritization"


def run(*args, script=False):
    cmd = [str(SCRIPT)] if script else [sys.executable, "-m", "prioritization"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, encoding="utf-8", timeout=120)


def run_json(*args):
    res = run(*args, "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_console_script_and_module_agree():
    assert SCRIPT.exists(), "the console script 'prioritization' is installed with the package"
    a = run("rank", AIRCRAFT, "--format", "json", script=True)
    b = run("rank", AIRCRAFT, "--format", "json")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_validate_ok_and_invalid(tmp_path):
    ok = run("validate", EXAMPLE)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: ")
    data = json.loads(Path(ROUND).read_text(encoding="utf-8"))
    data["scores"][17]["value"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run("validate", bad)
    assert res.returncode == 2
    assert f"scores[17].value: 7 is outside the scale 1–5 of criterion {data['scores'][17]['criterion']}" in res.stderr
    assert res.stdout == ""
    missing = run("validate", tmp_path / "nope.json")
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_usage_error_exits_2():
    res = run("rank", AIRCRAFT, "--method", "electre")
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_weights_json_contract():
    out = run_json("weights", ROUND)
    assert set(out) == {"method", "weights", "consistency"}
    assert out["method"] == "ahp"
    assert list(out["weights"]) == ["K1", "K2", "K3"]
    np.testing.assert_allclose(list(out["weights"].values()), [4 / 7, 2 / 7, 1 / 7], atol=1e-12)
    assert set(out["consistency"]) == {"lambda_max", "ci", "cr", "ri_table"}
    assert out["consistency"]["ri_table"] == "saaty1980"
    assert abs(out["consistency"]["cr"]) < 1e-9  # a consistent matrix
    direct = run_json("weights", AIRCRAFT)
    assert direct["consistency"] is None and direct["method"] == "direct"
    prof = run_json("weights", ROUND, "--profile", "lika")
    assert prof["weights"]["K1"] == pytest.approx(1 / 3)


def test_rank_json_topsis_aircraft_published_values():
    out = run_json("rank", AIRCRAFT, "--method", "topsis")
    assert set(out) == {"method", "weights", "ranking", "committed"}
    assert out["method"] == "topsis"
    assert [r["id"] for r in out["ranking"]] == ["A1", "A3", "A4", "A2"]
    assert [r["rank"] for r in out["ranking"]] == [1, 2, 3, 4]
    assert set(out["ranking"][0]) == {"id", "name", "rank", "score"}
    scores = {r["id"]: r["score"] for r in out["ranking"]}
    assert [round(scores[k], 4) for k in ("A1", "A2", "A3", "A4")] == [0.6433, 0.2684, 0.6135, 0.3123]
    assert out["committed"] == []


def test_rank_json_round_has_committed_apart():
    out = run_json("rank", ROUND)
    assert out["committed"] == [{"id": "O4", "name": "Redan finansierad väg"}]
    assert "O4" not in [r["id"] for r in out["ranking"]]
    assert out["ranking"][0]["score"] == pytest.approx(2 / 3)


def test_rank_csv_and_table():
    res = run("rank", ROUND, "--method", "promethee2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    assert abs(sum(float(r["score"]) for r in rows)) < 1e-12
    table = run("rank", EXAMPLE)
    assert table.returncode == 0 and "[Exempeldata]" in table.stdout and "Already prioritised" in table.stdout


def test_sensitivity_json_contract_and_reproducible():
    args = ("sensitivity", ROUND, "--samples", "3000", "--seed", "11")
    a, b = run_json(*args), run_json(*args)
    assert a == b
    assert set(a) == {"weights", "stability", "breakpoints", "critical", "absolute_top_critical",
                      "percent_top_critical", "absolute_any_critical", "percent_any_critical", "smaa"}
    assert set(a["smaa"]) == {"samples", "seed", "rank_acceptability", "central_weights", "confidence",
                              "pairwise_winning"}
    assert set(a["stability"]["K1"]) == {"weight", "top", "ranking"}
    lo, hi = a["stability"]["K1"]["ranking"]
    assert lo <= a["stability"]["K1"]["weight"] <= hi
    for bps in a["breakpoints"].values():
        assert bps == sorted(bps) and all(0 < t < 1 for t in bps)
    assert set(a["critical"]["K1"]) == {"top_delta", "any_delta"}
    smaa = a["smaa"]
    assert smaa["samples"] == 3000 and smaa["seed"] == 11
    ra = np.array([smaa["rank_acceptability"][k] for k in ("O1", "O2", "O3")])
    np.testing.assert_allclose(ra.sum(axis=0), 1)
    np.testing.assert_allclose(ra.sum(axis=1), 1)
    pw = smaa["pairwise_winning"]
    assert pw["O1"]["O2"] + pw["O2"]["O1"] == pytest.approx(1)
    assert set(smaa["confidence"]) == {"O1", "O2", "O3"}
    for cw in smaa["central_weights"].values():
        assert cw is None or sum(cw.values()) == pytest.approx(1)


def test_sensitivity_models():
    fixed = run_json("sensitivity", ROUND, "--samples", "500", "--seed", "1", "--weight-model", "fixed",
                     "--score-model", "none")
    # fixed weights, no score uncertainty: deterministic ranks
    ra = fixed["smaa"]["rank_acceptability"]
    assert ra["O1"][0] == 1.0 and fixed["smaa"]["confidence"]["O1"] == 1.0
    uni = run("sensitivity", AIRCRAFT, "--samples", "200", "--score-model", "uniform")
    assert uni.returncode == 2 and "needs an uncertainty" in uni.stderr
    ok = run_json("sensitivity", AIRCRAFT, "--samples", "200", "--seed", "3", "--score-model", "uniform", "--delta", "0.1")
    none = run_json("sensitivity", AIRCRAFT, "--samples", "200", "--seed", "3", "--score-model", "none")
    assert ok["smaa"]["rank_acceptability"] != none["smaa"]["rank_acceptability"]  # the noise is applied
    big = run("sensitivity", AIRCRAFT, "--samples", "1000000000")
    assert big.returncode == 2 and "between 1 and 1 000 000" in big.stderr


def test_portfolio_json_contract():
    out = run_json("portfolio", ROUND, "--budget", "900")
    assert set(out) == {"budget", "selected", "value", "cost", "unique", "greedy", "illustrative_costs"}
    assert out["illustrative_costs"] == []
    assert out["budget"] == 900 and out["cost"] <= 900
    assert out["selected"] == ["O2", "O3"]
    assert set(out["greedy"]) == {"selected", "value", "cost"}
    assert out["value"] >= out["greedy"]["value"] - 1e-12
    neg = run("portfolio", ROUND, "--budget", "-1")
    assert neg.returncode == 2 and "error:" in neg.stderr


def test_portfolio_says_which_costs_are_made_up():
    """Issue 11 #15 (review): the example's made-up costs were printed as facts."""
    from prioritization import projectfile

    made_up = [o.id for o in projectfile.load(EXAMPLE).candidates if o.cost_is_illustrative]
    out = run_json("portfolio", EXAMPLE, "--budget", "20000")
    assert out["illustrative_costs"] == made_up and len(made_up) == 11
    text = run("portfolio", str(EXAMPLE), "--budget", "20000")
    assert "note: made-up example costs" in text.stderr and all(i in text.stderr for i in made_up)
    marked = [line for line in text.stdout.splitlines() if "(made up)" in line]
    assert marked and all(any(i in line for i in made_up) for line in marked)
    assert not [line for line in text.stdout.splitlines() if "SOD-02" in line and "(made up)" in line]


def test_unexpected_error_exits_1_without_traceback(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli_project, "cmd_validate", boom)
    monkeypatch.delenv("PRIORITIZATION_DEBUG", raising=False)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: _with_func(parser, boom))
    assert cli.main(["validate", ROUND]) == 1
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError: disk on fire" in err and "Traceback" not in err


def _with_func(parser, func):
    original = parser.parse_args

    def parse(argv=None):
        ns = original(argv)
        ns.func = func
        return ns

    parser.parse_args = parse
    return parser
