from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_overview_shows_example_ranking_labelled():
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("Exempeldata" in w.value for w in at.warning)
    df = at.dataframe[0].value
    assert list(df.columns) == ["Rang", "Objekt", "Poäng (0–100)"]
    assert len(df) == 13
    assert df["Rang"].iloc[0] == 1
    assert "Tvärförbindelse Södertörn (väg 259)" not in set(df["Objekt"])  # committed: listed apart
    assert any("Redan prioriterade" in m.value for m in at.markdown)


def test_overview_reports_bad_project_in_swedish(tmp_path, monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    monkeypatch.setenv("PRIORITIZATION_PROJECT", str(bad))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("Projektfilen kunde inte läsas")
