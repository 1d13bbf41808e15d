"""What results say and how they look, shared by the app, the exports and the command line.

Sentences and frames for the ranked list (:mod:`.ranking`), the sensitivity analysis
(:mod:`.sensitivity`, :mod:`.weight_change`, :mod:`.rank_agreement`, :mod:`.robustness`), the
budget portfolio (:mod:`.portfolio`) and the follow-up (:mod:`.follow_up`); names, numbers and
colours in words (:mod:`.result_text`); palettes, fonts and chart locales (:mod:`.theme`).

No Streamlit and no :mod:`prioritization.ui` import here, nor any of the exports or the command
line (tests/test_layers.py): ui, exports and cli use report, report uses analysis and the engine.
"""
