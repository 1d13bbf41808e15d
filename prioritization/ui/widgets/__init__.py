"""Streamlit pieces shared by several features: the table-editor flow (:mod:`.table_editing`), the
set-up pages' top and save (:mod:`.setup_page`), weights input and chart (:mod:`.weights_input`,
:mod:`.charts_weights`), cached charts and the downloads."""
